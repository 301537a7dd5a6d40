// Lookup sets over the discovered file list and posix path helpers shared by the TS and Python resolvers.

export interface RepoIndex {
  /** Every discovered file, normalised repo-relative posix. */
  files: Set<string>;
  /** Every folder that holds a file at any depth; '' is the repository root. */
  dirs: Set<string>;
}

/** What a path that needs normalising has: a backslash, a leading, trailing or doubled slash, a `.` or `..` segment. */
const NOT_NORMAL = /\\|^\/|\/\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

/** Normalises a repo-relative path: forward slashes, no `./` prefix, no trailing slash. A path already normal (most are) is returned as it is. */
export function normalisePath(path: string): string {
  if (!NOT_NORMAL.test(path)) return path;
  const joined = joinPath('', path.replace(/\\/g, '/'));
  return joined ?? '';
}

/** Builds the file and folder sets once. */
export function buildIndex(files: readonly string[]): RepoIndex {
  const fileSet = new Set<string>();
  const dirs = new Set<string>(['']);
  for (const raw of files) {
    const file = normalisePath(raw);
    if (file === '') continue;
    fileSet.add(file);
    let dir = dirOf(file);
    while (dir !== '' && !dirs.has(dir)) {
      dirs.add(dir);
      dir = dirOf(dir);
    }
  }
  return { files: fileSet, dirs };
}

/** The folder of a repo-relative path ('' at the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** The last segment of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Joins a relative path onto a repo-relative folder, resolving `.` and `..`; null when the result
 * would climb above the repository root. A leading `/` is treated as the root.
 */
export function joinPath(base: string, rel: string): string | null {
  const out: string[] = [];
  const start = rel.startsWith('/') ? [] : base.split('/');
  for (const part of [...start, ...rel.split('/')]) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

/** `dir/name`, or `name` when dir is the root. */
export function childPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The folder itself and every folder above it up to the root, nearest first. */
export function ancestorsOf(dir: string): string[] {
  const out = [dir];
  let current = dir;
  while (current !== '') {
    current = dirOf(current);
    out.push(current);
  }
  return out;
}

/** Whether `dir` is `ancestor` or lies below it. */
export function isWithin(dir: string, ancestor: string): boolean {
  return ancestor === '' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}
