// The Markdown fragmentation report of the fixture monorepos: what breaks, phases, heatmap, Mermaid graph, escaping, the PR summary, determinism, re-render.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../src/cli/report.js';
import { loadConfig } from '../src/config/load.js';
import { renderMermaid } from '../src/report/graph.js';
import { renderJson } from '../src/report/json.js';
import { renderMarkdown, renderMarkdownSummary, SUMMARY_MAX_LINES } from '../src/report/markdown.js';
import { ruleInfos } from '../src/cli/catalog.js';
import { writeGeneratedMonorepo } from './helpers/generated-monorepo.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'monorepos');
const tmp = mkdtempSync(join(tmpdir(), 'jwtfrag-md-'));
let fastapi: RunResult;
let nest: RunResult;
let generated: RunResult;
const titles = Object.fromEntries(ruleInfos().map((r) => [r.meta.id, r.meta.title]));

async function scanFixture(name: string): Promise<RunResult> {
  const dir = join(FIXTURES, name);
  return (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 })).result;
}

beforeAll(async () => {
  fastapi = await scanFixture('fastapi-platform');
  nest = await scanFixture('nest-microservices');
  const dir = join(tmp, 'generated');
  writeGeneratedMonorepo(dir);
  generated = (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 })).result;
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function section(md: string, heading: string): string {
  const start = md.indexOf(`## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n## ', start + 3);
  return md.slice(start, next < 0 ? undefined : next);
}

describe('markdown report', () => {
  it('opens with what breaks where today, then what to change first', () => {
    const md = renderMarkdown(fastapi);
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(0, 5)).toEqual([
      '## What breaks today',
      '## What to change first',
      '## Findings by service and rule',
      '## Migration plan',
      '## Service graph',
    ]);
    expect(section(md, 'What breaks today')).toContain(
      '- **JWT** — Production: analytics_service cannot verify tokens: it reads JWT_SECRET, but production provides only JWT_SECRET_KEY; WebSocket logins to netra_backend fail: it verifies with WEBSOCKET_JWT_SECRET, auth_service signs with JWT_SECRET_KEY (more in staging, default and development).\n',
    );
    expect(section(md, 'What breaks today')).toContain(
      '| staging | netra_backend (WebSocket) | tokens rejected | `WEBSOCKET_JWT_SECRET` | `auth_service: JWT_SECRET_KEY` | `JWT_SECRET_STAGING`, `WEBSOCKET_JWT_SECRET` |',
    );
    expect(section(renderMarkdown(nest), 'What breaks today')).toContain(
      "api rejects worker's tokens: it verifies with JWT_SECRET, worker signs with JWT_SIGNING_KEY",
    );
    const first = section(md, 'What to change first');
    expect(first).toContain('| Phase 1 | Make every environment provide the canonical name | 2 | 2 | low |');
    expect(first).toContain('**Start with:** Provide JWT_SECRET_KEY next to JWT_SECRET (Phase 1, 1 site in 1 file · analytics_service).');
  });

  it('sums up a 25-service repository in one sentence per family', () => {
    const today = section(renderMarkdown(generated), 'What breaks today');
    expect(today).toContain(
      "- **JWT** — Staging: 10 services reject auth's tokens (they verify with JWT_SECRET or SVC_JWT_SECRET, auth signs with JWT_SECRET_KEY): svc01, svc03, svc06 and 7 more (more in development).",
    );
  });

  it('shows the cross-validation matrix with the names each component resolves', () => {
    const rows = section(renderMarkdown(fastapi), 'Cross-validation matrix')
      .split('\n')
      .filter((l) => l.startsWith('| '));
    expect(rows).toEqual([
      '| verifier ↓ · signer → | resolves | auth_service (JWT_SECRET_KEY) |',
      '| **analytics_service** | JWT_SECRET | ✗ JWT_SECRET ≠ JWT_SECRET_KEY |',
      '| **auth_service** | JWT_SECRET_KEY | ✓ |',
      '| **frontend** | JWT_SECRET_KEY → «literal» | ✓ |',
      '| **netra_backend** | JWT_SECRET_STAGING → JWT_SECRET_KEY → JWT_SECRET | ◐ agree only if JWT_SECRET_STAGING is unset or equals JWT_SECRET_KEY |',
      '| **netra_backend (WebSocket)** | WEBSOCKET_JWT_SECRET → JWT_SECRET_KEY | ◐ agree only if WEBSOCKET_JWT_SECRET is unset or equals JWT_SECRET_KEY |',
    ]);
    const nestRows = section(renderMarkdown(nest), 'Cross-validation matrix')
      .split('\n')
      .filter((l) => l.startsWith('| **'));
    expect(nestRows).toEqual([
      '| **api** | JWT_SECRET; JWT_SECRET_KEY → «literal» | ◐ agree on JWT_SECRET; other paths use JWT_SECRET_KEY | ✗ JWT_SECRET, JWT_SECRET_KEY ≠ JWT_SIGNING_KEY |',
      '| **ws-gateway** | WS_JWT_SECRET → JWT_SECRET | ◐ agree only if WS_JWT_SECRET is unset or equals JWT_SECRET | ✗ WS_JWT_SECRET ≠ JWT_SIGNING_KEY |',
    ]);
  });

  it('draws a Mermaid graph with one edge per service pair and per service and name, with counts', () => {
    const graph = section(renderMarkdown(fastapi), 'Service graph');
    expect(graph).toContain('```mermaid\nflowchart LR\n');
    expect(graph).toContain('  svc_analytics_service -->|verify| env_jwt_JWT_SECRET\n');
    expect(graph).toContain('  svc_auth_service -->|sign+verify| env_jwt_JWT_SECRET_KEY\n');
    expect(graph).toContain('  svc_netra_backend -->|verify ×2| env_jwt_JWT_SECRET_KEY\n');
    expect(graph).toContain('  svc_netra_backend -.->|2 imports| svc_shared\n');
    expect(graph).toContain('  class env_jwt_JWT_SECRET_KEY canonical\n');
    expect(graph).toContain('  class env_jwt_JWT_SECRET,env_jwt_JWT_SECRET__,env_jwt_JWT_SECRET_STAGING,env_jwt_WEBSOCKET_JWT_SECRET retired\n');
    const big = renderMermaid(generated).split('\n');
    expect(big.filter((l) => l.includes('-.->'))).toHaveLength(27);
    expect(big).toContain('  svc_svc06 -.->|1 import| svc_svc07');
  });

  it('styles forbidden import edges', () => {
    const result: RunResult = {
      ...fastapi,
      serviceImports: [
        {
          from: 'analytics_service',
          to: 'netra_backend',
          count: 1,
          typeOnlyCount: 0,
          forbidden: true,
          file: 'analytics_service/main.py',
          loc: { line: 3, column: 6, endLine: 3, endColumn: 30 },
          sites: [],
        },
        {
          from: 'auth_service',
          to: 'shared',
          count: 1,
          typeOnlyCount: 0,
          forbidden: false,
          file: 'auth_service/auth_core/config.py',
          loc: { line: 2, column: 6, endLine: 2, endColumn: 34 },
          sites: [],
        },
      ],
    };
    const lines = renderMermaid(result).split('\n');
    const edges = lines.filter((l) => l.includes('-->') || l.includes('-.->'));
    const forbidden = edges.findIndex((l) => l === '  svc_analytics_service -.->|1 import| svc_netra_backend');
    expect(forbidden).toBe(edges.length - 2);
    expect(lines).toContain(`  linkStyle 3,4,5,6,7,${forbidden} stroke:#c92a2a,stroke-width:2px`);
    expect(lines).toContain(`  linkStyle ${forbidden + 1} stroke:#868e96`);
  });

  it('writes the plan as four phases; the same change in many files is one step with its sites', () => {
    const plan = section(renderMarkdown(fastapi), 'Migration plan');
    expect(plan).toContain(
      '**JWT: converge on `JWT_SECRET_KEY`.** JWT_SECRET_KEY is the name auth_service signs tokens with first, so verifiers can converge on it without re-issuing tokens.\n',
    );
    expect(plan).toContain('Retire: `JWT_SECRET`, `JWT_SECRET_*`, `JWT_SECRET_STAGING`, `WEBSOCKET_JWT_SECRET`.');
    expect(plan.split('\n').filter((l) => l.startsWith('### '))).toEqual([
      '### Phase 1: Make every environment provide the canonical name (risk low)',
      '### Phase 2: Switch verifiers (risk medium)',
      '### Phase 4: Retire names and fallbacks (risk low)',
    ]);
    expect(plan).toContain(
      '- [ ] **Collapse the fallback chain JWT_SECRET_STAGING → JWT_SECRET_KEY → JWT_SECRET to a single read of JWT_SECRET_KEY** — risk medium · 1 site in 1 file · netra_backend\n  - `netra_backend/app/core/jwt_config.py:15` (netra_backend) — edit #0: replace with `env.get("JWT_SECRET_KEY")`\n',
    );
    expect(plan).toContain(
      '- [ ] **Remove JWT_SECRET once nothing reads it** — risk low · 3 sites in 2 files · analytics_service, netra_backend\n  - `cloudbuild.yaml:37` (analytics_service, default)\n',
    );
    const big = section(renderMarkdown(generated), 'Migration plan');
    expect(big).toContain(
      '- [ ] **Read JWT_SECRET_KEY instead of JWT_SECRET** — risk medium · 5 sites in 5 files · svc01, svc06, svc11, svc16 and 1 more\n\n  <details><summary>5 sites</summary>\n\n  - `svc01/security.py:8` (svc01) — edit #5: replace with `"JWT_SECRET_KEY"`\n',
    );
    expect(big).toContain('- [ ] **Provide JWT_SECRET_KEY next to JWT_SECRET** — risk low · 5 sites in 1 file · svc01, svc06, svc11, svc16 and 1 more\n');
    expect(big).toContain('### Boundaries: Service boundaries (independent of the secret migration) (risk medium)');
    expect(big).toContain("- [ ] **Cut svc06's imports of svc07's code** — risk medium · 1 site in 1 file · svc06\n  - `svc06/security.py:");
  });

  it('draws the services × rules heatmap as a table', () => {
    const heat = section(renderMarkdown(fastapi), 'Findings by service and rule');
    const rows = heat.split('\n').filter((l) => l.startsWith('| '));
    expect(rows[0]).toBe(
      '| service | 🔴 `secret-name-sprawl` | 🔴 `signer-verifier-mismatch` | 🔴 `committed-secret-value` | 🔴 `hardcoded-jwt-secret` | 🔴 `secret-read-not-provided` | 🔴 `unverified-jwt-decode` | 🔴 `ws-secret-mismatch` | 🟠 `secret-fallback-chain` | 🟠 `secret-provided-not-read` | 🟠 `dynamic-secret-name` | 🟠 `ws-token-in-query` | total |',
    );
    expect(rows).toContain('| netra_backend | **3** | **2** |  |  |  | **1** | **1** | 2 | 1 | 1 | 1 | 12 |');
    const open = fastapi.findings.filter((f) => !f.suppression).length;
    expect(rows.at(-1)).toMatch(new RegExp(`\\| \\*\\*${open}\\*\\* \\|$`));
  });

  it('lists findings by rule then file, collapsed', () => {
    const findings = section(renderMarkdown(fastapi, { ruleTitles: titles }), 'Findings');
    expect(findings).toContain(
      '<details><summary>🔴 <code>signer-verifier-mismatch</code>: 3 findings in 3 files — A token verifier uses a different secret than the service that signs the tokens</summary>\n\n- `analytics_service/analytics/security.py`\n  - line 12: analytics_service verifies tokens with JWT_SECRET',
    );
  });

  it('escapes names from the repository outside code spans (no raw HTML reaches the renderer)', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))';
    const finding = { ...fastapi.findings[0], message: `bad ${evil}`, service: evil, ruleId: `rule${evil}`, file: `dir/${evil}.py` };
    const result: RunResult = {
      ...fastapi,
      services: [...fastapi.services, { ...fastapi.services[0], name: evil }],
      findings: [finding, ...fastapi.findings],
      inventory: fastapi.inventory.map((e, i) => (i === 0 ? { ...e, name: evil, services: [evil] } : e)),
      families: fastapi.families.map((f) => ({ ...f, canonicalWhy: evil })),
      plan: fastapi.plan && { ...fastapi.plan, families: fastapi.plan.families.map((f) => ({ ...f, why: evil })) },
      notifications: [{ level: 'warning', id: 'parse-error', file: evil, message: evil }],
    };
    for (const md of [renderMarkdown(result, { ruleTitles: titles }), renderMarkdownSummary(result, { ruleTitles: titles })]) {
      const outside = md.replace(/`[^`\n]*`/g, '');
      expect(outside).not.toMatch(/<script|<img|(?<!\\)\]\(javascript:/i);
    }
    expect(renderMarkdown(result)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('markdown-summary fits a PR comment and links to the full report', () => {
    for (const result of [fastapi, nest, generated]) {
      const summary = renderMarkdownSummary(result, { ruleTitles: titles, reportUrl: 'https://ci.example/runs/7' });
      expect(summary.split('\n').length).toBeLessThanOrEqual(SUMMARY_MAX_LINES);
      expect(summary).toContain('[the full report](https://ci.example/runs/7)');
      expect(summary).toContain('**What breaks today**');
      expect(summary).toContain('| phase | changes | sites | risk | first change |');
    }
    expect(renderMarkdownSummary(fastapi, { reportUrl: 'javascript:alert(1)' })).not.toContain('javascript:');
    expect(renderMarkdownSummary(fastapi, { reportUrl: 'https://x.example/a)(b' })).toContain('(https://x.example/a%29%28b)');
    expect(renderMarkdownSummary(fastapi)).toContain('(`jwtfrag scan --format html -o report.html`)');
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
      expect(readFileSync(out, 'utf8')).toBe(renderMarkdown(result, { ruleTitles: titles }));
      expect(reportCommand({ from: json, format: 'markdown-summary', output: out, reportUrl: 'https://ci.example/r' })).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(renderMarkdownSummary(result, { ruleTitles: titles, reportUrl: 'https://ci.example/r' }));
    }
  });
});
