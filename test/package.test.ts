// The packed package as a user gets it: `npm pack` lists only what a user needs; the tarball installs, imports (JS and types), runs, and serves the pre-commit hook.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { MONOREPOS, ROOT, runCli, tempRepo } from './helpers/cli.js';
import { commitAll, git, gitRepo } from './helpers/git.js';

const PLATFORM = join(MONOREPOS, 'fastapi-platform');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** What a user needs, and only that: the build (JS and types), schemas, rule docs, docs the README links, README. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^dist\/(src|rules)\/.+\.(js|d\.ts)$/,
  /^dist\/bundle\/[\w-]+\.js$/,
  /^schema\/(config|result)\.schema\.json$/,
  /^rules\/[a-z0-9-]+\.md$/,
  /^docs\/(api|github-action|pre-commit|result)\.md$/,
];

let work = '';
let files: string[] = [];
let consumer = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'jwtfrag-pack-'));
  // npm pack runs `prepare` (the build), so the tarball holds what the sources say now.
  const out = execFileSync(NPM, ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const packed = (JSON.parse(out.slice(out.indexOf('['))) as { filename: string; files: { path: string }[] }[])[0];
  files = packed.files.map((f) => f.path).sort();
  consumer = join(work, 'consumer');
  execFileSync('mkdir', [consumer]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync(NPM, ['install', join(work, packed.filename), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: consumer,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}, 240_000);

describe('npm pack', () => {
  it('lists only what a user needs', () => {
    expect(files.filter((f) => !ALLOWED.some((re) => re.test(f)))).toEqual([]);
  });

  it('holds the CLI, the worker, the API with its types, both schemas and every rule doc', () => {
    const required = [
      'dist/bundle/main.js',
      'dist/bundle/worker.js',
      'dist/bundle/action.js',
      'dist/src/cli/main.js',
      'dist/src/cli/cli.js',
      'dist/src/extract/worker.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'schema/config.schema.json',
      'schema/result.schema.json',
      'docs/api.md',
      ...RULES.map((r) => `rules/${r.meta.id}.md`),
    ];
    expect(required.filter((f) => !files.includes(f))).toEqual([]);
    expect(files.some((f) => f.includes('worker-dev'))).toBe(false);
  });
});

describe('the installed package', () => {
  const node = (script: string) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' });

  it("imports { scan, render } from 'jwtfrag' and scans like the CLI", () => {
    const r = node(`
      import { scan, render, exitCode, VERSION } from 'jwtfrag';
      const result = await scan(${JSON.stringify(PLATFORM)}, { jobs: 1 });
      const sarif = JSON.parse(render(result, 'sarif'));
      const only = await scan(${JSON.stringify(PLATFORM)}, { jobs: 1, rules: ['secret-name-sprawl'] });
      console.log(JSON.stringify({ version: VERSION, counts: result.counts, exit: exitCode(result), sarif: sarif.version, rules: sarif.runs[0].tool.driver.rules.length, only: [...new Set(only.findings.map((f) => f.ruleId))] }));
    `);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { version: string; counts: Record<string, number>; exit: number; sarif: string; rules: number; only: string[] };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(out.version).toBe(pkg.version);
    expect(out.counts['secret-name-sprawl']).toBeGreaterThan(0);
    expect(out.exit).toBe(1);
    expect(out.sarif).toBe('2.1.0');
    expect(out.rules).toBe(RULES.length);
    expect(out.only).toEqual(['secret-name-sprawl']);
  });

  it('exposes only its entry points: internals are not importable', () => {
    const r = node(`import('jwtfrag/dist/src/run.js').then(() => console.log('imported'), (e) => console.log(e.code));`);
    expect(r.stdout.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('its type declarations check a consumer, and reject a wrong call', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'use.ts'),
      "import { scan, render, type RunResult, type Finding } from 'jwtfrag';\n" +
        "const result: RunResult = await scan('.', { rules: ['secret-name-sprawl'], jobs: 1 });\n" +
        'const first: Finding | undefined = result.findings[0];\n' +
        "const text: string = render(result, 'markdown') + (first?.loc.line ?? 0);\n" +
        'export { text };\n',
    );
    const ok = spawnSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    writeFileSync(join(consumer, 'use.ts'), "import { render } from 'jwtfrag';\nexport const out = render({} as never, 'pdf');\n");
    const bad = spawnSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('"pdf"');
  });

  it('its jwtfrag bin is the bundle, and gives on worker lanes what the sources give', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'jwtfrag');
    expect(realpathSync(bin).endsWith(join('dist', 'bundle', 'main.js'))).toBe(true);
    // 440 files (lanes from 400): both front ends and the deployment files run in the bundle's worker threads.
    const files: Record<string, string> = {};
    for (let i = 0; i < 220; i++) {
      files[`svc${i % 4}/app/m${i}.py`] =
        `import os\nimport jwt\n\nSECRET = os.environ["JWT_SECRET_${i % 3}"]\n\n\ndef sign(claims):\n    return jwt.encode(claims, SECRET, algorithm="HS256")\n`;
      files[`web${i % 2}/src/t${i}.ts`] =
        `import jwt from 'jsonwebtoken';\n\nexport const verify = (token: string) => jwt.verify(token, process.env.JWT_KEY_${i % 2} ?? '');\n`;
    }
    files['deploy/app.yaml'] = 'env_variables:\n  JWT_SECRET_0: from-secret-manager\n';
    const repo = tempRepo(files, 'jwtfrag-lanes-');
    const args = ['scan', repo, '--no-cache', '--jobs', '2', '--fail-on', 'none', '--format', 'json'];
    const bundled = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    const sources = runCli(args);
    rmSync(repo, { recursive: true, force: true });
    expect(bundled.stderr).toBe('');
    expect(bundled.status).toBe(0);
    expect(sources.code).toBe(0);
    const result = JSON.parse(bundled.stdout) as { findings: unknown[]; files: { scanned: number } };
    expect(result.files.scanned).toBe(441);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(bundled.stdout).toBe(sources.stdout);
  }, 120_000);

  it('its jwtfrag bin scans a repository', () => {
    const r = spawnSync(join(consumer, 'node_modules', '.bin', 'jwtfrag'), ['scan', PLATFORM, '--quiet'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✖ \d+ findings/);
  });
});

describe('pre-commit hook', () => {
  interface Hook {
    id: string;
    entry: string;
    language: string;
    pass_filenames: boolean;
    files: string;
  }
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

  /** Runs the hook's entry as pre-commit would (words split, the package's bin on PATH) in `cwd`. */
  function runHook(hook: Hook, cwd: string) {
    const [bin, ...args] = hook.entry.split(/\s+/);
    const PATH = [join(consumer, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
    return spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, PATH, NO_COLOR: '1' } });
  }

  it('is a node hook on the whole repository model', () => {
    expect(hooks.map((h) => h.id)).toEqual(['jwtfrag']);
    expect(hooks[0]).toMatchObject({ language: 'node', pass_filenames: false });
    expect(hooks[0].entry).toContain('--staged');
  });

  it('fails a commit that stages a new secret name, passes one that stages harmless changes', () => {
    const hook = hooks[0];
    const dir = gitRepo(PLATFORM, 'jwtfrag-hook-');
    const files = new RegExp(hook.files);

    writeFileSync(join(dir, 'README.md'), '# platform\n');
    writeFileSync(join(dir, 'analytics_service', 'analytics', 'export.py'), 'import os\n\nEXPORT_BUCKET = os.getenv("EXPORT_BUCKET")\n');
    git(dir, 'add', '-A');
    expect(files.test('analytics_service/analytics/export.py')).toBe(true);
    const clean = runHook(hook, dir);
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    commitAll(dir, 'harmless');

    writeFileSync(join(dir, 'analytics_service', 'analytics', 'late_keys.py'), 'import os\n\nREPORTS_JWT_SECRET = os.getenv("REPORTS_JWT_SECRET")\n');
    const unstaged = runHook(hook, dir);
    expect(unstaged.status).toBe(0);
    git(dir, 'add', 'analytics_service/analytics/late_keys.py');
    const dirty = runHook(hook, dir);
    expect(dirty.status).toBe(0); // a name-only match is a warning: below the default --fail-on error
    writeFileSync(
      join(dir, 'analytics_service', 'analytics', 'late_keys.py'),
      'import jwt\nimport os\n\n\ndef report_token(claims):\n    return jwt.encode(claims, os.getenv("REPORTS_JWT_SECRET"), algorithm="HS256")\n',
    );
    git(dir, 'add', 'analytics_service/analytics/late_keys.py');
    const failing = runHook(hook, dir);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('analytics_service/analytics/late_keys.py');
    // Findings elsewhere that point at the new signer are reported; the repository's old findings are not.
    for (const old of ['committed-secret-value', 'hardcoded-jwt-secret', 'ws-token-in-query', 'dynamic-secret-name']) expect(failing.stdout).not.toContain(old);
  });
});
