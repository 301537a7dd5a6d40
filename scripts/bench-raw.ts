// Benchmark child: reads and parses the TS/JS and Python files a default scan would parse (same discovery, same skips), with the scanner's parsers, single-threaded.
import { createRequire } from 'node:module';
// The compiler as the scanner loads it (only the file ts-morph bundles, read in chunks).
import { ts } from '../src/extract/typescript/compiler.js';
import { Language, Parser } from 'web-tree-sitter';
import { parseConfig } from '../src/config/load.js';
import { discover, fileIn } from '../src/discover/index.js';
import { looksMinified } from '../src/discover/languages.js';
import { readSource } from '../src/discover/read.js';
import { writeChildReport } from './bench-child.js';

const KINDS: Record<string, ts.ScriptKind> = {
  tsx: ts.ScriptKind.TSX,
  jsx: ts.ScriptKind.JSX,
  js: ts.ScriptKind.JS,
  mjs: ts.ScriptKind.JS,
  cjs: ts.ScriptKind.JS,
};

function scriptKind(path: string): ts.ScriptKind {
  return KINDS[path.slice(path.lastIndexOf('.') + 1).toLowerCase()] ?? ts.ScriptKind.TS;
}

async function main(root: string): Promise<void> {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm');
  const python = new Parser();
  python.setLanguage(await Language.load(wasm));

  const started = performance.now();
  // The same selection as a default scan: discovery with the default config (excludes, .gitignore, test code left out), then the same read skips.
  const config = parseConfig({}, 'bench');
  const discovery = await discover(root, config, false);
  const absolute = fileIn(root);
  let tsFiles = 0;
  let pyFiles = 0;
  let pyErrors = 0;
  let bytes = 0;
  let tsMs = 0;
  let pyMs = 0;
  for (const file of discovery.files) {
    if (file.language !== 'ts' && file.language !== 'js' && file.language !== 'python') continue;
    const fileStart = performance.now();
    const read = readSource(absolute(file.path), config.maxFileSize);
    if (!read.ok) continue;
    if (file.language === 'js' && looksMinified(read.text, config.maxLineLength)) continue;
    bytes += read.text.length;
    if (file.language === 'python') {
      const tree = python.parse(read.text);
      if (!tree || tree.rootNode.hasError) pyErrors += 1;
      tree?.delete();
      pyFiles += 1;
      pyMs += performance.now() - fileStart;
    } else {
      ts.createSourceFile(file.path, read.text, ts.ScriptTarget.Latest, true, scriptKind(file.path));
      tsFiles += 1;
      tsMs += performance.now() - fileStart;
    }
  }
  const loopMs = Math.round(performance.now() - started);
  writeChildReport({ files: tsFiles + pyFiles, tsFiles, pyFiles, pyErrors, bytes, loopMs, tsMs: Math.round(tsMs), pyMs: Math.round(pyMs) });
}

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: node dist/scripts/bench-raw.js <dir>\n');
  process.exitCode = 2;
} else {
  await main(root);
}
