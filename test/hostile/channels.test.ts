// Output channels (issue 17, items 14–18) on one generated tree with hostile file names: closed and full stdout, control characters, HTML in names, paths from saved results, backslashes, rule option types, a BOM in the config.
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CASE_LIMIT_MS, cleanUp, MEMORY_LIMIT_KB, runBounded, tree, type BoundedRun } from './harness.js';

afterAll(cleanUp);

const SECRET = 'Zq8mWv3LpR7tYx2KbN5c';
const KEYED = `import jwt\n\n\ndef mint(c):\n    return jwt.encode(c, "${SECRET}", algorithm="HS256")\n`;

/** File names that try to start a workflow command, inject markup, or split a path. */
const NAMES = [
  'x\n::error file=a.py,line=1::forged\u001b[31m.py',
  '::add-mask::y.py',
  '<script>alert(1)<\\script>.py',
  '<img src=x onerror=alert(1)>.py',
  'a\\b.py',
];

function hostileTree(): string {
  const files: Record<string, string> = { 'svc/requirements.txt': 'pyjwt\n' };
  for (const name of NAMES) files[`svc/${name}`] = KEYED;
  return tree(files);
}

function expectBounded(run: BoundedRun): void {
  expect(run.timedOut, 'killed at the time limit').toBe(false);
  expect(run.rssKb ?? 0, 'peak memory (KiB)').toBeLessThan(MEMORY_LIMIT_KB);
  expect(run.stdout + run.stderr).not.toContain(SECRET.slice(0, 8));
}

describe('hostile names in every output (items 15, 16, 18)', () => {
  it(
    'text, GitHub, Markdown and SARIF: no raw control character, no forged workflow command, no markup, backslash kept in the name',
    async () => {
      const root = hostileTree();
      const sarif = join(root, 'out.sarif');
      const json = join(root, 'out.json');
      const run = await runBounded('hostile names, all formats', [
        'scan',
        root,
        '-f',
        'text',
        '-f',
        'github',
        '-f',
        'markdown',
        '--sarif',
        sarif,
        '--json',
        json,
        '--fail-on',
        'none',
      ]);
      expectBounded(run);
      expect(run.code).toBe(0);
      expect(run.stdout.match(/hardcoded-jwt-secret/g)?.length ?? 0).toBeGreaterThanOrEqual(NAMES.length);
      expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      for (const line of run.stdout.split('\n')) if (/^\s*::/.test(line)) expect(line).toMatch(/^::(error|warning|notice) file=/);
      const markdown = run.stdout.slice(run.stdout.indexOf('# jwtfrag fragmentation report'));
      expect(markdown).toContain('svc/x ::error file=a.py,line=1::forged\\x1b[31m.py');
      // Inside a code span a tag is text; outside one it would be markup.
      expect(markdown.replace(/`[^`\n]*`/g, '')).not.toMatch(/<script|<img/i);
      const uris = (
        JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }
      ).runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
      expect(uris).toContain('svc/a%5Cb.py');
      expect(uris.every((u) => !u.includes('\\') && !u.startsWith('/'))).toBe(true);
    },
    CASE_LIMIT_MS,
  );
});

describe('stdout closed or full (item 14)', () => {
  it(
    "a reader that goes away (`| head`): quiet, with the run's own exit code",
    async () => {
      const run = await runBounded('stdout closed', ['scan', hostileTree(), '-f', 'json'], { stdout: 'closed' });
      expectBounded(run);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
    },
    CASE_LIMIT_MS,
  );

  it(
    '/dev/full: exit 2 with one line',
    async () => {
      const fd = openSync('/dev/full', 'w');
      try {
        const run = await runBounded('stdout /dev/full', ['scan', hostileTree()], { stdout: fd });
        expectBounded(run);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe('jwtfrag: cannot write to standard output (ENOSPC)\n');
      } finally {
        closeSync(fd);
      }
    },
    CASE_LIMIT_MS,
  );
});

describe('inputs that are not source code (items 17, 18)', () => {
  it(
    'report --from: a result whose finding climbs out of the repository is rejected at validation',
    async () => {
      const root = hostileTree();
      const json = join(root, 'result.json');
      const first = await runBounded('scan for report --from', ['scan', root, '-f', 'json', '-o', json, '--fail-on', 'none']);
      expect(first.code).toBe(0);
      const result = JSON.parse(readFileSync(json, 'utf8')) as { findings: { file: string }[] };
      result.findings[0].file = 'svc/../../../etc/passwd';
      writeFileSync(json, JSON.stringify(result));
      const run = await runBounded('report --from with ..', ['report', '--from', json, '--format', 'github']);
      expectBounded(run);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`jwtfrag: ${json}: findings[0].file: a path that leaves the repository ('..')\n`);
    },
    CASE_LIMIT_MS,
  );

  it(
    'a config with a byte order mark is read; rule options of the wrong type are config errors naming the field',
    async () => {
      const root = hostileTree();
      const config = {
        rules: {
          'ws-long-lived-db-session': { options: { dependencies: 'get_db', replaceDefaults: 'yes' } },
          'committed-secret-value': { options: { minLenght: 4 } },
        },
      };
      writeFileSync(join(root, 'jwtfrag.config.json'), `\uFEFF${JSON.stringify(config)}`);
      const run = await runBounded('config BOM, wrong option types', ['scan', root]);
      expectBounded(run);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('rules.ws-long-lived-db-session.options.dependencies: expected an array of strings, got the string "get_db"');
      expect(run.stderr).toContain('rules.ws-long-lived-db-session.options.replaceDefaults: expected true or false, got the string "yes"');
      expect(run.stderr).toContain('rules.committed-secret-value.options.minLenght: unknown option (this rule takes minLength)');
      expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    },
    CASE_LIMIT_MS,
  );
});
