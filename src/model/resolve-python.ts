// Python module resolution by repository layout: source roots, packages, namespace folders and relative imports.
import type { RepoIndex } from './resolve-index.js';
import { ancestorsOf, baseName, childPath, dirOf, joinPath, normalisePath } from './resolve-index.js';
import { compareText } from '../util/order.js';

// Files that mark a folder as a Python project (a service folder) even without `__init__.py`.
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
  /** Roots by folder; `priority` is the base order: the repo root, `src/`, configured roots, then derived roots by path. */
  private readonly roots = new Map<string, PythonRoot & { priority: number }>();
  /** First module segment → folders holding a child folder or `.py`/`.pyi` module of that name. */
  private readonly parentsBySegment = new Map<string, Set<string>>();

  constructor(
    private readonly index: RepoIndex,
    options: PythonResolverOptions,
  ) {
    let priority = 0;
    for (const root of buildRoots(index, options)) this.roots.set(root.dir, { ...root, priority: priority++ });
    for (const dir of index.dirs) if (dir !== '') this.addChild(dirOf(dir), baseName(dir));
    for (const file of index.files) {
      const module = /^(.+)\.pyi?$/.exec(baseName(file));
      if (module !== null) this.addChild(dirOf(file), module[1]);
    }
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
    const parents = segments.length === 0 ? undefined : this.parentsBySegment.get(segments[0]);
    if (parents === undefined) return null;
    // Roots that contain the importing folder come first, nearest first, with no restriction on
    // the first segment (code runs from its own service folder); then the others in base order.
    const tried = new Set<string>();
    for (const dir of ancestorsOf(fromDir)) {
      if (!parents.has(dir) || !this.roots.has(dir)) continue;
      tried.add(dir);
      const found = this.moduleAt(dir, segments);
      if (found !== null) return found;
    }
    const others: (PythonRoot & { priority: number })[] = [];
    for (const dir of parents) {
      const root = this.roots.get(dir);
      if (root === undefined || tried.has(dir)) continue;
      if (root.any || root.firstSegments.has(segments[0])) others.push(root);
    }
    others.sort((a, b) => a.priority - b.priority);
    for (const root of others) {
      const found = this.moduleAt(root.dir, segments);
      if (found !== null) return found;
    }
    return null;
  }

  private addChild(parent: string, name: string): void {
    let parents = this.parentsBySegment.get(name);
    if (parents === undefined) {
      parents = new Set();
      this.parentsBySegment.set(name, parents);
    }
    parents.add(parent);
  }

  // `base/a/b.py`, `base/a/b/__init__.py` (then the `.pyi` stubs); the package itself when no segments.
  private moduleAt(base: string, segments: string[]): string | null {
    const stem = segments.reduce((dir, segment) => childPath(dir, segment), base);
    const candidates =
      segments.length === 0
        ? [childPath(stem, '__init__.py'), childPath(stem, '__init__.pyi')]
        : [`${stem}.py`, childPath(stem, '__init__.py'), `${stem}.pyi`, childPath(stem, '__init__.pyi')];
    for (const candidate of candidates) if (this.index.files.has(candidate)) return candidate;
    return null;
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
  derived.sort((a, b) => compareText(a[0], b[0]));
  for (const [dir, segment] of derived) add(dir, segment);
  return [...roots.values()];
}
