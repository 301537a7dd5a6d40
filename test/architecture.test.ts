// Keeps the layering of STYLE §1: stages import only earlier stages and no file imports itself in a loop; rules only query the model, reporters only see results, fs stays at the edges.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { listFiles } from './helpers/annotations.js';

const ROOT = join(import.meta.dirname, '..');

function importsOf(path: string): string[] {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const statement of sf.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

/** Every module a file names: imports, re-exports, `import('…')` types and dynamic imports with a literal specifier. */
function referencesOf(path: string): string[] {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      out.push(node.moduleSpecifier.text);
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
      out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Repo-relative posix paths of the project files a file references. */
function projectReferences(file: string): string[] {
  return referencesOf(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
    .filter((target) => existsSync(target))
    .map(posixRel);
}

function posixRel(file: string): string {
  return relative(ROOT, file).split('\\').join('/');
}

/**
 * The stages in pipeline order, after the vocabulary every stage shares. A file may import its own
 * stage and earlier ones; `shared` imports only `shared`.
 */
const STAGES: [string, RegExp][] = [
  ['shared', /^src\/(vocabulary\.ts|version\.ts|util\/|config\/schema\.ts|cache\/)/],
  ['discover', /^src\/discover\//],
  ['extract', /^src\/extract\//],
  ['model', /^src\/model\//],
  ['rules', /^(rules\/|src\/(rule-api|engine|suppress|baseline)\.ts$)/],
  ['summarize', /^src\/summarize\//],
  ['report', /^src\/report\//],
  ['app', /^src\/(run\.ts|index\.ts|cli\/|config\/load\.ts)/],
];

function stageOf(rel: string): number {
  return STAGES.findIndex(([, pattern]) => pattern.test(rel));
}

function sources(dir: string): string[] {
  return listFiles(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f));
}

describe('architecture', () => {
  it('rules import only the rule API, the vocabulary, model types and queries, and zod for their options', () => {
    const allowed = new Set(['../src/rule-api.js', '../src/vocabulary.js', '../src/model/types.js', '../src/extract/facts.js', '../src/model/query.js', 'zod']);
    const bad: string[] = [];
    for (const file of sources('rules')) {
      for (const spec of importsOf(file)) {
        if (file.endsWith('index.ts') && spec.startsWith('./')) continue;
        if (!allowed.has(spec)) bad.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('reporters import only the result, the vocabulary, the rule API and each other', () => {
    const bad: string[] = [];
    for (const file of sources('src/report')) {
      for (const spec of importsOf(file)) {
        const ok =
          spec.startsWith('./') ||
          spec.startsWith('../util/') ||
          ['../summarize/result.js', '../vocabulary.js', '../rule-api.js'].includes(spec) ||
          ['node:crypto', 'node:zlib', 'node:util', '@dagrejs/dagre'].includes(spec);
        if (!ok) bad.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('parser libraries stay inside src/extract and node:fs at the edges', () => {
    const bad: string[] = [];
    for (const file of sources('src')) {
      const rel = relative(ROOT, file).split('\\').join('/');
      for (const spec of importsOf(file)) {
        if ((spec === 'ts-morph' || spec === 'web-tree-sitter') && !rel.startsWith('src/extract/') && !rel.startsWith('src/model/resolve')) {
          bad.push(`${rel} imports ${spec}`);
        }
        if (
          (spec === 'node:fs' || spec === 'fs' || spec === 'node:fs/promises') &&
          !/^src\/(discover|config|cli|cache)\/|^src\/(version|run)\.ts$|^src\/util\/paths\.ts$/.test(rel)
        ) {
          bad.push(`${rel} imports ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("extraction keeps no module-level weak collection: what a file's extraction caches lives on its state", () => {
    // V8's young-generation collections keep a long-lived WeakMap's values alive: a cache keyed by a
    // file's state kept every file's syntax tree past its extraction (docs/performance.md, round 31).
    const found: string[] = [];
    const dir = join(ROOT, 'src', 'extract');
    for (const file of listFiles(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f))) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
      for (const statement of sf.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer;
          if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && /^Weak(Map|Set|Ref)$/.test(init.expression.text)) {
            found.push(`${posixRel(file)}: ${declaration.name.getText(sf)}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('every source file belongs to a stage and imports no later stage', () => {
    const bad: string[] = [];
    for (const file of [...sources('src'), ...sources('rules')]) {
      const rel = posixRel(file);
      const stage = stageOf(rel);
      if (stage < 0) {
        bad.push(`${rel} belongs to no stage (add it to STAGES)`);
        continue;
      }
      for (const target of projectReferences(file)) {
        const to = stageOf(target);
        if (to > stage) bad.push(`${rel} (${STAGES[stage][0]}) imports ${target} (${STAGES[to][0]})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no import loops', () => {
    const graph = new Map<string, string[]>();
    for (const file of [...sources('src'), ...sources('rules')]) graph.set(posixRel(file), projectReferences(file));
    // Tarjan's strongly connected components: every component of more than one file is a loop.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const loops: string[] = [];
    const connect = (v: string): void => {
      index.set(v, index.size);
      low.set(v, index.get(v) ?? 0);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          connect(w);
          low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
      if (low.get(v) !== index.get(v)) return;
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) loops.push(component.sort().join(' ⇄ '));
    };
    for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
    expect(loops).toEqual([]);
  });
});
