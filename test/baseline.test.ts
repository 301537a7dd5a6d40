// Baselines: matching by rule + semantic key (never by line), counts, stale entries, pruning, and the CLI flow.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, createBaseline, parseBaseline, pruneBaseline, serializeBaseline } from '../src/baseline.js';
import type { Finding } from '../src/vocabulary.js';
import { loc, makeFinding } from './helpers/factory.js';

function finding(ruleId: string, key: string, line: number, file = 'svc/a.py'): Finding {
  return makeFinding({ ruleId, messageId: 'm', message: `${ruleId} ${key}`, file, loc: loc(line), key, service: 'svc' });
}

describe('baseline matching', () => {
  it('matches by rule and key regardless of line or file, up to the recorded count', () => {
    const baseline = createBaseline([finding('r', 'jwt|svc|A', 3), finding('r', 'jwt|svc|A', 9), finding('r', 'jwt|svc|B', 4)]);
    expect(baseline.entries.map((e) => `${e.key}×${e.count}`)).toEqual(['jwt|svc|A×2', 'jwt|svc|B×1']);
    const now = [finding('r', 'jwt|svc|A', 40, 'svc/moved.py'), finding('r', 'jwt|svc|A', 41), finding('r', 'jwt|svc|A', 42), finding('r', 'jwt|svc|C', 5)];
    const outcome = applyBaseline(now, baseline);
    expect(outcome.known).toBe(2);
    expect(now.map((f) => f.suppression?.kind ?? 'new')).toEqual(['baseline', 'baseline', 'new', 'new']);
    expect(outcome.stale.map((e) => `${e.key}×${e.count}`)).toEqual(['jwt|svc|B×1']);
    expect(pruneBaseline(baseline, outcome.stale).entries.map((e) => e.key)).toEqual(['jwt|svc|A']);
  });

  it('inline-suppressed findings are not recorded; output is stable JSON', () => {
    const a = finding('r', 'k1', 1);
    const b = { ...finding('r', 'k2', 2), suppression: { kind: 'inline' as const, reason: 'x' } };
    const text = serializeBaseline(createBaseline([a, b]));
    expect((JSON.parse(text) as { entries: unknown[] }).entries).toHaveLength(1);
    expect(serializeBaseline(createBaseline([b, a]))).toBe(text);
  });

  it('rejects malformed baselines with one line', () => {
    expect(parseBaseline('{')).toMatch(/^not valid JSON/);
    expect(parseBaseline('{"entries": []}')).toMatch(/not a jwtfrag baseline/);
    expect(parseBaseline('{"jwtfragBaseline": 1, "entries": [{"ruleId": "r"}]}')).toBe('entries[0]: needs ruleId, key and a positive count');
  });
});

describe('baseline CLI flow', () => {
  const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('a scan with a baseline of itself exits 0; one new fragmentation exits 1 with exactly that finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-baseline-'));
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'monorepos', 'fastapi-platform'), dir, { recursive: true });
    const file = join(dir, '.jwtfrag-baseline.json');
    const first = run(['scan', dir, '--write-baseline', file, '--quiet']);
    expect(first.status).toBe(0);
    const again = run(['scan', dir, '--baseline', file, '--format', 'json']);
    expect(again.status).toBe(0);
    const result = JSON.parse(again.stdout) as { findings: Finding[]; baseline: { known: number; stale: unknown[] } };
    expect(result.baseline.known).toBeGreaterThan(0);
    expect(result.findings.filter((f) => !f.suppression)).toEqual([]);

    // Moving code (lines inserted above) keeps every match.
    const target = join(dir, 'analytics_service', 'analytics', 'keys.py');
    const original = readFileSync(target, 'utf8');
    writeFileSync(target, '# moved\n# down\n' + original);
    expect(run(['scan', dir, '--baseline', file, '--quiet']).status).toBe(0);

    // A new name for the secret (read by name only: a warning) is new.
    writeFileSync(join(dir, 'analytics_service', 'analytics', 'late_keys.py'), 'import os\n\nREPORTS_JWT_SECRET = os.getenv("REPORTS_JWT_SECRET")\n');
    expect(run(['scan', dir, '--baseline', file, '--quiet']).status).toBe(0);
    const after = run(['scan', dir, '--baseline', file, '--format', 'json', '--fail-on', 'warning']);
    expect(after.status).toBe(1);
    const fresh = (JSON.parse(after.stdout) as { findings: Finding[] }).findings.filter((f) => !f.suppression);
    expect(fresh.map((f) => `${f.file}:${f.loc.line} ${f.ruleId} ${f.severity}`)).toEqual([
      'analytics_service/analytics/late_keys.py:3 secret-name-sprawl warning',
    ]);
  });
});
