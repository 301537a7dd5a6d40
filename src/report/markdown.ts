// Markdown fragmentation report: headline, cross-validation matrix, graph, inventory, counts, migration plan, findings.
import { sentence } from '../util/safe-text.js';
import type { Loc } from '../model/facts.js';
import type { CrossValidationMatrix, InventoryEntry, MatrixComponent, MatrixVerdict, PlanStep, RunResult } from '../result.js';
import { deltaMarkdown } from './compare.js';
import { renderMermaid } from './graph.js';
import { provisionTable, serviceImportTable, wsEndpointTable, type TableData } from './tables.js';
import { notAnalysedLabel } from './text.js';

/** Lists longer than this are collapsed under `<details>`. */
export const COLLAPSE_AFTER = 10;

const SYMBOL: Record<MatrixVerdict, string> = { agree: '✓', partial: '◐', mismatch: '✗', unknown: '?' };

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The family as people say it: `jwt` → `JWT`. */
export function familyLabel(id: string): string {
  return id === 'jwt' ? 'JWT' : id;
}

/** `file:line`. */
export function siteOf(file: string, loc: Loc): string {
  return `${file}:${loc.line}`;
}

/** One sentence per family: how many names across how many services, and how many signer × verifier pairs agree. */
export function headlines(result: RunResult): string[] {
  const out: string[] = [];
  result.families.forEach((family, index) => {
    const entries = result.inventory.filter((e) => e.family === family.id && !e.dynamic);
    const services = new Set(entries.flatMap((e) => e.services));
    let sentence = `${plural(family.names.length, 'name')} for the ${familyLabel(family.id)} secret across ${plural(services.size, 'service')}`;
    const matrix = result.matrix;
    if (matrix && index === 0) {
      sentence += matrix.pairs > 0
        ? `; ${matrix.agree} of ${plural(matrix.pairs, 'signer × verifier pair')} agree`
        : '; no signer × verifier pair was found';
    }
    out.push(sentence);
  });
  if (out.length === 0) out.push('No secret family was found');
  const unanalysed = notAnalysedLabel(result.files.notAnalysed ?? []);
  if (unanalysed) out.push(`${unanalysed} (see the notifications): findings in them may be missing`);
  return out;
}

/** The symbol of a matrix verdict: ✓ agree, ◐ partly, ✗ mismatch, ? unknown. */
export function verdictSymbol(verdict: MatrixVerdict): string {
  return SYMBOL[verdict];
}

/** The verdict of one signer × verifier pair. */
export function verdictOf(matrix: CrossValidationMatrix, signer: MatrixComponent, verifier: MatrixComponent): MatrixVerdict {
  return matrix.cells.find((c) => c.signer === signer.id && c.verifier === verifier.id)?.verdict ?? 'unknown';
}

/** What a component resolves: its primary names, with the whole chain when it is longer. */
export function resolves(component: MatrixComponent): string {
  const chains = new Set(component.ops.map((o) => o.chain.join(' → ')));
  return [...chains].sort().join('; ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, 'ˋ')}\``;
}

function collapse(lines: string[], summary: string, out: string[]): void {
  if (lines.length <= COLLAPSE_AFTER) {
    out.push(...lines);
    return;
  }
  out.push(...lines.slice(0, COLLAPSE_AFTER), '', `<details><summary>${summary} (${lines.length - COLLAPSE_AFTER} more)</summary>`, '', ...lines.slice(COLLAPSE_AFTER), '', '</details>');
}

function summary(result: RunResult, out: string[]): void {
  out.push('## Summary', '');
  for (const line of headlines(result)) out.push(`**${line}.**`, '');
  const services = result.services.filter((s) => s.kind === 'service').map((s) => code(s.name));
  const shared = result.services.filter((s) => s.kind === 'shared').map((s) => code(s.name));
  out.push(`- Services: ${services.join(', ') || 'none'}${shared.length > 0 ? `; shared: ${shared.join(', ')}` : ''}`);
  const languages = Object.entries(result.files.byLanguage).map(([lang, n]) => `${lang} ${n}`).join(', ');
  out.push(`- Files scanned: ${result.files.scanned}${languages ? ` (${languages})` : ''}; test files excluded: ${result.files.tests}`);
  for (const family of result.families) {
    const canonical = family.canonical ? `canonical ${code(family.canonical)}${family.canonicalReason ? ` (${family.canonicalReason})` : ''}` : 'no canonical name';
    const names = family.names.map(code).join(', ');
    const patterns = family.patterns.length > 0 ? `; dynamic: ${family.patterns.map(code).join(', ')}` : '';
    out.push(`- Family ${code(family.id)}: ${canonical}; names ${names || 'none'}${patterns}${family.canonicalWhy ? `. ${family.canonicalWhy}` : ''}`);
  }
  const skipped = Object.entries(result.files.skipped);
  if (skipped.length > 0) out.push(`- Skipped: ${skipped.map(([why, n]) => `${why} ${n}`).join(', ')}`);
  out.push('');
}

function matrixSection(result: RunResult, out: string[]): void {
  const matrix = result.matrix;
  out.push('## Cross-validation matrix', '');
  if (!matrix || matrix.pairs === 0) {
    out.push('No component both signs and verifies with a traceable key, so there is nothing to cross-validate.', '');
    return;
  }
  out.push(`${matrix.agree} of ${plural(matrix.pairs, 'pair')} agree. Rows verify, columns sign; each cell says whether the verifier resolves the same secret as the signer (✓ same, ◐ only some paths, ✗ different, ? unknown).`, '');
  out.push(`| verifier ↓ · signer → | resolves | ${matrix.signers.map((s) => `${cell(s.id)} (${cell(s.primaries.join(', '))})`).join(' | ')} |`);
  out.push(`|---|---|${matrix.signers.map(() => ':---:').join('|')}|`);
  for (const v of matrix.verifiers) {
    const cells = matrix.signers.map((s) => {
      const verdict = verdictOf(matrix, s, v);
      return verdict === 'agree' ? '✓' : `${verdictSymbol(verdict)} ${cell(v.primaries.join(', '))} ≠ ${cell(s.primaries.join(', '))}`;
    });
    out.push(`| **${cell(v.id)}** | ${cell(resolves(v))} | ${cells.join(' | ')} |`);
  }
  out.push('');
  const sites: string[] = [];
  for (const c of [...matrix.signers, ...matrix.verifiers]) {
    for (const op of c.ops) sites.push(`- ${cell(c.id)}: ${op.op} at ${code(siteOf(op.file, op.loc))} → ${op.chain.join(' → ')}`);
  }
  const unique = [...new Set(sites)];
  out.push('<details><summary>Operations behind the matrix</summary>', '', ...unique, '', '</details>', '');
}

function countsSection(result: RunResult, out: string[]): void {
  out.push('## Findings by rule', '');
  const entries = Object.entries(result.counts);
  if (entries.length === 0) {
    const unanalysed = notAnalysedLabel(result.files.notAnalysed ?? []);
    out.push(unanalysed ? `No findings in the files analysed; ${unanalysed}.` : 'No findings.', '');
    return;
  }
  out.push('| rule | findings |', '|---|---:|');
  for (const [rule, n] of entries) out.push(`| ${code(rule)} | ${n} |`);
  const suppressed = result.findings.filter((f) => f.suppression).length;
  if (suppressed > 0) out.push('', `${plural(suppressed, 'finding')} suppressed (inline or baseline) are not counted.`);
  out.push('');
}

function inventoryLine(entry: InventoryEntry): string {
  const name = entry.dynamic ? `${code(entry.name)} (dynamic)` : code(entry.name);
  const canonical = entry.canonical ? '**canonical**' : entry.dynamic ? 'replace' : 'retire';
  const roles = entry.roles.length > 0 ? entry.roles.join(', ') : '—';
  return `| ${name} | ${canonical} | ${entry.services.map(cell).join(', ') || '—'} | ${roles} | ${entry.reads.length} | ${entry.familyBy} |`;
}

function inventorySection(result: RunResult, out: string[]): void {
  out.push('## Inventory', '');
  if (result.inventory.length === 0) {
    out.push('No secret-family name is read anywhere.', '');
    return;
  }
  out.push('| name | status | services | roles | reads | family by |', '|---|---|---|---|---:|---|');
  for (const entry of result.inventory) out.push(inventoryLine(entry));
  out.push('');
  for (const entry of result.inventory) {
    out.push(`<details><summary>${entry.name}: ${plural(entry.reads.length, 'read site')}</summary>`, '');
    for (const read of entry.reads) {
      const extra: string[] = [read.accessor];
      if (read.roles.length > 0) extra.push(read.roles.join('+'));
      if (read.chain) extra.push(`chain ${read.chain.join(' → ')}`);
      if (read.hasDefault) extra.push('has a default');
      out.push(`- ${code(siteOf(read.file, read.loc))} (${read.service ?? 'no service'}): ${extra.join('; ')}`);
    }
    out.push('', '</details>', '');
  }
}

function stepLine(step: PlanStep, result: RunResult): string {
  const edit = step.edit !== null ? result.plan?.edits[step.edit] : undefined;
  const how = edit ? ` — edit #${edit.id}: replace with ${code(edit.replacement)}` : step.kind === 'manual' ? ' — by hand' : '';
  return `- [ ] ${step.action} (${code(siteOf(step.file, step.loc))})${how}`;
}

function planSection(result: RunResult, out: string[]): void {
  out.push('## Migration plan', '');
  const plan = result.plan;
  if (!plan) {
    out.push('No plan in this result.', '');
    return;
  }
  for (const family of plan.families) {
    out.push(`**${familyLabel(family.family)}: ${family.canonical ? `converge on ${code(family.canonical)}` : 'choose a canonical name'}.** ${sentence(family.why)}`);
    if (family.retire.length > 0) out.push(`Retire: ${family.retire.map(code).join(', ')}.`);
    out.push('');
  }
  if (plan.services.length === 0) {
    out.push('Nothing to change.', '');
    return;
  }
  const editable = plan.edits.length;
  const steps = plan.services.reduce((n, s) => n + s.steps.length, 0);
  out.push(`${plural(steps, 'step')}, ${editable} with a precise code edit in the JSON result (\`plan.edits\`: file, span, replacement).`, '');
  for (const service of plan.services) {
    out.push(`### ${service.service ?? 'Unattributed (no service)'}`, '');
    collapse(service.steps.map((s) => stepLine(s, result)), 'More steps', out);
    out.push('');
  }
}

function findingsSection(result: RunResult, out: string[]): void {
  const open = result.findings.filter((f) => !f.suppression);
  out.push('## Findings', '');
  if (open.length === 0) {
    out.push('No open findings.', '');
    return;
  }
  const rows = open.map((f) => `| ${f.severity} | ${code(f.ruleId)} | ${code(siteOf(f.file, f.loc))} | ${cell(f.message)} |`);
  out.push(`<details><summary>${plural(open.length, 'open finding')}</summary>`, '', '| severity | rule | location | message |', '|---|---|---|---|', ...rows, '', '</details>', '');
}

function tableSection(title: string, table: TableData | null, out: string[]): void {
  if (!table) return;
  out.push(`## ${title}`, '');
  const lines = [`| ${table.headers.join(' | ')} |`, `|${table.headers.map(() => '---').join('|')}|`];
  const body = table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`);
  if (body.length > COLLAPSE_AFTER) out.push(`<details><summary>${body.length} rows</summary>`, '', ...lines, ...body, '', '</details>', '');
  else out.push(...lines, ...body, '');
}

/** Renders the fragmentation report as GitHub-flavoured Markdown (deterministic: no timestamps). */
export function renderMarkdown(result: RunResult): string {
  const out: string[] = [`# jwtfrag fragmentation report`, ''];
  summary(result, out);
  if (result.delta) out.push(...deltaMarkdown(result.delta));
  matrixSection(result, out);
  out.push('## Service graph', '', '```mermaid', renderMermaid(result), '```', '');
  countsSection(result, out);
  inventorySection(result, out);
  tableSection('WebSocket endpoints', wsEndpointTable(result), out);
  tableSection('Secrets provided by deployments', provisionTable(result), out);
  tableSection('Service imports', serviceImportTable(result), out);
  planSection(result, out);
  findingsSection(result, out);
  if (result.notifications.length > 0) {
    out.push('## Notifications', '');
    collapse(result.notifications.map((n) => `- ${n.level} ${code(n.id)}${n.file ? ` ${code(n.loc ? siteOf(n.file, n.loc) : n.file)}` : ''}: ${n.message}`), 'More notifications', out);
    out.push('');
  }
  out.push(`<sub>jwtfrag ${result.tool.version}, result schema ${result.schemaVersion}</sub>`, '');
  return out.join('\n');
}
