// Which service a repository path belongs to: the service whose root (folder or glob) matches it, longest root first; tooling folders belong to none.
import { compileGlobLenient } from '../util/glob.js';
import { toolingMatcher } from './services.js';
import type { Service } from '../vocabulary.js';

/**
 * Builds a cached lookup from repo-relative posix paths to service names (null when no root
 * matches). A path under a tooling folder (`scripts/`, `tests/`, …) that lies outside every service
 * root except a root that contains the tooling folder itself (the repository root, say) belongs to
 * no service.
 */
export function serviceLocator(services: Service[], tooling: string[] = []): (path: string) => string | null {
  const tests: { name: string; root: string; length: number; match: (path: string) => boolean }[] = [];
  for (const service of services) {
    for (const root of service.roots) {
      const match = /[*?[\]{}]/.test(root)
        ? compileGlobLenient(root.endsWith('**') ? root : `${root}/**`, { dot: false })
        : (p: string): boolean => root === '' || p === root || p.startsWith(`${root}/`);
      tests.push({ name: service.name, root, length: root.length, match });
    }
  }
  const inTooling = toolingMatcher(tooling);
  const toolingRoot = (path: string): string | null => tooling.find((t) => path.startsWith(`${t}/`)) ?? null;
  const cache = new Map<string, string | null>();
  return (path) => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    let best: { name: string; root: string; length: number } | null = null;
    for (const test of tests) if (test.match(path) && (!best || test.length > best.length)) best = test;
    let name = best?.name ?? null;
    if (best && inTooling(path)) {
      const folder = toolingRoot(path);
      if (folder !== null && folder.length > best.length) name = null;
    }
    cache.set(path, name);
    return name;
  };
}
