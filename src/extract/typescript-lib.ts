// The TypeScript compiler (the copy ts-morph bundles), required on first use: a thread that parses no TypeScript pays neither its load time nor its memory.
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ts } from 'ts-morph';
import { readInChunks } from '../discover/read.js';

let lib: typeof ts | null = null;
const require = createRequire(import.meta.url);

/**
 * The `ts` namespace, loaded on the first call: the `typescript.js` that ts-morph's `@ts-morph/common`
 * bundles and re-exports as `ts` (its functions and enums are the very ones `import { ts } from
 * 'ts-morph'` gives). Only that file is loaded, never ts-morph itself: the extractors use the compiler's
 * parser and nothing of ts-morph's project model, and importing ts-morph from an ES module cost about
 * 0.1 s per thread (loading its two other files, 4 MB, and Node re-reading and lexing ts-morph.js for
 * its export names).
 */
export function typescriptLib(): typeof ts {
  if (lib === null) {
    const file = compilerFile();
    preload(file);
    lib = require(file) as typeof ts;
  }
  return lib;
}

/** The copy of the compiler that ts-morph itself loads (`@ts-morph/common/dist/typescript.js`). */
function compilerFile(): string {
  const common = createRequire(require.resolve('ts-morph')).resolve('@ts-morph/common');
  return join(dirname(common), 'typescript.js');
}

/** What Node's CommonJS loader has and its types leave out: the calls `preload` needs. */
interface LoaderInternals {
  _compile?: (source: string, filename: string) => unknown;
}
interface LoaderStatics {
  _nodeModulePaths?: (from: string) => string[];
}

/**
 * Puts the compiler (typescript.js, 9 MB) in `require`'s cache, read in 64 KiB chunks, before
 * `require` loads it.
 *
 * Node's loader reads a module's source into one native string that doubles as it grows, and frees
 * each step. The C library (glibc) serves a request over 128 KiB with a mapping of its own; freeing
 * one raises that threshold to the freed size, up to 32 MiB, for the rest of the process, and the
 * threshold for giving memory back to twice that. After typescript.js it was 16 MiB: every later
 * buffer under that size (the lanes' facts, large files read, the optimising compiler's zones) then
 * came from the allocator's arenas, each of which kept up to 32 MiB it no longer used. Read in chunks,
 * the source never asks for such a buffer; V8's own parse of typescript.js still raises the threshold
 * to about 4 MiB. The peak of a 20,000-file scan fell from 343 to 306 MiB (282 MiB with the threshold
 * held at 256 KiB from the start, which only an environment variable can do; docs/performance.md).
 *
 * Where the loader lacks what this needs, or anything fails, the compiler is left to `require` (the
 * same module, only the memory differs).
 */
function preload(filename: string): void {
  if (filename in require.cache) return;
  const internals = Module.prototype as unknown as LoaderInternals;
  const statics = Module as unknown as LoaderStatics;
  const compile = internals._compile;
  const modulePaths = statics._nodeModulePaths;
  if (typeof compile !== 'function' || typeof modulePaths !== 'function') return;
  try {
    const source = readInChunks(filename);
    const module = new Module(filename);
    module.filename = filename;
    module.paths = modulePaths(dirname(filename));
    require.cache[filename] = module;
    try {
      compile.call(module, source, filename);
      module.loaded = true;
    } catch (error) {
      Reflect.deleteProperty(require.cache, filename);
      throw error;
    }
  } catch {
    // `require` loads what is not in the cache.
  }
}

/** The compiler's script kind by file extension; any other extension goes by the file's language. */
const KIND_BY_EXTENSION: Partial<Record<string, 'TS' | 'TSX' | 'JS' | 'JSX'>> = {
  ts: 'TS',
  mts: 'TS',
  cts: 'TS',
  tsx: 'TSX',
  js: 'JS',
  mjs: 'JS',
  cjs: 'JS',
  jsx: 'JSX',
};

/**
 * Parses a TypeScript or JavaScript file with every node's `parent` set, JSDoc included: what
 * `createSourceFile(…, setParentNodes: true)` gives, with the parents set in one explicit-stack pass
 * instead of the compiler's generic recursive one (which cost about a seventh of the parse).
 */
export function parseSourceFile(path: string, text: string, language: 'ts' | 'js'): ts.SourceFile {
  const t = typescriptLib();
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const kind = t.ScriptKind[KIND_BY_EXTENSION[ext] ?? (language === 'ts' ? 'TS' : 'JS')];
  const sf = t.createSourceFile(path, text, t.ScriptTarget.Latest, false, kind);
  const stack: ts.Node[] = [sf];
  let parent: ts.Node = sf;
  const bind = (child: ts.Node): void => {
    (child as { parent: ts.Node }).parent = parent;
    stack.push(child);
  };
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    parent = node;
    t.forEachChild(node, bind);
    const docs = (node as { jsDoc?: ts.Node[] }).jsDoc;
    if (docs) for (const doc of docs) bind(doc);
  }
  return sf;
}
