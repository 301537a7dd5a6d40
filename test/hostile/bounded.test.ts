// Bounded time and memory (issue 17, items 8–12): hostile patterns, YAML alias chains, brace expansions, --jobs and .gitignore lines each finish within a per-case limit, as a notification or a config error.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { CASE_LIMIT_MS, cleanUp, MEMORY_LIMIT_KB, runBounded, tree, type BoundedRun } from './harness.js';

afterAll(cleanUp);

const SECRET = 'Zq8mWv3LpR7tYx2KbN5c';
const PY_SERVICE = { 'auth_service/requirements.txt': 'fastapi\npyjwt\n' };

function expectBounded(run: BoundedRun): void {
  expect(run.timedOut, 'killed at the time limit').toBe(false);
  expect(run.rssKb ?? 0, 'peak memory (KiB)').toBeLessThan(MEMORY_LIMIT_KB);
  expect(run.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
  expect(run.stdout + run.stderr).not.toContain(SECRET.slice(0, 8));
}

/** Names a deployment provides that a backtracking matcher chokes on: long runs of the pattern's separator, never matching its end. */
function chokingNames(count: number): string {
  return Array.from({ length: count }, (_, i) => `${'_'.repeat(150 + i)}Q${i}=1`).join('\n') + '\n';
}

describe('name patterns (item 8)', () => {
  it(
    'a configured name pattern with 25 `*` against long env names',
    async () => {
      const root = tree({
        ...PY_SERVICE,
        'jwtfrag.config.json': JSON.stringify({ families: { jwt: { namePatterns: [`${'*a'.repeat(25)}*b`, '*JWT*SECRET*'] } } }),
        'auth_service/.env': chokingNames(6).replace(/_/g, 'a'),
        'auth_service/app/keys.py': `import jwt\nimport os\n\nLONG = os.getenv("${'a'.repeat(3000)}c")\n\n\ndef mint(c):\n    return jwt.encode(c, os.getenv("JWT_SECRET"), algorithm="HS256")\n`,
      });
      const run = await runBounded('namePatterns with 25 *', ['scan', root, '--fail-on', 'none']);
      expectBounded(run);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('JWT_SECRET');
      // The 3,000-character name is shown shortened, with a note.
      expect(run.stdout).toContain('1 environment variable name longer than 200 characters is shown shortened');
      expect(run.stdout).not.toContain('a'.repeat(65));
    },
    CASE_LIMIT_MS,
  );

  it(
    'no config: an f-string name with 14 `{…}` parts reaching a JWT call, and long provided names',
    async () => {
      const parts = Array.from({ length: 14 }, (_, i) => `{p${i}}_`).join('');
      const root = tree({
        ...PY_SERVICE,
        'auth_service/.env': chokingNames(8),
        'auth_service/app/dynamic_key.py': `import jwt\nimport os\n\n${Array.from({ length: 14 }, (_, i) => `p${i} = os.getenv("PART_${i}", "x")\n`).join('')}\n\ndef mint(c):\n    return jwt.encode(c, os.getenv(f"${parts}KEY"), algorithm="HS256")\n`,
      });
      const run = await runBounded('f-string with 14 parts', ['scan', root, '--fail-on', 'none']);
      expectBounded(run);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('dynamic-secret-name');
    },
    CASE_LIMIT_MS,
  );
});

describe('YAML aliases (item 9)', () => {
  it(
    'merge-key chains in a 1.5 KB compose file: the document is a notification, the file counted as not analysed',
    async () => {
      // Two anchors per level, each merging both of the level below: 2^20 nodes once expanded.
      const levels = ['a0: &a0 {k: 1}\nb0: &b0 {j: 1}\n'];
      for (let i = 1; i <= 20; i++)
        levels.push(`a${i}: &a${i} {<<: [*a${i - 1}, *b${i - 1}], a${i}: 1}\nb${i}: &b${i} {<<: [*b${i - 1}, *a${i - 1}], b${i}: 1}\n`);
      const compose = `${levels.join('')}services:\n  api:\n    image: api\n    environment:\n      <<: *a20\n      JWT_SECRET: ${SECRET}\n`;
      expect(compose.length).toBeLessThan(1600);
      const root = tree({ 'docker-compose.yml': compose });
      const run = await runBounded('YAML merge-key chain', ['scan', root]);
      expectBounded(run);
      expect(run.stdout).toMatch(/YAML document not analysed: aliases expand to more than \d+ nodes \(analysis-limit\)/);
      expect(run.stdout).toMatch(/⚠ 1 file not analysed/);
      expect(run.code).toBe(0);
    },
    CASE_LIMIT_MS,
  );

  it(
    'an alias inside its own anchor is reported, not followed',
    async () => {
      const root = tree({ 'compose.yaml': 'services:\n  api: &loop\n    image: api\n    environment:\n      <<: *loop\n      JWT_SECRET: x\n' });
      const run = await runBounded('YAML self-alias', ['scan', root]);
      expectBounded(run);
      expect(run.code).not.toBe(null);
      expect(run.stdout).not.toMatch(/no findings/);
    },
    CASE_LIMIT_MS,
  );
});

describe('over-large config globs (item 10)', () => {
  it(
    '`exclude` with 22 brace expansions is a config error naming the field',
    async () => {
      const root = tree({ ...PY_SERVICE, 'jwtfrag.config.json': JSON.stringify({ exclude: ['{a,b}'.repeat(22)] }) });
      const run = await runBounded('exclude {a,b}×22', ['scan', root]);
      expectBounded(run);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('jwtfrag: config error: jwtfrag.config.json: exclude[0]: braces expand to more than 256 alternatives\n');
    },
    CASE_LIMIT_MS,
  );

  it(
    'an `include` range of ten million is a config error, not an internal error',
    async () => {
      const root = tree({ ...PY_SERVICE, 'jwtfrag.config.json': JSON.stringify({ include: ['src/f{1..10000000}.py'] }) });
      const run = await runBounded('include {1..10000000}', ['scan', root]);
      expectBounded(run);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('jwtfrag: config error: jwtfrag.config.json: include[0]: braces expand to more than 256 alternatives\n');
    },
    CASE_LIMIT_MS,
  );

  it(
    'a 40,000-character pattern, and patterns that together expand too far, are config errors',
    async () => {
      const root = tree({
        ...PY_SERVICE,
        'jwtfrag.config.json': JSON.stringify({
          exclude: ['*'.repeat(40_000)],
          families: { jwt: { namePatterns: Array.from({ length: 20 }, (_, i) => `{${'a,'.repeat(254)}b}${i}`) } },
        }),
      });
      const run = await runBounded('config pattern size', ['scan', root]);
      expectBounded(run);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('exclude[0]: pattern longer than 1024 characters (40000)');
      expect(run.stderr).toContain('families.jwt.namePatterns: the patterns expand to 5100 alternatives (limit 4096)');
      expect(run.stderr.length).toBeLessThan(1000);
    },
    CASE_LIMIT_MS,
  );
});

describe('--jobs (item 11)', () => {
  it(
    '--jobs 1000 on a tree large enough for the worker pool uses at most the available cores, and says so once',
    async () => {
      const files: Record<string, string> = { ...PY_SERVICE };
      for (let i = 0; i < 420; i++) files[`auth_service/app/m${i}.py`] = `import os\n\nVALUE_${i} = os.getenv("SETTING_${i}")\n`;
      const root = tree(files);
      const run = await runBounded('--jobs 1000, 420 files', ['scan', root, '--jobs', '1000']);
      expectBounded(run);
      expect(run.code).toBe(0);
      const cores = availableParallelism();
      expect(run.stderr).toBe(`jwtfrag: --jobs 1000 is more than the ${cores} available cores; using ${cores}\n`);
      expect(run.stdout).toContain('420 files');
    },
    CASE_LIMIT_MS,
  );
});

describe('.gitignore (item 12)', () => {
  const files = {
    ...PY_SERVICE,
    '.gitignore': `${'*'.repeat(40_000)}\n# a long line of stars and one that backtracks\n${'*a'.repeat(30)}*b\nbuild/\n`,
    'auth_service/app/issuer.py': `import jwt\n\n\ndef mint(c):\n    return jwt.encode(c, "${SECRET}", algorithm="HS256")\n`,
    'build/out.py': `import jwt\n\n\ndef mint(c):\n    return jwt.encode(c, "${SECRET}", algorithm="HS256")\n`,
  };

  function expectLineSkipped(run: BoundedRun): void {
    expectBounded(run);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('.gitignore: line 1 is 40000 characters long (limit 1024); it was not applied (gitignore-line-skipped)');
    // The other lines still apply: build/ is ignored, the service file is analysed.
    expect(run.stdout).toContain('auth_service/app/issuer.py');
    expect(run.stdout).not.toContain('build/out.py');
    for (const line of (run.stdout + run.stderr).split('\n')) expect(line.length).toBeLessThan(2000);
  }

  it(
    'outside a git repository: the 40k-character line is skipped with a notification',
    async () => {
      const run = await runBounded('.gitignore 40k line', ['scan', tree(files)]);
      expectLineSkipped(run);
    },
    CASE_LIMIT_MS,
  );

  it(
    'in a git work tree: the same, without handing the line to git',
    async () => {
      const root = tree(files);
      execFileSync('git', ['init', '-q'], { cwd: root });
      const run = await runBounded('.gitignore 40k line (git)', ['scan', root]);
      expectLineSkipped(run);
    },
    CASE_LIMIT_MS,
  );
});

describe('broken Python syntax', () => {
  it(
    'a chained assignment whose last link has no value (`a = b: c`, which the parser accepts): the scan ends and analyses the file',
    async () => {
      const root = tree({
        ...PY_SERVICE,
        'auth_service/app/broken.py': [
          'import jwt',
          'import os',
          '',
          'def mint(user):',
          '    user_key = fuser_operation:{user["id"]}',
          '    first = second = label: str',
          '    return jwt.encode({"k": user_key}, os.getenv("JWT_SECRET"), algorithm="HS256")',
          '',
        ].join('\n'),
      });
      const run = await runBounded('chained assignment without a value', ['scan', root, '--fail-on', 'none']);
      expectBounded(run);
      expect(run.code).toBe(0);
      // The parser accepts these lines without an error; the file is analysed to its end.
      expect(run.stdout).toContain('auth_service/app/broken.py:7:50  os.getenv  sign');
    },
    CASE_LIMIT_MS,
  );
});
