// .gitignore rules evaluated with the linear-time glob matcher: a hostile line (40k characters, dozens of `*`) is skipped with a notification, never a hang or a crash.
import type { Notification } from '../vocabulary.js';
import { compileGlob, GLOB_LIMITS } from '../util/glob.js';
import { compareText } from '../util/order.js';

interface Rule {
  negate: boolean;
  dirOnly: boolean;
  match: (path: string) => boolean;
}

/** The rules of one .gitignore file, for paths under its folder (`''` for the root). */
export interface IgnoreFile {
  dir: string;
  rules: Rule[];
}

/** More `*` runs than this in one line make git's own matcher slow on long names (see unsafeForGit). */
const GIT_STAR_RUNS = 3;

/**
 * Parses a .gitignore text. A line longer than the glob limit is not applied and reported; `file`
 * is the repo-relative path of the .gitignore (for the notification).
 */
export function parseGitignore(text: string, dir: string, file: string, notifications: Notification[]): IgnoreFile {
  const rules: Rule[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = trimLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (line === '' || line.startsWith('#')) continue;
    if (line.length > GLOB_LIMITS.maxLength) {
      notifications.push({
        level: 'warning',
        id: 'gitignore-line-skipped',
        message: `line ${index + 1} is ${line.length} characters long (limit ${GLOB_LIMITS.maxLength}); it was not applied`,
        file,
      });
      continue;
    }
    let pattern = line;
    const negate = pattern.startsWith('!');
    if (negate) pattern = pattern.slice(1);
    else if (pattern.startsWith('\\!') || pattern.startsWith('\\#')) pattern = pattern.slice(1);
    const dirOnly = pattern.endsWith('/');
    if (dirOnly) pattern = pattern.replace(/\/+$/, '');
    if (pattern === '') continue;
    // A pattern with a slash before its end is anchored to the .gitignore's folder; otherwise it matches at any depth,
    // which for one path is its last segment (folders are decided one by one, top-down).
    const anchored = pattern.includes('/');
    if (!anchored) {
      rules.push({ negate, dirOnly, match: lastSegmentMatcher(pattern) });
      continue;
    }
    pattern = pattern.replace(/^\/+/, '');
    // `dir/**` is everything inside the folder, not the folder itself (so `!dir/keep` can re-include).
    if (pattern.endsWith('/**')) pattern += '/*';
    rules.push({ negate, dirOnly, match: compileGlob(pattern, { braces: false }) });
  }
  return { dir, rules };
}

/**
 * A matcher of a path's last segment for a pattern without a slash: a plain name is compared, `*.ext`
 * is a suffix test, anything else goes through the glob matcher on the last segment only.
 */
function lastSegmentMatcher(pattern: string): (path: string) => boolean {
  if (!/[*?[\\]/.test(pattern)) return (path) => path === pattern || path.endsWith(`/${pattern}`);
  if (/^\*[^*?[\\]+$/.test(pattern)) {
    const suffix = pattern.slice(1);
    return (path) => path.endsWith(suffix);
  }
  const match = compileGlob(pattern, { braces: false });
  return (path) => match(path.slice(path.lastIndexOf('/') + 1));
}

// Trailing spaces are dropped unless escaped with a backslash.
function trimLine(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t') && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}

/**
 * Decides whether repo-relative paths are ignored by a set of .gitignore files: deeper files win
 * over shallower ones, later lines over earlier ones, and nothing inside an ignored folder can be
 * re-included (git's rules). Folder decisions are cached.
 */
export class GitignoreSet {
  private readonly files: IgnoreFile[];
  private readonly folders = new Map<string, boolean>();

  constructor(files: IgnoreFile[]) {
    this.files = [...files].sort((a, b) => depth(a.dir) - depth(b.dir) || compareText(a.dir, b.dir));
  }

  get empty(): boolean {
    return this.files.every((f) => f.rules.length === 0);
  }

  /** Whether a file (or, with `isDir`, a folder) is ignored. */
  ignores(path: string, isDir = false): boolean {
    const slash = path.lastIndexOf('/');
    if (slash > 0 && this.folderIgnored(path.slice(0, slash))) return true;
    return isDir ? this.folderIgnored(path) : this.decide(path, false);
  }

  // Top-down over the folder's ancestors, so a deep path costs no recursion.
  private folderIgnored(folder: string): boolean {
    const cached = this.folders.get(folder);
    if (cached !== undefined) return cached;
    let ignored = false;
    let end = folder.indexOf('/');
    for (;;) {
      const prefix = end < 0 ? folder : folder.slice(0, end);
      const known = this.folders.get(prefix);
      if (known !== undefined) ignored = known;
      else {
        ignored = ignored || this.decide(prefix, true);
        this.folders.set(prefix, ignored);
      }
      if (end < 0) return ignored;
      end = folder.indexOf('/', end + 1);
    }
  }

  private decide(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const file of this.files) {
      if (file.dir !== '' && !path.startsWith(`${file.dir}/`)) continue;
      const relative = file.dir === '' ? path : path.slice(file.dir.length + 1);
      for (const rule of file.rules) {
        if (rule.dirOnly && !isDir) continue;
        if (rule.negate === ignored && rule.match(relative)) ignored = !rule.negate;
      }
    }
    return ignored;
  }
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

/**
 * Why git's own matcher would be too slow on a .gitignore text (a line with more than three `*`
 * runs backtracks on long names), as `line N`, or null when git can be asked.
 */
export function unsafeForGit(text: string): string | null {
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (line.length > GLOB_LIMITS.maxLength) return `line ${index + 1} is ${line.length} characters long`;
    const runs = line.match(/\*+/g)?.length ?? 0;
    if (runs > GIT_STAR_RUNS) return `line ${index + 1} has ${runs} wildcards`;
  }
  return null;
}
