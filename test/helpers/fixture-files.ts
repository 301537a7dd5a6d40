// Every fixture file whose name matches, with its text (node_modules folders left out).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function fixtureFiles(name: RegExp): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(path);
      } else if (name.test(e.name)) out.push([path, readFileSync(path, 'utf8')]);
    }
  };
  walk(join(import.meta.dirname, '..', '..', 'fixtures'));
  return out;
}
