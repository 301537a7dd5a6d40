// The eval's scoring: recall over expected, verdicts from line and glob reviews, traps only at warning or above.
import { describe, expect, it } from 'vitest';
import type { Labels } from '../scripts/eval/labels.js';
import { ratios, scoreRepo, sumRules, total, type EvalFinding } from '../scripts/eval/score.js';

function finding(ruleId: string, file: string, line: number, severity: EvalFinding['severity'] = 'error', related: [string, number][] = []): EvalFinding {
  return { ruleId, severity, file, loc: { line }, related: related.map(([f, l]) => ({ file: f, loc: { line: l } })) };
}

const labels: Labels = {
  name: 'demo',
  expected: [
    { rule: 'secret-name-sprawl', file: 'api/settings.py', line: 10, why: 'second name', foundBy: 'code' },
    { rule: 'signer-verifier-mismatch', file: 'auth/sign.py', line: 4, why: 'other end', foundBy: 'code' },
    { rule: 'ws-no-auth', file: 'ws/app.py', line: 30, why: 'no check', foundBy: 'code' },
    { rule: 'ws-token-in-query', file: 'ws/app.py', line: 40, why: 'query token', foundBy: 'code' },
  ],
  notFindings: [
    { rule: 'hardcoded-jwt-secret', file: 'api/settings.py', line: 20, why: 'empty default' },
    { rule: 'committed-secret-value', file: '.env.example', why: 'placeholders' },
  ],
  reviewed: [
    { rule: 'secret-name-sprawl', file: 'api/settings.py', line: 11, verdict: 'tp', reason: 'second name' },
    { rule: 'forbidden-cross-service-import', file: 'scripts/**', verdict: 'fp', reason: 'scripts are tooling' },
    { rule: 'signer-verifier-mismatch', file: 'api/verify.py', line: 8, verdict: 'debatable', reason: 'dev only' },
  ],
};

describe('scoreRepo', () => {
  const findings = [
    finding('secret-name-sprawl', 'api/settings.py', 12), // ±2 of the expected line 10 and the reviewed line 11
    finding('signer-verifier-mismatch', 'api/verify.py', 8, 'error', [['auth/sign.py', 5]]), // related end matches
    finding('ws-no-auth', 'ws/app.py', 33), // 3 lines off: a miss, and unreviewed
    finding('forbidden-cross-service-import', 'scripts/x/a.py', 1),
    finding('forbidden-cross-service-import', 'scripts/b.py', 9),
    finding('hardcoded-jwt-secret', 'api/settings.py', 20, 'note'), // a note never springs a trap
    finding('committed-secret-value', '.env.example', 3, 'warning'), // a file-wide trap
    finding('committed-secret-value', '.env', 3, 'error', []),
    finding('ws-token-in-query', 'ws/app.py', 41), // expected, no review entry: a true positive
  ];
  findings.push({ ...finding('secret-name-sprawl', 'api/other.py', 1), suppression: { kind: 'inline', reason: 'x' } });
  const score = scoreRepo(labels, findings);

  it('hits expected findings within two lines, on the primary or a related location', () => {
    expect(score.expected.map((e) => e.hit !== null)).toEqual([true, true, false, true]);
  });

  it('counts traps at warning or above only, with or without a line', () => {
    expect(score.traps.map((t) => `${t.label.rule}@${t.finding.file}:${t.finding.loc.line}`)).toEqual(['committed-secret-value@.env.example:3']);
  });

  it('judges each warning/error finding by a line review, else a glob review, else an expected label (tp) or a trap (fp), else unreviewed', () => {
    const verdicts = score.verdicts.map((v) => `${v.finding.ruleId}@${v.finding.file}:${v.verdict}`);
    expect(verdicts).toEqual([
      'secret-name-sprawl@api/settings.py:tp',
      'signer-verifier-mismatch@api/verify.py:debatable',
      'ws-no-auth@ws/app.py:unreviewed',
      'forbidden-cross-service-import@scripts/x/a.py:fp',
      'forbidden-cross-service-import@scripts/b.py:fp',
      'committed-secret-value@.env.example:fp',
      'committed-secret-value@.env:unreviewed',
      'ws-token-in-query@ws/app.py:tp',
    ]);
  });

  it('ignores suppressed findings and counts severities', () => {
    expect(score.severities).toEqual({ error: 7, warning: 1, note: 1 });
  });

  it('sums rows per rule and gives recall and precision', () => {
    const all = total(sumRules([...score.rules, ...score.rules]));
    expect(all).toMatchObject({ expected: 8, found: 6, tp: 4, fp: 6, debatable: 2, traps: 2 });
    const r = ratios(all);
    expect(r.recall).toBeCloseTo(75, 1);
    expect(r.precision).toBeCloseTo(40, 1);
    expect(ratios({ rule: 'x', expected: 0, found: 0, tp: 0, fp: 0, debatable: 1, unreviewed: 0, traps: 0 })).toEqual({ recall: null, precision: null });
  });
});
