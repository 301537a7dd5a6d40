// The SARIF of every fixture monorepo passes the official schema and GitHub's checks; fingerprints follow code.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleInfos } from '../src/cli/catalog.js';
import { loadConfig } from '../src/config/load.js';
import { renderSarif } from '../src/report/sarif.js';
import { scan } from '../src/run.js';
import { checkGithubRules, validateSarifSchema } from './helpers/sarif-checker.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'monorepos');

async function sarifOf(dir: string, category?: string): Promise<string> {
  const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
  return renderSarif(result, { rules: ruleInfos(), category });
}

describe('SARIF of the fixture monorepos', () => {
  for (const name of readdirSync(ROOT)
    .filter((n) => statSync(join(ROOT, n)).isDirectory())
    .sort()) {
    it(`${name}: valid against the schema and GitHub's rules`, async () => {
      const text = await sarifOf(join(ROOT, name), `jwtfrag/${name}/`);
      const log = JSON.parse(text) as { runs: { results: unknown[]; tool: { driver: { rules: unknown[] } } }[] };
      expect(log.runs[0].results.length).toBeGreaterThan(0);
      expect(log.runs[0].tool.driver.rules.length).toBe(ruleInfos().length);
      expect(validateSarifSchema(log)).toEqual([]);
      expect(checkGithubRules(log, text)).toEqual([]);
      expect(await sarifOf(join(ROOT, name), `jwtfrag/${name}/`)).toBe(text);
    });
  }
});

describe('fingerprints and baseline keys follow moved code', () => {
  it('inserting lines above keeps the hash; editing the flagged line changes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-fp-'));
    cpSync(join(ROOT, 'fastapi-platform'), dir, { recursive: true });
    const file = 'analytics_service/analytics/keys.py';
    const pick = async () => {
      const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
      const f = result.findings.find((x) => x.file === file && x.ruleId === 'secret-name-sprawl');
      expect(f, 'the fixture has a sprawl finding in keys.py').toBeDefined();
      return { line: f?.loc.line ?? 0, hash: f?.fingerprints?.primaryLocationLineHash ?? '', key: f?.key ?? '' };
    };
    const before = await pick();
    const original = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), '# added\n# lines\n# above\n' + original);
    const moved = await pick();
    expect(moved.line).toBe(before.line + 3);
    expect(moved.hash).toBe(before.hash);
    expect(moved.key).toBe(before.key);
    const lines = original.split('\n');
    lines[before.line - 1] = lines[before.line - 1] + '  # edited';
    writeFileSync(join(dir, file), lines.join('\n'));
    const edited = await pick();
    expect(edited.hash).not.toBe(before.hash);
    expect(edited.key).toBe(before.key);
  });
});
