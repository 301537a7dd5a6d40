// Progress between two results: a fixture before/after an edit gives exactly the expected names, findings and matrix delta.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { loadConfig } from '../src/config/load.js';
import { compareResults, deltaMarkdown, deltaTextLines } from '../src/report/compare.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { renderText } from '../src/report/text.js';
import type { Finding } from '../src/vocabulary.js';
import type { ResultDelta, RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';
import { loc, makeFinding } from './helpers/factory.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const FIXTURE = join(ROOT, 'fixtures', 'monorepos', 'fastapi-platform');
const WS_FILE = join('netra_backend', 'app', 'routes', 'websocket.py');
const WS_CHAIN = 'env.get("WEBSOCKET_JWT_SECRET") or env.get("JWT_SECRET_KEY")';
/** The secret-fragmentation rules: the expected delta does not move when other rules are added. */
const RULE_IDS = ['dynamic-secret-name', 'hardcoded-jwt-secret', 'secret-fallback-chain', 'secret-name-sprawl', 'signer-verifier-mismatch'];

const tmp = mkdtempSync(join(tmpdir(), 'jwtfrag-compare-'));
let before: RunResult;

/** The 1-based line of the first line of the fixture's `websocket.py` containing `text`. */
function lineOf(text: string): number {
  const lines = readFileSync(join(FIXTURE, WS_FILE), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  expect(index, text).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** A copy of the fastapi fixture with `websocket.py` edited by `edit`. */
function editedCopy(name: string, edit: (text: string) => string): string {
  const dir = join(tmp, name);
  cpSync(FIXTURE, dir, { recursive: true });
  const file = join(dir, WS_FILE);
  const text = readFileSync(file, 'utf8');
  const changed = edit(text);
  expect(changed, 'the edit applies').not.toBe(text);
  writeFileSync(file, changed);
  return dir;
}

async function scanDir(dir: string): Promise<RunResult> {
  const rules = RULES.filter((r) => RULE_IDS.includes(r.meta.id));
  expect(rules.map((r) => r.meta.id).sort()).toEqual(RULE_IDS);
  return (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1, rules })).result;
}

function ids(delta: ResultDelta): { new: string[]; fixed: string[] } {
  const id = (f: { ruleId: string; key: string }): string => `${f.ruleId} ${f.key}`;
  return { new: delta.findings.new.map(id), fixed: delta.findings.fixed.map(id) };
}

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  before = await scanDir(FIXTURE);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('compare on the fastapi fixture', () => {
  it('collapsing the WebSocket fallback chain to the canonical read: one name removed, three findings fixed, one more pair agrees', async () => {
    const after = await scanDir(editedCopy('collapsed', (t) => t.replace(WS_CHAIN, 'env.get("JWT_SECRET_KEY")')));
    const delta = compareResults(before, after, { since: 'before.json' });
    expect(delta.families).toEqual([
      { family: 'jwt', added: [], removed: ['WEBSOCKET_JWT_SECRET'], canonical: { before: 'JWT_SECRET_KEY', after: 'JWT_SECRET_KEY' } },
    ]);
    expect(ids(delta)).toEqual({
      new: [],
      fixed: [
        'secret-fallback-chain jwt|netra_backend|WEBSOCKET_JWT_SECRET>JWT_SECRET_KEY',
        'secret-name-sprawl jwt|netra_backend|WEBSOCKET_JWT_SECRET',
        'signer-verifier-mismatch netra_backend|WEBSOCKET_JWT_SECRET|JWT_SECRET_KEY',
      ],
    });
    expect(delta.findings.after).toBe(delta.findings.before - 3);
    expect(delta.matrix).toEqual({ before: { agree: 2, pairs: 5 }, after: { agree: 3, pairs: 5 } });
    const chainLine = `netra_backend/app/routes/websocket.py:${lineOf(WS_CHAIN)}`;
    const decodeLine = `netra_backend/app/routes/websocket.py:${lineOf('jwt.decode(token, _websocket_secret()')}`;
    expect(delta.findings.fixed.map((f) => `${f.file}:${f.loc.line}`)).toEqual([chainLine, chainLine, decodeLine]);
  });

  it('renaming the WebSocket read: the name is swapped and each finding about it is fixed under the old key and new under the new one', async () => {
    const after = await scanDir(editedCopy('renamed', (t) => t.replace('env.get("WEBSOCKET_JWT_SECRET")', 'env.get("WS_AUTH_JWT_SECRET")')));
    const delta = compareResults(before, after, { since: 'before.json' });
    expect(delta.families).toEqual([
      { family: 'jwt', added: ['WS_AUTH_JWT_SECRET'], removed: ['WEBSOCKET_JWT_SECRET'], canonical: { before: 'JWT_SECRET_KEY', after: 'JWT_SECRET_KEY' } },
    ]);
    expect(ids(delta)).toEqual({
      new: [
        'secret-fallback-chain jwt|netra_backend|WS_AUTH_JWT_SECRET>JWT_SECRET_KEY',
        'secret-name-sprawl jwt|netra_backend|WS_AUTH_JWT_SECRET',
        'signer-verifier-mismatch netra_backend|WS_AUTH_JWT_SECRET|JWT_SECRET_KEY',
      ],
      fixed: [
        'secret-fallback-chain jwt|netra_backend|WEBSOCKET_JWT_SECRET>JWT_SECRET_KEY',
        'secret-name-sprawl jwt|netra_backend|WEBSOCKET_JWT_SECRET',
        'signer-verifier-mismatch netra_backend|WEBSOCKET_JWT_SECRET|JWT_SECRET_KEY',
      ],
    });
    expect(delta.findings.after).toBe(delta.findings.before);
    expect(delta.matrix).toEqual({ before: { agree: 2, pairs: 5 }, after: { agree: 2, pairs: 5 } });
  });

  it('moved code (lines inserted above) is neither new nor fixed', async () => {
    const after = await scanDir(editedCopy('moved', (t) => t.replace('router = APIRouter()', '# a comment\n\n\nrouter = APIRouter()')));
    expect(after.findings.some((f) => f.file === 'netra_backend/app/routes/websocket.py' && f.loc.line === lineOf(WS_CHAIN) + 3)).toBe(true);
    const delta = compareResults(before, after, { since: 'before.json' });
    expect(ids(delta)).toEqual({ new: [], fixed: [] });
    expect(delta.families[0]).toEqual({ family: 'jwt', added: [], removed: [], canonical: { before: 'JWT_SECRET_KEY', after: 'JWT_SECRET_KEY' } });
  });

  it('is deterministic: the same inputs give deep-equal deltas and identical renderings', async () => {
    const after = await scanDir(editedCopy('again', (t) => t.replace(WS_CHAIN, 'env.get("JWT_SECRET_KEY")')));
    const a = compareResults(before, after, { since: 'before.json' });
    const b = compareResults(structuredClone(before), structuredClone(after), { since: 'before.json' });
    expect(b).toEqual(a);
    expect(deltaMarkdown(b)).toEqual(deltaMarkdown(a));
    expect(renderJson({ ...after, delta: b })).toBe(renderJson({ ...after, delta: a }));
  });
});

describe('compare rules', () => {
  function finding(ruleId: string, key: string, line: number, suppression?: Finding['suppression']): Finding {
    return makeFinding({
      ruleId,
      severity: 'error',
      messageId: 'm',
      message: `${ruleId} at ${line}`,
      file: 'svc/a.py',
      loc: loc(line),
      key,
      service: 'svc',
      ...(suppression ? { suppression } : {}),
    });
  }

  function withFindings(findings: Finding[], matrix = true): RunResult {
    const copy = structuredClone(before);
    copy.findings = findings;
    if (!matrix) delete copy.matrix;
    return copy;
  }

  it('matches by rule id + key with counts, and leaves out findings silenced inline', () => {
    const previous = withFindings([
      finding('r', 'k', 1),
      finding('r', 'k', 2),
      finding('r', 'k', 3),
      finding('s', 'k', 4),
      finding('t', 'x', 5, { kind: 'inline', reason: null }),
    ]);
    const current = withFindings([finding('r', 'k', 10), finding('s', 'k', 4), finding('s', 'k', 9), finding('t', 'y', 6, { kind: 'baseline', reason: null })]);
    const delta = compareResults(previous, current, { since: 'p.json' });
    expect(delta.findings.before).toBe(4);
    expect(delta.findings.after).toBe(4);
    expect(delta.findings.fixed.map((f) => `${f.ruleId}:${f.loc.line}`)).toEqual(['r:2', 'r:3']);
    expect(delta.findings.new.map((f) => `${f.ruleId}:${f.loc.line}`)).toEqual(['t:6', 's:9']);
  });

  it('has no matrix delta unless both results have a matrix', () => {
    expect(compareResults(withFindings([], false), withFindings([]), { since: 'p.json' }).matrix).toBeNull();
    expect(compareResults(withFindings([]), withFindings([], false), { since: 'p.json' }).matrix).toBeNull();
  });

  it('lists a family present in only one result with all its names', () => {
    const current = structuredClone(before);
    current.families.push({ id: 'service', canonical: 'SERVICE_SECRET', canonicalReason: 'configured', names: ['SERVICE_SECRET', 'SVC_SECRET'], patterns: [] });
    const delta = compareResults(before, current, { since: 'p.json' });
    expect(delta.families.map((f) => f.family)).toEqual(['jwt', 'service']);
    expect(delta.families[1]).toEqual({
      family: 'service',
      added: ['SERVICE_SECRET', 'SVC_SECRET'],
      removed: [],
      canonical: { before: null, after: 'SERVICE_SECRET' },
    });
  });

  it('renders text and Markdown sections with the counts, names and findings', () => {
    const previous = withFindings([finding('r', 'k', 1), finding('s', 'k', 4)]);
    const current = withFindings([finding('s', 'k', 4), finding('u', 'k', 7)]);
    current.families = [{ ...before.families[0], names: [...before.families[0].names.filter((n) => n !== 'JWT_SECRET'), 'NEW_JWT_SECRET'] }];
    const delta = compareResults(previous, current, { since: 'prev.json' });
    expect(deltaTextLines(delta)).toEqual([
      'Progress since prev.json',
      '  findings 2 → 2 (1 fixed, 1 new)',
      '  signer × verifier pairs agreeing 2 of 5 → 2 of 5',
      '  JWT secret names: removed JWT_SECRET; added NEW_JWT_SECRET',
      '  fixed  error r svc/a.py:1: r at 1',
      '  new    error u svc/a.py:7: u at 7',
    ]);
    expect(deltaMarkdown(delta)).toEqual([
      '## Progress since `prev.json`',
      '',
      `Compared with a result written by jwtfrag ${before.tool.version}.`,
      '',
      '| | before | after |',
      '|---|---|---|',
      '| findings | 2 | 2 |',
      '| signer × verifier pairs agreeing | 2 of 5 | 2 of 5 |',
      '',
      '- **JWT secret names:** removed `JWT_SECRET`; added `NEW_JWT_SECRET`',
      '',
      '<details><summary>Fixed findings (1)</summary>',
      '',
      '- error `r` `svc/a.py:1`: r at 1',
      '',
      '</details>',
      '',
      '<details><summary>New findings (1)</summary>',
      '',
      '- error `u` `svc/a.py:7`: u at 7',
      '',
      '</details>',
      '',
    ]);
    const md = renderMarkdown({ ...current, delta });
    expect(md.indexOf('## Progress since `prev.json`')).toBeGreaterThan(md.indexOf('## Summary'));
    expect(md.indexOf('## Progress since `prev.json`')).toBeLessThan(md.indexOf('## Cross-validation matrix'));
    expect(renderText({ ...current, delta }, { color: false, quiet: true })).toContain('\nProgress since prev.json\n  findings 2 → 2 (1 fixed, 1 new)\n');
    expect(renderMarkdown(current)).not.toContain('Progress since');
  });
});

describe('scan --compare', () => {
  const previous = join(tmp, 'before.json');

  beforeAll(() => {
    const full = cli(['scan', FIXTURE, '--format', 'json', '--fail-on', 'none']);
    expect(full.code).toBe(0);
    writeFileSync(previous, full.stdout);
  });

  it('attaches the delta to the JSON result, shows it in Markdown and text, and is byte-identical across runs', () => {
    const dir = editedCopy('cli', (t) => t.replace(WS_CHAIN, 'env.get("JWT_SECRET_KEY")'));
    const jsonA = join(tmp, 'after-a.json');
    const jsonB = join(tmp, 'after-b.json');
    const md = cli(['scan', dir, '--compare', previous, '--format', 'markdown', '--json', jsonA, '--fail-on', 'none']);
    const text = cli(['scan', dir, '--compare', previous, '--quiet', '--json', jsonB, '--fail-on', 'none', '--jobs', '2']);
    expect(md.code).toBe(0);
    expect(text.code).toBe(0);
    expect(readFileSync(jsonB, 'utf8')).toBe(readFileSync(jsonA, 'utf8'));
    const delta = (JSON.parse(readFileSync(jsonA, 'utf8')) as RunResult).delta;
    expect(delta?.since, 'only the file name: no absolute paths in the output').toBe('before.json');
    expect(delta?.families.find((f) => f.family === 'jwt')?.removed).toEqual(['WEBSOCKET_JWT_SECRET']);
    expect(delta?.matrix).toEqual({ before: { agree: 2, pairs: 5 }, after: { agree: 3, pairs: 5 } });
    expect(delta?.findings.fixed.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['secret-fallback-chain', 'secret-name-sprawl', 'signer-verifier-mismatch']),
    );
    expect(md.stdout).toContain('## Progress since `before.json`');
    expect(md.stdout).toContain('| signer × verifier pairs agreeing | 2 of 5 | 3 of 5 |');
    expect(text.stdout).toContain('\nProgress since before.json\n');
    expect(text.stdout).toContain('  signer × verifier pairs agreeing 2 of 5 → 3 of 5\n');
    const rerendered = cli(['report', '--from', jsonA, '--format', 'markdown']);
    expect(rerendered.code).toBe(0);
    expect(rerendered.stdout).toBe(md.stdout);
  });

  it('report --from … --compare adds the same delta to a saved result', () => {
    const dir = editedCopy('cli-report', (t) => t.replace(WS_CHAIN, 'env.get("JWT_SECRET_KEY")'));
    const plain = join(tmp, 'plain.json');
    const scanned = cli(['scan', dir, '--compare', previous, '--format', 'json', '--json', plain, '--fail-on', 'none']);
    const value = JSON.parse(readFileSync(plain, 'utf8')) as RunResult;
    delete value.delta;
    writeFileSync(plain, renderJson(value));
    const r = cli(['report', '--from', plain, '--compare', previous, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(scanned.stdout);
  });

  it('a mangled previous result exits 2 with one line naming the field', () => {
    const bad = join(tmp, 'mangled.json');
    const value = JSON.parse(readFileSync(previous, 'utf8')) as Record<string, unknown>;
    delete value.findings;
    writeFileSync(bad, JSON.stringify(value));
    const r = cli(['scan', FIXTURE, '--compare', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([`jwtfrag: ${bad}: findings: Invalid input: expected array, received undefined`]);
  });
});
