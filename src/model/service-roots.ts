// Which service a repository path belongs to: the service whose root (folder or glob) matches it, longest root first.
import picomatch from 'picomatch';
import type { Service } from './types.js';

/** Builds a cached lookup from repo-relative posix paths to service names (null when no root matches). */
export function serviceLocator(services: Service[]): (path: string) => string | null {
  const tests: { name: string; length: number; match: (path: string) => boolean }[] = [];
  for (const service of services) {
    for (const root of service.roots) {
      const match = /[*?[\]{}]/.test(root)
        ? picomatch(root.endsWith('**') ? root : `${root}/**`)
        : (p: string): boolean => root === '' || p === root || p.startsWith(`${root}/`);
      tests.push({ name: service.name, length: root.length, match });
    }
  }
  const cache = new Map<string, string | null>();
  return (path) => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    let best: { name: string; length: number } | null = null;
    for (const test of tests) if (test.match(path) && (!best || test.length > best.length)) best = test;
    const name = best?.name ?? null;
    cache.set(path, name);
    return name;
  };
}
