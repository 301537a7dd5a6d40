// --changed-since and --staged on real git repositories: the whole repository is analysed, only findings touching changed lines are reported.
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnifiedZero } from '../src/cli/changes.js';
import { unquoteGitPath } from '../src/cli/git.js';
import type { Finding } from '../src/vocabulary.js';
import type { RunResult } from '../src/summarize/result.js';
import { MONOREPOS, runCli, tempRepo } from './helpers/cli.js';
import { commitAll, git, gitRepo } from './helpers/git.js';

const PLATFORM = join(MONOREPOS, 'fastapi-platform');
const LATE_KEYS = 'import os\n\nREPORTS_JWT_SECRET = os.getenv("REPORTS_JWT_SECRET")\n';

function scanJson(dir: string, ...args: string[]): { code: number; result: RunResult; stderr: string } {
  const r = runCli(['scan', dir, '--format', 'json', '--fail-on', 'warning', ...args]);
  expect(r.stdout, r.stderr).not.toBe('');
  return { code: r.code, result: JSON.parse(r.stdout) as RunResult, stderr: r.stderr };
}

const where = (f: Finding) => `${f.ruleId} ${f.file}:${f.loc.line}`;
const active = (r: RunResult) => r.findings.filter((f) => !f.suppression);

function touchesLine(f: Finding, file: string, line: number): boolean {
  const on = (x: { file: string; loc: { line: number; endLine: number } }) => x.file === file && x.loc.line <= line && line <= x.loc.endLine;
  return on(f) || f.related.some(on);
}

describe('--changed-since', () => {
  it('reports nothing on a branch without changes, and only the new finding after a commit on a branch', () => {
    const dir = gitRepo(PLATFORM);
    const full = scanJson(dir);
    expect(active(full.result).length).toBeGreaterThan(5);

    const none = scanJson(dir, '--changed-since', 'main');
    expect(active(none.result)).toEqual([]);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain(`0 of ${active(full.result).length} findings touch lines changed since main`);

    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(dir, 'analytics_service', 'analytics', 'late_keys.py'), LATE_KEYS);
    commitAll(dir, 'a new secret name');
    const pr = scanJson(dir, '--changed-since', 'main');
    expect(active(pr.result).map(where)).toEqual(['secret-name-sprawl analytics_service/analytics/late_keys.py:3']);
    expect(pr.code).toBe(1);
    // The model is still the whole repository: the inventory lists every name.
    expect(pr.result.inventory.length).toBe(scanJson(dir).result.inventory.length);
  });

  it('keeps findings whose primary or related location is on a changed line, not the rest of the file', () => {
    const dir = gitRepo(PLATFORM);
    const full = active(scanJson(dir).result);
    const file = 'auth_service/auth_core/config.py';
    const text = readFileSync(join(dir, file), 'utf8').split('\n');
    // The changed line: one a finding elsewhere points to as its related location.
    const related = full.find((f) => f.file !== file && f.related.some((r) => r.file === file));
    expect(related, 'a cross-file finding related to the auth config').toBeDefined();
    const line = related?.related.find((r) => r.file === file)?.loc.line ?? 0;
    text[line - 1] += '  # reviewed';
    writeFileSync(join(dir, file), text.join('\n'));

    const narrowed = active(scanJson(dir, '--changed-since', 'HEAD').result);
    const expected = full
      .filter((f) => touchesLine(f, file, line))
      .map(where)
      .sort();
    expect(narrowed.map(where).sort()).toEqual(expected);
    expect(expected).toContain(where(related as Finding));
    expect(expected.length).toBeLessThan(full.length);
  });

  it('counts an untracked file as changed', () => {
    const dir = gitRepo(PLATFORM);
    writeFileSync(join(dir, 'analytics_service', 'analytics', 'late_keys.py'), LATE_KEYS);
    const r = scanJson(dir, '--changed-since', 'main');
    expect(active(r.result).map(where)).toEqual(['secret-name-sprawl analytics_service/analytics/late_keys.py:3']);
  });

  it('works from a sub-folder of the repository, with paths relative to the scanned root', () => {
    const dir = gitRepo();
    cpSync(PLATFORM, join(dir, 'platform'), { recursive: true });
    writeFileSync(join(dir, 'README.md'), '# monorepo\n');
    commitAll(dir, 'platform');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(dir, 'platform', 'analytics_service', 'analytics', 'late_keys.py'), LATE_KEYS);
    appendFileSync(join(dir, 'README.md'), 'more\n');
    commitAll(dir, 'late keys');
    const r = scanJson(join(dir, 'platform'), '--changed-since', 'main');
    expect(active(r.result).map(where)).toEqual(['secret-name-sprawl analytics_service/analytics/late_keys.py:3']);
    expect(r.stderr).toContain('(1 changed file)');
  });

  it('exits 2 with one line outside a git repository and for an unknown revision', () => {
    const plain = tempRepo({ 'svc/main.py': 'import os\nprint(os.getenv("HOME"))\n' });
    const outside = runCli(['scan', plain, '--changed-since', 'main']);
    expect(outside.code).toBe(2);
    expect(outside.stderr.trim().split('\n')).toHaveLength(1);
    expect(outside.stderr).toContain(`--changed-since needs a git repository: ${plain} is not inside one`);

    const dir = gitRepo(PLATFORM);
    const unknown = runCli(['scan', dir, '--changed-since', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("jwtfrag: --changed-since: git does not know the revision 'no-such-branch' (fetch it first, e.g. git fetch origin main)\n");

    const option = runCli(['scan', dir, '--changed-since=--output=/tmp/x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--changed-since takes a git revision');
  });
});

describe('--staged', () => {
  it('reports findings on staged lines only, before the first commit too', () => {
    const dir = gitRepo(PLATFORM);
    writeFileSync(join(dir, 'analytics_service', 'analytics', 'late_keys.py'), LATE_KEYS);
    appendFileSync(join(dir, 'analytics_service', 'analytics', 'keys.py'), 'OTHER_JWT_SECRET = os.getenv("OTHER_JWT_SECRET")\n');
    git(dir, 'add', 'analytics_service/analytics/late_keys.py');
    const r = scanJson(dir, '--staged');
    expect(active(r.result).map(where)).toEqual(['secret-name-sprawl analytics_service/analytics/late_keys.py:3']);
    expect(r.stderr).toContain('touch lines staged');

    const fresh = tempRepo({}, 'jwtfrag-git-fresh-');
    git(fresh, 'init', '-q');
    mkdirSync(join(fresh, 'svc'));
    writeFileSync(join(fresh, 'svc', 'requirements.txt'), 'pyjwt\n');
    writeFileSync(
      join(fresh, 'svc', 'main.py'),
      'import jwt\n\n\ndef token(claims):\n    return jwt.encode(claims, "not-from-the-environment-123", algorithm="HS256")\n',
    );
    expect(active(scanJson(fresh, '--staged').result)).toEqual([]);
    git(fresh, 'add', '-A');
    expect(active(scanJson(fresh, '--staged').result).map(where)).toEqual(['hardcoded-jwt-secret svc/main.py:5']);
  });

  it('--staged and --changed-since together are a usage error', () => {
    const r = runCli(['scan', PLATFORM, '--staged', '--changed-since', 'main']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be combined');
  });
});

describe('git diff parsing', () => {
  it('reads new-side ranges, pure deletions and quoted names', () => {
    const diff = [
      'diff --git a/a.py b/a.py',
      '--- a/a.py',
      '+++ b/a.py',
      '@@ -3 +3 @@',
      '@@ -10,2 +9,0 @@',
      '@@ -20,0 +19,4 @@',
      'diff --git "a/sp ace\\303\\251\\"q.py" "b/sp ace\\303\\251\\"q.py"',
      '--- "a/sp ace\\303\\251\\"q.py"',
      '+++ "b/sp ace\\303\\251\\"q.py"',
      '@@ -0,0 +1,2 @@',
      'diff --git a/gone.py b/gone.py',
      '--- a/gone.py',
      '+++ /dev/null',
      '@@ -1,3 +0,0 @@',
    ].join('\n');
    expect([...parseUnifiedZero(diff).entries()]).toEqual([
      [
        'a.py',
        [
          [3, 3],
          [9, 10],
          [19, 22],
        ],
      ],
      ['sp aceé"q.py', [[1, 2]]],
    ]);
    expect(unquoteGitPath('"tab\\there"')).toBe('tab\there');
    expect(unquoteGitPath('plain/ü.py')).toBe('plain/ü.py');
  });
});
