// The migration plan: one canonical name per secret family, steps in four phases with their risk, precise code edits.
import type { Finding, Loc } from '../vocabulary.js';
import type { FamilyPlan, MigrationPlan, PlanEdit, PlanPhase, PlanRisk, PlanStep, PlanStepKind, ProvisionMatrixRow } from './result.js';
import { groupReads } from '../model/query.js';
import type { Model, ModelEnvRead, ModelFallbackGroup, ModelFamily } from '../model/types.js';
import { offsetIn } from '../util/lines.js';
import { compareText } from '../util/order.js';

export interface PlanInput {
  model: Model;
  findings: readonly Finding[];
  /** Reads a repo-relative file; undefined when it cannot be read (its steps stay manual). */
  readFile: (path: string) => string | undefined;
  /** The provision matrix (`provisionMatrix(model)`), computed once by the caller. */
  provisions: readonly ProvisionMatrixRow[];
}

interface ReadExpression {
  callee: string;
  open: '(' | '[' | '.';
}

const STEP_ORDER: Record<PlanStepKind, number> = { chain: 0, read: 1, dynamic: 2, manual: 3, deployment: 4, import: 5 };
const RISK: Record<PlanPhase, PlanRisk> = { 1: 'low', 2: 'medium', 3: 'high', 4: 'low' };

/**
 * The phase of a change to what code reads: tooling follows the services (phase 4), a read that
 * reaches a signing key switches the signer (3), anything else switches a verifier or reader (2).
 */
function readPhase(reads: readonly ModelEnvRead[]): PlanPhase {
  if (reads.length > 0 && reads.every((r) => r.tooling)) return 4;
  if (reads.some((r) => r.roles.includes('sign'))) return 3;
  return 2;
}

type StepInput = Omit<PlanStep, 'edit' | 'phase' | 'risk' | 'change'> & { phase: PlanPhase | null; change: string };

function quoteOf(text: string): string | null {
  const match = /^[rbfuRBFU]{0,2}(["'`])/.exec(text);
  if (!match) return null;
  return match[1] === '`' ? "'" : match[1];
}

/** The accessor expression in front of a read's name span: `env.get(`, `os.environ[`, `process.env.`. */
function readExpression(text: string, start: number): ReadExpression | null {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  const open = text[i];
  if (open !== '(' && open !== '[' && open !== '.') return null;
  let j = i - 1;
  let depth = 0;
  while (j >= 0) {
    const ch = text[j];
    if (ch === ')') depth++;
    else if (ch === '(' && depth > 0) depth--;
    else if (depth === 0 && !/[\w.$?!]/.test(ch)) break;
    else if (depth > 0 && !/[\w.$\s,]/.test(ch)) return null;
    j--;
  }
  const callee = text.slice(j + 1, i);
  if (callee.length === 0 || depth !== 0 || /^[.?!]/.test(callee)) return null;
  return { callee, open };
}

function rebuild(expr: ReadExpression, name: string, quote: string): string {
  if (expr.open === '.') return `${expr.callee}.${name}`;
  const close = expr.open === '(' ? ')' : ']';
  return `${expr.callee}${expr.open}${quote}${name}${quote}${close}`;
}

function sliceLoc(text: string, file: string, loc: Loc): string {
  return text.slice(offsetIn(text, file, loc.line, loc.column), offsetIn(text, file, loc.endLine, loc.endColumn));
}

class PlanBuilder {
  readonly edits: PlanEdit[] = [];
  readonly steps = new Map<string, PlanStep[]>();
  private readonly texts = new Map<string, string | undefined>();

  constructor(private readonly readFile: (path: string) => string | undefined) {}

  text(file: string): string | undefined {
    if (!this.texts.has(file)) this.texts.set(file, this.readFile(file));
    return this.texts.get(file);
  }

  step(service: string | null, step: StepInput, edit: Omit<PlanEdit, 'id'> | null): void {
    let id: number | null = null;
    if (edit) {
      id = this.edits.length;
      this.edits.push({ id, ...edit });
    }
    const key = service ?? '';
    const list = this.steps.get(key) ?? [];
    const risk: PlanRisk = step.phase === null ? 'medium' : RISK[step.phase];
    list.push({ ...step, risk, edit: id });
    this.steps.set(key, list);
  }
}

function planChain(b: PlanBuilder, group: ModelFallbackGroup, reads: ModelEnvRead[], canonical: string, family: string): void {
  const names = reads.map((r) => r.name ?? r.pattern ?? '?');
  const target = reads.find((r) => r.name === canonical) ?? reads[0];
  const text = b.text(group.file);
  const action = `Collapse the fallback chain ${names.join(' → ')} to a single read of ${canonical}`;
  // A chain that tries the canonical name first keeps its effective name: only fallbacks go.
  const phase = reads[0]?.name === canonical ? 4 : readPhase(reads);
  const tooling = reads.length > 0 && reads.every((r) => r.tooling) ? ' in scripts and tooling' : '';
  const base = { action, change: `${action}${tooling}`, file: group.file, loc: group.loc, phase, family };
  if (!text) {
    b.step(group.service, { kind: 'manual', ...base }, null);
    return;
  }
  const start = offsetIn(text, target.file, target.loc.line, target.loc.column);
  const expr = readExpression(text, start);
  const quote = quoteOf(sliceLoc(text, target.file, target.loc)) ?? '"';
  const safe = expr && !/["'`]/.test(expr.callee) && group.form !== 'loop';
  if (!expr || !safe) {
    b.step(group.service, { kind: 'manual', ...base }, null);
    return;
  }
  b.step(
    group.service,
    { kind: 'chain', ...base },
    { file: group.file, loc: group.loc, replacement: rebuild(expr, canonical, quote), kind: 'collapse-chain', family },
  );
}

function planRead(b: PlanBuilder, read: ModelEnvRead, canonical: string, family: string): void {
  const dynamic = read.name === null;
  const label = read.name ?? read.pattern ?? '?';
  const action = dynamic ? `Replace the run-time name ${label} by the literal ${canonical}` : `Read ${canonical} instead of ${label}`;
  const kind: PlanStepKind = dynamic ? 'dynamic' : 'read';
  const text = b.text(read.file);
  const original = text ? sliceLoc(text, read.file, read.loc) : '';
  const quote = quoteOf(original);
  let replacement: string | null = null;
  if (text && quote) {
    replacement = `${quote}${canonical}${quote}`;
  } else if (text && !dynamic && /^[A-Za-z_$][\w$]*$/.test(original) && /^[A-Za-z_$][\w$]*$/.test(canonical)) {
    const before = text.slice(0, offsetIn(text, read.file, read.loc.line, read.loc.column)).trimEnd();
    const after = text.slice(offsetIn(text, read.file, read.loc.endLine, read.loc.endColumn)).trimStart();
    if (before.endsWith('.')) replacement = canonical;
    else if (read.accessor === 'process.env' && after.startsWith(':')) replacement = canonical;
    else if (read.accessor === 'process.env' && /^[,}=]/.test(after)) replacement = `${canonical}: ${original}`;
  }
  const phase = readPhase([read]);
  const where = read.tooling ? ' in scripts and tooling' : '';
  if (replacement === null) {
    const manual = `${action} (a declared field or key: rename it or add an alias by hand)`;
    b.step(read.service, { kind: 'manual', action: manual, change: `${manual}${where}`, file: read.file, loc: read.loc, phase, family }, null);
    return;
  }
  b.step(
    read.service,
    { kind, action, change: `${action}${where}`, file: read.file, loc: read.loc, phase, family },
    { file: read.file, loc: read.loc, replacement, kind: dynamic ? 'replace-dynamic-name' : 'rename-read', family },
  );
}

/**
 * Phase 1: every deployment that gives a service (or, unattributed, a file's environment) a retired
 * name of the family, and not the canonical one, provides the canonical name next to it.
 * Phase 4: the retired names are removed from deployments once nothing reads them.
 */
function planDeployments(
  b: PlanBuilder,
  model: Model,
  family: string,
  canonical: string,
  retire: readonly string[],
  provisions: readonly ProvisionMatrixRow[],
): void {
  const providedTo = new Set(
    provisions.filter((r) => r.provided.length > 0 && r.service !== null).map((r) => `${r.service}\u0000${r.environment}\u0000${r.name}`),
  );
  const ordered = [...model.provisions].sort(
    (x, y) => compareText(x.file, y.file) || x.loc.line - y.loc.line || x.loc.column - y.loc.column || compareText(x.name, y.name),
  );
  const inFile = new Set(ordered.map((p) => `${p.file}\u0000${p.service ?? ''}\u0000${p.environment ?? 'default'}\u0000${p.name}`));
  const done = new Set<string>();
  for (const provision of ordered) {
    if (!retire.includes(provision.name)) continue;
    const environment = provision.environment ?? 'default';
    const unit = provision.service !== null ? `${provision.service}\u0000${environment}` : `\u0000${provision.file}\u0000${environment}`;
    if (done.has(unit)) continue;
    done.add(unit);
    if (inFile.has(`${provision.file}\u0000${provision.service ?? ''}\u0000${environment}\u0000${canonical}`)) continue;
    if (provision.service !== null && providedTo.has(`${provision.service}\u0000${environment}\u0000${canonical}`)) continue;
    const to = provision.service !== null ? ` to ${provision.service}` : '';
    b.step(
      provision.service,
      {
        kind: 'deployment',
        action: `Provide ${canonical}${to} in ${environment} (${provision.source}), next to ${provision.name}`,
        change: `Provide ${canonical} next to ${provision.name}`,
        file: provision.file,
        loc: provision.loc,
        phase: 1,
        family,
        environment,
      },
      null,
    );
  }
  for (const provision of ordered) {
    if (provision.name === canonical || !retire.includes(provision.name)) continue;
    const env = provision.environment ? ` (${provision.environment})` : '';
    b.step(
      provision.service,
      {
        kind: 'deployment',
        action: `Remove ${provision.name} from ${provision.source}${env} once nothing reads it (${canonical} is provided there from phase 1)`,
        change: `Remove ${provision.name} once nothing reads it`,
        file: provision.file,
        loc: provision.loc,
        phase: 4,
        family,
        environment: provision.environment ?? 'default',
      },
      null,
    );
  }
}

function planFamily(b: PlanBuilder, model: Model, family: ModelFamily, provisions: readonly ProvisionMatrixRow[]): FamilyPlan {
  const canonical = family.canonical;
  const retire = [...family.names.filter((n) => n !== canonical), ...family.patterns].sort();
  const plan: FamilyPlan = { family: family.id, canonical, reason: family.canonicalReason, why: family.canonicalWhy, retire };
  if (!canonical) return plan;
  const handled = new Set<ModelEnvRead>();
  for (const group of model.fallbackGroups) {
    const reads = groupReads(model, group);
    const own = reads.filter((r) => r.family === family.id);
    const names = new Set(own.map((r) => r.name ?? r.pattern ?? '?'));
    if (own.length === 0 || names.size < 2) continue;
    planChain(b, group, reads, canonical, family.id);
    for (const r of reads) handled.add(r);
  }
  for (const read of model.envReads) {
    if (read.family !== family.id || handled.has(read) || read.name === canonical) continue;
    planRead(b, read, canonical, family.id);
  }
  planDeployments(b, model, family.id, canonical, retire, provisions);
  return plan;
}

/**
 * Builds the migration plan: per family the canonical name and why; per service a checklist ordered
 * by phase (1 provide the canonical name in every deployment, 2 switch verifiers and other readers,
 * 3 switch signers, 4 retire fallbacks, run-time names, tooling reads and old deployment entries;
 * then imports to cut), each step with its risk, the change it shares with steps elsewhere, and a
 * precise edit (file, span, replacement) wherever one is safe.
 */
export function buildPlan(input: PlanInput): MigrationPlan {
  const { model, findings } = input;
  const b = new PlanBuilder(input.readFile);
  const families = model.families.map((f) => planFamily(b, model, f, input.provisions));
  for (const finding of findings) {
    if (finding.suppression) continue;
    if (finding.ruleId !== 'forbidden-cross-service-import' && finding.ruleId !== 'shared-imports-service') continue;
    const from = String(finding.data.from ?? finding.service ?? '');
    const to = String(finding.data.to ?? '');
    const module = String(finding.data.module ?? '');
    b.step(
      finding.service,
      {
        kind: 'import',
        action: module ? `Cut the import of ${module} (${from} → ${to})` : `Cut the import: ${finding.message}`,
        change: to ? `Cut ${from}'s imports of ${to}'s code` : `Cut the import: ${finding.message}`,
        file: finding.file,
        loc: finding.loc,
        phase: null,
        family: null,
      },
      null,
    );
  }
  const services = [...b.steps.entries()]
    .map(([key, steps]) => ({
      service: key === '' ? null : key,
      steps: steps.sort(
        (x, y) =>
          (x.phase ?? 5) - (y.phase ?? 5) ||
          STEP_ORDER[x.kind] - STEP_ORDER[y.kind] ||
          compareText(x.file, y.file) ||
          x.loc.line - y.loc.line ||
          x.loc.column - y.loc.column,
      ),
    }))
    .sort((x, y) => (x.service === null ? 1 : 0) - (y.service === null ? 1 : 0) || compareText(x.service ?? '', y.service ?? ''));
  return { families, services, edits: b.edits };
}

/** Applies plan edits to one file's text (edits for other files are ignored); later spans first. */
export function applyEdits(text: string, file: string, edits: readonly PlanEdit[]): string {
  const mine = edits
    .filter((e) => e.file === file)
    .map((e) => ({
      start: offsetIn(text, file, e.loc.line, e.loc.column),
      end: offsetIn(text, file, e.loc.endLine, e.loc.endColumn),
      replacement: e.replacement,
    }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of mine) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  return out;
}
