// --fix and --fix-dry-run on copies of both fixture monorepos in real git repositories: the fragmentation findings go away and every file still parses.
import { execFileSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { applyPatches, FRAGMENTATION_RULES, planFixes } from '../src/cli/fix.js';
import { loadConfig } from '../src/config/load.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';
import { MONOREPOS, runCli, tempRepo } from './helpers/cli.js';
import { git, gitRepo } from './helpers/git.js';

const fragmentation = (r: RunResult) => r.findings.filter((f) => !f.suppression && FRAGMENTATION_RULES.includes(f.ruleId));

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import ast'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Syntax problems of a changed file: TypeScript's parser for TS/JS, CPython's for Python (when installed). */
function syntaxProblems(dir: string, file: string): string[] {
  const text = readFileSync(join(dir, file), 'utf8');
  if (/\.[cm]?[jt]sx?$/.test(file)) {
    const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
    return (out.diagnostics ?? []).map((d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  if (file.endsWith('.py') && hasPython()) {
    try {
      execFileSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1])', join(dir, file)], {
        stdio: 'pipe',
      });
    } catch (error) {
      return [`${file}: ${String((error as { stderr?: Buffer }).stderr ?? error)}`];
    }
  }
  return [];
}

function changedFiles(dir: string): string[] {
  return git(dir, 'diff', '--name-only').trim().split('\n').filter(Boolean);
}

describe.each(['fastapi-platform', 'nest-microservices'])('--fix on %s', (name) => {
  it('removes every fragmentation finding; every changed file still parses, tests included', () => {
    const dir = gitRepo(join(MONOREPOS, name), `jwtfrag-fix-${name}-`);
    const before = JSON.parse(runCli(['scan', dir, '--format', 'json']).stdout) as RunResult;
    expect(fragmentation(before).length).toBeGreaterThan(0);

    const r = runCli(['scan', dir, '--fix', '--format', 'json', '--include-tests']);
    expect(r.stderr).toMatch(new RegExp(`--fix: \\d+ edits in \\d+ files; secret-fragmentation findings \\d+ → 0`));
    const after = JSON.parse(r.stdout) as RunResult;
    expect(fragmentation(after)).toEqual([]);
    expect(after.notifications.filter((n) => n.id === 'parse-error')).toEqual(before.notifications.filter((n) => n.id === 'parse-error'));

    const changed = changedFiles(dir);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.flatMap((file) => syntaxProblems(dir, file))).toEqual([]);
    // Nothing but the edits: no temp files left behind.
    expect(
      git(dir, 'status', '--porcelain', '--untracked-files=all')
        .split('\n')
        .filter((l) => l.startsWith('??')),
    ).toEqual([]);
  });

  it('--fix-dry-run prints a diff that git applies, and writes nothing', () => {
    const dir = gitRepo(join(MONOREPOS, name), `jwtfrag-dry-${name}-`);
    const r = runCli(['scan', dir, '--fix-dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^diff --git a\/\S+ b\/\S+\n--- a\/\S+\n\+\+\+ b\/\S+\n@@ /);
    expect(r.stderr).toContain('(nothing written)');
    expect(changedFiles(dir)).toEqual([]);
    const patch = join(tempRepo({}), 'fix.diff');
    writeFileSync(patch, r.stdout);
    git(dir, 'apply', '--check', patch);
    git(dir, 'apply', patch);
    const after = JSON.parse(runCli(['scan', dir, '--format', 'json']).stdout) as RunResult;
    expect(fragmentation(after)).toEqual([]);
  });
});

describe('--fix refuses', () => {
  const PLATFORM = join(MONOREPOS, 'fastapi-platform');

  it('in a dirty working tree unless --allow-dirty', () => {
    const dir = gitRepo(PLATFORM);
    writeFileSync(join(dir, 'README.md'), 'local notes\n');
    git(dir, 'add', 'README.md');
    const refused = runCli(['scan', dir, '--fix']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'jwtfrag: --fix: the working tree has uncommitted changes (1 file, e.g. README.md); commit or stash them, or pass --allow-dirty\n',
    );
    expect(changedFiles(dir)).toEqual([]);
    const allowed = runCli(['scan', dir, '--fix', '--allow-dirty', '--quiet']);
    expect(allowed.stderr).toContain('secret-fragmentation findings');
    expect(changedFiles(dir).length).toBeGreaterThan(0);
  });

  it('outside a git repository unless --allow-dirty', () => {
    const dir = tempRepo({});
    execFileSync('cp', ['-R', `${PLATFORM}/.`, dir]);
    const original = readFileSync(join(dir, 'analytics_service', 'analytics', 'keys.py'), 'utf8');
    const refused = runCli(['scan', dir, '--fix']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not in a git repository');
    expect(readFileSync(join(dir, 'analytics_service', 'analytics', 'keys.py'), 'utf8')).toBe(original);
  });

  it('when a file changed since the scan, touching none', async () => {
    const dir = gitRepo(PLATFORM);
    const sources = new Map<string, string>();
    const started = Date.now();
    const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1, planSources: sources });
    const { patches } = planFixes(dir, result, sources);
    expect(patches.length).toBeGreaterThan(1);
    const victim = join(dir, patches[1].file);
    writeFileSync(victim, readFileSync(victim, 'utf8') + '\n# edited meanwhile\n');
    expect(() => applyPatches(dir, patches, started)).toThrow(`--fix: 1 file changed since the scan (${patches[1].file}); nothing was written, run it again`);
    expect(changedFiles(dir)).toEqual([patches[1].file]);

    // Same content but modified after the scan started (an editor saving in between) is refused too.
    git(dir, 'checkout', '-q', '--', '.');
    const future = new Date(Date.now() + 60_000);
    utimesSync(victim, future, future);
    expect(() => applyPatches(dir, patches, started)).toThrow('changed since the scan');
    expect(changedFiles(dir)).toEqual([]);
  });

  it('combined with finding filters', () => {
    const r = runCli(['scan', PLATFORM, '--fix-dry-run', '--rule', 'secret-name-sprawl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fix applies the whole migration plan');
  });
});
