// Python module resolution by repository layout: source roots, packages, namespace folders and relative imports.
import type { RepoIndex } from './resolve-index.js';
import { ancestorsOf, baseName, childPath, dirOf, isWithin, joinPath, normalisePath } from './resolve-index.js';

/** Files that mark a folder as a Python project (a service folder) even without `__init__.py`. */
const PROJECT_MARKER = /^(?:pyproject\.toml|setup\.py|setup\.cfg|Pipfile|requirements[\w.-]*\.txt)$/;
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

interface PythonRoot {
  dir: string;
  /** Any module may start here; otherwise only `firstSegments` (the packages that made it a root). */
  any: boolean;
  firstSegments: Set<string>;
}

export interface PythonResolverOptions {
  pythonRoots?: string[];
  serviceRoots?: string[];
}

export class PythonResolver {
  /** Roots in base priority: the repo root, `src/`, configured roots, then derived roots by path. */
  private readonly roots: PythonRoot[];
  private readonly orderCache = new Map<string, PythonRoot[]>();

  constructor(
    private readonly index: RepoIndex,
    options: PythonResolverOptions,
  ) {
    this.roots = buildRoots(index, options);
  }

  /** Resolves an absolute dotted module or a relative one (`.x`, `..x`, `.`) from a folder. */
  resolve(fromDir: string, specifier: string): string | null {
    const dots = /^\.*/.exec(specifier)?.[0].length ?? 0;
    const rest = specifier.slice(dots);
    const segments = rest === '' ? [] : rest.split('.');
    if (segments.some((segment) => !IDENTIFIER.test(segment))) return null;
    if (dots > 0) {
      const base = joinPath(fromDir, '../'.repeat(dots - 1));
      return base === null ? null : this.moduleAt(base, segments);
    }
    if (segments.length === 0) return null;
    for (const root of this.orderedRoots(fromDir)) {
      if (!root.any && !isWithin(fromDir, root.dir) && !root.firstSegments.has(segments[0])) continue;
      const found = this.moduleAt(root.dir, segments);
      if (found !== null) return found;
    }
    return null;
  }

  /** `base/a/b.py`, `base/a/b/__init__.py` (then the `.pyi` stubs); the package itself when no segments. */
  private moduleAt(base: string, segments: string[]): string | null {
    const stem = segments.reduce((dir, segment) => childPath(dir, segment), base);
    const candidates =
      segments.length === 0
        ? [childPath(stem, '__init__.py'), childPath(stem, '__init__.pyi')]
        : [`${stem}.py`, childPath(stem, '__init__.py'), `${stem}.pyi`, childPath(stem, '__init__.pyi')];
    for (const candidate of candidates) if (this.index.files.has(candidate)) return candidate;
    return null;
  }

  /** Roots that contain the importing folder first (nearest first), then the rest in base order. */
  private orderedRoots(fromDir: string): PythonRoot[] {
    const cached = this.orderCache.get(fromDir);
    if (cached !== undefined) return cached;
    const byDir = new Map(this.roots.map((root) => [root.dir, root]));
    const ordered: PythonRoot[] = [];
    for (const dir of ancestorsOf(fromDir)) {
      const root = byDir.get(dir);
      if (root !== undefined) ordered.push(root);
    }
    for (const root of this.roots) if (!ordered.includes(root)) ordered.push(root);
    this.orderCache.set(fromDir, ordered);
    return ordered;
  }
}

function buildRoots(index: RepoIndex, options: PythonResolverOptions): PythonRoot[] {
  const roots = new Map<string, PythonRoot>();
  const add = (dir: string | null, firstSegment: string | null): void => {
    if (dir === null || !index.dirs.has(dir)) return;
    let root = roots.get(dir);
    if (root === undefined) {
      root = { dir, any: false, firstSegments: new Set() };
      roots.set(dir, root);
    }
    if (firstSegment === null) root.any = true;
    else root.firstSegments.add(firstSegment);
  };
  add('', null);
  add('src', null);
  for (const dir of options.pythonRoots ?? []) add(normalisePath(dir), null);

  const derived: [string, string | null][] = [];
  const packages = new Set<string>();
  const projects = new Set<string>();
  for (const file of index.files) {
    const name = baseName(file);
    if (name === '__init__.py' || name === '__init__.pyi') packages.add(dirOf(file));
    else if (PROJECT_MARKER.test(name)) projects.add(dirOf(file));
  }
  for (const pkg of packages) {
    if (pkg === '') continue;
    const parent = dirOf(pkg);
    if (!packages.has(parent) || parent === '') derived.push([parent, baseName(pkg)]);
  }
  for (const raw of [...(options.serviceRoots ?? []), ...projects]) {
    const service = normalisePath(raw);
    derived.push([service, null]);
    derived.push([childPath(service, 'src'), null]);
    if (service !== '') derived.push([dirOf(service), baseName(service)]);
  }
  derived.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [dir, segment] of derived) add(dir, segment);
  return [...roots.values()];
}
