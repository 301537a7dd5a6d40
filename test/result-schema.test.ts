// The JSON result's zod schema and published JSON Schema: fixture results validate, mangled ones are rejected by field path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ajvModule from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline } from '../src/baseline.js';
import { loadConfig } from '../src/config/load.js';
import { compareResults } from '../src/report/compare.js';
import { renderJson } from '../src/report/json.js';
import { RunResultSchema, validateResult } from '../src/summarize/result.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const MONOREPOS = join(ROOT, 'fixtures', 'monorepos');
const NAMES = readdirSync(MONOREPOS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const tmp = mkdtempSync(join(tmpdir(), 'jwtfrag-schema-'));
const results = new Map<string, RunResult>();

const Ajv = ajvModule.default;
const jsonSchema = JSON.parse(readFileSync(join(ROOT, 'schema', 'result.schema.json'), 'utf8')) as object;
const validateJson = new Ajv({ allErrors: true, strict: false }).compile(jsonSchema);

/** A deep copy through JSON, as a saved result file would be read back. */
function saved(result: RunResult): Record<string, unknown> {
  return JSON.parse(renderJson(result)) as Record<string, unknown>;
}

function issuePaths(value: unknown): string[] {
  const parsed = RunResultSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => i.path.join('.'));
}

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  for (const name of NAMES) {
    const dir = join(MONOREPOS, name);
    results.set(name, (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 })).result);
  }
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fastapi(): RunResult {
  const result = results.get('fastapi-platform');
  if (!result) throw new Error('fastapi-platform fixture missing');
  return result;
}

describe('result schema', () => {
  it('covers both fixture monorepos', () => {
    expect(NAMES).toEqual(expect.arrayContaining(['fastapi-platform', 'nest-microservices']));
  });

  it('every fixture monorepo result validates against the zod schema and the published JSON Schema', () => {
    for (const name of NAMES) {
      const value = saved(results.get(name) as RunResult);
      expect(issuePaths(value), name).toEqual([]);
      expect(validateJson(value), `${name}: ${JSON.stringify(validateJson.errors?.slice(0, 3))}`).toBe(true);
      expect(Object.keys(value)).toEqual(expect.arrayContaining(['schemaVersion', 'findings', 'matrix', 'plan']));
    }
  });

  it('the optional sections validate too: baseline, delta and timestamp', () => {
    const result = structuredClone(fastapi());
    const baseline = createBaseline(result.findings);
    const outcome = applyBaseline(result.findings, baseline);
    result.baseline = { known: outcome.known, stale: [{ ruleId: 'secret-name-sprawl', key: 'jwt|gone|OLD_NAME', count: 1, message: 'gone' }] };
    result.delta = compareResults(fastapi(), result, { since: 'previous.json' });
    result.timestamp = '2026-01-01T00:00:00.000Z';
    const value = saved(result);
    expect(outcome.known).toBeGreaterThan(0);
    expect(issuePaths(value)).toEqual([]);
    expect(validateJson(value), JSON.stringify(validateJson.errors?.slice(0, 3))).toBe(true);
  });

  it('rejects a wrong schemaVersion, missing findings and a bad loc, naming each field path', () => {
    const base = saved(fastapi());
    expect(issuePaths({ ...base, schemaVersion: 2 })).toEqual(['schemaVersion']);
    const { findings: _dropped, ...withoutFindings } = base;
    expect(issuePaths(withoutFindings)).toEqual(['findings']);
    const badLoc = saved(fastapi());
    const finding = (badLoc.findings as { loc: Record<string, unknown> }[])[2];
    finding.loc.line = 0;
    delete finding.loc.endColumn;
    expect(issuePaths(badLoc)).toEqual(['findings.2.loc.line', 'findings.2.loc.endColumn']);
    const badSeverity = saved(fastapi());
    (badSeverity.notifications as { level: string }[])[0].level = 'fatal';
    expect(issuePaths(badSeverity)).toEqual(['notifications.0.level']);
    expect(validateJson({ ...base, schemaVersion: 2 })).toBe(false);
    expect(validateJson(withoutFindings)).toBe(false);
    expect(validateJson(badLoc)).toBe(false);
  });

  it('rejects other JSON files (a SARIF log, a config) as not results', () => {
    expect(issuePaths({ version: '2.1.0', runs: [] })).toContain('schemaVersion');
    expect(validateResult({ services: {} }).ok).toBe(false);
  });

  it('docs/result.md documents every top-level field and every delta field', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'result.md'), 'utf8');
    const fields = Object.keys(RunResultSchema.shape);
    expect(fields).toEqual(expect.arrayContaining(['schemaVersion', 'findings', 'matrix', 'plan', 'delta']));
    const topTable = doc.slice(doc.indexOf('## Top-level fields'), doc.indexOf('### '));
    expect(fields.filter((f) => !topTable.includes(`| \`${f}\` |`))).toEqual([]);
    expect(doc).toContain('## Versioning policy');
    const deltaSection = doc.slice(doc.indexOf('### `delta`'));
    const delta = RunResultSchema.shape.delta.unwrap().shape;
    expect(Object.keys(delta).filter((f) => !deltaSection.includes(`| \`${f}\` |`) && !deltaSection.includes(`| \`${f}[]\` |`))).toEqual([]);
  });

  it('accepts an unknown extra field (a newer optional section) and keeps it in the loaded value', () => {
    const value = { ...saved(fastapi()), futureSection: { x: 1 } };
    const validated = validateResult(value);
    expect(validated.ok).toBe(true);
    expect(validated.ok && (validated.result as unknown as Record<string, unknown>).futureSection).toEqual({ x: 1 });
  });
});

describe('report --from a mangled result', () => {
  it('exits 2 with one line naming the bad loc field', () => {
    const value = saved(fastapi());
    (value.jwtOps as { loc: { line: unknown } }[])[1].loc.line = 'seven';
    const path = join(tmp, 'bad-loc.json');
    writeFileSync(path, JSON.stringify(value));
    const r = cli(['report', '--from', path, '--format', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`jwtfrag: ${path}: jwtOps[1].loc.line: Invalid input: expected number, received string`]);
  });

  it('exits 2 with one line for a wrong schemaVersion, whatever else is wrong', () => {
    const path = join(tmp, 'v2.json');
    writeFileSync(path, JSON.stringify({ schemaVersion: 2, somethingElse: true }));
    const r = cli(['report', '--from', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `jwtfrag: ${path}: schemaVersion: expected 1, got 2 (not a result this jwtfrag reads; write one with scan --format json)`,
    ]);
  });

  it('exits 2 with one line per problem, naming each field', () => {
    const value = saved(fastapi());
    delete value.findings;
    value.counts = { 'secret-name-sprawl': -1 };
    const path = join(tmp, 'two.json');
    writeFileSync(path, JSON.stringify(value));
    const r = cli(['report', '--from', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `jwtfrag: ${path}: findings: Invalid input: expected array, received undefined`,
      `jwtfrag: ${path}: counts.secret-name-sprawl: Too small: expected number to be >=0`,
    ]);
  });

  it('exits 2 with one line for a file that is not JSON', () => {
    const path = join(tmp, 'broken.json');
    writeFileSync(path, '{ "schemaVersion": 1,');
    const r = cli(['report', '--from', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${path}: not a readable JSON result`);
  });

  it('a valid saved result re-renders with exit 0', () => {
    const path = join(tmp, 'ok.json');
    writeFileSync(path, renderJson(fastapi()));
    const r = cli(['report', '--from', path, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(renderJson(fastapi()));
  });
});
