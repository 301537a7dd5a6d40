// The benchmark corpus is deterministic, has the planned language mix and feature shares, and parses cleanly.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import { generateCorpus, writeCorpus, type CorpusFile } from '../scripts/bench-corpus.js';
import { corpusCounts, planCorpus, PY_SECRET_FORMS, TS_SECRET_FORMS } from '../scripts/bench-plan.js';
import { listFiles } from './helpers/annotations.js';

const SECRET_READ = /process\.env|configService\.get|os\.getenv|os\.environ|get_env\(\)\.get|env\.get\(key\)/;
const JWT_CALL = /\bjwt\.(sign|verify|encode|decode)\(/;

let python: Parser;
const dirs: string[] = [];

beforeAll(async () => {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm');
  python = new Parser();
  python.setLanguage(await Language.load(wasm));
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tsSyntaxErrors(file: CorpusFile): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  // The parser's own diagnostics (what `tsc` reports as syntax errors) are not on the public type.
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => `${file.path}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

function pythonHasErrors(file: CorpusFile): boolean {
  const tree = python.parse(file.text);
  if (!tree) return true;
  const bad = tree.rootNode.hasError;
  tree.delete();
  return bad;
}

function lineCount(text: string): number {
  return text.split('\n').length - 1;
}

describe('benchmark corpus', () => {
  it('is byte-identical across two generations and two writes, and differs with the seed', () => {
    const first = generateCorpus(60, 7);
    const second = generateCorpus(60, 7);
    expect(second.files).toEqual(first.files);
    expect(second.stats).toEqual(first.stats);

    const a = mkdtempSync(join(tmpdir(), 'jwtfrag-bench-test-a-'));
    const b = mkdtempSync(join(tmpdir(), 'jwtfrag-bench-test-b-'));
    dirs.push(a, b);
    writeCorpus(a, first.files);
    writeCorpus(b, second.files);
    const listed = listFiles(a);
    expect(listed).toEqual(listFiles(b));
    expect(listed).toEqual(first.files.map((f) => f.path));
    for (const path of listed) expect(readFileSync(join(b, path))).toEqual(readFileSync(join(a, path)));

    const other = generateCorpus(60, 8);
    expect(other.files.map((f) => f.text).join('')).not.toEqual(first.files.map((f) => f.text).join(''));
  });

  it('has the planned language mix and layout', () => {
    const { files, stats } = generateCorpus(60, 7);
    expect(files).toHaveLength(60);
    const ts = files.filter((f) => f.path.endsWith('.ts'));
    const py = files.filter((f) => f.path.endsWith('.py'));
    expect(ts).toHaveLength(30);
    expect(py).toHaveLength(16);
    expect(stats).toMatchObject({ ts: 30, python: 16, deploy: 14 });
    const deploy = files.filter((f) => !f.path.endsWith('.ts') && !f.path.endsWith('.py')).map((f) => f.path);
    expect(deploy.filter((p) => p.endsWith('package.json'))).toHaveLength(6);
    expect(deploy.filter((p) => p.endsWith('pyproject.toml'))).toHaveLength(4);
    expect(deploy.filter((p) => /\/\.env\.[a-z]/.test(p))).toHaveLength(1);
    expect(deploy.filter((p) => /\/Dockerfile/.test(p))).toHaveLength(1);
    expect(deploy.filter((p) => /^deploy\/k8s\/.*\.yaml$/.test(p))).toHaveLength(1);
    expect(deploy.filter((p) => /^deploy\/compose\/docker-compose\..*\.yml$/.test(p))).toHaveLength(1);

    const services = new Set(files.map((f) => /^services\/([^/]+)\//.exec(f.path)?.[1]).filter((s) => s !== undefined));
    expect([...services].sort()).toEqual(['analytics', 'auth', 'billing', 'gateway', 'notifications', 'orders', 'realtime', 'users']);
    for (const service of ['gateway', 'auth', 'notifications', 'realtime']) {
      const pkg = JSON.parse(files.find((f) => f.path === `services/${service}/package.json`)?.text ?? '{}') as { scripts?: { start?: string } };
      expect(pkg.scripts?.start).toBe('node dist/main.js');
    }
    expect(files.some((f) => f.path.startsWith('shared/src/'))).toBe(true);
    expect(files.some((f) => f.path.startsWith('shared/pylib/'))).toBe(true);
    for (const file of [...ts, ...py]) {
      expect(lineCount(file.text)).toBeGreaterThanOrEqual(100);
      expect(lineCount(file.text)).toBeLessThanOrEqual(400);
    }

    expect(files.filter((f) => SECRET_READ.test(f.text))).toHaveLength(stats.secretReadFiles);
    expect(files.filter((f) => JWT_CALL.test(f.text))).toHaveLength(stats.jwtFiles);
    expect(stats.secretReadFiles).toBe(4);
    expect(stats.jwtFiles).toBe(2);
  });

  it('plans ~50 % TypeScript, ~45 % Python, ~5 % deploy at the default size', () => {
    expect(corpusCounts(5000)).toEqual({ ts: 2500, python: 2250, deploy: 250 });
    const plan = planCorpus(5000, 1);
    const code = plan.modules.filter((m) => !m.isTest).length;
    expect(plan.modules).toHaveLength(4750);
    expect(plan.deploy).toHaveLength(250);
    expect(plan.modules.filter((m) => m.secretForm !== null)).toHaveLength(Math.round(4750 * 0.05));
    expect(plan.modules.filter((m) => m.jwt)).toHaveLength(Math.round(4750 * 0.03));
    expect(code).toBeGreaterThan(4300);
    expect(new Set(plan.deploy.map((d) => d.path)).size).toBe(250);
    expect(new Set(plan.modules.map((m) => m.path)).size).toBe(4750);
  });

  it('renders TypeScript without syntax diagnostics and Python without tree-sitter errors, using every secret form', () => {
    const { files, stats } = generateCorpus(600, 3);
    const tsFiles = files.filter((f) => f.path.endsWith('.ts'));
    const pyFiles = files.filter((f) => f.path.endsWith('.py'));
    expect(tsFiles.length).toBe(300);
    expect(pyFiles.length).toBe(270);
    expect(tsFiles.flatMap(tsSyntaxErrors)).toEqual([]);
    expect(tsSyntaxErrors({ path: 'broken.ts', text: 'export function (' }).length).toBeGreaterThan(0);
    expect(pyFiles.filter(pythonHasErrors).map((f) => f.path)).toEqual([]);
    expect(pythonHasErrors({ path: 'broken.py', text: 'def broken(:\n' })).toBe(true);
    expect(Object.keys(stats.secretForms).sort()).toEqual([...TS_SECRET_FORMS, ...PY_SECRET_FORMS].sort());
  });
});
