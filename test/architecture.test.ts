// Keeps the layering of STYLE §1: rules only query the model, reporters only see results, fs stays at the edges.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { listFiles } from './helpers/annotations.js';

const ROOT = join(import.meta.dirname, '..');

function importsOf(path: string): string[] {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const statement of sf.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

function sources(dir: string): string[] {
  return listFiles(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f));
}

describe('architecture', () => {
  it('rules import only the rule API, model types and model queries', () => {
    const allowed = new Set(['../src/rule-api.js', '../src/model/types.js', '../src/model/facts.js', '../src/model/query.js', '../src/result.js']);
    const bad: string[] = [];
    for (const file of sources('rules')) {
      for (const spec of importsOf(file)) {
        if (file.endsWith('index.ts') && spec.startsWith('./')) continue;
        if (!allowed.has(spec)) bad.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('reporters import only result types, the rule API and each other', () => {
    const bad: string[] = [];
    for (const file of sources('src/report')) {
      for (const spec of importsOf(file)) {
        const ok = spec.startsWith('./') || spec.startsWith('../util/') || ['../result.js', '../rule-api.js', '../model/facts.js', '../model/types.js', '../util/redact.js'].includes(spec) || ['node:crypto', 'node:zlib', 'node:util', '@dagrejs/dagre'].includes(spec);
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
        if ((spec === 'node:fs' || spec === 'fs' || spec === 'node:fs/promises') && !/^src\/(discover|config|cli|cache)\/|^src\/(version|run)\.ts$|^src\/util\/paths\.ts$/.test(rel)) {
          bad.push(`${rel} imports ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
