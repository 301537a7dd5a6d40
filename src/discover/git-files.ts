// Lists a git work tree's files with git itself: every tracked file (even one .gitignore names) plus untracked files git does not ignore.
import { execFile } from 'node:child_process';

/** What git reports for the scan root; null when the root is not inside a git work tree or git is unavailable. */
export interface GitListing {
  /** Tracked and untracked-but-not-ignored files, repo-relative to the scan root, posix. */
  files: string[];
  /** Untracked paths git ignores (a folder counts once). */
  ignored: number;
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      { cwd, maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (error, stdout) => resolve(error ? null : stdout),
    );
  });
}

function split(out: string): string[] {
  return out.split('\0').filter((p) => p.length > 0);
}

/**
 * Asks git for the files under `root`. A committed `.env` that .gitignore lists is still a committed
 * file (and the most dangerous kind), so tracked files are listed whatever .gitignore says; untracked
 * files follow the ignore rules. Null outside a git work tree, or when git is not installed.
 */
export async function gitListing(root: string): Promise<GitListing | null> {
  const inside = await git(root, ['rev-parse', '--is-inside-work-tree']);
  if (inside?.trim() !== 'true') return null;
  const [tracked, untracked, ignored] = await Promise.all([
    git(root, ['ls-files', '-z', '--cached']),
    git(root, ['ls-files', '-z', '--others', '--exclude-standard']),
    git(root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']),
  ]);
  if (tracked === null || untracked === null) return null;
  const files = [...new Set([...split(tracked), ...split(untracked)])];
  return { files, ignored: ignored === null ? 0 : split(ignored).length };
}
