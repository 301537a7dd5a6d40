// Test helper: real git repositories in temp dirs (a copy of a fixture, committed on main).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const IDENTITY = ['-c', 'user.name=jwtfrag test', '-c', 'user.email=test@jwtfrag.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

/** Runs git in `cwd` with a fixed identity; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A new repository in a temp dir holding a copy of `source` (if given), everything committed on main. */
export function gitRepo(source?: string, prefix = 'jwtfrag-git-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (source) cpSync(source, dir, { recursive: true });
  git(dir, 'init', '-q');
  commitAll(dir, 'initial');
  return dir;
}

/** Stages everything and commits it. */
export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
}
