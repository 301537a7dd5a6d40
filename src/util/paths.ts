// Locates the package's own files (rule docs, package.json) whether running from sources or from dist/.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the folder holding package.json, rules/ and src/. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // here = <root>/src/util or <root>/dist/src/util
  const up = join(here, '..', '..');
  return up.endsWith('/dist') || up.endsWith('\\dist') ? dirname(up) : up;
}

/** Absolute path of a rule's markdown doc. */
export function ruleDocPath(id: string): string {
  return join(packageRoot(), 'rules', `${id}.md`);
}
