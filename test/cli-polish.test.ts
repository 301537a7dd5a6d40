// CLI polish: finding filters, every format from scan, colour switches, the progress line, shell completion, help links that resolve.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleHelpUri, ruleInfos } from '../src/cli/catalog.js';
import { useColor } from '../src/cli/color.js';
import { Progress } from '../src/cli/progress.js';
import { loadConfig } from '../src/config/load.js';
import { formatNames } from '../src/report/index.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';
import { HOMEPAGE } from '../src/version.js';
import { MONOREPOS, ROOT, runCli, tempRepo } from './helpers/cli.js';

const PLATFORM = join(MONOREPOS, 'fastapi-platform');

function json(args: string[]): RunResult {
  return JSON.parse(runCli(['scan', PLATFORM, '--format', 'json', ...args]).stdout) as RunResult;
}

function hasShell(name: string): boolean {
  return spawnSync(name, ['-c', 'true'], { stdio: 'ignore' }).status === 0;
}

describe('finding filters', () => {
  const full = json([]);

  it('--rule keeps only the named rules (repeatable); counts follow', () => {
    const one = json(['--rule', 'secret-name-sprawl']);
    expect(one.findings.length).toBe(full.findings.filter((f) => f.ruleId === 'secret-name-sprawl').length);
    expect(one.findings.length).toBeGreaterThan(0);
    expect(Object.keys(one.counts)).toEqual(['secret-name-sprawl']);
    const two = json(['--rule', 'secret-name-sprawl', '--rule', 'hardcoded-jwt-secret']);
    expect(new Set(two.findings.map((f) => f.ruleId))).toEqual(new Set(['secret-name-sprawl', 'hardcoded-jwt-secret']));
    expect(two.inventory).toEqual(full.inventory);
  });

  it('--service keeps only findings of the named services (repeatable)', () => {
    const one = json(['--service', 'netra_backend']);
    expect(one.findings.length).toBe(full.findings.filter((f) => f.service === 'netra_backend').length);
    expect(one.findings.length).toBeGreaterThan(0);
    const two = json(['--service', 'netra_backend', '--service', 'analytics_service']);
    expect(new Set(two.findings.map((f) => f.service))).toEqual(new Set(['netra_backend', 'analytics_service']));
  });

  it('an unknown rule or service exits 2 with one line', () => {
    const rule = runCli(['scan', PLATFORM, '--rule', 'no-such-rule']);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toBe("jwtfrag: --rule: unknown rule 'no-such-rule' (run 'jwtfrag rules' to list them)\n");
    const service = runCli(['scan', PLATFORM, '--service', 'billing']);
    expect(service.code).toBe(2);
    expect(service.stderr).toMatch(/^jwtfrag: --service: no service or shared library named 'billing' \(found: .*auth_service.*\)\n$/);
  });
});

describe('formats and help', () => {
  it('scan writes Markdown and HTML directly', () => {
    const md = runCli(['scan', PLATFORM, '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^# /);
    const html = runCli(['scan', PLATFORM, '--format', 'html']);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/i);
  });

  it('help lists every format for scan and report', () => {
    const formats = formatNames();
    expect(formats).toEqual(expect.arrayContaining(['github', 'html', 'json', 'markdown', 'sarif', 'text']));
    for (const command of ['scan', 'report']) {
      const help = runCli([command, '--help']).stdout.replace(/\s+/g, ' ');
      for (const format of formats) expect(help).toContain(format);
    }
  });
});

describe('colour', () => {
  it('FORCE_COLOR colours piped output, NO_COLOR and the default pipe do not', () => {
    const esc = /\u001b\[/;
    expect(runCli(['scan', PLATFORM], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).toMatch(esc);
    expect(runCli(['scan', PLATFORM], { env: { NO_COLOR: undefined } }).stdout).not.toMatch(esc);
    expect(runCli(['scan', PLATFORM], { env: { NO_COLOR: '1' } }).stdout).not.toMatch(esc);
    expect(runCli(['scan', PLATFORM], { env: { NO_COLOR: undefined, FORCE_COLOR: '0' } }).stdout).not.toMatch(esc);
  });

  it('decides per stream: TTY, NO_COLOR, FORCE_COLOR, TERM=dumb', () => {
    const tty = { isTTY: true };
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(useColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: 'false' })).toBe(false);
  });
});

describe('progress line', () => {
  function stream(isTTY: boolean) {
    const writes: string[] = [];
    return { isTTY, columns: 100, writes, write: (text: string) => writes.push(text) };
  }

  it('on a TTY, past the delay: phases and files parsed / total, erased at the end', async () => {
    const out = stream(true);
    const progress = new Progress(out, true, { delayMs: 0, intervalMs: 0 });
    await scan({ root: PLATFORM, config: loadConfig(PLATFORM).config, jobs: 1, onProgress: (state) => progress.update(state) });
    progress.stop();
    const text = out.writes.join('');
    const total = Number(/parsing \d+\/(\d+) files/.exec(text)?.[1]);
    expect(total).toBeGreaterThan(10);
    expect(text).toContain(`parsing ${total}/${total} files (100%)`);
    for (const phase of ['listing files', 'building the cross-service model', 'running rules']) expect(text).toContain(phase);
    expect(out.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('silent on a quick scan, when not a TTY, and when disabled', () => {
    let now = 0;
    const quick = stream(true);
    const progress = new Progress(quick, true, { now: () => now });
    now = 1500;
    progress.update({ phase: 'parse', done: 5, total: 10 });
    progress.stop();
    expect(quick.writes).toEqual([]);
    const slow = new Progress(quick, true, { now: () => now });
    now = 4000;
    slow.update({ phase: 'parse', done: 5, total: 10 });
    slow.stop();
    expect(quick.writes).toEqual(['\r\x1b[2Kjwtfrag: parsing 5/10 files (50%) · 2s', '\r\x1b[2K']);
    const narrow = { isTTY: true, columns: 0, writes: [] as string[], write: (text: string) => narrow.writes.push(text) };
    const sized = new Progress(narrow, true, { delayMs: 0 });
    sized.update({ phase: 'parse', done: 1234, total: 5000 });
    sized.stop();
    expect(narrow.writes[0]).toBe('\r\x1b[2Kjwtfrag: parsing 1,234/5,000 files (24%) · 0s');
    for (const [tty, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const out = stream(tty);
      const p = new Progress(out, enabled, { delayMs: 0 });
      p.update({ phase: 'parse', done: 1, total: 2 });
      p.stop();
      expect(out.writes).toEqual([]);
    }
  });

  it('the CLI writes nothing on a non-TTY stderr', () => {
    const r = runCli(['scan', PLATFORM, '--quiet']);
    expect(r.stderr).toBe('');
  });
});

describe('shell completion', () => {
  let bashScript: string | null = null;
  function bashComplete(line: string): string[] {
    const file = join(tempRepo({}), 'jwtfrag.bash');
    bashScript ??= runCli(['completion', 'bash']).stdout;
    writeFileSync(file, bashScript);
    const words = line.split(' ');
    const program = `source "$1"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _jwtfrag; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', program, 'bash', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  }

  it('bash completes commands, options, formats and rule ids', () => {
    expect(bashComplete('jwtfrag ')).toEqual(expect.arrayContaining(['scan', 'rules', 'explain', 'init', 'report', 'completion']));
    expect(bashComplete('jwtfrag scan --changed')).toEqual(['--changed-since']);
    expect(bashComplete('jwtfrag scan --format ').sort()).toEqual(formatNames());
    expect(bashComplete('jwtfrag scan --fail-on w')).toEqual(['warning']);
    expect(bashComplete('jwtfrag explain secret-name')).toEqual(['secret-name-sprawl']);
    expect(bashComplete('jwtfrag scan --rule ws-no')).toEqual(['ws-no-auth']);
    expect(bashComplete('jwtfrag completion f')).toEqual(['fish']);
  });

  it.skipIf(!hasShell('zsh'))('the zsh script is valid zsh and names every scan option', () => {
    const script = runCli(['completion', 'zsh']).stdout;
    const file = join(tempRepo({}), '_jwtfrag');
    writeFileSync(file, script);
    execFileSync('zsh', ['-n', file]);
    for (const option of ['--changed-since', '--staged', '--fix-dry-run', '--rule', '--service']) expect(script).toContain(option);
  });

  it.skipIf(!hasShell('fish'))('the fish script is valid fish and completes formats', () => {
    const script = runCli(['completion', 'fish']).stdout;
    const file = join(tempRepo({}), 'jwtfrag.fish');
    writeFileSync(file, script);
    execFileSync('fish', ['--no-execute', file]);
    const out = execFileSync('fish', ['-c', `source ${file}; complete -C 'jwtfrag scan --format '`], { encoding: 'utf8' });
    expect(
      out
        .split('\n')
        .map((l) => l.split('\t')[0])
        .filter(Boolean)
        .sort(),
    ).toEqual(formatNames());
  });

  it('an unknown shell exits 2', () => {
    const r = runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("jwtfrag: completion: unknown shell 'tcsh' (available: bash, zsh, fish)\n");
  });
});

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('links resolve', () => {
  it('every rule helpUri points at its doc in this repository', () => {
    expect(HOMEPAGE).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    for (const info of ruleInfos()) {
      expect(info.helpUri).toBe(ruleHelpUri(HOMEPAGE ?? '', info.meta.id));
      const path = (info.helpUri ?? '').replace(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/main\//, '');
      expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
  });

  it('README and docs: relative links name existing files, anchors name existing headings', () => {
    const docs = ['README.md', ...['api.md', 'github-action.md', 'pre-commit.md', 'result.md'].map((f) => `docs/${f}`)];
    const bad: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path === '' ? join(ROOT, doc) : join(ROOT, doc, '..', path);
        if (!existsSync(file)) {
          bad.push(`${doc}: ${target} (no such file)`);
          continue;
        }
        if (anchor !== undefined && file.endsWith('.md')) {
          const headings = [...readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]));
          if (!headings.includes(anchor)) bad.push(`${doc}: ${target} (no such heading)`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
