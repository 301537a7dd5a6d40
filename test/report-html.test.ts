// The self-contained HTML report: same sections as Markdown, no network resources, redacted excerpts, deterministic.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { renderSvg } from '../src/report/graph.js';
import { renderHtml } from '../src/report/html.js';
import type { RunResult } from '../src/result.js';
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

  it('carries the headline, the matrix, the graph and the plan', () => {
    expect(html).toContain('<p class="headline">4 names for the JWT secret across 4 services; 2 of 5 signer × verifier pairs agree.</p>');
    expect(html.match(/<td class="agree"/g)).toHaveLength(2);
    expect(html.match(/<td class="mismatch"/g)).toHaveLength(3);
    expect(html).toContain('<tr><th>netra_backend (WebSocket)</th><td><code>WEBSOCKET_JWT_SECRET → JWT_SECRET_KEY</code></td>');
    expect(html).toContain('<section id="graph"><h2>Service graph</h2><div class="graph-wrap"><svg xmlns="http://www.w3.org/2000/svg" class="graph"');
    expect(html).toContain('<strong>JWT: converge on <code class="canonical">JWT_SECRET_KEY</code>.</strong>');
    expect(html).toContain('Read JWT_SECRET_KEY instead of JWT_SECRET (<code>analytics_service/analytics/keys.py:5</code>)</label> <span class="edit">— edit #2: replace with <code>&quot;JWT_SECRET_KEY&quot;</code></span>');
  });

  it('lists every open finding in the filterable table with its redacted excerpt', () => {
    const open = result.findings.filter((f) => !f.suppression);
    expect(html.match(/<tr data-severity=/g)).toHaveLength(open.length);
    expect(html).toContain('<pre class="snippet">ANALYTICS_TOKEN_SECRET = os.getenv(&quot;JWT_SECRET&quot;)</pre>');
    expect(html).toContain('«redacted, 20 chars»');
    expect(html).not.toContain('dev-secret-change-me');
  });

  it('draws forbidden imports red and dashed in the SVG', () => {
    const svg = renderSvg({
      ...result,
      serviceImports: [{ from: 'analytics_service', to: 'netra_backend', count: 2, typeOnlyCount: 0, forbidden: true, file: 'analytics_service/main.py', loc: { line: 3, column: 6, endLine: 3, endColumn: 30 }, sites: [] }],
    });
    expect(svg).toMatch(/<path class="edge import forbidden" d="[^"]+" stroke="#c92a2a" stroke-width="2.2" stroke-dasharray="6 4"/);
    expect(svg.match(/<g class="node name">/g)).toHaveLength(5);
    expect(svg.match(/<g class="node service">/g)).toHaveLength(4);
  });

  it('escapes text and is byte-identical across runs', async () => {
    const again = (await scan({ root: FIXTURE, config: loadConfig(FIXTURE).config, jobs: 1 })).result;
    expect(renderHtml(again)).toBe(html);
    const tricky: RunResult = { ...result, findings: [{ ...result.findings[0], message: '<script>alert(1)</script>' }] };
    expect(renderHtml(tricky)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
