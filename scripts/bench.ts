// `npm run bench`: times a raw parse of a synthetic monorepo against a full `jwtfrag scan` of it, each in its own child process.
import { spawn } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/util/paths.js';
import { parseChildReport, type ChildReport } from './bench-child.js';
import { ensureCorpus, type CorpusStats } from './bench-corpus.js';
import { MIN_FILES } from './bench-plan.js';

const RATIO_TARGET = 2.0;
const RSS_TARGET_MB = 400;
const CHILD_TIMEOUT_MS = 20 * 60 * 1000;

class BenchError extends Error {}

interface BenchOptions {
  files: number;
  seed: number;
  runs: number;
  warmup: number;
  jobs: number | null;
}

interface ChildRun {
  report: ChildReport;
  exitCode: number;
}

interface ScanSummary {
  scanned: number;
  byLanguage: Record<string, number>;
  findings: number;
  parseErrors: number;
}

function positiveInt(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BenchError(`--${name} must be an integer ≥ ${min} (got ${value})`);
  return n;
}

function parseOptions(argv: string[]): BenchOptions {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        files: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        warmup: { type: 'string' },
        jobs: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new BenchError(`${error instanceof Error ? error.message : String(error)} (flags: --files N --seed N --runs N --warmup N --jobs N)`);
  }
  return {
    files: positiveInt('files', values.files, 5000, MIN_FILES),
    seed: positiveInt('seed', values.seed, 1, 0),
    runs: positiveInt('runs', values.runs, 3, 1),
    warmup: positiveInt('warmup', values.warmup, 1, 0),
    jobs: values.jobs === undefined ? null : positiveInt('jobs', values.jobs, 1, 1),
  };
}

// Runs `node <args>` and returns the report it printed; fails unless it exits with one of `okCodes`.
function runChild(label: string, args: string[], okCodes: number[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new BenchError(`${label}: could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? -1;
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      if (!okCodes.includes(exitCode)) {
        reject(new BenchError(`${label} exited with ${signal ?? exitCode}${tail ? `:\n${tail}` : ''}`));
        return;
      }
      const report = parseChildReport(stdout);
      if (report === null) {
        reject(new BenchError(`${label} printed no measurement${tail ? `:\n${tail}` : ''}`));
        return;
      }
      resolve({ report, exitCode });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function readScanSummary(path: string): ScanSummary {
  const result = JSON.parse(readFileSync(path, 'utf8')) as {
    files?: { scanned?: number; byLanguage?: Record<string, number> };
    findings?: unknown[];
    notifications?: { id?: string }[];
  };
  return {
    scanned: result.files?.scanned ?? 0,
    byLanguage: result.files?.byLanguage ?? {},
    findings: result.findings?.length ?? 0,
    parseErrors: (result.notifications ?? []).filter((n) => n.id === 'parse-error').length,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

function describeCorpus(stats: CorpusStats): string {
  return `${stats.ts} ts, ${stats.python} python (${stats.tests} of them tests), ${stats.deploy} deploy/manifest files; ` +
    `${stats.secretReadFiles} read a JWT secret env var, ${stats.jwtFiles} call a JWT library, ${stats.crossServiceImports} cross-service imports`;
}

async function bench(options: BenchOptions): Promise<void> {
  const root = packageRoot();
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  const rawChild = join(root, 'dist', 'scripts', 'bench-raw.js');
  const probe = join(root, 'dist', 'scripts', 'bench-probe.js');
  for (const needed of [cli, rawChild, probe]) {
    if (!existsSync(needed)) throw new BenchError(`${needed} not found; run npm run build first`);
  }

  process.stderr.write(`bench: preparing a ${options.files}-file corpus (seed ${options.seed})…\n`);
  const corpus = ensureCorpus(options.files, options.seed);
  const output = join(tmpdir(), `jwtfrag-bench-result-${process.pid}.json`);
  const scanArgs = ['--import', pathToFileURL(probe).href, cli, 'scan', corpus.dir, '--format', 'json', '-o', output, '--no-progress'];
  if (options.jobs !== null) scanArgs.push('--jobs', String(options.jobs));

  const raw: ChildReport[] = [];
  const scans: ChildReport[] = [];
  let summary: ScanSummary | null = null;
  try {
    for (let i = 0; i < options.warmup + options.runs; i++) {
      const warm = i < options.warmup;
      const tag = warm ? `warm-up ${i + 1}` : `run ${i - options.warmup + 1}/${options.runs}`;
      process.stderr.write(`bench: ${tag}: raw parse…`);
      const r = await runChild('raw parse child', [rawChild, corpus.dir], [0]);
      process.stderr.write(` ${r.report.ms} ms; scan…`);
      // A scan cache (when there is one) must not turn the scan into a cache read.
      rmSync(join(corpus.dir, '.jwtfrag-cache'), { recursive: true, force: true });
      const s = await runChild('jwtfrag scan', scanArgs, [0, 1]);
      process.stderr.write(` ${s.report.ms} ms${warm ? ' (discarded)' : ''}\n`);
      if (warm) continue;
      raw.push(r.report);
      scans.push(s.report);
      summary = readScanSummary(output);
    }
  } finally {
    rmSync(output, { force: true });
  }

  const rawMs = median(raw.map((r) => r.ms));
  const scanMs = median(scans.map((r) => r.ms));
  const rawRss = median(raw.map((r) => r.maxRssMB));
  const scanRss = median(scans.map((r) => r.maxRssMB));
  const ratio = scanMs / rawMs;
  const filesPerSecond = options.files / (scanMs / 1000);
  const rawDetail = raw[raw.length - 1].detail;

  const out: string[] = [];
  out.push(`jwtfrag bench: ${options.files} files, seed ${options.seed}, corpus ${corpus.dir} (${corpus.generated ? 'generated now' : 'reused'})`);
  out.push(`  ${describeCorpus(corpus.stats)}`);
  out.push(
    `  ${availableParallelism()} cores; ${options.warmup} discarded warm-up run(s) of each child on the full corpus, then the median of ${options.runs} run(s)`,
  );
  out.push(`  raw parse runs (ms): ${raw.map((r) => r.ms).join(', ')}; scan runs (ms): ${scans.map((r) => r.ms).join(', ')}`);
  out.push('');
  out.push(
    table([
      ['files', 'raw parse ms', 'scan ms', 'scan/raw', 'files/s (scan)', 'raw peak RSS MB', 'scan peak RSS MB'],
      [String(options.files), rawMs.toFixed(0), scanMs.toFixed(0), ratio.toFixed(2), filesPerSecond.toFixed(0), rawRss.toFixed(0), scanRss.toFixed(0)],
    ]),
  );
  out.push('');
  out.push(`target scan/raw ≤ ${RATIO_TARGET.toFixed(1)}:        ${ratio.toFixed(2)}  ${ratio <= RATIO_TARGET ? 'PASS' : 'MISS'}`);
  out.push(`target scan peak RSS ≤ ${RSS_TARGET_MB} MB: ${scanRss.toFixed(0)} MB  ${scanRss <= RSS_TARGET_MB ? 'PASS' : 'MISS'}`);
  out.push('');
  out.push(
    `raw parse (last run): ${rawDetail.files} source files (${rawDetail.tsFiles} ts, ${rawDetail.pyFiles} py, ${rawDetail.pyErrors} py with errors), ` +
      `parse loop alone ${rawDetail.loopMs} ms (ts ${rawDetail.tsMs}, py ${rawDetail.pyMs}); the rest is process start-up and loading TypeScript and tree-sitter`,
  );
  if (summary) {
    const langs = Object.entries(summary.byLanguage)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(`scan (last run): ${summary.scanned} files scanned (${langs}), ${summary.findings} findings, ${summary.parseErrors} parse-error notifications`);
    if (summary.byLanguage.ts !== rawDetail.tsFiles || summary.byLanguage.python !== rawDetail.pyFiles) {
      out.push('warning: the scan and the raw parse did not see the same TS/Python files; the ratio compares different work');
    }
  }
  out.push('times are wall clock from child process start to exit; RSS is process.resourceUsage().maxRSS of each child (all threads)');
  process.stdout.write(out.join('\n') + '\n');
}

try {
  await bench(parseOptions(process.argv.slice(2)));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`\njwtfrag bench: ${message}\n`);
  if (!(error instanceof BenchError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 2;
}
