// Tests the GitHub Actions annotation reporter: command shape, ordering, suppression and escaping.
import { describe, expect, it } from 'vitest';
import type { Notification } from '../src/vocabulary.js';
import { escapeData, escapeProperty, renderGithub } from '../src/report/github.js';
import type { Finding } from '../src/vocabulary.js';
import type { RunResult } from '../src/summarize/result.js';
import { loc, makeFinding, makeResult } from './helpers/factory.js';

const finding = makeFinding;

function runResult(findings: Finding[], notifications: Notification[] = []): RunResult {
  return makeResult(findings, { notifications });
}

describe('escaping', () => {
  it('escapes data: % first, then CR and LF', () => {
    expect(escapeData('100% done\r\nnext\nlast\r')).toBe('100%25 done%0D%0Anext%0Alast%0D');
    expect(escapeData('already %0A encoded')).toBe('already %250A encoded');
    expect(escapeData('a::b, c: d')).toBe('a::b, c: d');
  });

  it('escapes properties: data escaping plus : and ,', () => {
    expect(escapeProperty('C:\\repo,a%b\nc')).toBe('C%3A\\repo%2Ca%25b%0Ac');
    expect(escapeProperty('%3A')).toBe('%253A');
    expect(escapeProperty('plain/path.ts')).toBe('plain/path.ts');
  });
});

describe('renderGithub', () => {
  it('writes one annotation per unsuppressed finding, sorted, with level mapping', () => {
    const result = runResult([
      finding({ ruleId: 'ws-no-auth', severity: 'error', file: 'apps/ws/server.ts', loc: loc(10, 3, 12), message: 'No auth on /ws.' }),
      finding({ ruleId: 'secret-name-sprawl', file: 'apps/api/config.ts', loc: loc(4, 20, 36, 5), message: 'JWT_KEY is another name for JWT_SECRET.' }),
      finding({ ruleId: 'shared-imports-service', severity: 'note', file: 'apps/api/config.ts', loc: loc(1, 1, 9), message: 'Type-only import.' }),
      finding({
        ruleId: 'hardcoded-jwt-secret',
        severity: 'error',
        file: 'apps/api/dev.ts',
        loc: loc(2, 7, 19),
        suppression: { kind: 'inline', reason: 'dev only' },
      }),
    ]);
    expect(renderGithub(result)).toBe(
      [
        '::notice file=apps/api/config.ts,line=1,endLine=1,col=1,endColumn=9,title=shared-imports-service::Type-only import.',
        '::warning file=apps/api/config.ts,line=4,endLine=5,col=20,endColumn=36,title=secret-name-sprawl::JWT_KEY is another name for JWT_SECRET.',
        '::error file=apps/ws/server.ts,line=10,endLine=10,col=3,endColumn=12,title=ws-no-auth::No auth on /ws.',
        '',
      ].join('\n'),
    );
  });

  it('escapes tricky paths, messages and related locations (control characters shown, not interpreted)', () => {
    const result = runResult([
      finding({
        ruleId: 'secret-name-sprawl',
        file: 'apps/a,b:c/100%.ts',
        loc: loc(3, 1, 5),
        message: 'Reads "JWT:KEY", 50% of\r\nreads',
        related: [{ file: 'x,y.py', loc: loc(8, 2, 4), message: 'canonical: JWT_SECRET' }],
      }),
    ]);
    expect(renderGithub(result)).toBe(
      '::warning file=apps/a%2Cb%3Ac/100%25.ts,line=3,endLine=3,col=1,endColumn=5,title=secret-name-sprawl::' +
        'Reads "JWT:KEY", 50%25 of\\x0d\\x0areads%0ARelated:%0A  x,y.py:8: canonical: JWT_SECRET\n',
    );
  });

  it('adds error and warning notifications, skipping notes', () => {
    const result = runResult(
      [],
      [
        { level: 'note', id: 'skipped-binary', message: 'Skipped a binary.', file: 'logo.png' },
        { level: 'error', id: 'parse-error', message: 'Unexpected token.', file: 'apps/x.py', loc: loc(7, 1, 2) },
        { level: 'warning', id: 'config', message: 'No services found, scanning as one.', file: null },
      ],
    );
    expect(renderGithub(result)).toBe(
      [
        '::warning title=jwtfrag config::No services found, scanning as one.',
        '::error file=apps/x.py,line=7,title=jwtfrag parse-error::Unexpected token.',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing for a clean run and is deterministic', () => {
    expect(renderGithub(runResult([]))).toBe('');
    const findings = [
      finding({ ruleId: 'b', file: 'z.ts', loc: loc(1, 1, 2) }),
      finding({ ruleId: 'a', file: 'z.ts', loc: loc(1, 1, 2) }),
      finding({ ruleId: 'a', file: 'a.ts', loc: loc(9, 1, 2) }),
    ];
    const once = renderGithub(runResult(findings));
    expect(renderGithub(runResult([...findings].reverse()))).toBe(once);
    expect(once.split('\n').map((line) => line.slice(0, 30))).toEqual([
      '::warning file=a.ts,line=9,end',
      '::warning file=z.ts,line=1,end',
      '::warning file=z.ts,line=1,end',
      '',
    ]);
    expect(once).toContain('title=a::');
    expect(once.indexOf('title=a::Finding of a.')).toBeLessThan(once.indexOf('title=b::'));
  });
});
