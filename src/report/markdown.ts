// Markdown fragmentation report (same order as the HTML: what breaks, what first, heatmap, plan, graph, details, findings) and the short PR-comment summary.
import { sentence, visible } from '../util/safe-text.js';
import type { Loc } from '../vocabulary.js';
import type { Severity } from '../vocabulary.js';
import type { CrossValidationMatrix, InventoryEntry, MatrixComponent, MatrixVerdict, RunResult } from '../summarize/result.js';
import { deltaMarkdown } from './compare.js';
import { renderMermaid } from './graph.js';
import {
  breakageClauses,
  environmentRank,
  familyStories,
  familyTitle,
  findingGroups,
  heatmap,
  TOLD_BY_STORIES,
  noOpenFindings,
  notAnalysedLabel,
  notAnalysedWarning,
  openFindings,
  phaseLabel,
  planPhases,
  type Breakage,
  type FamilyStory,
  type PhaseView,
  type PlanGroup,
} from './story.js';
import { provisionTable, serviceImportTable, wsEndpointTable, type TableData } from './tables.js';

/** Lists longer than this are collapsed under `<details>`. */
const COLLAPSE_AFTER = 10;

const SYMBOL: Record<MatrixVerdict, string> = { agree: '✓', partial: '◐', mismatch: '✗', unknown: '?' };
const SEVERITY_MARK: Record<Severity, string> = { error: '🔴', warning: '🟠', note: '🔵' };

export interface MarkdownOptions {
  /** Rule id → title (what the rule finds). */
  ruleTitles?: Record<string, string>;
}

export interface SummaryOptions extends MarkdownOptions {
  /** Where the full report is (a CI run's artifacts, a published page). */
  reportUrl?: string;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The family as people say it: `jwt` → `JWT`. */
function familyLabel(id: string): string {
  return id === 'jwt' ? 'JWT' : id;
}

/** `file:line`. */
export function siteOf(file: string, loc: Loc): string {
  return `${file}:${loc.line}`;
}

/** The symbol of a matrix verdict: ✓ agree, ◐ partly, ✗ mismatch, ? unknown. */
export function verdictSymbol(verdict: MatrixVerdict): string {
  return SYMBOL[verdict];
}

/** The verdict of one signer × verifier pair. */
export function verdictOf(matrix: CrossValidationMatrix, signer: MatrixComponent, verifier: MatrixComponent): MatrixVerdict {
  return matrix.cells.find((c) => c.signer === signer.id && c.verifier === verifier.id)?.verdict ?? 'unknown';
}

/** The cell's reason in a few words (results written before reasons existed have none). */
export function whyOf(matrix: CrossValidationMatrix, signer: MatrixComponent, verifier: MatrixComponent): string | undefined {
  return matrix.cells.find((c) => c.signer === signer.id && c.verifier === verifier.id)?.why;
}

/** What a component resolves: its primary names, with the whole chain when it is longer. */
export function resolves(component: MatrixComponent): string {
  const chains = new Set(component.ops.map((o) => o.chain.join(' → ')));
  return [...chains].sort().join('; ');
}

/**
 * Text from the scanned repository outside code spans: HTML-significant characters become
 * entities and link brackets are escaped, so a name cannot inject markup into a renderer that
 * allows HTML (GitHub, GitLab).
 */
function mdText(text: string): string {
  return visible(text.replace(/\r?\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([[\]\\])/g, '\\$1');
}

/** Text inside an HTML element (`<summary>`): entities only. */
function htmlText(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\[/g, '&#91;')
    .replace(/\]/g, '&#93;');
}

/** Plain text in a table cell. */
function cell(text: string): string {
  return mdText(text).replace(/\|/g, '\\|');
}

/** A code span (backticks in the text cannot close it), safe in table cells. */
function code(text: string): string {
  return `\`${visible(text.replace(/\r?\n/g, ' ')).replace(/`/g, 'ˋ').replace(/\|/g, '\\|')}\``;
}

function collapse(lines: string[], summary: string, out: string[]): void {
  if (lines.length <= COLLAPSE_AFTER) {
    out.push(...lines);
    return;
  }
  out.push(
    ...lines.slice(0, COLLAPSE_AFTER),
    '',
    `<details><summary>${htmlText(summary)} (${lines.length - COLLAPSE_AFTER} more)</summary>`,
    '',
    ...lines.slice(COLLAPSE_AFTER),
    '',
    '</details>',
  );
}

function statsLine(result: RunResult): string {
  const services = result.services.filter((s) => s.kind === 'service').length;
  const shared = result.services.filter((s) => s.kind === 'shared').length;
  const c: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of openFindings(result)) c[f.severity]++;
  return `${plural(services, 'service')}${shared > 0 ? ` + ${shared} shared` : ''} · ${result.files.scanned} files (${result.files.tests} test files excluded) · ${plural(c.error, 'error')} · ${plural(c.warning, 'warning')}${c.note > 0 ? ` · ${plural(c.note, 'note')}` : ''}${unanalysedStat(result)}`;
}

/** ` · ⚠ 2 files not analysed`, or ''. */
function unanalysedStat(result: RunResult): string {
  const label = notAnalysedLabel(result.files.notAnalysed ?? []);
  return label ? ` · ⚠ ${label}` : '';
}

/** A quoted warning line under the stats when files were not analysed. */
function unanalysedBanner(result: RunResult, out: string[]): void {
  const warning = notAnalysedWarning(result);
  if (warning) out.push(`> ⚠ ${mdText(sentence(warning))}`, '');
}

function headlineLine(story: FamilyStory): string {
  const [label, ...rest] = story.headline.split(' — ');
  return `- **${mdText(label)}** — ${mdText(rest.join(' — '))}.`;
}

function breakageRow(b: Breakage, kind: 'token' | 'service'): string {
  const who = `${b.verifier.service ?? '(no service)'}${b.verifier.channel === 'websocket' ? ' (WebSocket)' : ''}`;
  const outcome =
    b.kind === 'mismatch' ? (kind === 'service' ? 'calls rejected' : 'tokens rejected') : b.kind === 'unset' ? 'secret unset' : 'literal key wins';
  const uses = b.verifier.name ?? (b.kind === 'literal' ? '«literal key»' : 'nothing set');
  const signer = b.signer ? `${b.signer.service ?? '(no service)'}: ${b.signer.name}` : '—';
  return `| ${cell(b.environment ?? 'all')} | ${cell(who)} | ${outcome} | ${code(uses)} | ${b.signer ? code(signer) : '—'} | ${b.provided.map(code).join(', ') || '—'} |`;
}

function everywhereLines(result: RunResult, titles: Record<string, string>, max: number): string[] {
  const map = heatmap(result);
  return map.rules
    .filter((r) => r.severity === 'error' && !TOLD_BY_STORIES.has(r.id))
    .slice(0, max)
    .map((r) => {
      const services = map.services.filter((s) => map.cells.get(s)?.has(r.id));
      const shown = services.length > 4 ? `${services.slice(0, 4).join(', ')} and ${services.length - 4} more` : services.join(', ');
      return `- **${r.count}** × ${code(r.id)}${titles[r.id] ? ` — ${mdText(titles[r.id])}` : ''} (${mdText(shown)})`;
    });
}

function todaySection(result: RunResult, stories: FamilyStory[], titles: Record<string, string>, out: string[]): void {
  out.push('## What breaks today', '');
  if (stories.length === 0) out.push('No secret family was found: nothing signs or verifies tokens with a key from the environment.', '');
  for (const story of stories) out.push(headlineLine(story));
  if (stories.length > 0) out.push('');
  const rows = stories.flatMap((s) => s.breakages.map((b) => ({ b, kind: s.kind })));
  if (rows.length > 0) {
    rows.sort((x, y) => environmentRank(x.b.environment) - environmentRank(y.b.environment));
    const head = ['| env | service | outcome | uses | signer uses | env provides |', '|---|---|---|---|---|---|'];
    const body = rows.map((r) => breakageRow(r.b, r.kind));
    if (body.length <= COLLAPSE_AFTER) out.push(...head, ...body, '');
    else
      out.push(
        ...head,
        ...body.slice(0, COLLAPSE_AFTER),
        '',
        `<details><summary>${body.length - COLLAPSE_AFTER} more</summary>`,
        '',
        ...head,
        ...body.slice(COLLAPSE_AFTER),
        '',
        '</details>',
        '',
      );
    out.push('Two different variable names are two secrets unless someone set both to the same value by hand.', '');
  }
  const also = everywhereLines(result, titles, 6);
  if (also.length > 0) out.push('Also broken in every environment:', '', ...also, '');
}

function groupMeta(group: PlanGroup): string {
  const files = new Set(group.sites.map((s) => s.file)).size;
  const services = group.services.length > 4 ? `${group.services.slice(0, 4).join(', ')} and ${group.services.length - 4} more` : group.services.join(', ');
  return `${plural(group.sites.length, 'site')} in ${plural(files, 'file')} · ${services}${group.manual ? ' · by hand' : ''}`;
}

function firstSection(result: RunResult, phases: PhaseView[], out: string[]): void {
  out.push('## What to change first', '');
  for (const f of result.plan?.families ?? []) {
    out.push(
      `- **${mdText(familyTitle(f.family))}:** ${f.canonical ? `converge on ${code(f.canonical)}` : 'choose a canonical name'}. ${mdText(sentence(f.why))}`,
    );
  }
  if ((result.plan?.families.length ?? 0) > 0) out.push('');
  if (phases.length === 0) {
    out.push('Nothing to change.', '');
    return;
  }
  out.push('| phase | what | changes | sites | risk |', '|---|---|---:|---:|---|');
  for (const p of phases) out.push(`| ${phaseLabel(p.phase)} | ${cell(p.title)} | ${p.groups.length} | ${p.steps} | ${p.risk} |`);
  const group = phases[0].groups[0];
  out.push('', `**Start with:** ${mdText(group.change)} (${phaseLabel(phases[0].phase)}, ${mdText(groupMeta(group))}).`, '');
}

function heatmapSection(result: RunResult, out: string[]): void {
  const map = heatmap(result);
  out.push('## Findings by service and rule', '');
  if (map.rules.length === 0) {
    out.push(noOpenFindings(result), '');
    return;
  }
  out.push(
    `Open findings per service (rows) and rule (columns); ${SEVERITY_MARK.error} error, ${SEVERITY_MARK.warning} warning, ${SEVERITY_MARK.note} note.`,
    '',
  );
  out.push(`| service | ${map.rules.map((r) => `${SEVERITY_MARK[r.severity]} ${code(r.id)}`).join(' | ')} | total |`);
  out.push(`|---|${map.rules.map(() => '---:').join('|')}|---:|`);
  for (const service of map.services) {
    const row = map.cells.get(service);
    let total = 0;
    const cells = map.rules.map((r) => {
      const c = row?.get(r.id);
      if (!c) return '';
      total += c.count;
      return c.severity === 'error' ? `**${c.count}**` : String(c.count);
    });
    out.push(`| ${cell(service)} | ${cells.join(' | ')} | ${total} |`);
  }
  out.push(`| **total** | ${map.rules.map((r) => `**${r.count}**`).join(' | ')} | **${openFindings(result).length}** |`, '');
}

function siteLine(site: PlanGroup['sites'][number]): string {
  const where = [site.service, site.environment].filter((x): x is string => Boolean(x)).join(', ');
  const edit = site.edit ? ` — edit #${site.edit.id}: replace with ${code(site.edit.replacement)}` : site.kind === 'manual' ? ' — by hand' : '';
  return `${code(siteOf(site.file, site.loc))}${where ? ` (${mdText(where)})` : ''}${edit}`;
}

function planSection(result: RunResult, phases: PhaseView[], out: string[]): void {
  out.push('## Migration plan', '');
  const plan = result.plan;
  if (!plan) {
    out.push('No plan in this result.', '');
    return;
  }
  for (const family of plan.families) {
    out.push(
      `**${mdText(familyLabel(family.family))}: ${family.canonical ? `converge on ${code(family.canonical)}` : 'choose a canonical name'}.** ${mdText(sentence(family.why))}`,
    );
    if (family.retire.length > 0) out.push(`Retire: ${family.retire.map(code).join(', ')}.`);
    out.push('');
  }
  if (phases.length === 0) {
    out.push('Nothing to change.', '');
    return;
  }
  const steps = phases.reduce((n, p) => n + p.steps, 0);
  out.push(
    `${plural(steps, 'step')} in ${plural(
      phases.reduce((n, p) => n + p.groups.length, 0),
      'change',
    )}; ${plan.edits.length} with a precise code edit in the JSON result (\`plan.edits\`: file, span, replacement; \`jwtfrag scan --fix-dry-run\` shows them as a diff).`,
    '',
  );
  for (const p of phases) {
    out.push(`### ${phaseLabel(p.phase)}: ${mdText(p.title)} (risk ${p.risk})`, '', mdText(p.goal), '');
    for (const g of p.groups) {
      out.push(`- [ ] **${mdText(g.change)}** — risk ${g.risk} · ${mdText(groupMeta(g))}`);
      const sites = g.sites.map(siteLine);
      if (sites.length <= 3) {
        for (const s of sites) out.push(`  - ${s}`);
      } else {
        out.push('', `  <details><summary>${plural(sites.length, 'site')}</summary>`, '');
        for (const s of sites) out.push(`  - ${s}`);
        out.push('', '  </details>', '');
      }
    }
    out.push('');
  }
}

function matrixSection(result: RunResult, out: string[]): void {
  const matrix = result.matrix;
  out.push('## Cross-validation matrix', '');
  if (!matrix || matrix.pairs === 0) {
    out.push('No component both signs and verifies with a traceable key, so there is nothing to cross-validate.', '');
    return;
  }
  out.push(
    `${matrix.agree} of ${plural(matrix.pairs, 'pair')} agree. Rows verify, columns sign; each cell says whether the verifier resolves the same secret as the signer (✓ same, ◐ only some paths, ✗ different, ? unknown).`,
    '',
  );
  out.push(`| verifier ↓ · signer → | resolves | ${matrix.signers.map((s) => `${cell(s.id)} (${cell(s.primaries.join(', '))})`).join(' | ')} |`);
  out.push(`|---|---|${matrix.signers.map(() => ':---:').join('|')}|`);
  for (const v of matrix.verifiers) {
    const cells = matrix.signers.map((s) => {
      const verdict = verdictOf(matrix, s, v);
      const why = whyOf(matrix, s, v);
      return verdict === 'agree'
        ? '✓'
        : `${verdictSymbol(verdict)} ${why !== undefined ? cell(why) : `${cell(v.primaries.join(', '))} ≠ ${cell(s.primaries.join(', '))}`}`;
    });
    out.push(`| **${cell(v.id)}** | ${cell(resolves(v))} | ${cells.join(' | ')} |`);
  }
  out.push('');
  const sites: string[] = [];
  for (const c of [...matrix.signers, ...matrix.verifiers]) {
    for (const op of c.ops) sites.push(`- ${mdText(c.id)}: ${op.op} at ${code(siteOf(op.file, op.loc))} → ${mdText(op.chain.join(' → '))}`);
  }
  const unique = [...new Set(sites)];
  out.push('<details><summary>Operations behind the matrix</summary>', '', ...unique, '', '</details>', '');
}

function inventoryLine(entry: InventoryEntry): string {
  const name = entry.dynamic ? `${code(entry.name)} (dynamic)` : code(entry.name);
  const canonical = entry.canonical ? '**canonical**' : entry.dynamic ? 'replace' : 'retire';
  const roles = entry.roles.length > 0 ? entry.roles.join(', ') : '—';
  return `| ${name} | ${cell(entry.family)} | ${canonical} | ${entry.services.map(cell).join(', ') || '—'} | ${roles} | ${entry.reads.length} | ${entry.familyBy} |`;
}

function inventorySection(result: RunResult, out: string[]): void {
  out.push('## Inventory', '');
  if (result.inventory.length === 0) {
    out.push('No secret-family name is read anywhere.', '');
    return;
  }
  out.push('| name | family | status | services | roles | reads | family by |', '|---|---|---|---|---|---:|---|');
  for (const entry of result.inventory) out.push(inventoryLine(entry));
  out.push('');
  for (const entry of result.inventory) {
    out.push(`<details><summary><code>${htmlText(entry.name)}</code>: ${plural(entry.reads.length, 'read site')}</summary>`, '');
    for (const read of entry.reads) {
      const extra: string[] = [read.accessor];
      if (read.roles.length > 0) extra.push(read.roles.join('+'));
      if (read.chain) extra.push(`chain ${read.chain.join(' → ')}`);
      if (read.hasDefault) extra.push('has a default');
      out.push(`- ${code(siteOf(read.file, read.loc))} (${mdText(read.service ?? 'no service')}): ${mdText(extra.join('; '))}`);
    }
    out.push('', '</details>', '');
  }
}

function findingsSection(result: RunResult, titles: Record<string, string>, out: string[]): void {
  const groups = findingGroups(result);
  out.push('## Findings', '');
  if (groups.length === 0) {
    out.push(noOpenFindings(result), '');
    return;
  }
  out.push(`${plural(openFindings(result).length, 'open finding')}, by rule then file.`, '');
  for (const g of groups) {
    const title = titles[g.rule] ? ` — ${htmlText(titles[g.rule])}` : '';
    out.push(
      `<details><summary>${SEVERITY_MARK[g.severity]} <code>${htmlText(g.rule)}</code>: ${plural(g.count, 'finding')} in ${plural(g.files.length, 'file')}${title}</summary>`,
      '',
    );
    for (const file of g.files) {
      out.push(`- ${code(file.file)}`);
      for (const f of file.findings) out.push(`  - line ${f.loc.line}${f.severity !== g.severity ? ` (${f.severity})` : ''}: ${mdText(f.message)}`);
    }
    out.push('', '</details>', '');
  }
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
export function renderMarkdown(result: RunResult, options: MarkdownOptions = {}): string {
  const titles = options.ruleTitles ?? {};
  const stories = familyStories(result);
  const phases = planPhases(result);
  const out: string[] = ['# jwtfrag fragmentation report', '', statsLine(result), ''];
  unanalysedBanner(result, out);
  todaySection(result, stories, titles, out);
  firstSection(result, phases, out);
  if (result.delta) out.push(...deltaMarkdown(result.delta));
  heatmapSection(result, out);
  planSection(result, phases, out);
  out.push(
    '## Service graph',
    '',
    'Imports aggregated per service pair with their count (dotted; red: forbidden); secret names read per service (red: to retire).',
    '',
    '```mermaid',
    renderMermaid(result),
    '```',
    '',
  );
  matrixSection(result, out);
  inventorySection(result, out);
  tableSection('WebSocket endpoints', wsEndpointTable(result), out);
  tableSection('Secrets provided by deployments', provisionTable(result), out);
  tableSection('Service imports', serviceImportTable(result), out);
  findingsSection(result, titles, out);
  if (result.notifications.length > 0) {
    out.push('## Notifications', '');
    collapse(
      result.notifications.map((n) => `- ${n.level} ${code(n.id)}${n.file ? ` ${code(n.loc ? siteOf(n.file, n.loc) : n.file)}` : ''}: ${mdText(n.message)}`),
      'More notifications',
      out,
    );
    out.push('');
  }
  out.push(`<sub>jwtfrag ${htmlText(result.tool.version)}, result schema ${result.schemaVersion}</sub>`, '');
  return out.join('\n');
}

/** An http(s) URL with the characters that could end a Markdown link percent-encoded; undefined otherwise. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  return url.replace(/[()<>"'[\]`\\]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** At most this many lines in the PR-comment summary. */
export const SUMMARY_MAX_LINES = 60;

/**
 * A short Markdown summary for a pull-request comment (at most ~60 lines): what breaks, the phases,
 * the busiest rules, and a link to the full report.
 */
export function renderMarkdownSummary(result: RunResult, options: SummaryOptions = {}): string {
  const titles = options.ruleTitles ?? {};
  const stories = familyStories(result);
  const phases = planPhases(result);
  const out: string[] = [`### jwtfrag: ${statsLine(result)}`, ''];
  unanalysedBanner(result, out);
  out.push('**What breaks today**', '');
  if (stories.length === 0) out.push('- No secret family was found.');
  for (const story of stories.slice(0, 4)) {
    const [label] = story.headline.split(' — ');
    const first = story.breakages[0]?.environment;
    const clauses =
      story.breakages.length > 0
        ? breakageClauses(
            story.breakages.filter((b) => b.environment === first),
            story.kind,
          )
        : [];
    if (clauses.length > 0) {
      const env = first ?? 'every environment';
      out.push(
        `- **${mdText(label)}** (${mdText(env)}): ${mdText(clauses.slice(0, 2).join('; '))}${clauses.length > 2 ? ` (+${clauses.length - 2} more)` : ''}.`,
      );
      const others = [...new Set(story.breakages.filter((b) => b.environment !== first).map((b) => b.environment ?? 'every environment'))];
      if (others.length > 0) out.push(`  Also in ${mdText(others.join(', '))}.`);
    } else {
      out.push(headlineLine(story));
    }
  }
  const also = everywhereLines(result, titles, 3);
  if (also.length > 0) out.push('', 'Also in every environment:', ...also);
  out.push('');
  if (result.delta) {
    const f = result.delta.findings;
    out.push(`**Progress since ${code(result.delta.since)}:** findings ${f.before} → ${f.after} (${f.fixed.length} fixed, ${f.new.length} new).`, '');
  }
  out.push('**What to change first**', '');
  for (const f of (result.plan?.families ?? []).slice(0, 3)) {
    out.push(`- ${mdText(familyTitle(f.family))}: ${f.canonical ? `converge on ${code(f.canonical)}` : 'choose a canonical name (set it in the config)'}.`);
  }
  if (phases.length > 0) {
    out.push('', '| phase | changes | sites | risk | first change |', '|---|---:|---:|---|---|');
    for (const p of phases)
      out.push(`| ${phaseLabel(p.phase)}: ${cell(p.title)} | ${p.groups.length} | ${p.steps} | ${p.risk} | ${cell(p.groups[0].change)} |`);
  } else {
    out.push('', 'Nothing to change.');
  }
  out.push('');
  const map = heatmap(result);
  if (map.rules.length > 0) {
    const rows = map.rules.slice(0, 8);
    out.push('**Findings by rule**', '', '| rule | findings | services |', '|---|---:|---|');
    for (const r of rows) {
      const services = map.services.filter((s) => map.cells.get(s)?.has(r.id));
      out.push(
        `| ${SEVERITY_MARK[r.severity]} ${code(r.id)} | ${r.count} | ${cell(services.length > 3 ? `${services.slice(0, 3).join(', ')} +${services.length - 3}` : services.join(', '))} |`,
      );
    }
    if (map.rules.length > rows.length)
      out.push(`| ${map.rules.length - rows.length} more rules | ${map.rules.slice(rows.length).reduce((n, r) => n + r.count, 0)} | |`);
    out.push('');
  }
  const url = safeUrl(options.reportUrl);
  const link = url ? `[the full report](${url})` : 'the full report (`jwtfrag scan --format html -o report.html`)';
  out.push(
    `Heatmap, service graph, every plan site with its exact edit, and every finding: ${link}.`,
    '',
    `<sub>jwtfrag ${htmlText(result.tool.version)}</sub>`,
    '',
  );
  return out.join('\n');
}
