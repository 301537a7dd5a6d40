// Opens the HTML reports of both fixture monorepos and a generated 25-service repository in headless Debian Chromium at 1440 and 390 px: no console errors, no requests, no overflow, heatmap and graph visible, filters work, screenshots saved.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleInfos } from '../src/cli/catalog.js';
import { loadConfig } from '../src/config/load.js';
import { renderHtml } from '../src/report/html.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';
import { writeGeneratedMonorepo } from './helpers/generated-monorepo.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'test-output');
const FIXTURES = join(ROOT, 'fixtures', 'monorepos');
const WIDTHS = [1440, 390];
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser-report: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);

const titles = Object.fromEntries(ruleInfos().map((r) => [r.meta.id, r.meta.title]));
const tmp = mkdtempSync(join(tmpdir(), 'jwtfrag-browser-'));
let browser: Browser;

async function scanDir(dir: string): Promise<RunResult> {
  return (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 })).result;
}

function writeReport(name: string, result: RunResult): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `report-${name}.html`);
  writeFileSync(file, renderHtml(result, { ruleTitles: titles }));
  return file;
}

/** Opens the page at a width and records console problems and requests. */
async function open(file: string, width: number): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

async function countText(page: Page): Promise<string> {
  return (await page.locator('#filter-count').textContent()) ?? '';
}

/** The checks every report passes at every width; returns the screenshot paths. */
async function checkReport(name: string, result: RunResult): Promise<string[]> {
  const file = writeReport(name, result);
  const open_ = result.findings.filter((f) => !f.suppression);
  const shots: string[] = [];
  for (const width of WIDTHS) {
    const { page, problems, requests } = await open(file, width);
    try {
      const size = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        height: document.documentElement.scrollHeight,
      }));
      expect(size.scroll, `${name} at ${width}px overflows horizontally`).toBeLessThanOrEqual(size.inner);
      expect(await page.locator('#today .headline').first().isVisible()).toBe(true);
      expect(await page.locator('#first').isVisible()).toBe(true);
      await page.locator('table.heat').scrollIntoViewIfNeeded();
      expect(await page.locator('table.heat').isVisible()).toBe(true);
      await page.locator('#graph svg.graph').scrollIntoViewIfNeeded();
      expect(await page.locator('#graph svg.graph').isVisible()).toBe(true);
      expect(await page.locator('#graph svg.graph g.node').count()).toBe(result.services.length + result.inventory.length);
      expect(await countText(page)).toBe(`${open_.length} of ${open_.length} findings`);
      expect(await page.locator('details.rule[open]').count()).toBe(0);

      // A heatmap cell filters the findings to its service and rule.
      const cell = page.locator('table.heat td button').first();
      const rule = (await cell.getAttribute('data-filter-rule')) ?? '';
      const service = (await cell.getAttribute('data-filter-service')) ?? '';
      await cell.click();
      const expected = open_.filter((f) => f.ruleId === rule && (f.service ?? '(no service)') === service).length;
      expect(await countText(page)).toBe(`${expected} of ${open_.length} findings`);
      expect(await cell.textContent()).toBe(String(expected));
      expect(await page.locator(`details.rule[data-rule="${rule}"]`).getAttribute('open')).not.toBeNull();
      expect(await page.locator('li.finding:visible').count()).toBe(Math.min(expected, expected <= 40 ? expected : 0));

      // Rule, severity and text filters.
      await page.click('#filter-clear');
      expect(await countText(page)).toBe(`${open_.length} of ${open_.length} findings`);
      await page.selectOption('#filter-severity', 'warning');
      expect(await countText(page)).toBe(`${open_.filter((f) => f.severity === 'warning').length} of ${open_.length} findings`);
      await page.selectOption('#filter-severity', '');
      await page.selectOption('#filter-rule', rule);
      expect(await countText(page)).toBe(`${open_.filter((f) => f.ruleId === rule).length} of ${open_.length} findings`);
      await page.click('#filter-clear');
      const target = open_[open_.length - 1];
      await page.fill('#filter-text', target.file);
      expect(await countText(page)).toBe(
        `${open_.filter((f) => f.file.toLowerCase().includes(target.file.toLowerCase()) || f.message.toLowerCase().includes(target.file.toLowerCase())).length} of ${open_.length} findings`,
      );
      await page.click('#filter-clear');

      const after = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(after).toBeLessThanOrEqual(size.inner);
      await page.evaluate(() => window.scrollTo(0, 0));
      const shot = join(OUT, `report-${name}-${width}.png`);
      await page.screenshot({ path: shot });
      await page.screenshot({ path: join(OUT, `report-${name}-${width}-full.png`), fullPage: true });
      shots.push(shot);
      console.log(`browser-report: ${name} at ${width}px: ${size.height}px tall; screenshots ${shot} and ${shot.replace(/\.png$/, '-full.png')}`);
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
    } finally {
      await page.close();
    }
  }
  return shots;
}

describe.skipIf(!available)('html report in a real browser', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('fastapi-platform: what breaks, heatmap, graph and filters at 1440 and 390 px', async () => {
    const result = await scanDir(join(FIXTURES, 'fastapi-platform'));
    const shots = await checkReport('fastapi-platform', result);
    expect(shots).toHaveLength(2);
    const { page } = await open(join(OUT, 'report-fastapi-platform.html'), 1440);
    try {
      expect(await page.locator('#today .headline').first().textContent()).toContain('Production: analytics_service cannot verify tokens');
      expect(await page.locator('#plan .phase h3').allTextContents()).toEqual([
        'Phase 1: Make every environment provide the canonical name risk low',
        'Phase 2: Switch verifiers risk medium',
        'Phase 4: Retire names and fallbacks risk low',
      ]);
      await page.click('#plan details.change summary >> nth=0');
      expect(await page.locator('#plan details.change >> nth=0 >> ul.sites li').first().isVisible()).toBe(true);
      // The first screen shows what breaks and what to change first.
      const first = await page.locator('#first').boundingBox();
      const today = await page.locator('#today .headline').first().boundingBox();
      expect((first?.y ?? 1e9) + 40).toBeLessThan(900);
      expect((today?.y ?? 1e9) + 40).toBeLessThan(900);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('nest-microservices: the same checks', async () => {
    const result = await scanDir(join(FIXTURES, 'nest-microservices'));
    expect(await checkReport('nest-microservices', result)).toHaveLength(2);
  }, 120_000);

  it('a generated 25-service repository: readable graph and a page of bounded height', async () => {
    const dir = join(tmp, 'generated');
    writeGeneratedMonorepo(dir, 25);
    const result = await scanDir(dir);
    expect(result.services.filter((s) => s.kind === 'service')).toHaveLength(25);
    expect(await checkReport('generated-25', result)).toHaveLength(2);
    const { page } = await open(join(OUT, 'report-generated-25.html'), 1440);
    try {
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeLessThan(15 * 900);
      // Boxes never overlap: dagre places services, the names column is spaced.
      const boxes = await page.locator('#graph svg.graph g.node rect').evaluateAll((rects) =>
        rects.map((r) => ({
          x: Number(r.getAttribute('x')),
          y: Number(r.getAttribute('y')),
          w: Number(r.getAttribute('width')),
          h: Number(r.getAttribute('height')),
        })),
      );
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `graph boxes ${i} and ${j} overlap`).toBe(false);
        }
      }
      expect(await page.locator('#graph svg.graph path.edge.import.forbidden').count()).toBe(3);
    } finally {
      await page.close();
    }
  }, 180_000);
});
