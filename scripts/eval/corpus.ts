// Finds a corpus repository's local git clone and extracts its pinned commit into a work folder (once).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CorpusSchema, LabelsSchema, type Corpus, type CorpusEntry, type Labels } from './labels.js';

export class EvalError extends Error {}

const COMPLETE = '.jwtfrag-eval-complete';

function zodLines(file: string, issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${file}: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Reads and validates `eval/corpus.json`. */
export function loadCorpus(file: string): Corpus {
  const parsed = CorpusSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new EvalError(zodLines(file, parsed.error.issues));
  const names = new Set<string>();
  for (const r of parsed.data.repositories) {
    if (names.has(r.name)) throw new EvalError(`${file}: repository name ${r.name} appears twice`);
    names.add(r.name);
  }
  return parsed.data;
}

/** Reads and validates `eval/labels/<name>.json`; null when the file does not exist. */
export function loadLabels(dir: string, name: string): Labels | null {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EvalError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = LabelsSchema.safeParse(json);
  if (!parsed.success) throw new EvalError(zodLines(file, parsed.error.issues));
  if (parsed.data.name !== name) throw new EvalError(`${file}: name is ${parsed.data.name}, expected ${name}`);
  return parsed.data;
}

function git(gitDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
}

function hasCommit(gitDir: string, commit: string): boolean {
  try {
    git(gitDir, ['cat-file', '-e', `${commit}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

function gitDirOf(path: string): string | null {
  if (!existsSync(path)) return null;
  try {
    const out = execFileSync('git', ['-C', path, 'rev-parse', '--absolute-git-dir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.trim();
  } catch {
    return null;
  }
}

/** The folders under `reposDir` where a clone of the entry may live, in the order they are tried. */
function cloneCandidates(reposDir: string, entry: CorpusEntry): string[] {
  const [owner, repo] = entry.repo.split('/') as [string, string];
  return [
    join(reposDir, `${owner}+${repo}`, 'repo'),
    join(reposDir, `${owner}+${repo}`),
    join(reposDir, owner, repo),
    join(reposDir, entry.name),
    join(reposDir, repo),
    join(reposDir, `${repo}.git`),
  ];
}

/** The git directory of a clone that holds the pinned commit, or null. */
export function findClone(reposDir: string, entry: CorpusEntry): string | null {
  for (const candidate of cloneCandidates(reposDir, entry)) {
    const dir = gitDirOf(candidate);
    if (dir && hasCommit(dir, entry.commit)) return dir;
  }
  return null;
}

/** The command that gets a clone with the pinned commit. */
export function cloneHint(reposDir: string, entry: CorpusEntry): string {
  return `git clone --bare https://github.com/${entry.repo}.git ${join(reposDir, entry.name)}  # needs commit ${entry.commit.slice(0, 12)}`;
}

interface TreeEntry {
  mode: string;
  sha: string;
  path: string;
}

function listTree(gitDir: string, commit: string): TreeEntry[] {
  const out = git(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, sha] = record.slice(0, tab).split(' ') as [string, string, string];
    if (type !== 'blob' || mode === '120000') continue; // submodules and symlinks are not extracted
    entries.push({ mode, sha, path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * Writes every blob of `commit` under `out` through one `git cat-file --batch`. Blobs a clone lacks
 * (partial or size-limited clones) are skipped and counted. Resolves to the number skipped.
 */
function writeBlobs(gitDir: string, entries: TreeEntry[], out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer: Buffer = Buffer.alloc(0);
    let index = 0;
    let missing = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const nl = buffer.indexOf(10);
        if (nl < 0) return;
        const header = buffer.subarray(0, nl).toString('utf8');
        const entry = entries[index];
        if (entry === undefined) return;
        if (header.endsWith(' missing')) {
          missing++;
          index++;
          buffer = buffer.subarray(nl + 1);
          continue;
        }
        const size = Number(header.split(' ')[2]);
        if (buffer.length < nl + 1 + size + 1) return;
        const dest = join(out, entry.path);
        mkdirSync(dirname(dest), { recursive: true });
        writeFileSync(dest, buffer.subarray(nl + 1, nl + 1 + size));
        index++;
        buffer = buffer.subarray(nl + 1 + size + 1);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (index !== entries.length) reject(new EvalError(`git cat-file stopped after ${index} of ${entries.length} files (exit ${code})`));
      else resolve(missing);
    });
    child.stdin.end(entries.map((e) => e.sha).join('\n') + '\n');
  });
}

/**
 * Makes an extracted tree a git work tree whose index is the pinned commit (objects borrowed from the
 * clone), so jwtfrag sees exactly the tracked files, as it does in a user's checkout.
 */
function indexAsCommitted(gitDir: string, entry: CorpusEntry, dir: string): void {
  if (existsSync(join(dir, '.git', 'index'))) return;
  execFileSync('git', ['init', '-q', dir], { stdio: 'ignore' });
  writeFileSync(join(dir, '.git', 'objects', 'info', 'alternates'), `${join(gitDir, 'objects')}\n`);
  execFileSync('git', ['-C', dir, 'read-tree', entry.commit], { stdio: 'ignore' });
}

/** Extracts the pinned commit into `<workDir>/<name>@<commit12>` unless a complete copy is there; returns the folder. */
export async function extract(gitDir: string, entry: CorpusEntry, workDir: string): Promise<{ dir: string; fresh: boolean; missing: number }> {
  const dir = join(workDir, `${entry.name}@${entry.commit.slice(0, 12)}`);
  if (existsSync(join(dir, COMPLETE))) {
    indexAsCommitted(gitDir, entry, dir);
    return { dir, fresh: false, missing: 0 };
  }
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const missing = await writeBlobs(gitDir, listTree(gitDir, entry.commit), partial);
  writeFileSync(join(partial, COMPLETE), `${entry.repo} ${entry.commit}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  indexAsCommitted(gitDir, entry, dir);
  return { dir, fresh: true, missing };
}
