// Screenshots an HTML report in headless Chromium (for eyeballing layout): tsx scripts/screenshot-report.ts <report.html> <out.png> [scrollToId]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

async function main(): Promise<void> {
  const [html, png, anchor] = process.argv.slice(2);
  if (!html || !png) throw new Error('usage: tsx scripts/screenshot-report.ts <report.html> <out.png> [section-id]');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    await page.goto(pathToFileURL(resolve(html)).href);
    if (anchor) await page.locator(`#${anchor}`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: png });
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
