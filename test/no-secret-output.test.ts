// No secret literal appears in any output: a canary tree is rendered in every format.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleInfos } from '../src/cli/catalog.js';
import { parseConfig } from '../src/config/load.js';
import { FORMATS, formatNames } from '../src/report/index.js';
import { scan } from '../src/run.js';

const CANARY = join(import.meta.dirname, '..', 'fixtures', 'canary');

describe('secret values never reach an output', () => {
  it('every format of the canary scan is free of canary text', async () => {
    const { result } = await scan({ root: CANARY, config: parseConfig({}, 'test'), jobs: 1 });
    // The tree does have findings about those literals, so the check is not vacuous.
    expect(result.findings.filter((f) => f.ruleId === 'hardcoded-jwt-secret').length).toBeGreaterThanOrEqual(4);
    expect(result.findings.some((f) => f.snippet?.includes('«redacted'))).toBe(true);
    const context = { rules: ruleInfos(), color: false, includeSuppressed: true };
    for (const format of formatNames()) {
      const text = FORMATS[format](result, context);
      expect(text.length, format).toBeGreaterThan(0);
      expect(text.match(/CANARY[^"'\s]*/g) ?? [], `${format} output`).toEqual([]);
    }
  });
});
