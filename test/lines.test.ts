// Offsets from 1-based locations count line breaks the way the extractors do (LF, CRLF, lone CR; U+2028 in JS/TS).
import { describe, expect, it } from 'vitest';
import { offsetIn } from '../src/util/lines.js';

describe('offsetIn', () => {
  it('finds a column on any line ending, as the extractors count lines', () => {
    const crOnly = 'import os\rKEY = os.environ["JWT_SECRET"]\r';
    expect(crOnly.slice(offsetIn(crOnly, 'app/settings.py', 2, 18), offsetIn(crOnly, 'app/settings.py', 2, 30))).toBe('"JWT_SECRET"');
    const crlf = 'a = 1\r\nb = os.getenv("B")\r\n';
    expect(crlf.slice(offsetIn(crlf, 'x.py', 2, 15), offsetIn(crlf, 'x.py', 2, 18))).toBe('"B"');
  });

  it('counts U+2028 as a line break in TypeScript only, like the compiler', () => {
    const text = `const a = 'x';\u2028const key = process.env.JWT_SECRET;\n`;
    expect(text.slice(offsetIn(text, 'src/a.ts', 2, 25), offsetIn(text, 'src/a.ts', 2, 35))).toBe('JWT_SECRET');
    expect(offsetIn(text, 'deploy/a.yaml', 2, 1)).toBe(text.indexOf('\n') + 1);
  });
});
