// Module resolution for the model: turns a TS/JS or Python import specifier into a repository file (or null when external).
import { buildIndex, dirOf, normalisePath } from './resolve-index.js';
import { PythonResolver } from './resolve-python.js';
import { TsResolver } from './resolve-ts.js';

export interface ResolverInput {
  /** Every discovered file, repo-relative posix paths (sources and config files such as tsconfig.json, package.json, pyproject.toml). */
  files: string[];
  /** Reads a repo-relative file's text (undefined if unreadable); only called for tsconfig*.json and package.json files. */
  readFile(path: string): string | undefined;
  /** Extra Python source roots from config (repo-relative folders), e.g. ['src', 'services/api']. */
  pythonRoots?: string[];
  /**
   * Service folders (repo-relative, '' for the root). Each is a Python source root, and its parent
   * folder is one for imports that start with the service's folder name. Folders holding
   * pyproject.toml / setup.py / setup.cfg / Pipfile / requirements*.txt count as service folders too.
   */
  serviceRoots?: string[];
}

export interface ModuleResolver {
  /** Resolves a TS/JS or Python import from `fromFile`; null when it does not resolve inside the repo (external). */
  resolve(fromFile: string, specifier: string, language: 'ts' | 'js' | 'python'): string | null;
}

/**
 * Builds a resolver over the discovered files. Lookup sets are built once; tsconfig and
 * package.json files are read lazily and cached; results are cached per (folder, specifier).
 */
export function createResolver(input: ResolverInput): ModuleResolver {
  const index = buildIndex(input.files);
  const typescript = new TsResolver(index, (path) => input.readFile(path));
  let python: PythonResolver | null = null;
  // By folder, then specifier: no key string of its own per lookup (at 20,000 files those keys held 6 MB; docs/performance.md).
  const caches = { python: new Map<string, Map<string, string | null>>(), typescript: new Map<string, Map<string, string | null>>() };
  return {
    resolve(fromFile, specifier, language) {
      const fromDir = dirOf(normalisePath(fromFile));
      const isPython = language === 'python';
      const byDir = isPython ? caches.python : caches.typescript;
      let cache = byDir.get(fromDir);
      if (cache === undefined) {
        cache = new Map();
        byDir.set(fromDir, cache);
      }
      const cached = cache.get(specifier);
      if (cached !== undefined) return cached;
      let result: string | null;
      if (isPython) {
        python ??= new PythonResolver(index, { pythonRoots: input.pythonRoots, serviceRoots: input.serviceRoots });
        result = python.resolve(fromDir, specifier.trim());
      } else {
        result = typescript.resolve(fromDir, specifier.trim());
      }
      cache.set(specifier, result);
      return result;
    },
  };
}
