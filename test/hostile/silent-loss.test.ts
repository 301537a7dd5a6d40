// Silent loss (issue 17, items 5 and 7): a file or folder the analyser could not read or finish is never a "no findings" run with exit 0.
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleInfos } from '../../src/cli/catalog.js';
import { parseConfig } from '../../src/config/load.js';
import { FORMATS, formatNames } from '../../src/report/index.js';
import type { RunResult } from '../../src/summarize/result.js';
import { scan } from '../../src/run.js';
import { canDenyByPermissions, CASE_LIMIT_MS, cleanUp, MEMORY_LIMIT_KB, runBounded, tree, type BoundedRun } from './harness.js';

afterAll(cleanUp);

const SECRET = 'Zq8mWv3LpR7tYx2KbN5c';
const PY_SERVICE = { 'auth_service/requirements.txt': 'fastapi\npyjwt\n' };
const NODE_SERVICE = {
  'apps/api/package.json': '{ "name": "api", "scripts": { "start": "node dist/main.js" }, "dependencies": { "jsonwebtoken": "^9.0.0" } }\n',
};

/** Every "all clear" wording a report could use. */
const ALL_CLEAR = /no findings|No open findings\.(?! in the files analysed)/i;

function expectBounded(run: BoundedRun): void {
  expect(run.timedOut, 'killed at the time limit').toBe(false);
  expect(run.rssKb ?? 0, 'peak memory (KiB)').toBeLessThan(MEMORY_LIMIT_KB);
}

/**
 * The honest outcome for a file holding a hardcoded key: either the key is found, or the file is
 * listed as not analysed, the summary says so, and --strict exits 2. Never "no findings" with exit 0.
 */
async function expectHonest(name: string, root: string, file: string): Promise<void> {
  const json = join(root, 'result.json');
  const run = await runBounded(name, ['scan', root, '--strict', '--format', 'text', '--format', 'json', '--json', json]);
  expectBounded(run);
  const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
  const found = result.findings.some((f) => f.ruleId === 'hardcoded-jwt-secret' && f.file === file);
  if (found) {
    expect(run.code).toBe(1);
  } else {
    expect(result.files.notAnalysed).toContain(file);
    expect(run.stdout).toMatch(/1 file not analysed/);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--strict: 1 file not analysed');
  }
  expect(run.stdout).not.toMatch(ALL_CLEAR);
  expect(run.stdout + run.stderr).not.toContain(SECRET.slice(0, 8));
}

describe('deeply nested files (item 5)', () => {
  it(
    'Python: a 2,500-term string concatenation before a hardcoded key',
    async () => {
      const terms = Array.from({ length: 2500 }, (_, i) => `"p${i}"`).join(' + ');
      const root = tree({
        ...PY_SERVICE,
        'auth_service/app/token_maker.py': `import jwt\n\nBANNER = ${terms}\n\n\ndef mint(claims):\n    return jwt.encode(claims, "${SECRET}", algorithm="HS256")\n`,
      });
      await expectHonest('deep Python concatenation', root, 'auth_service/app/token_maker.py');
    },
    CASE_LIMIT_MS,
  );

  it(
    'TypeScript: 1,500 nested parentheses before a hardcoded key',
    async () => {
      const root = tree({
        ...NODE_SERVICE,
        'apps/api/src/mint-token.ts': `import jwt from 'jsonwebtoken';\nconst depth = ${'('.repeat(1500)}1${')'.repeat(1500)};\nexport const mint = (claims: object) => jwt.sign(claims, '${SECRET}');\n`,
      });
      await expectHonest('deep TypeScript parentheses', root, 'apps/api/src/mint-token.ts');
    },
    CASE_LIMIT_MS,
  );
});

describe('a file that is not analysed is never "no findings" (item 5, reporting)', () => {
  // Not valid UTF-8: skipped deterministically, whatever the parsers can do.
  const files = {
    ...PY_SERVICE,
    'auth_service/app/latin1_keys.py': Buffer.concat([
      Buffer.from('import jwt\n# caf'),
      Buffer.from([0xe9]),
      Buffer.from(`\ndef mint(c):\n    return jwt.encode(c, "${SECRET}", algorithm="HS256")\n`),
    ]),
  };

  it(
    'every format says how many files were not analysed; the text summary is a warning, not ✔',
    async () => {
      const { result } = await scan({ root: tree(files), config: parseConfig({}, 'test'), jobs: 1 });
      expect(result.findings).toEqual([]);
      expect(result.files.notAnalysed).toEqual(['auth_service/app/latin1_keys.py']);
      const context = { rules: ruleInfos(), color: false };
      for (const format of formatNames()) {
        const output = FORMATS[format](result, context);
        expect(output, format).not.toMatch(ALL_CLEAR);
        if (['text', 'markdown', 'markdown-summary', 'html'].includes(format)) expect(output, format).toContain('1 file not analysed');
      }
      expect(FORMATS.text(result, context)).toMatch(/⚠ 1 file not analysed \(0 findings in the files analysed/);
      expect(FORMATS.markdown(result, context)).toContain('No open findings in the files analysed; 1 file not analysed.');
      expect(FORMATS.html(result, context)).toContain('No open findings in the files analysed; 1 file not analysed.');
    },
    CASE_LIMIT_MS,
  );

  it(
    'exit 0 by default (the --fail-on threshold counts findings); --strict exits 2 whatever --fail-on says',
    async () => {
      const root = tree(files);
      const plain = await runBounded('not analysed, default', ['scan', root]);
      expectBounded(plain);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toMatch(/⚠ 1 file not analysed/);
      const strict = await runBounded('not analysed, --strict --fail-on none', ['scan', root, '--strict', '--fail-on', 'none', '--format', 'github']);
      expectBounded(strict);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toBe('jwtfrag: --strict: 1 file not analysed (see the notifications)\n');
    },
    CASE_LIMIT_MS,
  );
});

describe('unreadable folders (item 7)', () => {
  const files = {
    ...PY_SERVICE,
    'auth_service/app/signing.py': 'import jwt\nimport os\n\n\ndef mint(c):\n    return jwt.encode(c, os.environ["JWT_SECRET"], algorithm="HS256")\n',
    'auth_service/vault/keys.py': `import jwt\n\n\ndef mint(c):\n    return jwt.encode(c, "${SECRET}", algorithm="HS256")\n`,
  };

  /** Makes `dir` unreadable: by permissions when possible, else in the child's view of the file system. */
  function deny(dir: string): { deny?: string[]; restore: () => void } {
    if (!canDenyByPermissions) return { deny: [dir], restore: () => undefined };
    chmodSync(dir, 0o000);
    return { restore: () => chmodSync(dir, 0o755) };
  }

  it(
    'an unreadable root is a usage error: exit 2, one line, no summary',
    async () => {
      const root = tree(files);
      const denied = deny(root);
      try {
        const run = await runBounded('unreadable root', ['scan', root], { deny: denied.deny });
        expectBounded(run);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^jwtfrag: cannot read the folder .* \(EACCES\)\n$/);
      } finally {
        denied.restore();
      }
    },
    CASE_LIMIT_MS,
  );

  it(
    'an unreadable subfolder is a warning, counted as not analysed; --strict exits 2',
    async () => {
      const root = tree(files);
      const denied = deny(join(root, 'auth_service', 'vault'));
      try {
        const run = await runBounded('unreadable subfolder', ['scan', root, '--strict', '--fail-on', 'none'], { deny: denied.deny });
        expectBounded(run);
        expect(run.code).toBe(2);
        expect(run.stdout).toContain('auth_service/vault: folder could not be read (EACCES); the files in it were not analysed (unreadable-folder)');
        expect(run.stdout).toMatch(/ · 1 folder not analysed · /);
        expect(run.stdout).not.toMatch(ALL_CLEAR);
      } finally {
        denied.restore();
      }
    },
    CASE_LIMIT_MS,
  );
});
