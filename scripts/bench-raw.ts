// Benchmark child: reads and parses the TS and Python files a default scan would parse, with the scanner's parsers, single-threaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fg from 'fast-glob';
import { ts } from 'ts-morph';
import { Language, Parser } from 'web-tree-sitter';
import { isTestPath, languageOf } from '../src/discover/languages.js';
import { writeChildReport } from './bench-child.js';

async function main(root: string): Promise<void> {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm');
  const python = new Parser();
  python.setLanguage(await Language.load(wasm));

  const started = performance.now();
  // The same selection as a default scan: TypeScript and Python by jwtfrag's own rules, test code left out.
  const paths = (await fg(['**/*.ts', '**/*.py'], { cwd: root, ignore: ['**/node_modules/**'] }))
    .filter((p) => (languageOf(p) === 'ts' || languageOf(p) === 'python') && !isTestPath(p))
    .sort();
  let tsFiles = 0;
  let pyFiles = 0;
  let pyErrors = 0;
  let bytes = 0;
  let tsMs = 0;
  let pyMs = 0;
  for (const path of paths) {
    const fileStart = performance.now();
    const text = readFileSync(join(root, path), 'utf8');
    bytes += text.length;
    if (path.endsWith('.py')) {
      const tree = python.parse(text);
      if (!tree || tree.rootNode.hasError) pyErrors += 1;
      tree?.delete();
      pyFiles += 1;
      pyMs += performance.now() - fileStart;
    } else {
      ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      tsFiles += 1;
      tsMs += performance.now() - fileStart;
    }
  }
  const loopMs = Math.round(performance.now() - started);
  writeChildReport({ files: paths.length, tsFiles, pyFiles, pyErrors, bytes, loopMs, tsMs: Math.round(tsMs), pyMs: Math.round(pyMs) });
}

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: node dist/scripts/bench-raw.js <dir>\n');
  process.exitCode = 2;
} else {
  await main(root);
}
