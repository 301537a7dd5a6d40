// Every fixture file whose name matches, with its text (node_modules folders left out).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listFiles } from './annotations.js';

export function fixtureFiles(name: RegExp): [string, string][] {
  const root = join(import.meta.dirname, '..', '..', 'fixtures');
  return listFiles(root)
    .filter((path) => name.test(basename(path)))
    .map((path) => [join(root, path), readFileSync(join(root, path), 'utf8')]);
}
