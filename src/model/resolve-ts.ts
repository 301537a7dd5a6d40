// TypeScript/JavaScript module resolution: relative paths, tsconfig baseUrl/paths (with extends), npm/yarn/bolt/pnpm workspaces.
import { parse as parseYaml } from 'yaml';
import type { RepoIndex } from './resolve-index.js';
import { ancestorsOf, baseName, childPath, dirOf, isWithin, joinPath } from './resolve-index.js';
import type { JsonObject } from './resolve-json.js';
import { globToRegExp, isObject, matchSubpath, parseJsonObject, stringList, stringProp } from './resolve-json.js';

// Probe order for an extensionless specifier. `.d.ts` last: analysis wants the code, not the declarations.
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.d.ts'];
// A `.js`-family extension written in source that names a TypeScript file (NodeNext style).
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
// Export conditions in the order tried; sources before build output. Other conditions follow.
const CONDITION_ORDER = ['source', 'development', 'types', 'import', 'module', 'default', 'require', 'node'];
const ENTRY_FIELDS = ['types', 'typings', 'module', 'main'];
const BUILD_DIR = /^(?:\.\/)?(?:dist|build|lib|out|esm|cjs)\//;
const DECLARATION_EXT = /\.d\.[mc]?ts$/;
const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

interface PathsConfig {
  /** Resolved `baseUrl` folder, or null when none is set. */
  baseUrl: string | null;
  paths: [string, string[]][] | null;
  /** Folder of the config that declared `paths` (targets are relative to it when there is no baseUrl). */
  pathsBase: string;
}

type ReadFile = (path: string) => string | undefined;

export class TsResolver {
  private readonly jsonCache = new Map<string, JsonObject | null>();
  private readonly configByDir = new Map<string, PathsConfig | null>();
  private readonly configByPath = new Map<string, PathsConfig>();
  private workspacePackages: Map<string, string> | null = null;

  constructor(
    private readonly index: RepoIndex,
    private readonly readFile: ReadFile,
  ) {}

  /** Resolves a TS/JS specifier from a folder; null when it does not name a repository file. */
  resolve(fromDir: string, specifier: string): string | null {
    if (specifier === '' || specifier.startsWith('/')) return null;
    if (isRelative(specifier)) {
      const target = joinPath(fromDir, specifier);
      return target === null ? null : this.probe(target, 0);
    }
    if (specifier.startsWith('#')) return this.resolveImportsField(fromDir, specifier);
    if (URL_SCHEME.test(specifier)) return null;
    const config = this.configFor(fromDir);
    if (config !== null) {
      const viaPaths = this.resolvePaths(config, specifier);
      if (viaPaths !== null) return viaPaths;
      if (config.baseUrl !== null) {
        const target = joinPath(config.baseUrl, specifier);
        const found = target === null ? null : this.probe(target, 0);
        if (found !== null) return found;
      }
    }
    return this.resolvePackage(specifier);
  }

  private probe(target: string, depth: number): string | null {
    const files = this.index.files;
    const ext = extensionOf(target);
    const mapped = JS_TO_TS[ext];
    if (mapped !== undefined) {
      const stem = target.slice(0, -ext.length);
      for (const candidate of mapped) if (files.has(stem + candidate)) return stem + candidate;
    }
    if (target !== '' && files.has(target)) return target;
    if (target !== '') {
      for (const candidate of SOURCE_EXTENSIONS) if (files.has(target + candidate)) return target + candidate;
    }
    if (this.index.dirs.has(target)) return this.probeDirectory(target, depth);
    return null;
  }

  private probeDirectory(dir: string, depth: number): string | null {
    const manifest = childPath(dir, 'package.json');
    if (depth < 2 && this.index.files.has(manifest)) {
      const pkg = this.readJson(manifest);
      if (pkg !== null) {
        for (const field of ENTRY_FIELDS) {
          const entry = stringProp(pkg, field);
          const target = entry === null ? null : joinPath(dir, entry);
          if (target === null || target === dir) continue;
          const found = this.probe(target, depth + 1);
          if (found !== null) return found;
        }
      }
    }
    return this.probeIndex(dir);
  }

  private probeIndex(dir: string): string | null {
    for (const candidate of SOURCE_EXTENSIONS) {
      const file = childPath(dir, `index${candidate}`);
      if (this.index.files.has(file)) return file;
    }
    return null;
  }

  private readJson(path: string): JsonObject | null {
    const cached = this.jsonCache.get(path);
    if (cached !== undefined) return cached;
    let parsed: JsonObject | null;
    try {
      const text = this.readFile(path);
      parsed = text === undefined ? null : parseJsonObject(path, text);
    } catch {
      parsed = null;
    }
    this.jsonCache.set(path, parsed);
    return parsed;
  }

  private configFor(dir: string): PathsConfig | null {
    const cached = this.configByDir.get(dir);
    if (cached !== undefined) return cached;
    let result: PathsConfig | null = null;
    const here = CONFIG_NAMES.map((name) => childPath(dir, name)).find((path) => this.index.files.has(path));
    if (here !== undefined) result = this.effectiveConfig(here);
    else if (dir !== '') result = this.configFor(dirOf(dir));
    this.configByDir.set(dir, result);
    return result;
  }

  private effectiveConfig(leaf: string): PathsConfig {
    const cached = this.configByPath.get(leaf);
    if (cached !== undefined) return cached;
    const config: PathsConfig = { baseUrl: null, paths: null, pathsBase: dirOf(leaf) };
    this.applyConfig(leaf, dirOf(leaf), config, new Set(), 0);
    this.configByPath.set(leaf, config);
    return config;
  }

  // Applies a config's `extends` chain (bases first), then its own `baseUrl`/`paths`.
  private applyConfig(path: string, leafDir: string, config: PathsConfig, seen: Set<string>, depth: number): void {
    if (seen.has(path) || depth > 16) return;
    seen.add(path);
    const json = this.readJson(path);
    if (json === null) return;
    const dir = dirOf(path);
    for (const base of stringList(json.extends)) {
      const basePath = this.resolveExtends(dir, base);
      if (basePath !== null) this.applyConfig(basePath, leafDir, config, seen, depth + 1);
    }
    const options = json.compilerOptions;
    if (!isObject(options)) return;
    const baseUrl = stringProp(options, 'baseUrl');
    if (baseUrl !== null) config.baseUrl = joinPath(dir, withConfigDir(baseUrl, leafDir));
    if (isObject(options.paths)) {
      const entries: [string, string[]][] = [];
      for (const [pattern, targets] of Object.entries(options.paths)) {
        entries.push([pattern, stringList(targets).map((target) => withConfigDir(target, leafDir))]);
      }
      config.paths = entries;
      config.pathsBase = dir;
    }
  }

  private resolveExtends(dir: string, base: string): string | null {
    if (isRelative(base) || base.startsWith('/')) {
      const target = joinPath(dir, base);
      return target === null ? null : this.firstJson([target, `${target}.json`]);
    }
    const pkg = this.findPackage(base);
    if (pkg !== null) {
      const candidates =
        pkg.rest === ''
          ? [stringProp(this.readJson(childPath(pkg.dir, 'package.json')) ?? {}, 'tsconfig'), 'tsconfig.json']
          : [pkg.rest, `${pkg.rest}.json`, `${pkg.rest}/tsconfig.json`];
      const found = this.firstJson(candidates.flatMap((candidate) => (candidate === null ? [] : [joinPath(pkg.dir, candidate)])).filter(notNull));
      if (found !== null) return found;
    }
    const local = joinPath(dir, base);
    return local === null ? null : this.firstJson([local, `${local}.json`]);
  }

  private firstJson(candidates: string[]): string | null {
    for (const candidate of candidates) {
      if (!candidate.endsWith('.json')) continue;
      // Undiscovered files are only read when named like a tsconfig (the readFile contract).
      if (!this.index.files.has(candidate) && !/^tsconfig[^/]*\.json$/.test(baseName(candidate))) continue;
      if (this.readJson(candidate) !== null) return candidate;
    }
    return null;
  }

  private resolvePaths(config: PathsConfig, specifier: string): string | null {
    if (config.paths === null) return null;
    const match = matchSubpath(config.paths, specifier);
    if (match === null) return null;
    const base = config.baseUrl ?? config.pathsBase;
    for (const target of match.value) {
      const substituted = match.star === null ? target : target.replace('*', match.star);
      const joined = joinPath(base, substituted);
      const found = joined === null ? null : this.probe(joined, 0);
      if (found !== null) return found;
    }
    return null;
  }

  /**
   * Workspace packages by name: the folders matched by the `workspaces` globs of a package.json (npm,
   * yarn; yarn's `{ packages }`; bolt's `bolt.workspaces`) or the `packages` of a pnpm-workspace.yaml,
   * relative to that file's folder. Read from the discovered files, like every model input (a library
   * such as @manypkg/get-packages reads the disk itself and stops at one root).
   */
  private packages(): Map<string, string> {
    if (this.workspacePackages !== null) return this.workspacePackages;
    const manifests = [...this.index.files].filter((file) => baseName(file) === 'package.json' && !/(?:^|\/)node_modules\//.test(file)).sort();
    const globs: { base: string; re: { test(path: string): boolean }; negate: boolean }[] = [];
    const addGlobs = (base: string, patterns: string[]): void => {
      for (const pattern of patterns) {
        const negate = pattern.startsWith('!');
        globs.push({ base, re: globToRegExp(negate ? pattern.slice(1) : pattern), negate });
      }
    };
    for (const manifest of manifests) {
      const json = this.readJson(manifest);
      if (json === null) continue;
      const field = json.workspaces;
      addGlobs(dirOf(manifest), isObject(field) ? stringList(field.packages) : stringList(field));
      if (isObject(json.bolt)) addGlobs(dirOf(manifest), stringList(json.bolt.workspaces));
    }
    const pnpm = [...this.index.files].filter((file) => baseName(file) === 'pnpm-workspace.yaml' && !/(?:^|\/)node_modules\//.test(file)).sort();
    for (const file of pnpm) {
      let parsed: unknown;
      try {
        parsed = parseYaml(this.readFile(file) ?? '');
      } catch {
        parsed = null;
      }
      if (isObject(parsed)) addGlobs(dirOf(file), stringList(parsed.packages));
    }
    const map = new Map<string, string>();
    for (const manifest of manifests) {
      const dir = dirOf(manifest);
      if (globs.length > 0 ? !matchesWorkspace(dir, globs) : dir === '') continue;
      const name = stringProp(this.readJson(manifest) ?? {}, 'name');
      if (name !== null && name !== '' && !map.has(name)) map.set(name, dir);
    }
    this.workspacePackages = map;
    return map;
  }

  private findPackage(specifier: string): { dir: string; rest: string } | null {
    const parts = specifier.split('/');
    const nameParts = specifier.startsWith('@') ? 2 : 1;
    if (parts.length < nameParts || parts.slice(0, nameParts).some((part) => part === '')) return null;
    const dir = this.packages().get(parts.slice(0, nameParts).join('/'));
    return dir === undefined ? null : { dir, rest: parts.slice(nameParts).join('/') };
  }

  private resolvePackage(specifier: string): string | null {
    const pkg = this.findPackage(specifier);
    return pkg === null ? null : this.resolveInPackage(pkg.dir, pkg.rest);
  }

  private resolveInPackage(dir: string, rest: string): string | null {
    const json = this.readJson(childPath(dir, 'package.json')) ?? {};
    const targets = exportTargets(json.exports, rest === '' ? '.' : `./${rest}`);
    if (rest === '') {
      for (const field of ENTRY_FIELDS) {
        const entry = stringProp(json, field);
        if (entry !== null) targets.push(entry);
      }
    }
    const sourceGuesses = targets.filter((target) => BUILD_DIR.test(target)).map((target) => target.replace(BUILD_DIR, 'src/').replace(DECLARATION_EXT, ''));
    const direct = rest === '' ? [] : [rest, `src/${rest}`];
    for (const target of [...targets, ...direct, ...sourceGuesses]) {
      const joined = joinPath(dir, target);
      if (joined === null || joined === dir) continue;
      const found = this.probe(joined, 0);
      if (found !== null) return found;
    }
    return rest === '' ? (this.probeIndex(childPath(dir, 'src')) ?? this.probeIndex(dir)) : null;
  }

  // Package.json `imports` (`#internal/*`) of the nearest package.json that declares them.
  private resolveImportsField(fromDir: string, specifier: string): string | null {
    for (const dir of ancestorsOf(fromDir)) {
      const manifest = childPath(dir, 'package.json');
      if (!this.index.files.has(manifest)) continue;
      const imports = this.readJson(manifest)?.imports;
      if (!isObject(imports)) continue;
      const match = matchSubpath(Object.entries(imports), specifier);
      if (match === null) return null;
      for (const raw of conditionTargets(match.value)) {
        const target = match.star === null ? raw : raw.replaceAll('*', match.star);
        const found = isRelative(target) ? this.probeJoined(dir, target) : target.startsWith('#') ? null : this.resolvePackage(target);
        if (found !== null) return found;
      }
      return null;
    }
    return null;
  }

  private probeJoined(dir: string, target: string): string | null {
    const joined = joinPath(dir, target);
    return joined === null ? null : this.probe(joined, 0);
  }
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot);
}

function withConfigDir(value: string, leafDir: string): string {
  return value.replaceAll('${configDir}', `/${leafDir}`);
}

function notNull<T>(value: T | null): value is T {
  return value !== null;
}

function matchesWorkspace(dir: string, globs: { base: string; re: { test(path: string): boolean }; negate: boolean }[]): boolean {
  let included = false;
  for (const glob of globs) {
    if (dir === glob.base || !isWithin(dir, glob.base)) continue;
    const relative = glob.base === '' ? dir : dir.slice(glob.base.length + 1);
    if (!glob.re.test(relative)) continue;
    if (glob.negate) return false;
    included = true;
  }
  return included;
}

// Targets of a package.json `exports` field for a subpath (`.` or `./x`), `*` substituted.
function exportTargets(exportsField: unknown, subpath: string): string[] {
  if (exportsField === undefined || exportsField === null) return [];
  if (isObject(exportsField) && Object.keys(exportsField).some((key) => key.startsWith('.'))) {
    const match = matchSubpath(Object.entries(exportsField), subpath);
    if (match === null) return [];
    const star = match.star;
    return conditionTargets(match.value).map((target) => (star === null ? target : target.replaceAll('*', star)));
  }
  return subpath === '.' ? conditionTargets(exportsField) : [];
}

// The string targets of an exports/imports value, sources first (`source`, `types`, `import`, …).
function conditionTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((item: unknown) => conditionTargets(item));
  if (!isObject(value)) return [];
  const keys = Object.keys(value);
  const ordered = [...CONDITION_ORDER.filter((key) => keys.includes(key)), ...keys.filter((key) => !CONDITION_ORDER.includes(key))];
  return ordered.flatMap((key) => conditionTargets(value[key]));
}
