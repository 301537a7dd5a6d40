// Discovery: lists the repository's files (honouring .gitignore and excludes) and their languages; services are detected after extraction.
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { ParsedConfig } from '../config/schema.js';
import type { Language, Notification } from '../model/facts.js';
import { gitListing } from './git-files.js';
import { DEFAULT_EXCLUDES, isGeneratedBundle, isTestPath, languageOf } from './languages.js';

export interface DiscoveredFile {
  /** Repo-relative posix path. */
  path: string;
  absPath: string;
  language: Language;
  isTest: boolean;
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

/** Reads every `.gitignore` below the root into matchers keyed by their folder. */
function gitignores(root: string, paths: string[]): { dir: string; matcher: Ignore }[] {
  const out: { dir: string; matcher: Ignore }[] = [];
  for (const path of paths) {
    if (!(path === '.gitignore' || path.endsWith('/.gitignore'))) continue;
    const dir = path === '.gitignore' ? '' : path.slice(0, -'/.gitignore'.length);
    try {
      out.push({ dir, matcher: ignore().add(readFileSync(join(root, path), 'utf8')) });
    } catch {
      // an unreadable .gitignore ignores nothing
    }
  }
  return out;
}

function isIgnored(path: string, matchers: { dir: string; matcher: Ignore }[]): boolean {
  for (const { dir, matcher } of matchers) {
    if (dir !== '' && !path.startsWith(dir + '/')) continue;
    const rel = dir === '' ? path : path.slice(dir.length + 1);
    if (matcher.ignores(rel)) return true;
  }
  return false;
}

interface Entry {
  path: string;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

/**
 * Every entry under the root that the include/exclude globs keep: from git when the root is in a
 * work tree (tracked files whatever .gitignore says, untracked ones unless ignored), else from the
 * file system (then .gitignore files are applied by the caller).
 */
async function listEntries(root: string, config: ParsedConfig): Promise<{ entries: Entry[]; fromGit: boolean; ignored: number }> {
  const listing = await gitListing(root);
  if (listing) {
    const included = picomatch(config.include, { dot: true });
    const excluded = picomatch([...DEFAULT_EXCLUDES, ...config.exclude], { dot: true });
    const entries: Entry[] = [];
    for (const path of listing.files) {
      if (!included(path) || excluded(path)) continue;
      let stats;
      try {
        stats = lstatSync(join(root, path));
      } catch {
        continue; // tracked but deleted from the work tree
      }
      entries.push({ path, isDirectory: stats.isDirectory(), isSymbolicLink: stats.isSymbolicLink() });
    }
    return { entries, fromGit: true, ignored: listing.ignored };
  }
  const found = await fg(config.include, {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    ignore: [...DEFAULT_EXCLUDES, ...config.exclude],
    suppressErrors: true,
    objectMode: true,
  });
  return {
    entries: found.map((e) => ({ path: toPosix(e.path), isDirectory: e.dirent.isDirectory(), isSymbolicLink: e.dirent.isSymbolicLink() })),
    fromGit: false,
    ignored: 0,
  };
}

/**
 * Lists the files to analyse under `root`. Never throws for file-level problems: skips are counted
 * and symlink loops or unreadable entries become notifications.
 */
export async function discover(root: string, config: ParsedConfig, includeTests: boolean): Promise<Discovery> {
  const skipped: Record<string, number> = {};
  const notifications: Notification[] = [];
  const count = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };

  const listed = await listEntries(root, config);
  if (listed.ignored > 0) skipped.gitignored = listed.ignored;
  const entries = listed.entries;

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

  const ignores = listed.fromGit ? [] : gitignores(root, seen);
  const venvs = seen.filter((p) => p.endsWith('pyvenv.cfg')).map((p) => p.slice(0, p.lastIndexOf('/') + 1));
  const allPaths: string[] = [];
  for (const path of seen) {
    if (venvs.some((prefix) => prefix === '' || path.startsWith(prefix))) continue;
    if (!listed.fromGit && isIgnored(path, ignores)) {
      count('gitignored');
      continue;
    }
    allPaths.push(path);
  }

  const files: DiscoveredFile[] = [];
  let testFiles = 0;
  for (const path of allPaths) {
    const language = languageOf(path);
    if (!language) {
      if (isGeneratedBundle(path)) count('generated');
      continue;
    }
    const isTest = isTestPath(path);
    if (isTest && !includeTests) {
      testFiles++;
      continue;
    }
    files.push({ path, absPath: join(root, path), language, isTest });
  }
  return { root, files, allPaths, testFiles, skipped, notifications };
}

/** Whether the scan root exists and is a folder; a one-line reason when not. */
export function checkRoot(root: string): string | null {
  if (!existsSync(root)) return `no such folder: ${root}`;
  if (!statSync(root).isDirectory()) return `not a folder: ${root}`;
  return null;
}

/** Repo-relative posix form of an absolute path under root. */
export function relativePath(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}
