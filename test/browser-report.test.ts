// Opens the HTML report of a fixture scan in headless Chromium: no console errors, matrix and plan visible, filter and sort work.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { renderHtml } from '../src/report/html.js';
import { scan } from '../src/run.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'test-output');
const FIXTURE = join(ROOT, 'fixtures', 'monorepos', 'fastapi-platform');
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser-report: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!available)('html report in a real browser', () => {
  it('renders the fastapi-platform report without errors and saves a screenshot', async () => {
    const { result } = await scan({ root: FIXTURE, config: loadConfig(FIXTURE).config, jobs: 1 });
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'report-fastapi-platform.html');
    writeFileSync(file, renderHtml(result));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      expect(await page.locator('#matrix table.matrix').isVisible()).toBe(true);
      expect(await page.locator('#matrix td.agree').count()).toBe(2);
      expect(await page.locator('#plan').isVisible()).toBe(true);
      expect(await page.locator('#plan h3').allTextContents()).toEqual(['analytics_service', 'netra_backend']);
      expect(await page.locator('#graph svg.graph').isVisible()).toBe(true);
      const open = result.findings.filter((f) => !f.suppression).length;
      expect(await page.locator('#filter-count').textContent()).toBe(`${open} of ${open}`);

      await page.fill('#filter-text', 'secret-fallback-chain');
      expect(await page.locator('#filter-count').textContent()).toBe(`2 of ${open}`);
      await page.fill('#filter-text', '');
      await page.selectOption('#filter-severity', 'warning');
      const warnings = result.findings.filter((f) => !f.suppression && f.severity === 'warning').length;
      expect(await page.locator('#filter-count').textContent()).toBe(`${warnings} of ${open}`);
      await page.selectOption('#filter-severity', '');

      await page.click('#findings th[data-key="location"]');
      const first = await page.locator('#findings tbody tr').first().locator('td').nth(3).textContent();
      const sites = result.findings.filter((f) => !f.suppression).map((f) => `${f.file}:${String(f.loc.line).padStart(7, '0')}`).sort();
      expect(first).toBe(sites[0].replace(/:0+/, ':'));

      await page.screenshot({ path: join(OUT, 'report-fastapi-platform.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
