// Applies the migration plan's code edits to a copy of each fixture monorepo and rescans: the fragmentation findings are gone.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { applyEdits } from '../src/summarize/plan.js';
import type { MigrationPlan, RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'monorepos');
const FRAGMENTATION = ['secret-name-sprawl', 'secret-fallback-chain', 'signer-verifier-mismatch'];
const copies: string[] = [];

async function scanDir(dir: string): Promise<RunResult> {
  return (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 })).result;
}

function applyPlan(dir: string, plan: MigrationPlan): void {
  const files = [...new Set(plan.edits.map((e) => e.file))];
  for (const file of files) {
    const path = join(dir, file);
    writeFileSync(path, applyEdits(readFileSync(path, 'utf8'), file, plan.edits));
  }
}

function copyOf(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `jwtfrag-plan-${name}-`));
  copies.push(dir);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

function fragmentation(result: RunResult): string[] {
  return result.findings
    .filter((f) => FRAGMENTATION.includes(f.ruleId) && !f.suppression)
    .map((f) => `${f.ruleId} ${f.file}:${f.loc.line}`)
    .sort();
}

afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

describe('migration plan edits', () => {
  it('fastapi-platform: lists each code edit precisely', async () => {
    const result = await scanDir(join(FIXTURES, 'fastapi-platform'));
    const plan = result.plan;
    expect(plan?.families).toEqual([
      {
        family: 'jwt',
        canonical: 'JWT_SECRET_KEY',
        reason: 'signer',
        why: 'JWT_SECRET_KEY is the name auth_service signs tokens with first, so verifiers can converge on it without re-issuing tokens.',
        retire: ['JWT_SECRET', 'JWT_SECRET_*', 'JWT_SECRET_STAGING', 'WEBSOCKET_JWT_SECRET'],
      },
    ]);
    const edits = (plan?.edits ?? []).map((e) => [e.kind, e.file, e.loc.line, e.loc.column, e.loc.endLine, e.loc.endColumn, e.replacement]);
    expect(edits).toEqual([
      ['collapse-chain', 'netra_backend/app/core/jwt_config.py', 15, 13, 19, 37, 'env.get("JWT_SECRET_KEY")'],
      ['collapse-chain', 'netra_backend/app/routes/websocket.py', 13, 12, 13, 72, 'env.get("JWT_SECRET_KEY")'],
      ['rename-read', 'analytics_service/analytics/keys.py', 5, 36, 5, 48, '"JWT_SECRET_KEY"'],
      ['replace-dynamic-name', 'netra_backend/app/core/jwt_config.py', 26, 29, 26, 69, '"JWT_SECRET_KEY"'],
    ]);
    const netra = plan?.services.find((s) => s.service === 'netra_backend');
    expect(netra?.steps.slice(0, 5).map((s) => [s.phase, s.risk, s.kind, s.file, s.loc.line, s.edit])).toEqual([
      [1, 'low', 'deployment', 'cloudbuild.yaml', 28, null],
      [2, 'medium', 'chain', 'netra_backend/app/core/jwt_config.py', 15, 0],
      [2, 'medium', 'chain', 'netra_backend/app/routes/websocket.py', 13, 1],
      [2, 'medium', 'dynamic', 'netra_backend/app/core/jwt_config.py', 26, 3],
      [4, 'low', 'deployment', '.env.staging', 5, null],
    ]);
    expect(netra?.steps[0].action).toBe('Provide JWT_SECRET_KEY to netra_backend in staging (cloudbuild), next to JWT_SECRET_STAGING');
    expect(netra?.steps[0].change).toBe('Provide JWT_SECRET_KEY next to JWT_SECRET_STAGING');
    expect(netra?.steps.at(-1)?.change).toBe('Remove JWT_SECRET once nothing reads it');
  });

  it('fastapi-platform: applying the edits removes every secret-fragmentation finding', async () => {
    const dir = copyOf('fastapi-platform');
    const before = await scanDir(dir);
    expect(fragmentation(before)).toHaveLength(9);
    expect(before.counts['dynamic-secret-name']).toBe(1);
    applyPlan(dir, before.plan ?? { families: [], services: [], edits: [] });
    expect(readFileSync(join(dir, 'netra_backend/app/routes/websocket.py'), 'utf8').split('\n')[12]).toBe('    return env.get("JWT_SECRET_KEY")');
    const after = await scanDir(dir);
    expect(fragmentation(after)).toEqual([]);
    expect(after.counts['dynamic-secret-name']).toBeUndefined();
    expect(after.families[0].names).toEqual(['JWT_SECRET_KEY']);
    expect(after.matrix?.agree).toBe(after.matrix?.pairs);
    expect(after.plan?.edits).toEqual([]);
  });

  it('nest-microservices: applying the edits removes every secret-fragmentation finding', async () => {
    const dir = copyOf('nest-microservices');
    const before = await scanDir(dir);
    expect(fragmentation(before).length).toBeGreaterThan(0);
    applyPlan(dir, before.plan ?? { families: [], services: [], edits: [] });
    const after = await scanDir(dir);
    expect(fragmentation(after)).toEqual([]);
  });
});
