// No silent loss: deeply nested files (long concatenations, nested parentheses, calls, lists) and CR-only Python files are analysed whole.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_ENV_ACCESSORS } from '../../src/config/schema.js';
import { extractFile } from '../../src/extract/index.js';
import { scan } from '../../src/run.js';

/** Per-case limit: a regression shows as a failure, not a hang. */
const CASE_LIMIT_MS = 30_000;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'jwtfrag-deep-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const PY_SERVICE = { 'auth_service/requirements.txt': 'fastapi\npyjwt\n' };
const TS_SERVICE = {
  'apps/api/package.json': '{ "name": "api", "scripts": { "start": "node dist/main.js" }, "dependencies": { "express": "4", "jsonwebtoken": "9" } }\n',
};

const pyConcat = (n: number): string => Array.from({ length: n }, (_, i) => `"part${i}"`).join(' + ');
const pySign = 'def issue(payload):\n    return jwt.encode(payload, "deep-literal-signing-value", algorithm="HS256")\n';
const tsSign = "export function issue(p: object) { return jwt.sign(p, 'deep-literal-signing-value'); }\n";

interface Case {
  name: string;
  files: Record<string, string>;
  /** file → line of the hardcoded-jwt-secret finding that must be reported. */
  expected: Record<string, number>;
}

const CASES: Case[] = [
  {
    name: 'Python: a 2,000-term and a 20,000-term string concatenation, 5,000 nested calls, parentheses and lists',
    files: {
      ...PY_SERVICE,
      'auth_service/concat.py': `import jwt\n\nPIECE = ${pyConcat(2_000)}\n\n${pySign}`,
      'auth_service/concat_long.py': `import jwt\n\nPIECE = ${pyConcat(20_000)}\n\n${pySign}`,
      'auth_service/nested.py': `import jwt\n\nA = ${'f('.repeat(5_000)}${')'.repeat(5_000)}\nB = ${'('.repeat(5_000)}1${')'.repeat(5_000)}\nC = ${'['.repeat(5_000)}${']'.repeat(5_000)}\n\n${pySign}`,
    },
    expected: { 'auth_service/concat.py': 6, 'auth_service/concat_long.py': 6, 'auth_service/nested.py': 8 },
  },
  {
    name: 'TypeScript: 1,000 and 12,000 nested parentheses, a 20,000-term concatenation, 3,000 nested calls',
    files: {
      ...TS_SERVICE,
      'apps/api/src/parens.ts': `import jwt from 'jsonwebtoken';\nexport const x = ${'('.repeat(1_000)}1${')'.repeat(1_000)};\n${tsSign}`,
      'apps/api/src/parens-deep.ts': `import jwt from 'jsonwebtoken';\nexport const x = ${'('.repeat(12_000)}1${')'.repeat(12_000)};\n${tsSign}`,
      'apps/api/src/concat.ts': `import jwt from 'jsonwebtoken';\nexport const y = ${Array.from({ length: 20_000 }, (_, i) => `'p${i}'`).join(' + ')};\n${tsSign}`,
      'apps/api/src/calls.ts': `import jwt from 'jsonwebtoken';\nconst f = (v: unknown) => v;\nexport const z = ${'f('.repeat(3_000)}1${')'.repeat(3_000)};\n${tsSign}`,
    },
    expected: { 'apps/api/src/parens.ts': 3, 'apps/api/src/parens-deep.ts': 3, 'apps/api/src/concat.ts': 3, 'apps/api/src/calls.ts': 4 },
  },
  {
    name: 'Python with CR-only line ends: every statement on its own line',
    files: {
      ...PY_SERVICE,
      'auth_service/classic_mac.py': [
        'import os',
        'import jwt',
        '',
        'KEY = os.getenv("AUTH_JWT_SECRET")',
        '',
        'def issue(payload):',
        '    return jwt.encode(payload, "cr-literal-signing-value", algorithm="HS256")',
        '',
        'def check(token):',
        '    return jwt.decode(token, KEY, algorithms=["HS256"])',
        '',
      ].join('\r'),
    },
    expected: { 'auth_service/classic_mac.py': 7 },
  },
];

describe('deep nesting and CR-only files are analysed whole', () => {
  it('a CR-only Python file gives the facts of its LF twin, on the same lines', async () => {
    const lines = [
      'import os',
      'import jwt',
      '',
      'KEY = os.getenv("AUTH_JWT_SECRET")',
      '',
      'def check(token):',
      '    return jwt.decode(token, KEY, algorithms=["HS256"])',
      '',
    ];
    const options = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const lf = await extractFile('svc/check.py', lines.join('\n'), 'python', options);
    const cr = await extractFile('svc/check.py', lines.join('\r'), 'python', options);
    expect(cr.notifications).toEqual([]);
    expect(cr.envReads.map((r) => [r.name, r.loc.line])).toEqual([['AUTH_JWT_SECRET', 4]]);
    expect(cr.jwtOps.map((o) => [o.op, o.loc.line, o.key?.trace.sources.map((s) => s.kind)])).toEqual([['verify', 7, ['env']]]);
    expect(JSON.stringify(cr)).toBe(JSON.stringify(lf));
  });

  for (const c of CASES) {
    it(
      c.name,
      async () => {
        // maxLineLength 0: these lines are long, and the files must not be taken for minified code.
        const { result } = await scan({ root: plant(c.files), config: parseConfig({ maxLineLength: 0 }, 'test'), jobs: 1 });
        expect(result.notifications.filter((n) => n.id === 'extract-failed' || n.id === 'parse-error')).toEqual([]);
        const found = Object.fromEntries(result.findings.filter((f) => f.ruleId === 'hardcoded-jwt-secret').map((f) => [f.file, f.loc.line]));
        expect(found).toEqual(c.expected);
      },
      CASE_LIMIT_MS,
    );
  }
});
