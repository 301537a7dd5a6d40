// The Markdown and HTML reports carry the WebSocket endpoint table and the deployment provision matrix.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { renderHtml } from '../src/report/html.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'monorepos', 'fastapi-platform');
let result: RunResult;

beforeAll(async () => {
  result = (await scan({ root: DIR, config: loadConfig(DIR).config, jobs: 1 })).result;
});

describe('report tables', () => {
  it('Markdown lists every WebSocket endpoint with its verdict', () => {
    const md = renderMarkdown(result);
    expect(md).toContain('## WebSocket endpoints');
    expect(md).toContain('| netra_backend | /ws | fastapi | query | verified | token-in-query | netra_backend/app/routes/websocket.py:16 |');
    expect(md).toContain('| netra_backend | /ws/v2 | fastapi | first-message | unverified | unverified | netra_backend/app/routes/websocket.py:49 |');
  });

  it('Markdown shows which secrets each service is given per environment', () => {
    const md = renderMarkdown(result);
    expect(md).toContain('## Secrets provided by deployments');
    expect(md).toContain('| analytics_service | production | JWT_SECRET | missing | — |');
    expect(md).toContain('| analytics_service | production | JWT_SECRET_KEY | provided | .github/workflows/deploy-production.yml:24 (gcloud) |');
    expect(md).toContain('| frontend | production | JWT_SECRET_KEY | both | infra/production/frontend.tf:13 (terraform) |');
  });

  it('HTML has the same sections, escaped', () => {
    const html = renderHtml(result);
    expect(html).toContain('<section id="websocket"><h2>WebSocket endpoints</h2>');
    expect(html).toContain('<td>/ws/v2</td><td>fastapi</td><td>first-message</td><td>unverified</td><td>unverified</td>');
    expect(html).toContain('<section id="provisions"><h2>Secrets provided by deployments</h2>');
  });
});
