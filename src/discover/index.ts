// Discovery: lists the repository's files (honouring .gitignore and excludes) and their languages; services are detected after extraction.
import fs, { accessSync, closeSync, constants, existsSync, lstatSync, openSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ParsedConfig } from '../config/schema.js';
import type { Language, Notification } from '../vocabulary.js';
import { compileGlob } from '../util/glob.js';
import { compareText } from '../util/order.js';
import { GIT_LIST_TIMEOUT_MS, gitPath, insideWorkTree, trackedFiles, untrackedFiles } from './git-files.js';
import { GitignoreSet, parseGitignore, unsafeForGit } from './gitignore.js';
import { DEFAULT_EXCLUDES, isGeneratedFile, isTestPath, languageOf } from './languages.js';
import { readTextFile } from './read.js';

export interface DiscoveredFile {
  /** Repo-relative posix path. */
  path: string;
  language: Language;
  isTest: boolean;
}

/**
 * The absolute path of each file of a discovery under `root` (`fileIn(root)(file.path)`), made when
 * the file is read, not kept with it: `path.join` builds its result from many small strings, about
 * 250 bytes a file that the scan held to its end (5 MB at 20,000 files). Here a file's absolute path
 * is one concatenation of the root's folder prefix and its path.
 */
export function fileIn(root: string): (path: string) => string {
  const base = join(root, '.');
  const prefix = base.endsWith(sep) ? base : base + sep;
  return sep === '/' ? (path) => prefix + path : (path) => prefix + path.split('/').join(sep);
}

export interface Discovery {
  root: string;
  /** Files to analyse (tests included only when asked for). */
  files: DiscoveredFile[];
  /** Every file seen, analysed or not (markers, manifests, tsconfig.json…), repo-relative posix. */
  allPaths: string[];
  /** Test files left out of the analysis. */
  testFiles: number;
  skipped: Record<string, number>;
  notifications: Notification[];
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Reads .gitignore files no larger than this; a larger one is skipped with a notification. */
const MAX_GITIGNORE_BYTES = 1024 * 1024;

interface Entry {
  path: string;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

/** Where listing problems go: counted skips and notifications. */
interface Sink {
  count: (reason: string, n?: number) => void;
  notifications: Notification[];
}

/** The include/exclude globs as a filter: a path is kept when an include matches it and no exclude matches it or one of its folders. */
interface PathFilter {
  keep: (path: string) => boolean;
  folderExcluded: (folder: string) => boolean;
}

function pathFilter(config: ParsedConfig): PathFilter {
  const included = compileGlob(config.include);
  const excluded = compileGlob([...DEFAULT_EXCLUDES, ...config.exclude]);
  const folders = new Map<string, boolean>();
  const folderExcluded = (folder: string): boolean => {
    const cached = folders.get(folder);
    if (cached !== undefined) return cached;
    let out = false;
    let end = folder.indexOf('/');
    for (;;) {
      const prefix = end < 0 ? folder : folder.slice(0, end);
      const known = folders.get(prefix);
      out = known ?? (out || excluded(prefix));
      if (known === undefined) folders.set(prefix, out);
      if (end < 0) return out;
      end = folder.indexOf('/', end + 1);
    }
  };
  const keep = (path: string): boolean => {
    if (!included(path) || excluded(path)) return false;
    const slash = path.lastIndexOf('/');
    return slash < 0 || !folderExcluded(path.slice(0, slash));
  };
  return { keep, folderExcluded };
}

// User excludes simple enough to prune whole folders with (a literal path, optionally under `**/` or over `/**`).
const PRUNABLE = /^(\*\*\/)?[\w@+. -]+(\/[\w@+. -]+)*(\/\*\*)?$/;

/**
 * Walks `root/sub` with an explicit stack (no recursion, symlinks not followed; built-in excludes
 * pruned; the caller filters with its own matchers). Every name is kept as it is, line breaks and
 * control characters included (fast-glob's matcher skips those). A folder that cannot be read
 * becomes an `unreadable-folder` notification via `onError`.
 */
async function walk(root: string, sub: string, config: ParsedConfig, onError: (folder: string, code: string) => void): Promise<Entry[]> {
  const pruned = compileGlob([...DEFAULT_EXCLUDES, ...config.exclude.filter((p) => PRUNABLE.test(p))]);
  const out: Entry[] = [];
  const stack = [sub];
  while (stack.length > 0) {
    const folder = stack.pop() as string;
    let dirents: fs.Dirent[];
    try {
      dirents = await fs.promises.readdir(folder === '' ? root : join(root, folder), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (code !== 'ENOENT' && code !== 'ENOTDIR') onError(folder, code);
      continue;
    }
    for (const dirent of dirents) {
      const path = folder === '' ? dirent.name : `${folder}/${dirent.name}`;
      const isSymbolicLink = dirent.isSymbolicLink();
      const isDirectory = !isSymbolicLink && dirent.isDirectory();
      if (pruned(path)) continue;
      out.push({ path, isDirectory, isSymbolicLink });
      if (isDirectory) stack.push(path);
    }
  }
  return out;
}

/** Parses every .gitignore among `paths` (oversized ones and over-long lines are skipped with a notification). */
function gitignoreSet(root: string, paths: string[], sink: Sink): GitignoreSet {
  const files = [];
  for (const path of paths) {
    if (!(path === '.gitignore' || path.endsWith('/.gitignore'))) continue;
    const dir = path === '.gitignore' ? '' : path.slice(0, -'/.gitignore'.length);
    const text = readTextFile(join(root, path), MAX_GITIGNORE_BYTES);
    if (text === undefined) {
      sink.notifications.push({
        level: 'warning',
        id: 'gitignore-skipped',
        message: `not applied: unreadable or larger than ${MAX_GITIGNORE_BYTES} bytes`,
        file: path,
      });
      continue;
    }
    files.push(parseGitignore(text, dir, path, sink.notifications));
  }
  return new GitignoreSet(files);
}

/** Drops ignored files (counted as `gitignored`) from a list of entries. */
function applyGitignore(entries: Entry[], ignores: GitignoreSet, sink: Sink): Entry[] {
  if (ignores.empty) return entries;
  const out: Entry[] = [];
  for (const entry of entries) {
    if (entry.isDirectory) continue;
    if (ignores.ignores(entry.path)) sink.count('gitignored');
    else out.push(entry);
  }
  return out;
}

/** Reports each unreadable folder once (the topmost), unless it is excluded or ignored anyway. */
function reportUnreadable(folders: { folder: string; reason: string }[], filter: PathFilter, ignores: GitignoreSet | null, sink: Sink): void {
  const sorted = [...folders].sort((a, b) => compareText(a.folder, b.folder));
  const reported: string[] = [];
  for (const { folder, reason } of sorted) {
    if (folder === '' || reported.some((r) => folder === r || folder.startsWith(`${r}/`))) continue;
    if (filter.folderExcluded(folder) || ignores?.ignores(folder, true)) continue;
    reported.push(folder);
    sink.count('unreadable-folder');
    sink.notifications.push({
      level: 'warning',
      id: 'unreadable-folder',
      message: `folder could not be read (${reason}); the files in it were not analysed`,
      file: folder,
    });
  }
}

/**
 * Every entry under the root that the include/exclude globs keep: from git when the root is in a
 * work tree (tracked files whatever .gitignore says, untracked ones unless ignored), else from the
 * file system with the .gitignore files applied by jwtfrag.
 */
async function listEntries(root: string, config: ParsedConfig, filter: PathFilter, sink: Sink, options: DiscoverOptions): Promise<Entry[]> {
  const tracked = (await insideWorkTree(root)) ? await trackedFiles(root) : null;
  if (tracked !== null) return gitEntries(root, config, tracked, filter, sink, options);
  const unreadable: { folder: string; reason: string }[] = [];
  const all = (await walk(root, '', config, (folder, reason) => unreadable.push({ folder, reason }))).filter((e) => e.isDirectory || filter.keep(e.path));
  const ignores = gitignoreSet(
    root,
    all.map((e) => e.path),
    sink,
  );
  reportUnreadable(unreadable, filter, ignores, sink);
  return applyGitignore(all, ignores, sink);
}

async function gitEntries(root: string, config: ParsedConfig, tracked: string[], filter: PathFilter, sink: Sink, options: DiscoverOptions): Promise<Entry[]> {
  const unreadable: { folder: string; reason: string }[] = [];
  const entries: Entry[] = [];
  const add = (path: string): void => {
    if (!filter.keep(path)) return;
    let stats;
    try {
      stats = lstatSync(join(root, path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      // Tracked but deleted from the work tree is not a loss; a folder that cannot be read is.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push({ folder: path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : path, reason: code });
      return;
    }
    entries.push({ path, isDirectory: stats.isDirectory(), isSymbolicLink: stats.isSymbolicLink() });
  };

  // git's matcher backtracks on some patterns; such ignore rules are applied by jwtfrag instead.
  // Checked: tracked .gitignore files, the root's (tracked or not) and the repository's info/exclude.
  let reason: string | null = null;
  const ignoreFiles = new Set(tracked.filter((p) => p === '.gitignore' || p.endsWith('/.gitignore')).map((p) => join(root, p)));
  ignoreFiles.add(join(root, '.gitignore'));
  const exclude = await gitPath(root, 'info/exclude');
  if (exclude !== null) ignoreFiles.add(exclude);
  for (const abs of ignoreFiles) {
    if (!existsSync(abs)) continue;
    const text = readTextFile(abs, MAX_GITIGNORE_BYTES);
    const problem = text === undefined ? 'it is unreadable or too large' : unsafeForGit(text);
    if (problem) {
      reason = `${toPosix(relative(root, abs))}: ${problem}`;
      break;
    }
  }
  const timeoutMs = options.gitTimeoutMs;
  // git lists the untracked files while the tracked ones are checked on the file system.
  const listing = reason === null ? untrackedFiles(root, { excludes: true, timeoutMs }) : null;
  for (const path of tracked) add(path);
  if (listing !== null) {
    const listed = await listing;
    if (listed.untracked !== null) {
      for (const path of listed.untracked) add(path);
      if (listed.ignored > 0) sink.count('gitignored', listed.ignored);
      reportUnreadable([...unreadable, ...listed.unreadable], filter, null, sink);
      return entries;
    }
    reason = listed.timedOut
      ? `git took longer than ${Math.round((timeoutMs ?? GIT_LIST_TIMEOUT_MS) / 1000)} s to apply the ignore rules`
      : 'git could not list them';
  }

  // Untracked files without git's ignore rules (wholly untracked folders come collapsed as `folder/`), then ours.
  const raw = await untrackedFiles(root, { excludes: false, timeoutMs });
  unreadable.push(...raw.unreadable);
  const untracked: Entry[] = [];
  for (const path of raw.untracked ?? []) {
    if (!path.endsWith('/')) {
      if (filter.keep(path)) untracked.push({ path, isDirectory: false, isSymbolicLink: lstatSafe(join(root, path)) });
      continue;
    }
    const folder = path.slice(0, -1);
    if (filter.folderExcluded(folder)) continue;
    const inside = await walk(root, folder, config, (f, code) => unreadable.push({ folder: f, reason: code }));
    for (const e of inside) if (e.isDirectory || filter.keep(e.path)) untracked.push(e);
  }
  const ignores = gitignoreSet(root, [...tracked, ...untracked.map((e) => e.path)], sink);
  sink.notifications.push({
    level: 'note',
    id: 'gitignore-by-jwtfrag',
    message:
      raw.untracked === null
        ? `untracked files were not listed (${reason}; git could not list them either)`
        : `untracked files were matched against .gitignore by jwtfrag, not git (${reason})`,
    file: null,
  });
  reportUnreadable(unreadable, filter, ignores, sink);
  return [...entries, ...applyGitignore(untracked, ignores, sink)];
}

function lstatSafe(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Knobs for tests: how long git may take to list untracked files. */
export interface DiscoverOptions {
  gitTimeoutMs?: number;
}

/**
 * Lists the files to analyse under `root`. Never throws for file-level problems: skips are counted
 * and symlink loops or unreadable entries become notifications.
 */
export async function discover(root: string, config: ParsedConfig, includeTests: boolean, options: DiscoverOptions = {}): Promise<Discovery> {
  const skipped: Record<string, number> = {};
  const notifications: Notification[] = [];
  const count = (reason: string, n = 1) => {
    skipped[reason] = (skipped[reason] ?? 0) + n;
  };

  const entries = await listEntries(root, config, pathFilter(config), { count, notifications }, options);

  const realRoot = realpathSync(root);
  const seen: string[] = [];
  for (const entry of entries) {
    const path = entry.path;
    if (entry.isDirectory) continue;
    if (entry.isSymbolicLink) {
      const abs = join(root, path);
      try {
        const target = realpathSync(abs);
        if (statSync(target).isDirectory()) {
          count('symlink-dir');
          continue;
        }
        if (!target.startsWith(realRoot + sep)) {
          count('symlink-outside');
          continue;
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        count(code === 'ELOOP' ? 'symlink-loop' : 'unreadable');
        notifications.push({
          level: 'warning',
          id: code === 'ELOOP' ? 'symlink-loop' : 'unreadable',
          message: code === 'ELOOP' ? 'symbolic link loop; skipped' : `broken symbolic link (${code ?? 'error'}); skipped`,
          file: path,
        });
        continue;
      }
    }
    seen.push(path);
  }
  seen.sort();

  const venvs = seen.filter((p) => p.endsWith('pyvenv.cfg')).map((p) => p.slice(0, p.lastIndexOf('/') + 1));
  const allPaths: string[] = [];
  for (const path of seen) {
    if (venvs.some((prefix) => prefix === '' || path.startsWith(prefix))) continue;
    allPaths.push(path);
  }

  const files: DiscoveredFile[] = [];
  let testFiles = 0;
  for (const path of allPaths) {
    const language = languageOf(path);
    if (!language) {
      if (isGeneratedFile(path)) count('generated');
      continue;
    }
    const isTest = isTestPath(path);
    if (isTest && !includeTests) {
      testFiles++;
      continue;
    }
    files.push({ path, language, isTest });
  }
  return { root, files, allPaths, testFiles, skipped, notifications };
}

/** Whether the scan root exists and is a readable folder; a one-line reason when not. */
export function checkRoot(root: string): string | null {
  if (!existsSync(root)) return `no such folder: ${root}`;
  if (!statSync(root).isDirectory()) return `not a folder: ${root}`;
  try {
    closeSync(openSync(root, constants.O_RDONLY | constants.O_DIRECTORY));
    accessSync(root, constants.R_OK | constants.X_OK);
  } catch (error) {
    return `cannot read the folder ${root} (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return null;
}
