// Benchmark child: reads and parses every .ts and .py file below a folder with the scanner's parsers, single-threaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fg from 'fast-glob';
import { ts } from 'ts-morph';
import { Language, Parser } from 'web-tree-sitter';
import { writeChildReport } from './bench-child.js';

async function main(root: string): Promise<void> {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm');
  const python = new Parser();
  python.setLanguage(await Language.load(wasm));

  const started = performance.now();
  const paths = (await fg(['**/*.ts', '**/*.py'], { cwd: root, ignore: ['**/node_modules/**'] })).sort();
  let tsFiles = 0;
  let pyFiles = 0;
  let pyErrors = 0;
  let bytes = 0;
  for (const path of paths) {
    const text = readFileSync(join(root, path), 'utf8');
    bytes += text.length;
    if (path.endsWith('.py')) {
      const tree = python.parse(text);
      if (!tree || tree.rootNode.hasError) pyErrors += 1;
      tree?.delete();
      pyFiles += 1;
    } else {
      ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      tsFiles += 1;
    }
  }
  const loopMs = Math.round(performance.now() - started);
  writeChildReport({ files: paths.length, tsFiles, pyFiles, pyErrors, bytes, loopMs });
}

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: node dist/scripts/bench-raw.js <dir>\n');
  process.exitCode = 2;
} else {
  await main(root);
}
