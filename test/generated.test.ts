// Checked-in derived files must match their generator (`npm run gen` updates them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, readmeWithRules, resultJsonSchema } from '../scripts/gen.js';

const ROOT = join(import.meta.dirname, '..');

describe('generated files', () => {
  it('schema/config.schema.json is up to date (run npm run gen)', () => {
    expect(readFileSync(join(ROOT, 'schema', 'config.schema.json'), 'utf8')).toBe(configJsonSchema());
  });
  it('schema/result.schema.json is up to date (run npm run gen)', () => {
    expect(readFileSync(join(ROOT, 'schema', 'result.schema.json'), 'utf8')).toBe(resultJsonSchema());
  });
  it('the README rule table is up to date (run npm run gen)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('<!-- rules:begin');
    expect(readmeWithRules(readme)).toBe(readme);
  });
});
