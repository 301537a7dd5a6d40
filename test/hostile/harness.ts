// The hostile-input suite's harness: generated trees in temp dirs, and the CLI run as a child process that is killed at a time limit (a regression fails, never hangs); each run's time and peak memory are recorded.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MAIN, ROOT } from '../helpers/cli.js';

/** Per-case limit for one CLI run: the fixed tool finishes each case in about a second. */
const RUN_LIMIT_MS = 20_000;
/** Per-test limit (vitest): a run's limit plus set-up. */
export const CASE_LIMIT_MS = 30_000;
/** Peak resident memory any case may use (the whole process, worker threads included). */
export const MEMORY_LIMIT_KB = 1024 * 1024;

const PROBE = join(import.meta.dirname, 'probe.ts');

export interface BoundedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the CLI process in KiB (null when it was killed). */
  rssKb: number | null;
  timedOut: boolean;
}

/** What each case cost, for the suite's closing measurements (written when JWTFRAG_HOSTILE_REPORT names a file). */
const measurements: { name: string; ms: number; rssKb: number | null; code: number | null; timedOut: boolean }[] = [];

const made: string[] = [];

/** A temp dir holding the given files (string or bytes), removed by `cleanUp`. */
export function tree(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-hostile-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function cleanUp(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  const report = process.env.JWTFRAG_HOSTILE_REPORT;
  if (report) {
    let previous: typeof measurements = [];
    try {
      previous = JSON.parse(readFileSync(report, 'utf8')) as typeof measurements;
    } catch {
      // first file of the suite
    }
    writeFileSync(report, JSON.stringify([...previous, ...measurements.splice(0)], null, 1));
  }
}

export interface RunOptions {
  /** Absolute paths the child must see as unreadable (EACCES), for runs where permissions cannot do it (as root). */
  deny?: string[];
  limitMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** `closed`: the reader goes away at once (`| head`); a file descriptor: write there (e.g. /dev/full). */
  stdout?: 'pipe' | 'closed' | number;
}

/** Runs `jwtfrag <args>` in a child process, killed (SIGKILL) at the time limit; records time and peak memory under `name`. */
export function runBounded(name: string, args: string[], options: RunOptions = {}): Promise<BoundedRun> {
  const limit = options.limitMs ?? RUN_LIMIT_MS;
  const rssFile = join(mkdtempSync(join(tmpdir(), 'jwtfrag-rss-')), 'rss');
  made.push(dirname(rssFile));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, JWTFRAG_TEST_RSS_FILE: rssFile, ...options.env };
  if (options.deny) env.JWTFRAG_TEST_DENY = JSON.stringify(options.deny);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const out = typeof options.stdout === 'number' ? options.stdout : 'pipe';
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', PROBE, MAIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env,
      stdio: ['ignore', out, 'pipe'],
    });
    if (options.stdout === 'closed') child.stdout?.destroy();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limit);
    if (options.stdout !== 'closed') child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      let rssKb: number | null = null;
      try {
        rssKb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        // killed before exit
      }
      measurements.push({ name, ms, rssKb, code, timedOut });
      resolve({ code, stdout, stderr, ms, rssKb, timedOut });
    });
  });
}

/** Whether this process can make a folder unreadable with permissions (not as root). */
export const canDenyByPermissions = typeof process.getuid === 'function' && process.getuid() !== 0;
