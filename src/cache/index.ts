// The extraction cache: per-file facts stored under a content-hash key, written atomically, verified by checksum on read, pruned to a size bound.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareText } from '../util/order.js';

/** Bumped when the entry format changes; older entries are left for pruning. */
const FORMAT = 'facts-v1';
const MAGIC = 'jwtfrag-facts 1';
/**
 * What an entry takes on disk: its blocks (512-byte units, as `du` counts them), or its length where the
 * file system reports none. Most entries are a few KB and each fills a whole block: by their lengths, a
 * cache of 256 MiB took 399 MiB of disk.
 */
function diskSize(stat: { size: number; blocks: number }): number {
  return stat.blocks > 0 ? Math.max(stat.size, stat.blocks * 512) : stat.size;
}

/** Default bound on the cache's size on disk. */
const DEFAULT_CACHE_MAX_BYTES = 256 * 1024 * 1024;
/** Pruning brings the cache down to this share of the bound, so it does not run on every scan. */
const PRUNE_TO = 0.8;
/** Temporary files older than this are left over from a crashed writer. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** Libraries whose versions change what extraction produces. */
const PARSER_PACKAGES = ['typescript', 'ts-morph', 'web-tree-sitter', '@vscode/tree-sitter-wasm', 'yaml', 'smol-toml', 'dotenv', 'dockerfile-ast'];

/**
 * Where the cache lives by default: `node_modules/.cache/jwtfrag` of the scanned root when it has a
 * `node_modules` folder (the convention of babel, eslint and webpack), else the user's cache folder.
 */
export function defaultCacheDir(root: string): string {
  const local = join(root, 'node_modules');
  try {
    if (statSync(local).isDirectory()) return join(local, '.cache', 'jwtfrag');
  } catch {
    // no node_modules: fall through to the user cache folder
  }
  return join(userCacheDir(), 'jwtfrag');
}

function userCacheDir(): string {
  const env = process.env;
  if (process.platform === 'win32') return env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches');
  return env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
}

function listSources(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listSources(path, out);
    else if (/\.(js|ts|json|wasm)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
}

function packageVersion(name: string): string {
  try {
    // Some packages do not export their package.json: walk up from the entry point instead.
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return `${name}@${pkg.version ?? '?'}`;
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed: the name alone
  }
  return `${name}@?`;
}

let fingerprint: string | null = null;

/**
 * A hash of jwtfrag's own code (every source file of the running build) and the versions of the
 * parser libraries: a cached entry is only reused by the exact code that wrote it.
 */
function codeFingerprint(): string {
  if (fingerprint !== null) return fingerprint;
  const hash = createHash('sha256');
  // The running code: src/ or dist/src/ (this module is in its cache/ folder), or the bundle's folder.
  const here = dirname(fileURLToPath(import.meta.url));
  const src = basename(here) === 'cache' ? dirname(here) : here;
  const files: string[] = [];
  listSources(src, files);
  for (const file of files) {
    hash.update(file.slice(src.length));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  for (const name of PARSER_PACKAGES) hash.update(`${packageVersion(name)}\0`);
  fingerprint = hash.digest('hex');
  return fingerprint;
}

/** What a scan asks of the cache. */
export interface CacheSettings {
  dir: string;
  /** Bound on the disk space of the entries, blocks counted whole (default 256 MiB). */
  maxBytes?: number;
}

function entryPath(dir: string, key: string): string {
  return join(dir, FORMAT, key.slice(0, 2), key.slice(2));
}

function checksum(payload: string): string {
  return createHash('sha1').update(payload).digest('hex');
}

const madeDirs = new Set<string>();

/**
 * Writes one entry: a temporary file in the same folder, then a rename, so a reader (or a second
 * scan writing the same entry) sees the old file or the new one, never half of one. Never throws:
 * a cache that cannot be written is a slower scan, not a failed one.
 */
export function writeEntry(dir: string, key: string, payload: string): boolean {
  const target = entryPath(dir, key);
  const folder = dirname(target);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (!madeDirs.has(folder)) {
      mkdirSync(folder, { recursive: true });
      madeDirs.add(folder);
    }
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, `${MAGIC} ${checksum(payload)} ${payload.length}\n${payload}`);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    return true;
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    return false;
  }
}

/**
 * Reads one entry's payload, or null when it is missing, truncated, corrupt or written in another
 * format: an entry is used only when its header, length and checksum all match.
 */
export function readEntry(dir: string, key: string): string | null {
  let text: string;
  try {
    text = readFileSync(entryPath(dir, key), 'utf8');
  } catch {
    return null;
  }
  const newline = text.indexOf('\n');
  if (newline < 0) return null;
  const header = text.slice(0, newline).split(' ');
  if (header.length !== 4 || `${header[0]} ${header[1]}` !== MAGIC) return null;
  const payload = text.slice(newline + 1);
  if (String(payload.length) !== header[3] || checksum(payload) !== header[2]) return null;
  return payload;
}

/** What a thread needs to look facts up and store them: the folder and the salt of this scan's keys. */
export interface CacheLookup {
  dir: string;
  salt: string;
}

/** The key of one file's facts: its path, language and content under the code and settings `salt` stands for. */
export function entryKey(salt: string, path: string, language: string, text: string): string {
  return createHash('sha256').update(salt).update(`${language}\0${path}\0`).update(text).digest('hex');
}

/** One scan's view of the cache: keys for its settings, hit/miss counts, pruning at the end. */
export class FactCache {
  readonly dir: string;
  readonly maxBytes: number;
  /** Hashes the code and the settings into every key. */
  readonly salt: string;
  private readonly used = new Set<string>();
  hits = 0;
  misses = 0;
  written = 0;

  /** `settings` is everything besides the file that changes extraction (the extraction options). */
  constructor(cache: CacheSettings, settings: unknown) {
    this.dir = cache.dir;
    this.maxBytes = cache.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    this.salt = `${codeFingerprint()}\0${JSON.stringify(settings)}\0`;
  }

  /** The key of one file's facts: its path, language and content under this code and these settings. */
  key(path: string, language: string, text: string): string {
    return entryKey(this.salt, path, language, text);
  }

  /** Where threads look entries up and write them. */
  get lookup(): CacheLookup {
    return { dir: this.dir, salt: this.salt };
  }

  get(key: string): string | null {
    const payload = readEntry(this.dir, key);
    this.note(key, payload !== null);
    return payload;
  }

  /** Counts a lookup made on any thread (the entry is kept from pruning). */
  note(key: string, hit: boolean): void {
    this.used.add(key);
    if (hit) this.hits++;
    else this.misses++;
  }

  /**
   * Keeps the cache under its bound: drops temporary files left by crashed writers, entries of
   * older formats, then the oldest entries this scan did not use, down to 80% of the bound.
   */
  prune(now = Date.now()): { removed: number; bytes: number } {
    let removed = 0;
    const entries: { path: string; key: string; size: number; mtime: number }[] = [];
    let top: string[];
    try {
      top = readdirSync(this.dir);
    } catch {
      return { removed: 0, bytes: 0 };
    }
    for (const name of top) {
      if (name !== FORMAT && name.startsWith('facts-v')) {
        rmSync(join(this.dir, name), { recursive: true, force: true });
        continue;
      }
    }
    const base = join(this.dir, FORMAT);
    let folders: string[];
    try {
      folders = readdirSync(base);
    } catch {
      return { removed, bytes: 0 };
    }
    for (const folder of folders) {
      let names: string[];
      try {
        names = readdirSync(join(base, folder));
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(base, folder, name);
        try {
          const stat = statSync(path);
          if (name.endsWith('.tmp')) {
            if (now - stat.mtimeMs > STALE_TEMP_MS) {
              unlinkSync(path);
              removed++;
            }
            continue;
          }
          entries.push({ path, key: folder + name, size: diskSize(stat), mtime: stat.mtimeMs });
        } catch {
          // removed meanwhile by another scan
        }
      }
    }
    let bytes = entries.reduce((sum, e) => sum + e.size, 0);
    if (bytes <= this.maxBytes) return { removed, bytes };
    const goal = this.maxBytes * PRUNE_TO;
    entries.sort((a, b) => a.mtime - b.mtime || (a.key < b.key ? -1 : 1));
    for (const entry of entries) {
      if (bytes <= goal) break;
      if (this.used.has(entry.key)) continue;
      try {
        unlinkSync(entry.path);
        bytes -= entry.size;
        removed++;
      } catch {
        // removed meanwhile by another scan
      }
    }
    return { removed, bytes };
  }
}
