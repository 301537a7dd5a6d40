// The Markdown fragmentation report of the fixture monorepos: headline, matrix, Mermaid graph, plan, determinism, re-render.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../src/cli/report.js';
import { loadConfig } from '../src/config/load.js';
import { renderMermaid } from '../src/report/graph.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { PlanStep, RunResult } from '../src/result.js';
import { scan } from '../src/run.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'monorepos');
const tmp = mkdtempSync(join(tmpdir(), 'jwtfrag-md-'));
let fastapi: RunResult;
let nest: RunResult;

async function scanFixture(name: string): Promise<RunResult> {
  const dir = join(FIXTURES, name);
  return (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 })).result;
}

beforeAll(async () => {
  fastapi = await scanFixture('fastapi-platform');
  nest = await scanFixture('nest-microservices');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function section(md: string, heading: string): string {
  const start = md.indexOf(`## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n## ', start + 3);
  return md.slice(start, next < 0 ? undefined : next);
}

describe('markdown report', () => {
  it('opens with the headline of each fixture', () => {
    expect(section(renderMarkdown(fastapi), 'Summary')).toContain('**4 names for the JWT secret across 4 services; 2 of 5 signer × verifier pairs agree.**');
    expect(section(renderMarkdown(nest), 'Summary')).toContain('**4 names for the JWT secret across 4 services; 0 of 4 signer × verifier pairs agree.**');
  });

  it('shows the cross-validation matrix with the names each component resolves', () => {
    const rows = section(renderMarkdown(fastapi), 'Cross-validation matrix').split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toEqual([
      '| verifier ↓ · signer → | resolves | auth_service (JWT_SECRET_KEY) |',
      '| **analytics_service** | JWT_SECRET | ✗ JWT_SECRET ≠ JWT_SECRET_KEY |',
      '| **auth_service** | JWT_SECRET_KEY | ✓ |',
      '| **frontend** | JWT_SECRET_KEY → «literal» | ✓ |',
      '| **netra_backend** | JWT_SECRET_STAGING → JWT_SECRET_KEY → JWT_SECRET | ✗ JWT_SECRET_STAGING ≠ JWT_SECRET_KEY |',
      '| **netra_backend (WebSocket)** | WEBSOCKET_JWT_SECRET → JWT_SECRET_KEY | ✗ WEBSOCKET_JWT_SECRET ≠ JWT_SECRET_KEY |',
    ]);
    const nestRows = section(renderMarkdown(nest), 'Cross-validation matrix').split('\n').filter((l) => l.startsWith('| **'));
    expect(nestRows).toEqual([
      '| **api** | JWT_SECRET; JWT_SECRET_KEY → «literal» | ◐ JWT_SECRET, JWT_SECRET_KEY ≠ JWT_SECRET | ✗ JWT_SECRET, JWT_SECRET_KEY ≠ JWT_SIGNING_KEY |',
      '| **ws-gateway** | WS_JWT_SECRET → JWT_SECRET | ✗ WS_JWT_SECRET ≠ JWT_SECRET | ✗ WS_JWT_SECRET ≠ JWT_SIGNING_KEY |',
    ]);
  });

  it('draws a Mermaid graph of services, names and imports, non-canonical names in red', () => {
    const graph = section(renderMarkdown(fastapi), 'Service graph');
    expect(graph).toContain('```mermaid\nflowchart LR\n');
    expect(graph).toContain('  svc_analytics_service -->|verify| env_jwt_JWT_SECRET\n');
    expect(graph).toContain('  svc_auth_service -->|sign+verify| env_jwt_JWT_SECRET_KEY\n');
    expect(graph).toContain('  svc_netra_backend -.->|2 imports| svc_shared\n');
    expect(graph).toContain('  class env_jwt_JWT_SECRET_KEY canonical\n');
    expect(graph).toContain('  class env_jwt_JWT_SECRET,env_jwt_JWT_SECRET__,env_jwt_JWT_SECRET_STAGING,env_jwt_WEBSOCKET_JWT_SECRET retired\n');
  });

  it('styles forbidden import edges', () => {
    const result: RunResult = {
      ...fastapi,
      serviceImports: [
        { from: 'analytics_service', to: 'netra_backend', count: 1, typeOnlyCount: 0, forbidden: true, file: 'analytics_service/main.py', loc: { line: 3, column: 6, endLine: 3, endColumn: 30 }, sites: [] },
        { from: 'auth_service', to: 'shared', count: 1, typeOnlyCount: 0, forbidden: false, file: 'auth_service/auth_core/config.py', loc: { line: 2, column: 6, endLine: 2, endColumn: 34 }, sites: [] },
      ],
    };
    const lines = renderMermaid(result).split('\n');
    const edges = lines.filter((l) => l.includes('-->') || l.includes('-.->'));
    const forbidden = edges.findIndex((l) => l === '  svc_analytics_service -.->|1 import| svc_netra_backend');
    expect(forbidden).toBe(edges.length - 2);
    expect(lines).toContain(`  linkStyle 3,4,5,6,7,${forbidden} stroke:#c92a2a,stroke-width:2px`);
    expect(lines).toContain(`  linkStyle ${forbidden + 1} stroke:#868e96`);
  });

  it('writes the migration plan: canonical name and why, then an ordered checklist per service', () => {
    const plan = section(renderMarkdown(fastapi), 'Migration plan');
    expect(plan).toContain('**JWT: converge on `JWT_SECRET_KEY`.** JWT_SECRET_KEY is the name auth_service signs tokens with first, so verifiers can converge on it without re-issuing tokens.\n');
    expect(plan).toContain('Retire: `JWT_SECRET`, `JWT_SECRET_*`, `JWT_SECRET_STAGING`, `WEBSOCKET_JWT_SECRET`.');
    const netra = plan.slice(plan.indexOf('### netra_backend'));
    const items = netra.split('\n').filter((l) => l.startsWith('- [ ] '));
    expect(items.slice(0, 3)).toEqual([
      '- [ ] Collapse the fallback chain JWT_SECRET_STAGING → JWT_SECRET_KEY → JWT_SECRET to a single read of JWT_SECRET_KEY (`netra_backend/app/core/jwt_config.py:15`) — edit #0: replace with `env.get("JWT_SECRET_KEY")`',
      '- [ ] Collapse the fallback chain WEBSOCKET_JWT_SECRET → JWT_SECRET_KEY to a single read of JWT_SECRET_KEY (`netra_backend/app/routes/websocket.py:13`) — edit #1: replace with `env.get("JWT_SECRET_KEY")`',
      '- [ ] Replace the run-time name JWT_SECRET_* by the literal JWT_SECRET_KEY (`netra_backend/app/core/jwt_config.py:26`) — edit #3: replace with `"JWT_SECRET_KEY"`',
    ]);
    expect(plan).toContain('### analytics_service\n\n- [ ] Read JWT_SECRET_KEY instead of JWT_SECRET (`analytics_service/analytics/keys.py:5`) — edit #2: replace with `"JWT_SECRET_KEY"`\n');
  });

  it('collapses long checklists under <details>', () => {
    const step: PlanStep = { kind: 'read', action: 'Read JWT_SECRET_KEY instead of JWT_SECRET', file: 'a.py', loc: { line: 1, column: 1, endLine: 1, endColumn: 5 }, edit: null };
    const steps = Array.from({ length: 13 }, (_, i) => ({ ...step, loc: { ...step.loc, line: i + 1 } }));
    const result: RunResult = { ...fastapi, plan: { families: fastapi.plan?.families ?? [], services: [{ service: 'big', steps }], edits: [] } };
    const plan = section(renderMarkdown(result), 'Migration plan');
    expect(plan.split('\n').filter((l) => l.startsWith('- [ ] '))).toHaveLength(13);
    expect(plan).toContain('(`a.py:10`)\n\n<details><summary>More steps (3 more)</summary>\n\n- [ ] Read JWT_SECRET_KEY instead of JWT_SECRET (`a.py:11`)');
  });

  it('counts findings by rule', () => {
    const counts = section(renderMarkdown(fastapi), 'Findings by rule');
    expect(counts).toContain('| rule | findings |\n|---|---:|\n| `');
    const rows = counts.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual(Object.entries(fastapi.counts).map(([rule, n]) => `| \`${rule}\` | ${n} |`));
    expect(rows).toContain('| `signer-verifier-mismatch` | 3 |');
  });

  it('is deterministic and never shows a secret literal', async () => {
    const again = await scanFixture('fastapi-platform');
    const md = renderMarkdown(fastapi);
    expect(renderMarkdown(again)).toBe(md);
    expect(md).not.toContain('dev-secret-change-me');
    expect(md).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('`jwtfrag report --from result.json --format markdown` reproduces the Markdown byte for byte', () => {
    for (const result of [fastapi, nest]) {
      const json = join(tmp, 'result.json');
      const out = join(tmp, 'report.md');
      writeFileSync(json, renderJson(result));
      expect(reportCommand({ from: json, format: 'markdown', output: out })).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(renderMarkdown(result));
    }
  });
});
