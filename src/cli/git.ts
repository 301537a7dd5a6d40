// Runs git for --changed-since, --staged and --fix: always execFile with an argument list, never a shell.
import { execFile } from 'node:child_process';
import { UsageError } from './usage.js';

const MAX_OUTPUT = 256 * 1024 * 1024;

interface GitFailure {
  code?: string | number;
  stderr?: string;
}

/** Runs `git <args>` in `cwd` and returns its stdout; rejects with the git failure (code, stderr). */
export function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      { cwd, maxBuffer: MAX_OUTPUT, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- execFile's error is an Error; its type (an Omit<> of ExecException) hides that
        if (error) reject(Object.assign(error, { stderr }));
        else resolve(stdout);
      },
    );
  });
}

function firstLine(failure: GitFailure): string {
  return (failure.stderr ?? '').trim().split('\n')[0] ?? '';
}

/**
 * Where `root` sits in its git work tree (`""` at the top, else `sub/dir/`); a usage error naming
 * the flag when git is missing or `root` is not inside a git repository.
 */
export async function workTreePrefix(root: string, flag: string): Promise<string> {
  try {
    const prefix = await git(root, ['rev-parse', '--show-prefix']);
    return prefix.trim();
  } catch (error) {
    const failure = error as GitFailure;
    if (failure.code === 'ENOENT') throw new UsageError(`${flag} needs git, and git was not found on the PATH`);
    throw new UsageError(`${flag} needs a git repository: ${root} is not inside one (${firstLine(failure) || 'git rev-parse failed'})`);
  }
}

/** True when `root` is inside a git work tree (false, not an error, when git is missing). */
export async function insideWorkTree(root: string): Promise<boolean> {
  try {
    return (await git(root, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/** Resolves a revision to a commit id; a usage error naming the flag when git does not know it. */
export async function resolveCommit(root: string, rev: string, flag: string): Promise<string> {
  if (rev.startsWith('-') || rev.length === 0) throw new UsageError(`${flag} takes a git revision (got '${rev}')`);
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
  } catch {
    throw new UsageError(`${flag}: git does not know the revision '${rev}' (fetch it first, e.g. git fetch origin main)`);
  }
}

/** Decodes a path git quoted C-style (`"a\\tb\\303\\251"`): escapes and octal UTF-8 bytes. */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      const char = String.fromCodePoint(body.codePointAt(i) ?? 0);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length - 1;
      continue;
    }
    const next = body[i + 1];
    if (/[0-7]/.test(next ?? '')) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
