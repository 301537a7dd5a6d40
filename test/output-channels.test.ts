// Safe output channels (issue 17, items 14, 15, 17, 18): closed or full stdout, control characters, paths from saved results, SARIF URIs, a BOM in the config.
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MONOREPOS, runCli, runCliWith, tempRepo } from './helpers/cli.js';

const PLATFORM = join(MONOREPOS, 'fastapi-platform');

/** A saved result for `report --from`. */
const SAVED = join(tempRepo({ 'result.json': runCli(['scan', PLATFORM, '--format', 'json']).stdout }), 'result.json');

/** Every command that writes to stdout, with the exit code it has when its output is read in full. */
const COMMANDS: [string[], number][] = [
  [['scan', PLATFORM, '--format', 'json'], 1],
  [['report', '--from', SAVED, '--format', 'sarif'], 0],
  [['completion', 'bash'], 0],
  [['rules'], 0],
  [['explain', 'secret-name-sprawl'], 0],
  [['init', PLATFORM, '--stdout'], 0],
  [['scan', '--help'], 0],
];

const HOSTILE_NAME = 'x\n::error file=a.py,line=1::forged\u001b[31m.py';

function hostileRepo(): string {
  return tempRepo({
    'svc/requirements.txt': 'pyjwt\n',
    'svc/main.py':
      'import jwt\nimport os\n\n\ndef token(claims):\n    return jwt.encode(claims, os.getenv("JWT_SECRET\\x1b[2J::add-mask::x"), algorithm="HS256")\n',
    [`svc/${HOSTILE_NAME}`]: 'import jwt\n\n\ndef token(claims):\n    return jwt.encode(claims, "not-from-the-environment-123", algorithm="HS256")\n',
  });
}

describe('stdout closed early or full', () => {
  it.each(COMMANDS)('%j ends quietly on EPIPE with its own exit code', async (args, code) => {
    const r = await runCliWith(args, ['ignore', 'pipe', 'pipe'], (child) => child.stdout?.destroy());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
  });

  it.each(COMMANDS)('%j writing to /dev/full exits 2 with one line', async (args) => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = await runCliWith(args, ['ignore', fd, 'pipe']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('jwtfrag: cannot write to standard output (ENOSPC)\n');
    } finally {
      closeSync(fd);
    }
  });
});

describe('control characters from the scanned tree', () => {
  it('text output: no raw control character, and no line starts a workflow command', () => {
    const dir = hostileRepo();
    const r = runCli(['scan', dir, '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hardcoded-jwt-secret');
    expect(r.stdout).toContain('x\\x0a::error file=a.py,line=1::forged\\x1b[31m.py');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    for (const line of r.stdout.split('\n')) expect(line).not.toMatch(/^\s*::/);
  });

  it('GitHub output: one workflow command per line, fields escaped', () => {
    const dir = hostileRepo();
    const r = runCli(['scan', dir, '--format', 'github', '--fail-on', 'none']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) file=/);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // The env name written in the code, control-character escapes and all, stays in the message data of
    // its annotation; GitHub reads a workflow command only at the start of a line, and every line starts
    // with jwtfrag's own.
    const masked = lines.filter((l) => l.includes('add-mask'));
    expect(masked.length).toBeGreaterThan(0);
    for (const line of masked) expect(line).toMatch(/^::(notice|warning|error) file=svc\/main\.py,[^:]*::[^\n]*JWT_SECRET\\x1b\[2J::add-mask::x/);
    const forged = lines.find((l) => l.includes('forged'));
    expect(forged).toContain('file=svc/x\\x0a%3A%3Aerror file=a.py%2Cline=1%3A%3Aforged\\x1b[31m.py,');
  });
});

describe('report --from', () => {
  function savedResult(): Record<string, unknown> {
    return JSON.parse(readFileSync(SAVED, 'utf8')) as Record<string, unknown>;
  }

  it.each([
    ['an absolute path', '/etc/passwd', 'an absolute path (a result holds repository-relative paths)'],
    ['a Windows drive path', 'C:\\Windows\\win.ini', 'an absolute path (a result holds repository-relative paths)'],
    ['a climbing path', 'auth_service/../../outside.py', "a path that leaves the repository ('..')"],
  ])('rejects %s in a finding at validation', (_label, file, problem) => {
    const result = savedResult() as { findings: { file: string; related: { file: string }[] }[] };
    result.findings[0].file = file;
    const dir = tempRepo({ 'result.json': JSON.stringify(result) });
    for (const format of ['sarif', 'github']) {
      const r = runCli(['report', '--from', join(dir, 'result.json'), '--format', format]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([`jwtfrag: ${join(dir, 'result.json')}: findings[0].file: ${problem}`]);
    }
  });

  it('rejects a climbing related location and import target', () => {
    const result = savedResult() as { findings: { related: { file: string }[] }[]; serviceImports?: { sites: { target: string }[] }[] };
    const withRelated = result.findings.findIndex((f) => f.related.length > 0);
    result.findings[withRelated].related[0].file = '../x.py';
    const dir = tempRepo({ 'result.json': JSON.stringify(result) });
    const r = runCli(['report', '--from', join(dir, 'result.json'), '--format', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`findings[${withRelated}].related[0].file: a path that leaves the repository`);
  });
});

describe('SARIF URIs and the config file', () => {
  it('a backslash in a POSIX file name is part of the name, not a separator; a colon never reads as a scheme', () => {
    const hardcoded = 'import jwt\n\n\ndef token(claims):\n    return jwt.encode(claims, "not-from-the-environment-123", algorithm="HS256")\n';
    const dir = tempRepo({ 'svc/requirements.txt': 'pyjwt\n', 'svc/a\\b.py': hardcoded, 'c:tokens.py': hardcoded });
    const r = runCli(['scan', dir, '--format', 'sarif', '--fail-on', 'none']);
    const uris = (
      JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }
    ).runs[0].results.map((res) => res.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain('svc/a%5Cb.py');
    expect(uris).toContain('c%3Atokens.py');
    expect(uris).not.toContain('svc/a/b.py');
  });

  it('a UTF-8 byte order mark before the config is accepted', () => {
    const dir = tempRepo({ 'svc/main.py': 'import os\nprint(os.getenv("HOME"))\n', 'svc/requirements.txt': 'fastapi\n' });
    writeFileSync(join(dir, 'jwtfrag.config.json'), '\uFEFF' + JSON.stringify({ services: { svc: 'svc/**' } }));
    expect(readFileSync(join(dir, 'jwtfrag.config.json'))[0]).toBe(0xef);
    const r = runCli(['scan', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
