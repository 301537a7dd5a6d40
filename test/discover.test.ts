// Discovery: .gitignore, default excludes, skips (binary, non-UTF-8, large, symlink loops), tests, services.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { discover, fileIn } from '../src/discover/index.js';
import { GitignoreSet, parseGitignore } from '../src/discover/gitignore.js';
import { isTestPath, languageOf } from '../src/discover/languages.js';
import { scan } from '../src/run.js';
import { compileGlob } from '../src/util/glob.js';

function repo(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-disc-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const defaults = parseConfig({}, 'defaults');

/** Makes `dir` a git repository whose one commit holds what each `git add` (its arguments given) adds; returns a runner for more git commands. */
function commit(dir: string, ...adds: string[][]): (...args: string[]) => void {
  const run = gitIn(dir);
  run('init', '-q');
  for (const args of adds) run('add', ...args);
  run('commit', '-q', '-m', 'x');
  return run;
}

/** Runs git in `dir`, quietly, as a committer named by the environment. */
function gitIn(dir: string): (...args: string[]) => void {
  return (...args) => {
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
    });
  };
}

describe('languages and tests', () => {
  it('maps file names to languages', () => {
    expect(languageOf('a/b.ts')).toBe('ts');
    expect(languageOf('a/b.d.ts')).toBeNull();
    expect(languageOf('a/b.min.js')).toBeNull();
    expect(languageOf('a/.env.staging')).toBe('dotenv');
    expect(languageOf('Dockerfile.prod')).toBe('dockerfile');
    expect(languageOf('deploy/main.tf')).toBe('hcl');
    expect(languageOf('x/app.py')).toBe('python');
    expect(languageOf('README.md')).toBeNull();
  });
  it('recognises test code', () => {
    for (const p of [
      'tests/a.py',
      'svc/test/a.ts',
      'a/__tests__/x.ts',
      'a/x.test.ts',
      'a/x.spec.js',
      'a/test_x.py',
      'a/x_test.py',
      'a/conftest.py',
      'web/jest.config.real.cjs',
      'web/cypress.parallel.config.ts',
      'playwright.config.ts',
      'web/vitest.setup.ts',
    ]) {
      expect(isTestPath(p), p).toBe(true);
    }
    for (const p of ['a/testing.py', 'a/contest.py', 'latest/x.ts', 'a/attest.ts', 'web/next.config.js', 'web/jest-helpers.ts'])
      expect(isTestPath(p), p).toBe(false);
  });
});

describe('discover', () => {
  it(".gitignore patterns without a slash match the last segment at any depth, with git's order and negation", () => {
    const rules = parseGitignore('*.pyc\n.env*\n!.env.example\nbuild\ncache/\n[Tt]emp?\n\\#notes\n', '', '.gitignore', []);
    const set = new GitignoreSet([rules, parseGitignore('!keep.pyc\n', 'svc', 'svc/.gitignore', [])]);
    const decided = (path: string, isDir = false): boolean => set.ignores(path, isDir);
    expect(['a.pyc', 'deep/x/.pyc', 'svc/keep.pyc', 'svc/other.pyc'].map((p) => decided(p))).toEqual([true, true, false, true]);
    expect(['.env', 'api/.env.production', 'api/.env.example'].map((p) => decided(p))).toEqual([true, true, false]);
    expect([decided('build'), decided('src/build', true), decided('src/build/out.js'), decided('src/builder.js')]).toEqual([true, true, true, false]);
    // `cache/` names folders only: a file called cache is kept, a file inside the folder is not.
    expect([decided('lib/cache'), decided('lib/cache', true), decided('lib/cache/entry.json')]).toEqual([false, true, true]);
    expect([decided('x/Temp1'), decided('x/temp22'), decided('#notes'), decided('docs/#notes')]).toEqual([true, false, true, true]);
  });

  it('honours .gitignore and built-in excludes, counts skips', async () => {
    const dir = repo({
      '.gitignore': 'generated/\n',
      'api/package.json': JSON.stringify({ scripts: { start: 'node .' } }),
      'api/src/a.ts': 'export const a = 1;\n',
      'api/generated/b.ts': 'export const b = 1;\n',
      'node_modules/x/index.js': 'module.exports = 1;\n',
      'api/tests/a.test.ts': 'export {};\n',
      '.venv/pyvenv.cfg': 'home = /usr\n',
      '.venv/lib/site.py': 'x = 1\n',
    });
    const d = await discover(dir, defaults, false);
    expect(d.files.map((f) => f.path)).toEqual(['api/src/a.ts']);
    expect(d.testFiles).toBe(1);
    expect(d.skipped.gitignored).toBe(1);
    const withTests = await discover(dir, defaults, true);
    expect(withTests.files.map((f) => f.path)).toEqual(['api/src/a.ts', 'api/tests/a.test.ts']);
  });

  it("gives a file's absolute path as path.join does, whatever the root's spelling", () => {
    for (const root of ['/repo', '/repo/', '/repo/./x/..', '/']) {
      const absolute = fileIn(root);
      for (const path of ['a.ts', 'svc/données/clé.py', '.github/workflows/ci.yml']) expect(absolute(path)).toBe(join(root, path));
    }
  });

  it('in a git work tree, a tracked file is analysed even when .gitignore names it; untracked ignored files are not', async () => {
    const dir = repo({
      '.gitignore': '.env.production\nlocal/\n',
      'api/.env.production': 'JWT_SECRET=committed-on-purpose-or-not\n',
      'api/main.py': 'x = 1\n',
      'local/.env': 'A=1\n',
    });
    commit(dir, ['.gitignore', 'api/main.py'], ['-f', 'api/.env.production']);
    writeFileSync(join(dir, 'api', 'new.py'), 'y = 2\n');
    const d = await discover(dir, defaults, false);
    expect(d.files.map((f) => f.path)).toEqual(['api/.env.production', 'api/main.py', 'api/new.py']);
    expect(d.skipped.gitignored).toBe(1);
  });

  it("in a git work tree, names of several bytes a character come through git's listing whole, tracked and untracked", async () => {
    // Each path is decoded from git's bytes on its own: 'é', '€' and '🔑' take 2, 3 and 4 bytes.
    const dir = repo({
      'api/clé.py': 'x = 1\n',
      'api/€uro/main.py': 'y = 2\n',
      'web/🔑.ts': 'export const k = 1;\n',
      'web/plain.ts': 'export const p = 1;\n',
    });
    commit(dir, ['api', 'web/plain.ts']);
    const d = await discover(dir, defaults, false);
    expect(d.files.map((f) => f.path)).toEqual(['api/clé.py', 'api/€uro/main.py', 'web/plain.ts', 'web/🔑.ts']);
    expect(d.allPaths).toEqual(expect.arrayContaining(['api/clé.py', 'api/€uro/main.py', 'web/plain.ts', 'web/🔑.ts']));
  });

  it('in a git work tree, tracked files are taken as the work tree has them: gone, turned into links, links, hidden from the index', async () => {
    const outside = repo({ 'secret.py': 'JWT_SECRET = "x"\n' });
    const dir = repo({
      'svc/kept.py': 'a = 1\n',
      'svc/gone.py': 'b = 1\n',
      'svc/now-a-link.py': 'c = 1\n',
      'svc/sparse.py': 'e = 1\n',
      'svc/sparse-gone.py': 'f = 1\n',
      'svc/assumed-gone.py': 'g = 1\n',
    });
    symlinkSync('kept.py', join(dir, 'svc', 'link-inside.py'));
    symlinkSync(join(outside, 'secret.py'), join(dir, 'svc', 'link-outside.py'));
    symlinkSync('kept.py', join(dir, 'svc', 'was-a-link.py'));
    const run = commit(dir, ['.']);
    // In the work tree only: a file deleted, a file replaced by a link to outside the root, a link
    // replaced by a file, files the index does not vouch for (skip-worktree, assume-unchanged).
    rmSync(join(dir, 'svc', 'gone.py'));
    rmSync(join(dir, 'svc', 'now-a-link.py'));
    symlinkSync(join(outside, 'secret.py'), join(dir, 'svc', 'now-a-link.py'));
    rmSync(join(dir, 'svc', 'was-a-link.py'));
    writeFileSync(join(dir, 'svc', 'was-a-link.py'), 'd = 1\n');
    run('update-index', '--skip-worktree', 'svc/sparse.py', 'svc/sparse-gone.py');
    run('update-index', '--assume-unchanged', 'svc/assumed-gone.py');
    rmSync(join(dir, 'svc', 'sparse-gone.py'));
    rmSync(join(dir, 'svc', 'assumed-gone.py'));
    // Rewritten with the same text: git sees new file times, not another kind.
    renameSync(join(dir, 'svc', 'kept.py'), join(dir, 'svc', 'kept.tmp'));
    renameSync(join(dir, 'svc', 'kept.tmp'), join(dir, 'svc', 'kept.py'));

    const d = await discover(dir, defaults, false);
    expect(d.files.map((f) => f.path)).toEqual(['svc/kept.py', 'svc/link-inside.py', 'svc/sparse.py', 'svc/was-a-link.py']);
    expect(d.skipped).toEqual({ 'symlink-outside': 2 });
    expect(d.notifications).toEqual([]);
  });

  it('bad input never stops a scan: binary, non-UTF-8, large files and symlink loops are counted', async () => {
    const dir = repo({
      'svc/main.py': 'import os\nKEY = os.getenv("JWT_SECRET")\n',
      'svc/blob.py': Buffer.from([0x69, 0x00, 0x01, 0x02]),
      'svc/latin.py': Buffer.from([0x78, 0x3d, 0x22, 0xe9, 0x22, 0x0a]),
      'svc/huge.py': 'x = 1\n'.repeat(50),
    });
    symlinkSync(join(dir, 'svc', 'loop-a'), join(dir, 'svc', 'loop-b'));
    symlinkSync(join(dir, 'svc', 'loop-b'), join(dir, 'svc', 'loop-a'));
    const config = parseConfig({ maxFileSize: 200 }, 'test');
    const { result } = await scan({ root: dir, config, jobs: 1 });
    expect(result.files.skipped).toEqual({ 'skipped-binary': 1, 'skipped-encoding': 1, 'skipped-large': 1, 'symlink-loop': 2 });
    expect(result.notifications.map((n) => `${n.file}:${n.id}`)).toEqual([
      'svc/blob.py:skipped-binary',
      'svc/huge.py:skipped-large',
      'svc/latin.py:skipped-encoding',
      'svc/loop-a:symlink-loop',
      'svc/loop-b:symlink-loop',
    ]);
    expect(result.files.scanned).toBe(1);
  });
});

describe('compileGlob', () => {
  it('matches folder globs the same whether or not the path holds the literal folder name', () => {
    const excluded = compileGlob(['**/node_modules/**', '**/dist/**']);
    expect(['node_modules/a.js', 'a/node_modules/b/c.js', 'dist/x', 'a/b/dist/c/d.ts'].map(excluded)).toEqual([true, true, true, true]);
    expect(['src/a.ts', 'node_modules_x/a.js', 'a/distro/b.ts', 'x/node_module/y'].map(excluded)).toEqual([false, false, false, false]);
    // A negated pattern holds for every path its literal folder is missing from.
    const outside = compileGlob(['!**/dist/**']);
    expect(['src/a.ts', 'dist/a.ts'].map(outside)).toEqual([true, false]);
    const nocase = compileGlob(['**/Node_Modules/**', '*JWT*SECRET*'], { nocase: true });
    expect(['x/NODE_MODULES/y', 'app_jwt_secret', 'x/node_modules_/y'].map(nocase)).toEqual([true, true, false]);
  });

  it('matches a segment with a star at either end without the star walk, as the star walk would', () => {
    const suffix = compileGlob('**/*_backups/**');
    expect(['a/db_backups/x', '_backups/x', 'a/db_backups2/x', 'a/backups/x'].map(suffix)).toEqual([true, true, false, false]);
    const prefix = compileGlob('**/Dockerfile*');
    expect(['Dockerfile', 'svc/Dockerfile.prod', 'svc/xDockerfile', 'svc/dockerfile'].map(prefix)).toEqual([true, true, false, false]);
    const contains = compileGlob('**/*work_in_progress*/**');
    expect(['a/old_work_in_progress_2/b', 'work_in_progress/b', 'a/work-in_progress/b'].map(contains)).toEqual([true, true, false]);
    const any = compileGlob('*');
    expect(['a', '', 'a/b', '.env'].map(any)).toEqual([true, false, false, true]);
    // Without `dot`, a star at the start does not match a leading dot; a literal start does.
    expect(['.x_backups/y', 'x_backups/y'].map(compileGlob('*_backups/**', { dot: false }))).toEqual([false, true]);
    expect(['.env', '.envrc', 'env'].map(compileGlob('.env*', { dot: false }))).toEqual([true, true, false]);
    expect(['JWT_SECRET', 'jwt_secret', 'jwt_secret_key'].map(compileGlob('*_SECRET', { nocase: true }))).toEqual([true, true, false]);
    // Each shape against the same pattern with its last letter as a class (`[s]`), which takes the star walk.
    const names = ['', 'a', 'b', 'ab', 'ba', 'abab', 'xab', 'abx', 'xabx', '.ab', '.xab', 'AB', 'aab', 'abb'];
    for (const pattern of ['ab', '*ab', 'ab*', '*ab*', 'x*b', '*a*b*']) {
      const walked = `${pattern.slice(0, pattern.lastIndexOf('b'))}[b]${pattern.slice(pattern.lastIndexOf('b') + 1)}`;
      for (const options of [{}, { dot: false }, { nocase: true }]) {
        expect(names.map(compileGlob(pattern, options)), `${pattern} ${JSON.stringify(options)}`).toEqual(names.map(compileGlob(walked, options)));
      }
    }
  });

  it('takes its quick paths only where the full match agrees: `**/*`, and the text a starred segment needs', () => {
    // `**/*` (the default include) matches every path whose last segment is not empty, dot files too.
    expect(['', 'a', 'a/', 'a/b', '.env', 'a/.b', 'a//b'].map(compileGlob('**/*'))).toEqual([false, true, false, true, true, true, true]);
    expect(['a', '.env', 'a/.b', '.a/b'].map(compileGlob('**/*', { dot: false }))).toEqual([true, false, false, false]);
    // A starred segment's characters must be in the text, in any case with `nocase`, negated or not.
    const paths = ['a/db_backups/x', 'A/DB_BACKUPS/X', 'a/db_backup/x', 'db_backups', 'x/old_work_in_progress/y', 'x/y/z', '.x_backups/y'];
    for (const pattern of ['**/*_backups/**', '**/*work_in_progress*/**', 'a/db*/**', '!**/*_backups/**']) {
      // The same pattern with its last letter as a class takes neither quick path.
      const at = pattern.lastIndexOf('s') > pattern.lastIndexOf('b') ? pattern.lastIndexOf('s') : pattern.lastIndexOf('b');
      const walked = `${pattern.slice(0, at)}[${pattern[at]}]${pattern.slice(at + 1)}`;
      for (const options of [{}, { dot: false }, { nocase: true }]) {
        expect(paths.map(compileGlob(pattern, options)), `${pattern} ${JSON.stringify(options)}`).toEqual(paths.map(compileGlob(walked, options)));
      }
    }
    expect(paths.map(compileGlob('**/*_backups/**', { nocase: true }))).toEqual([true, true, false, true, false, false, true]);
  });
});
