// What breaks where today, the plan as phases of shared changes, and the services × rules heatmap: views the Markdown and HTML reports share.
import type { Loc } from '../vocabulary.js';
import type { Finding, Severity } from '../vocabulary.js';
import type { MatrixComponent, PlanEdit, PlanPhase, PlanRisk, PlanStep, PlanStepKind, RunResult } from '../summarize/result.js';
import { SEVERITY_RANK } from '../vocabulary.js';
import { compareText } from '../util/order.js';

/** One component of a family that fails in one environment (or in all, when no deployment says which). */
export interface Breakage {
  family: string;
  /** `mismatch`: verifier and signer use different variables; `unset`: the verifier's environment provides none of its names; `literal`: the key written in the code wins. */
  kind: 'mismatch' | 'unset' | 'literal';
  /** The environment, or null when no deployment of the family names one (then it is what the code reads first). */
  environment: string | null;
  verifier: { id: string; service: string | null; channel: 'http' | 'websocket'; name: string | null; chain: string[] };
  signer: { id: string; service: string | null; name: string } | null;
  /** The family's names the environment gives the verifier's service, sorted. */
  provided: string[];
}

export interface FamilyStory {
  family: string;
  kind: 'token' | 'service';
  canonical: string | null;
  /** One sentence: what breaks where today (no final period). */
  headline: string;
  breakages: Breakage[];
}

const NOT_NAMES = new Set(['?', '«derived»', '«literal»']);
const IGNORED_ENVIRONMENTS = new Set(['example', 'template', 'sample']);

/** `jwt` → `JWT`; other ids as they are. */
export function familyTitle(id: string): string {
  return id === 'jwt' ? 'JWT' : id === 'service' ? 'Service secret' : id;
}

/** Sort rank of an environment: production first, then staging, the unnamed one, the rest, development, tests. */
export function environmentRank(env: string | null): number {
  if (env === null) return 2;
  const e = env.toLowerCase();
  if (/^prod/.test(e)) return 0;
  if (/^stag|^preprod|^uat/.test(e)) return 1;
  if (e === 'default') return 2;
  if (/^dev|^local/.test(e)) return 4;
  if (/test|^ci$/.test(e)) return 5;
  return 3;
}

function byEnvironment(a: string | null, b: string | null): number {
  return environmentRank(a) - environmentRank(b) || compareText(a ?? '', b ?? '');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

interface Words {
  signs: string;
  verifies: string;
  tokens: string;
}

function wordsOf(kind: 'token' | 'service'): Words & { verify: string; signer: string; verifier: string } {
  return kind === 'service'
    ? { signs: 'sends', verifies: 'checks', verify: 'check', tokens: 'calls', signer: 'sender', verifier: 'checker' }
    : { signs: 'signs', verifies: 'verifies', verify: 'verify', tokens: 'tokens', signer: 'signer', verifier: 'verifier' };
}

/** The chains of a component's operations that touch the family's names. */
function chainsIn(component: MatrixComponent, names: ReadonlySet<string>): string[][] {
  return component.ops.map((o) => o.chain).filter((chain) => chain.some((t) => names.has(t)));
}

type Effective = { name: string } | { literal: true } | { unset: true } | null;

/** The first name of `chain` the environment provides; null when a token that cannot be resolved comes first. */
function effective(chain: readonly string[], provided: ReadonlySet<string>): Effective {
  for (const token of chain) {
    if (provided.has(token)) return { name: token };
    if (token === '«literal»') return { literal: true };
    if (NOT_NAMES.has(token) || token.includes('*')) return null;
  }
  return { unset: true };
}

function firstName(chain: readonly string[]): string | null {
  const first = chain[0];
  return first !== undefined && !NOT_NAMES.has(first) && !first.includes('*') ? first : null;
}

/** Every breakage of one family: per environment its deployments name, else from the static matrix. */
function familyBreakages(result: RunResult, family: RunResult['families'][number]): Breakage[] {
  const matrix = result.matrix;
  if (!matrix) return [];
  const names = new Set([...family.names, ...family.patterns]);
  const signers = matrix.signers.filter((c) => chainsIn(c, names).length > 0);
  const verifiers = matrix.verifiers.filter((c) => chainsIn(c, names).length > 0);
  if (signers.length === 0 || verifiers.length === 0) return [];
  const rows = result.provisionMatrix ?? [];
  const environments = [
    ...new Set(rows.filter((r) => r.family === family.id && r.service !== null && !IGNORED_ENVIRONMENTS.has(r.environment)).map((r) => r.environment)),
  ].sort(byEnvironment);
  const out: Breakage[] = [];
  const seen = new Set<string>();
  const push = (b: Breakage): void => {
    const key = `${b.environment}\u0000${b.verifier.id}\u0000${b.kind}\u0000${b.verifier.name}\u0000${b.signer?.name ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(b);
  };
  if (environments.length === 0) {
    for (const cell of matrix.cells) {
      if (cell.verdict !== 'mismatch' && cell.verdict !== 'partial') continue;
      const v = verifiers.find((c) => c.id === cell.verifier);
      const s = signers.find((c) => c.id === cell.signer);
      if (!v || !s) continue;
      for (const vc of chainsIn(v, names)) {
        const vName = firstName(vc);
        for (const sc of chainsIn(s, names)) {
          const sName = firstName(sc);
          if (!vName || !sName || vName === sName) continue;
          push({
            family: family.id,
            kind: 'mismatch',
            environment: null,
            verifier: { id: v.id, service: v.service, channel: v.channel, name: vName, chain: vc },
            signer: { id: s.id, service: s.service, name: sName },
            provided: [],
          });
        }
      }
    }
    return out;
  }
  const providedTo = (service: string | null, env: string): Set<string> =>
    new Set(rows.filter((r) => r.service === service && r.environment === env && r.provided.length > 0).map((r) => r.name));
  const deployed = (service: string | null, env: string): boolean => rows.some((r) => r.service === service && r.environment === env);
  for (const env of environments) {
    for (const v of verifiers) {
      if (!deployed(v.service, env)) continue;
      const given = providedTo(v.service, env);
      const familyGiven = [...given].filter((n) => names.has(n)).sort();
      for (const vc of chainsIn(v, names)) {
        const ve = effective(vc, given);
        if (ve === null) continue;
        const verifier = { id: v.id, service: v.service, channel: v.channel, chain: vc };
        if ('unset' in ve || 'literal' in ve) {
          push({
            family: family.id,
            kind: 'unset' in ve ? 'unset' : 'literal',
            environment: env,
            verifier: { ...verifier, name: null },
            signer: null,
            provided: familyGiven,
          });
          continue;
        }
        for (const s of signers) {
          for (const sc of chainsIn(s, names)) {
            const se = deployed(s.service, env) ? effective(sc, providedTo(s.service, env)) : firstName(sc) ? { name: firstName(sc) as string } : null;
            if (se === null || !('name' in se) || se.name === ve.name) continue;
            push({
              family: family.id,
              kind: 'mismatch',
              environment: env,
              verifier: { ...verifier, name: ve.name },
              signer: { id: s.id, service: s.service, name: se.name },
              provided: familyGiven,
            });
          }
        }
      }
    }
  }
  return out;
}

function who(b: Breakage): string {
  return b.verifier.service ?? '(no service)';
}

/** One clause: what fails for one breakage, with the names on each side. */
function breakageClause(b: Breakage, kind: 'token' | 'service'): string {
  const w = wordsOf(kind);
  const names = b.verifier.chain.filter((t) => !NOT_NAMES.has(t));
  const where = b.environment ?? 'every environment';
  if (b.kind === 'unset') {
    const given = b.provided.length > 0 ? `, but ${where} provides only ${list(b.provided)}` : `, and ${where} provides none of them`;
    return `${who(b)}${b.verifier.channel === 'websocket' ? ' WebSocket auth' : ''} cannot ${w.verify} ${w.tokens}: it reads ${names.join(' → ')}${given}`;
  }
  if (b.kind === 'literal') {
    return `${who(b)}${b.verifier.channel === 'websocket' ? ' WebSocket auth' : ''} ${w.verifies} with the key written in its code: ${where} provides none of ${names.join(' → ')}`;
  }
  const signer = b.signer?.service ?? '(no service)';
  const failing =
    b.verifier.channel === 'websocket'
      ? `WebSocket logins to ${who(b)} fail`
      : kind === 'service'
        ? `${who(b)} rejects ${signer}'s calls`
        : `${who(b)} rejects ${signer}'s tokens`;
  const missing = b.signer && b.environment !== null && !b.provided.includes(b.signer.name) ? `, and ${where} does not give ${who(b)} ${b.signer.name}` : '';
  return `${failing}: it ${w.verifies} with ${b.verifier.name}, ${signer} ${w.signs} with ${b.signer?.name ?? '?'}${missing}`;
}

function environmentLabel(env: string | null): string {
  if (env === null) return 'In every environment';
  return env.charAt(0).toUpperCase() + env.slice(1);
}

function servicesList(items: readonly string[], shown = 3): string {
  return items.length <= shown + 1 ? list(items) : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** Clauses for breakages of one environment: one per breakage, or one per shape when several services share it. */
export function breakageClauses(breakages: readonly Breakage[], kind: 'token' | 'service'): string[] {
  const w = wordsOf(kind);
  const shapes = new Map<string, Breakage[]>();
  for (const b of breakages) {
    const key =
      b.kind === 'mismatch' ? `m\u0000${b.verifier.channel}\u0000${b.signer?.service}\u0000${b.signer?.name}` : `${b.kind}\u0000${b.verifier.channel}`;
    shapes.set(key, [...(shapes.get(key) ?? []), b]);
  }
  const out: string[] = [];
  for (const group of shapes.values()) {
    const services = [...new Set(group.map(who))];
    if (services.length === 1) {
      for (const b of group) out.push(breakageClause(b, kind));
      continue;
    }
    const first = group[0];
    const where = first.environment ?? 'every environment';
    const ws = first.verifier.channel === 'websocket' ? ' WebSocket' : '';
    if (first.kind === 'mismatch') {
      const used = [...new Set(group.map((b) => b.verifier.name ?? '?'))].sort(compareText);
      const signer = first.signer?.service ?? '(no service)';
      out.push(
        `${services.length} services reject ${signer}'s${ws} ${w.tokens} (they ${w.verify} with ${used.join(' or ')}, ${signer} ${w.signs} with ${first.signer?.name ?? '?'}): ${servicesList(services)}`,
      );
    } else {
      const reads = [...new Set(group.flatMap((b) => b.verifier.chain.filter((t) => !NOT_NAMES.has(t))))].sort(compareText);
      const what = first.kind === 'unset' ? `cannot ${w.verify}${ws} ${w.tokens}` : `${w.verify}${ws} ${w.tokens} with the key written in their code`;
      out.push(`${services.length} services ${what} (they read ${reads.join(' or ')}, which ${where} does not provide): ${servicesList(services)}`);
    }
  }
  return out;
}

function headlineOf(result: RunResult, family: RunResult['families'][number], breakages: Breakage[]): string {
  const title = familyTitle(family.id);
  const kind = family.kind ?? 'token';
  if (breakages.length > 0) {
    const first = breakages[0].environment;
    const here = breakages.filter((b) => b.environment === first);
    const clauses = breakageClauses(here, kind);
    const shown = clauses.slice(0, 2);
    const others = [...new Set(breakages.filter((b) => b.environment !== first).map((b) => b.environment ?? 'every environment'))];
    const extra: string[] = [];
    if (clauses.length > shown.length) extra.push(`${plural(clauses.length - shown.length, 'more problem')} here`);
    if (others.length > 0) extra.push(`more in ${list(others)}`);
    return `${title} — ${environmentLabel(first)}: ${shown.join('; ')}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`;
  }
  const names = new Set([...family.names, ...family.patterns]);
  const m = result.matrix;
  const pairs = m
    ? m.cells.filter((c) => {
        const v = m.verifiers.find((x) => x.id === c.verifier);
        const s = m.signers.find((x) => x.id === c.signer);
        return v && s && chainsIn(v, names).length > 0 && chainsIn(s, names).length > 0;
      })
    : [];
  const unknown = pairs.filter((c) => c.verdict === 'unknown').length;
  if (family.names.length === 0 && family.patterns.length === 0) {
    return `${title} — no environment variable could be traced into its keys, so jwtfrag cannot tell what breaks${family.canonical ? '' : "; set the family's names in the config"}`;
  }
  if (pairs.length === 0) {
    const count = `${plural(family.names.length + family.patterns.length, 'name')} across ${plural(new Set(result.inventory.filter((e) => e.family === family.id).flatMap((e) => e.services)).size, 'service')}`;
    return `${title} — ${count}; no ${wordsOf(kind).signer} × ${wordsOf(kind).verifier} pair could be traced, so nothing is known to break yet`;
  }
  if (unknown > 0)
    return `${title} — nothing is known to break, but ${unknown} of ${plural(pairs.length, 'signer × verifier pair')} could not be traced to environment variables`;
  return `${title} — every verifier uses the same variable as its signer in every environment its deployments name`;
}

/** Per family: its breakages, most important environment first, and the headline sentence. */
export function familyStories(result: RunResult): FamilyStory[] {
  return result.families.map((family) => {
    const breakages = familyBreakages(result, family).sort(
      (a, b) =>
        byEnvironment(a.environment, b.environment) ||
        compareText(a.verifier.id, b.verifier.id) ||
        compareText(a.kind, b.kind) ||
        compareText(a.verifier.name ?? '', b.verifier.name ?? '') ||
        compareText(a.signer?.name ?? '', b.signer?.name ?? ''),
    );
    return { family: family.id, kind: family.kind ?? 'token', canonical: family.canonical, headline: headlineOf(result, family, breakages), breakages };
  });
}

// ---- the plan in phases ----

interface PlanSite {
  file: string;
  loc: Loc;
  service: string | null;
  environment: string | null;
  action: string;
  kind: PlanStepKind;
  edit: PlanEdit | null;
}

/** One change, made at one or more sites. */
export interface PlanGroup {
  phase: PlanPhase | null;
  change: string;
  family: string | null;
  risk: PlanRisk;
  /** Every site is a manual step (no safe edit). */
  manual: boolean;
  services: string[];
  sites: PlanSite[];
}

export interface PhaseView {
  phase: PlanPhase | null;
  title: string;
  /** What the phase does and when it is safe, in one or two sentences. */
  goal: string;
  risk: PlanRisk;
  groups: PlanGroup[];
  /** Sites across its groups. */
  steps: number;
}

const PHASES: { phase: PlanPhase | null; title: string; goal: string; risk: PlanRisk }[] = [
  {
    phase: 1,
    title: 'Make every environment provide the canonical name',
    risk: 'low',
    goal: 'Add the canonical name next to the old ones in each deployment, with the value the signer uses today. Nothing reads it yet, so nothing changes.',
  },
  {
    phase: 2,
    title: 'Switch verifiers',
    risk: 'medium',
    goal: 'Verifiers and other readers read the canonical name. Deploy once phase 1 is live in every environment: a verifier switched before its environment provides the name rejects every token.',
  },
  {
    phase: 3,
    title: 'Switch signers',
    risk: 'high',
    goal: 'Signers sign with the canonical name. Switch after every verifier reads it; tokens signed with the old key stop verifying unless both variables held the same value, so plan for sessions to be re-issued.',
  },
  {
    phase: 4,
    title: 'Retire names and fallbacks',
    risk: 'low',
    goal: 'Remove fallback chains, run-time names, tooling reads and the old deployment entries. Re-scan first: nothing may read an entry you remove.',
  },
  {
    phase: null,
    title: 'Service boundaries (independent of the secret migration)',
    risk: 'medium',
    goal: "Cut imports of another service's code: move what is shared into a shared library, or call the service over its API.",
  },
];

const DEFAULT_PHASE: Record<PlanStepKind, PlanPhase | null> = { chain: 2, read: 2, dynamic: 2, manual: 2, deployment: 4, import: null };

function phaseOf(step: PlanStep): PlanPhase | null {
  return step.phase !== undefined ? step.phase : DEFAULT_PHASE[step.kind];
}

/** The plan as its phases: steps with the same change are one group with a list of sites. */
export function planPhases(result: RunResult): PhaseView[] {
  const plan = result.plan;
  if (!plan) return [];
  const groups = new Map<string, PlanGroup>();
  for (const entry of plan.services) {
    for (const step of entry.steps) {
      const phase = phaseOf(step);
      const change = step.change ?? step.action;
      const family = step.family ?? null;
      const key = `${phase}\u0000${family ?? ''}\u0000${change}`;
      let group = groups.get(key);
      if (!group) {
        const risk = step.risk ?? PHASES.find((p) => p.phase === phase)?.risk ?? 'medium';
        group = { phase, change, family, risk, manual: true, services: [], sites: [] };
        groups.set(key, group);
      }
      const service = entry.service;
      if (!group.services.includes(service ?? '(no service)')) group.services.push(service ?? '(no service)');
      if (step.kind !== 'manual') group.manual = false;
      group.sites.push({
        file: step.file,
        loc: step.loc,
        service,
        environment: step.environment ?? null,
        action: step.action,
        kind: step.kind,
        edit: step.edit !== null ? (plan.edits[step.edit] ?? null) : null,
      });
    }
  }
  const familyOrder = new Map(plan.families.map((f, i) => [f.family, i]));
  const out: PhaseView[] = [];
  for (const p of PHASES) {
    const mine = [...groups.values()].filter((g) => g.phase === p.phase);
    for (const g of mine) {
      g.services.sort(compareText);
      g.sites.sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
    }
    mine.sort(
      (a, b) =>
        (familyOrder.get(a.family ?? '') ?? 99) - (familyOrder.get(b.family ?? '') ?? 99) ||
        Number(a.manual) - Number(b.manual) ||
        b.sites.length - a.sites.length ||
        compareText(a.change, b.change),
    );
    if (mine.length === 0) continue;
    out.push({ ...p, groups: mine, steps: mine.reduce((n, g) => n + g.sites.length, 0) });
  }
  return out;
}

/** `Phase 2` or `Boundaries`. */
export function phaseLabel(phase: PlanPhase | null): string {
  return phase === null ? 'Boundaries' : `Phase ${phase}`;
}

// ---- files not analysed ----

/** `2 files not analysed`, `1 file and 1 folder not analysed`; '' when everything was analysed. */
export function notAnalysedLabel(paths: readonly string[]): string {
  const folders = paths.filter((p) => p.endsWith('/')).length;
  const files = paths.length - folders;
  if (paths.length === 0) return '';
  const what = [files ? plural(files, 'file') : '', folders ? plural(folders, 'folder') : ''].filter(Boolean).join(' and ');
  return `${what} not analysed`;
}

/** The warning every report shows when files were not analysed (findings in them may be missing), or ''. */
export function notAnalysedWarning(result: RunResult): string {
  const label = notAnalysedLabel(result.files.notAnalysed ?? []);
  return label ? `${label} (see the notifications): findings in them may be missing` : '';
}

/** What a report says where it lists open findings and there are none: never a plain "no findings" when files were not analysed. */
export function noOpenFindings(result: RunResult): string {
  const label = notAnalysedLabel(result.files.notAnalysed ?? []);
  return label ? `No open findings in the files analysed; ${label}.` : 'No open findings.';
}

// ---- the services × rules heatmap ----

export interface Heatmap {
  /** Services (and `(no service)` when findings have none), in the result's order. */
  services: string[];
  /** Rules with open findings: errors first, then by count. */
  rules: { id: string; severity: Severity; count: number }[];
  /** `cells[service][rule]` = count and worst severity. */
  cells: Map<string, Map<string, { count: number; severity: Severity }>>;
  max: number;
}

const NO_SERVICE = '(no service)';

/** Open (unsuppressed) findings. */
export function openFindings(result: RunResult): Finding[] {
  return result.findings.filter((f) => !f.suppression);
}

/** Rules the "what breaks" stories already tell (secret and deployment mismatches); other error rules are listed as broken everywhere. */
export const TOLD_BY_STORIES: ReadonlySet<string> = new Set([
  'signer-verifier-mismatch',
  'secret-read-not-provided',
  'ws-secret-mismatch',
  'secret-name-sprawl',
  'secret-fallback-chain',
  'dynamic-secret-name',
  'secret-provided-not-read',
]);

/** Counts of open findings per service and rule, with the worst severity of each cell. */
export function heatmap(result: RunResult): Heatmap {
  const open = openFindings(result);
  const cells = new Map<string, Map<string, { count: number; severity: Severity }>>();
  const rules = new Map<string, { id: string; severity: Severity; count: number }>();
  let max = 0;
  for (const f of open) {
    const service = f.service ?? NO_SERVICE;
    const row = cells.get(service) ?? new Map<string, { count: number; severity: Severity }>();
    cells.set(service, row);
    const cell = row.get(f.ruleId) ?? { count: 0, severity: f.severity };
    cell.count++;
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[cell.severity]) cell.severity = f.severity;
    row.set(f.ruleId, cell);
    max = Math.max(max, cell.count);
    const rule = rules.get(f.ruleId) ?? { id: f.ruleId, severity: f.severity, count: 0 };
    rule.count++;
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[rule.severity]) rule.severity = f.severity;
    rules.set(f.ruleId, rule);
  }
  const services = result.services.map((s) => s.name).filter((s) => cells.has(s));
  for (const s of [...cells.keys()].sort(compareText)) if (!services.includes(s) && s !== NO_SERVICE) services.push(s);
  if (cells.has(NO_SERVICE)) services.push(NO_SERVICE);
  const ruleList = [...rules.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.count - a.count || compareText(a.id, b.id));
  return { services, rules: ruleList, cells, max };
}

/** Open findings per rule (errors first), then per file: the findings section's grouping. */
export function findingGroups(result: RunResult): { rule: string; severity: Severity; files: { file: string; findings: Finding[] }[]; count: number }[] {
  const map = heatmap(result);
  const open = openFindings(result);
  return map.rules.map((r) => {
    const byFile = new Map<string, Finding[]>();
    for (const f of open) if (f.ruleId === r.id) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const files = [...byFile.entries()]
      .sort((a, b) => compareText(a[0], b[0]))
      .map(([file, findings]) => ({ file, findings: findings.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column) }));
    return { rule: r.id, severity: r.severity, files, count: r.count };
  });
}

/** Per rule: open findings before and after (`--compare`); before = after − new + fixed. */
export function trend(result: RunResult): { rule: string; before: number; after: number }[] {
  const delta = result.delta;
  if (!delta) return [];
  const after = new Map<string, number>();
  for (const f of result.findings) if (f.suppression?.kind !== 'inline') after.set(f.ruleId, (after.get(f.ruleId) ?? 0) + 1);
  const before = new Map(after);
  for (const f of delta.findings.new) before.set(f.ruleId, (before.get(f.ruleId) ?? 0) - 1);
  for (const f of delta.findings.fixed) before.set(f.ruleId, (before.get(f.ruleId) ?? 0) + 1);
  const rules = [...new Set([...after.keys(), ...before.keys()])].sort(compareText);
  return rules.map((rule) => ({ rule, before: Math.max(0, before.get(rule) ?? 0), after: after.get(rule) ?? 0 })).filter((r) => r.before > 0 || r.after > 0);
}
