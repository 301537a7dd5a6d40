// The self-contained HTML report: what breaks first, heatmap, phased plan, dagre graph, grouped findings; no network resources, redacted excerpts, deterministic.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { renderSvg } from '../src/report/graph.js';
import { renderHtml } from '../src/report/html.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'monorepos', 'fastapi-platform');
let result: RunResult;
let html: string;

beforeAll(async () => {
  result = (await scan({ root: FIXTURE, config: loadConfig(FIXTURE).config, jobs: 1 })).result;
  html = renderHtml(result);
});

describe('html report', () => {
  it('is one self-contained page: inline style and script, no external resource', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<link\b|<script[^>]*\bsrc=|<img\b|@import|url\(\s*['"]?https?:/i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]);
    expect([...new Set(urls)]).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).toContain("default-src 'none'");
  });

  it('opens with what breaks where today and what to change first', () => {
    const hero = html.slice(html.indexOf('<div class="hero">'), html.indexOf('<section id="heatmap">'));
    expect(hero).toContain(
      '<p class="headline"><span class="fam">JWT</span>Production: analytics_service cannot verify tokens: it reads JWT_SECRET, but production provides only JWT_SECRET_KEY; WebSocket logins to netra_backend fail',
    );
    expect(hero).toContain(
      '<tr><td>staging</td><td>netra_backend (WebSocket)</td><td class="mismatch">tokens rejected</td><td>verifies with <code>WEBSOCKET_JWT_SECRET</code> · auth_service signs with <code>JWT_SECRET_KEY</code> · staging gives <code>JWT_SECRET_STAGING</code>, <code>WEBSOCKET_JWT_SECRET</code></td></tr>',
    );
    expect(hero).toContain('<b>Start with:</b> Provide JWT_SECRET_KEY next to JWT_SECRET');
    expect(hero.match(/<li><span class="num">/g)).toHaveLength(3);
    expect(html.indexOf('id="today"')).toBeLessThan(html.indexOf('id="heatmap"'));
    expect(html.indexOf('id="heatmap"')).toBeLessThan(html.indexOf('id="plan"'));
    expect(html.indexOf('id="plan"')).toBeLessThan(html.indexOf('id="graph"'));
  });

  it('draws the heatmap: one row per service, one column per rule, counts coloured by severity', () => {
    const heat = html.slice(html.indexOf('<table class="heat">'), html.indexOf('</table>', html.indexOf('<table class="heat">')));
    const rules = Object.keys(result.counts).length;
    expect(heat.match(/<th class="rule /g)).toHaveLength(rules);
    expect(heat).toContain(
      '<button type="button" data-filter-rule="signer-verifier-mismatch" data-filter-service="netra_backend" title="netra_backend · signer-verifier-mismatch: 2 error">2</button>',
    );
    expect(heat).toMatch(/<td style="background:rgba\(230,119,0,0\.\d\d\);color:#fff"><button type="button" data-filter-rule="secret-fallback-chain"/);
  });

  it('groups the plan in phases with risk, services and the exact edits', () => {
    const plan = html.slice(html.indexOf('<section id="plan">'), html.indexOf('<section id="graph">'));
    expect(plan.match(/<div class="phase" id="phase-/g)).toHaveLength(3);
    expect(plan).toContain('<h3>Phase 2: Switch verifiers <span class="risk risk-medium">risk medium</span></h3>');
    expect(plan).toContain(
      '<details class="change"><summary><span class="what">Remove JWT_SECRET once nothing reads it</span><span class="risk risk-low">risk low</span><span class="meta">3 sites in 2 files · analytics_service, netra_backend</span></summary>',
    );
    expect(plan).toContain(
      '<li><code>analytics_service/analytics/keys.py:5</code> <span class="note">(analytics_service)</span> <span class="edit">— edit #2: replace with <code>&quot;JWT_SECRET_KEY&quot;</code></span></li>',
    );
  });

  it('lists every open finding grouped by rule then file, collapsed, with its redacted excerpt', () => {
    const open = result.findings.filter((f) => !f.suppression);
    expect(html.match(/<li class="finding" /g)).toHaveLength(open.length);
    expect(html.match(/<details class="rule" /g)).toHaveLength(Object.keys(result.counts).length);
    expect(html).not.toMatch(/<details class="(rule|file)"[^>]* open/);
    expect(html).toContain('<pre class="snippet">ANALYTICS_TOKEN_SECRET = os.getenv(&quot;JWT_SECRET&quot;)</pre>');
    expect(html).toContain('«redacted, 20 chars»');
    expect(html).not.toContain('dev-secret-change-me');
  });

  it('lays the graph out with dagre: names in their own column, forbidden imports red and dashed, counts on edges', () => {
    const svg = renderSvg({
      ...result,
      serviceImports: [
        {
          from: 'analytics_service',
          to: 'netra_backend',
          count: 2,
          typeOnlyCount: 0,
          forbidden: true,
          file: 'analytics_service/main.py',
          loc: { line: 3, column: 6, endLine: 3, endColumn: 30 },
          sites: [],
        },
        {
          from: 'netra_backend',
          to: 'shared',
          count: 12,
          typeOnlyCount: 0,
          forbidden: false,
          file: 'netra_backend/main.py',
          loc: { line: 3, column: 6, endLine: 3, endColumn: 30 },
          sites: [],
        },
      ],
    });
    expect(svg).toMatch(
      /<path class="edge import forbidden" data-from="svc_analytics_service" data-to="svc_netra_backend" d="[^"]+" stroke="#c92a2a" stroke-width="[\d.]+" stroke-dasharray="6 4"/,
    );
    expect(svg).toContain('<text x="');
    expect(svg).toMatch(/<g class="edge-count" data-from="svc_netra_backend" data-to="svc_shared"><rect [^>]+\/><text [^>]+>12<\/text><\/g>/);
    expect(svg.match(/<g class="node name"/g)).toHaveLength(5);
    expect(svg.match(/<g class="node service"/g)).toHaveLength(4);
    const xs = [...svg.matchAll(/<g class="node name"[^>]*>(?:<title>[^<]*<\/title>)?<rect x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(new Set(xs).size).toBe(1);
    const serviceXs = [...svg.matchAll(/<g class="node (?:service|shared)"[^>]*>(?:<title>[^<]*<\/title>)?<rect x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.min(...serviceXs)).toBeGreaterThan(xs[0]);
  });

  it('has a print stylesheet and a trend chart for --compare', () => {
    expect(html).toContain('@media print{');
    expect(html).toContain("window.addEventListener('beforeprint'");
    const fixed = result.findings
      .filter((f) => f.ruleId === 'secret-fallback-chain')
      .map((f) => ({ ruleId: f.ruleId, key: f.key, severity: f.severity, message: f.message, file: f.file, loc: f.loc }));
    const compared = renderHtml({
      ...result,
      delta: { since: 'before.json', previousVersion: '0.1.0', families: [], findings: { before: 20, after: 18, new: [], fixed }, matrix: null },
    });
    expect(compared).toContain('<section id="progress"><h2>Progress since before.json</h2>');
    expect(compared).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="trend"/);
    expect(compared).toContain('>secret-fallback-chain</text>');
    expect(compared).toContain('>4 → 2</text>');
  });

  it('escapes text and is byte-identical across runs', async () => {
    const again = (await scan({ root: FIXTURE, config: loadConfig(FIXTURE).config, jobs: 1 })).result;
    expect(renderHtml(again)).toBe(html);
    const tricky: RunResult = { ...result, findings: [{ ...result.findings[0], message: '<script>alert(1)</script>' }] };
    expect(renderHtml(tricky)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
