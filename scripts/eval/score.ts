// Scores one scan result against a repository's labels: recall over `expected`, precision over reviewed findings, traps.
import picomatch from 'picomatch';
import type { Expected, Labels, NotFinding, Reviewed } from './labels.js';
import { compareText } from '../../src/util/order.js';

/** The part of a jwtfrag finding the eval looks at (the JSON result's `findings[]`). */
export interface EvalFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'note';
  file: string;
  loc: { line: number };
  related?: { file: string; loc: { line: number } }[];
  suppression?: unknown;
  message?: string;
}

const LINE_TOLERANCE = 2;

type Verdict = Reviewed['verdict'] | 'unreviewed';

export interface RuleScore {
  rule: string;
  expected: number;
  found: number;
  tp: number;
  fp: number;
  debatable: number;
  unreviewed: number;
  traps: number;
}

export interface RepoScore {
  expected: { label: Expected; hit: EvalFinding | null }[];
  traps: { label: NotFinding; finding: EvalFinding }[];
  verdicts: { finding: EvalFinding; verdict: Verdict; by: Reviewed | null }[];
  /** Findings per severity (suppressed ones excluded). */
  severities: Record<'error' | 'warning' | 'note', number>;
  rules: RuleScore[];
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= LINE_TOLERANCE;
}

/** Whether the finding's primary or a related location is at `file`, `line` (±2), or anywhere in `file` without a line. */
function findingAt(f: EvalFinding, file: string, line: number | undefined): boolean {
  const locs = [{ file: f.file, line: f.loc.line }, ...(f.related ?? []).map((r) => ({ file: r.file, line: r.loc.line }))];
  return locs.some((l) => l.file === file && (line === undefined || near(l.line, line)));
}

function isActive(f: EvalFinding): boolean {
  return f.suppression === undefined || f.suppression === null;
}

function atLeastWarning(f: EvalFinding): boolean {
  return f.severity === 'error' || f.severity === 'warning';
}

/** The review entry that judges a finding: a line entry at its primary location first, then a file glob entry. */
function reviewFor(f: EvalFinding, reviewed: Reviewed[]): Reviewed | null {
  const sameRule = reviewed.filter((r) => r.rule === f.ruleId);
  // The nearest line entry wins, so neighbouring entries with different verdicts never take each other's finding.
  let byLine: Reviewed | null = null;
  let distance = Infinity;
  for (const r of sameRule) {
    if (r.line === undefined || !findingAt(f, r.file, r.line)) continue;
    const d = r.file === f.file ? Math.abs(r.line - f.loc.line) : LINE_TOLERANCE + 1;
    if (d < distance) {
      byLine = r;
      distance = d;
    }
  }
  if (byLine) return byLine;
  const byFile = sameRule.find((r) => r.line === undefined && (r.file === f.file || picomatch(r.file, { dot: true })(f.file)));
  return byFile ?? null;
}

function ruleRow(rows: Map<string, RuleScore>, rule: string): RuleScore {
  let row = rows.get(rule);
  if (!row) {
    row = { rule, expected: 0, found: 0, tp: 0, fp: 0, debatable: 0, unreviewed: 0, traps: 0 };
    rows.set(rule, row);
  }
  return row;
}

/** Scores the findings of one scan against the labels of its repository. */
export function scoreRepo(labels: Labels, findings: EvalFinding[]): RepoScore {
  const active = findings.filter(isActive);
  const rows = new Map<string, RuleScore>();
  const expected = labels.expected.map((label) => {
    const hit = active.find((f) => f.ruleId === label.rule && findingAt(f, label.file, label.line)) ?? null;
    const row = ruleRow(rows, label.rule);
    row.expected++;
    if (hit) row.found++;
    return { label, hit };
  });
  const asReviews: Reviewed[] = labels.expected.map((l) => ({ rule: l.rule, file: l.file, line: l.line, verdict: 'tp', reason: l.why }));
  // A finding judged by a nearer line entry (a review or an expected label) is that entry's, not a neighbouring trap's.
  const nearerVerdict = (f: EvalFinding, label: NotFinding): boolean => {
    if (label.line === undefined || f.file !== label.file) return false;
    const judged = reviewFor(f, [...labels.reviewed, ...asReviews]);
    return judged?.line !== undefined && judged.file === f.file && Math.abs(judged.line - f.loc.line) < Math.abs(label.line - f.loc.line);
  };
  const traps: RepoScore['traps'] = [];
  for (const label of labels.notFindings) {
    const finding = active.find((f) => f.ruleId === label.rule && atLeastWarning(f) && findingAt(f, label.file, label.line) && !nearerVerdict(f, label));
    if (finding) {
      traps.push({ label, finding });
      ruleRow(rows, label.rule).traps++;
    }
  }
  const verdicts: RepoScore['verdicts'] = [];
  for (const finding of active.filter(atLeastWarning)) {
    // An expected label is a true-positive verdict at its line; the nearest entry wins (a review on a tie).
    const judged = reviewFor(finding, [...labels.reviewed, ...asReviews]);
    const by = judged && labels.reviewed.includes(judged) ? judged : null;
    // A finding a trap label rules out, with no nearer verdict, is a false positive.
    const trapHere = traps.some((t) => t.finding === finding);
    const verdict: Verdict = judged ? judged.verdict : trapHere ? 'fp' : 'unreviewed';
    verdicts.push({ finding, verdict, by });
    const row = ruleRow(rows, finding.ruleId);
    if (verdict === 'tp') row.tp++;
    else if (verdict === 'fp') row.fp++;
    else if (verdict === 'debatable') row.debatable++;
    else row.unreviewed++;
  }
  const severities = { error: 0, warning: 0, note: 0 };
  for (const f of active) severities[f.severity]++;
  const rules = [...rows.values()].sort((a, b) => compareText(a.rule, b.rule));
  return { expected, traps, verdicts, severities, rules };
}

/** Sums rule rows (across repositories). */
export function sumRules(rows: RuleScore[]): RuleScore[] {
  const merged = new Map<string, RuleScore>();
  for (const r of rows) {
    const m = ruleRow(merged, r.rule);
    m.expected += r.expected;
    m.found += r.found;
    m.tp += r.tp;
    m.fp += r.fp;
    m.debatable += r.debatable;
    m.unreviewed += r.unreviewed;
    m.traps += r.traps;
  }
  return [...merged.values()].sort((a, b) => compareText(a.rule, b.rule));
}

/** Totals of a set of rule rows. */
export function total(rows: RuleScore[]): RuleScore {
  return sumRules(rows.map((r) => ({ ...r, rule: 'all' })))[0] ?? { rule: 'all', expected: 0, found: 0, tp: 0, fp: 0, debatable: 0, unreviewed: 0, traps: 0 };
}

/** `found / expected` and `tp / (tp + fp)` as percentages, or null when undefined. */
export function ratios(r: RuleScore): { recall: number | null; precision: number | null } {
  return {
    recall: r.expected === 0 ? null : (100 * r.found) / r.expected,
    precision: r.tp + r.fp === 0 ? null : (100 * r.tp) / (r.tp + r.fp),
  };
}
