// Test helper: runs the jwtfrag CLI from its TypeScript sources in a child process, and builds small repositories in temp dirs.
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
export const MONOREPOS = join(ROOT, 'fixtures', 'monorepos');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `jwtfrag <args>` and waits for it; NO_COLOR is set unless `env` overrides it. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliRun {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', env, input: options.input });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `jwtfrag <args>` with the given stdio (e.g. a closed pipe or /dev/full as stdout). */
export function runCliWith(
  args: string[],
  stdio: StdioOptions,
  onSpawn?: (child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** A temp dir holding the given files (paths relative to it). */
export function tempRepo(files: Record<string, string>, prefix = 'jwtfrag-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
