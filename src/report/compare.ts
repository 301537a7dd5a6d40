// Progress between two results (`scan --compare`): names added/removed, findings new/fixed, matrix agreement; and its rendering.
import type { Finding } from '../vocabulary.js';
import type { DeltaFinding, FamilyDelta, ResultDelta, RunResult } from '../summarize/result.js';
import { compareText } from '../util/order.js';

export interface CompareOptions {
  /** How the previous result is named in the report (the path given to `--compare`). */
  since: string;
}

function byPlace(a: Finding, b: Finding): number {
  return compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column || compareText(a.ruleId, b.ruleId) || compareText(a.key, b.key);
}

function groups(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of [...findings].sort(byPlace)) {
    if (f.suppression?.kind === 'inline') continue;
    const id = `${f.ruleId}\u0000${f.key}`;
    const list = out.get(id) ?? [];
    list.push(f);
    out.set(id, list);
  }
  return out;
}

function listed(f: Finding): DeltaFinding {
  return { ruleId: f.ruleId, key: f.key, severity: f.severity, message: f.message, file: f.file, loc: f.loc };
}

/** Findings of `from` beyond the count of the same rule id + key in `other`. */
function beyond(from: Map<string, Finding[]>, other: Map<string, Finding[]>): DeltaFinding[] {
  const out: Finding[] = [];
  for (const [id, list] of from) out.push(...list.slice(other.get(id)?.length ?? 0));
  return out.sort(byPlace).map(listed);
}

function familyNames(result: RunResult): Map<string, { names: Set<string>; canonical: string | null }> {
  const out = new Map<string, { names: Set<string>; canonical: string | null }>();
  for (const f of result.families) out.set(f.id, { names: new Set([...f.names, ...f.patterns]), canonical: f.canonical });
  return out;
}

function familyDeltas(previous: RunResult, current: RunResult): FamilyDelta[] {
  const before = familyNames(previous);
  const after = familyNames(current);
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: FamilyDelta[] = [];
  for (const family of ids) {
    const was = before.get(family)?.names ?? new Set<string>();
    const now = after.get(family)?.names ?? new Set<string>();
    out.push({
      family,
      added: [...now].filter((n) => !was.has(n)).sort(),
      removed: [...was].filter((n) => !now.has(n)).sort(),
      canonical: { before: before.get(family)?.canonical ?? null, after: after.get(family)?.canonical ?? null },
    });
  }
  return out;
}

/**
 * What changed from `previous` to `current`. Findings silenced inline are left out on both sides;
 * the others are matched by rule id + semantic key, with counts (like the baseline), so moved code
 * is neither new nor fixed.
 */
export function compareResults(previous: RunResult, current: RunResult, options: CompareOptions): ResultDelta {
  const before = groups(previous.findings);
  const after = groups(current.findings);
  const total = (g: Map<string, Finding[]>): number => [...g.values()].reduce((n, list) => n + list.length, 0);
  return {
    since: options.since,
    previousVersion: previous.tool.version,
    families: familyDeltas(previous, current),
    findings: { before: total(before), after: total(after), new: beyond(after, before), fixed: beyond(before, after) },
    matrix:
      previous.matrix && current.matrix
        ? { before: { agree: previous.matrix.agree, pairs: previous.matrix.pairs }, after: { agree: current.matrix.agree, pairs: current.matrix.pairs } }
        : null,
  };
}

function familyLabel(id: string): string {
  return id === 'jwt' ? 'JWT' : id;
}

function namesLine(delta: FamilyDelta, quote: (s: string) => string): string {
  const parts: string[] = [];
  if (delta.removed.length > 0) parts.push(`removed ${delta.removed.map(quote).join(', ')}`);
  if (delta.added.length > 0) parts.push(`added ${delta.added.map(quote).join(', ')}`);
  if (delta.canonical.before !== delta.canonical.after)
    parts.push(`canonical ${quote(delta.canonical.before ?? 'none')} → ${quote(delta.canonical.after ?? 'none')}`);
  return parts.length > 0 ? parts.join('; ') : 'no change';
}

function agreement(m: { agree: number; pairs: number }): string {
  return `${m.agree} of ${m.pairs}`;
}

function findingLine(f: DeltaFinding, quote: (s: string) => string): string {
  return `${f.severity} ${quote(f.ruleId)} ${quote(`${f.file}:${f.loc.line}`)}: ${f.message}`;
}

/** The delta as plain-text lines: a heading, then one indented item per line. */
export function deltaTextLines(delta: ResultDelta): string[] {
  const plain = (s: string): string => s;
  const out = [`Progress since ${delta.since}`];
  out.push(`  findings ${delta.findings.before} → ${delta.findings.after} (${delta.findings.fixed.length} fixed, ${delta.findings.new.length} new)`);
  if (delta.matrix) out.push(`  signer × verifier pairs agreeing ${agreement(delta.matrix.before)} → ${agreement(delta.matrix.after)}`);
  for (const family of delta.families) out.push(`  ${familyLabel(family.family)} secret names: ${namesLine(family, plain)}`);
  for (const f of delta.findings.fixed) out.push(`  fixed  ${findingLine(f, plain)}`);
  for (const f of delta.findings.new) out.push(`  new    ${findingLine(f, plain)}`);
  return out;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, 'ˋ')}\``;
}

/** The delta as a Markdown section (`## Progress since …`), ending with a blank line. */
export function deltaMarkdown(delta: ResultDelta): string[] {
  const out = [`## Progress since ${code(delta.since)}`, '', `Compared with a result written by jwtfrag ${delta.previousVersion}.`, ''];
  out.push('| | before | after |', '|---|---|---|');
  out.push(`| findings | ${delta.findings.before} | ${delta.findings.after} |`);
  if (delta.matrix) out.push(`| signer × verifier pairs agreeing | ${agreement(delta.matrix.before)} | ${agreement(delta.matrix.after)} |`);
  out.push('');
  for (const family of delta.families) out.push(`- **${familyLabel(family.family)} secret names:** ${namesLine(family, code)}`);
  if (delta.families.length > 0) out.push('');
  const list = (title: string, items: DeltaFinding[]): void => {
    if (items.length === 0) return;
    out.push(`<details><summary>${title} (${items.length})</summary>`, '');
    for (const f of items) out.push(`- ${findingLine(f, code)}`);
    out.push('', '</details>', '');
  };
  list('Fixed findings', delta.findings.fixed);
  list('New findings', delta.findings.new);
  if (delta.findings.fixed.length === 0 && delta.findings.new.length === 0) out.push('No finding appeared or disappeared.', '');
  return out;
}
