// Redaction of secret literals in source lines shown to users.
import { describe, expect, it } from 'vitest';
import { redactLine } from '../src/util/redact.js';

describe('redactLine', () => {
  it('redacts known secret spans with their length', () => {
    const line = 'SECRET = "s3cr3t-value"';
    expect(redactLine(line, 3, [{ line: 3, column: 10, endLine: 3, endColumn: 24 }])).toBe('SECRET = «redacted, 12 chars»');
  });
  it('keeps env names, algorithms, paths and messages; redacts other quoted values', () => {
    const line = `key = os.getenv("JWT_SECRET_KEY", "fallback-k3y-998877") ; jwt.encode(p, key, algorithm="HS256")`;
    const out = redactLine(line, 1, []);
    expect(out).toContain('"JWT_SECRET_KEY"');
    expect(out).toContain('"HS256"');
    expect(out).not.toContain('fallback-k3y-998877');
    expect(out).toContain('«redacted, 19 chars»');
    expect(redactLine(`import x from './config/jwt';`, 1, [])).toBe(`import x from './config/jwt';`);
  });
});
