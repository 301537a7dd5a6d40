// The command line end to end: exit codes, one-line errors, formats, determinism, init.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const PLATFORM = join(ROOT, 'fixtures', 'monorepos', 'fastapi-platform');

function run(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('jwtfrag CLI', () => {
  it('a missing root exits 2 with one line', () => {
    const r = run(['scan', '/nonexistent/jwtfrag-root']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no such folder');
  });

  it('a bad config exits 2 naming the file and each field', () => {
    const dir = repo({ 'jwtfrag.config.json': JSON.stringify({ services: { api: 42 }, colour: true, maxFileSize: -1, fileTimeLimit: 1e9 }) });
    const r = run(['scan', dir]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => l.includes('jwtfrag.config.json: services.api:'))).toBe(true);
    expect(lines.some((l) => l.includes('jwtfrag.config.json: (root):') && l.includes('colour'))).toBe(true);
    expect(lines.some((l) => l.includes('jwtfrag.config.json: maxFileSize:'))).toBe(true);
    // Above a day: a config error, not a timer the runtime refuses mid-scan.
    expect(lines.some((l) => l.includes('jwtfrag.config.json: fileTimeLimit:'))).toBe(true);
    expect(r.stderr).not.toContain('    at ');
  });

  it('invalid JSON in the config exits 2 with one line', () => {
    const dir = repo({ 'jwtfrag.config.json': '{ "services": ' });
    const r = run(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/jwtfrag\.config\.json: not valid JSON/);
  });

  it('an unknown rule id in the config exits 2', () => {
    const dir = repo({ 'jwtfrag.config.json': JSON.stringify({ rules: { 'no-such-rule': 'off' } }) });
    const r = run(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rules.no-such-rule');
  });

  it('an unknown format exits 2', () => {
    const r = run(['scan', PLATFORM, '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown format 'pdf'");
    // A name every object has is not a format either.
    const inherited = run(['scan', PLATFORM, '--format', 'toString']);
    expect(inherited.code).toBe(2);
    expect(inherited.stderr).toContain("unknown format 'toString'");
    expect(inherited.stdout).toBe('');
  });

  it('a clean repository exits 0', () => {
    const dir = repo({ 'svc/main.py': 'import os\nprint(os.getenv("HOME"))\n', 'svc/requirements.txt': 'fastapi\n' });
    const r = run(['scan', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no findings');
  });

  it('findings exit 1, and --fail-on none exits 0', () => {
    expect(run(['scan', PLATFORM, '--quiet']).code).toBe(1);
    expect(run(['scan', PLATFORM, '--quiet', '--fail-on', 'none']).code).toBe(0);
  });

  it('JSON output is byte-identical across runs', () => {
    const a = run(['scan', PLATFORM, '--format', 'json']);
    const b = run(['scan', PLATFORM, '--format', 'json', '--jobs', '2']);
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toContain(ROOT);
    expect((JSON.parse(a.stdout) as { schemaVersion: number }).schemaVersion).toBe(1);
  });

  it('rules lists every rule; explain prints a doc; an unknown id exits 2', () => {
    const list = run(['rules']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('secret-name-sprawl');
    const doc = run(['explain', 'secret-name-sprawl']);
    expect(doc.code).toBe(0);
    expect(doc.stdout).toContain('## How to fix');
    const bad = run(['explain', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown rule 'nope'");
  });

  it('init writes a config that validates and names the detected services', () => {
    const r = run(['init', PLATFORM, '--stdout']);
    expect(r.code).toBe(0);
    const config = JSON.parse(r.stdout) as { services: Record<string, string[]>; shared: Record<string, string[]> };
    expect(Object.keys(config.services)).toEqual(expect.arrayContaining(['auth_service', 'netra_backend']));
    expect(Object.keys(config.shared)).toContain('shared');
    expect(r.stderr).toBe('');
    // Writing the file, the evidence for each decision goes to stderr: one line per reason, under each component.
    const copy = mkdtempSync(join(tmpdir(), 'jwtfrag-init-'));
    cpSync(PLATFORM, copy, { recursive: true });
    const w = run(['init', copy]);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain('Services and libraries (what deploys or defines them)');
    expect(w.stderr).toMatch(
      /\n {2}auth_service {2}service {2}auth_service\/.*\n {4}- Cloud Run service auth-service in \.github\/workflows\/deploy-production\.yml deploys it/,
    );
    expect(w.stderr).toMatch(/\n {2}shared {2}shared {2}shared\/\n {4}- its name marks shared code/);
  });

  it('scan --debug prints the same evidence in the text report; without it the report leaves it out', () => {
    const withDebug = run(['scan', PLATFORM, '--debug', '--no-progress']);
    expect(withDebug.stdout).toContain('Services and libraries (what deploys or defines them)');
    expect(withDebug.stdout).toMatch(/ {4}- compose service netra_backend in docker-compose\.yml deploys it/);
    const plain = run(['scan', PLATFORM, '--no-progress']);
    expect(plain.stdout).not.toContain('Services and libraries');
  });
});
