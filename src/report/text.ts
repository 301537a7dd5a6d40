// Terminal report: inventory, findings grouped by file with a caret under the span, notifications, summary.
import { styleText } from 'node:util';
import { canonicalReasonLabel, type Finding, type Severity } from '../vocabulary.js';
import type { RunResult } from '../summarize/result.js';
import { deltaTextLines } from './compare.js';
import { notAnalysedLabel } from './story.js';
import { guardLine, visibleDeep } from '../util/safe-text.js';
import { compareText } from '../util/order.js';

export interface TextOptions {
  color: boolean;
  /** Leave out the inventory (CI logs). */
  quiet?: boolean;
  /** Also print why each folder is a service or a library, and the folders left out (`--debug`). */
  debug?: boolean;
}

/**
 * Why each component is a service or a shared library (its evidence, one line each) and which folders
 * were left out and why: what `init` prints and the text report shows with `--debug`.
 */
export function serviceEvidenceLines(result: RunResult): string[] {
  const out: string[] = ['Services and libraries (what deploys or defines them)'];
  const components = [...result.services].sort((a, b) => (a.kind === b.kind ? compareText(a.name, b.name) : a.kind === 'service' ? -1 : 1));
  for (const s of components) {
    const aliases = s.aliases && s.aliases.length > 0 ? `  (also: ${s.aliases.join(', ')})` : '';
    out.push(`  ${s.name}  ${s.kind}  ${s.roots.map((r) => (r === '' ? '.' : `${r}/`)).join(', ')}${aliases}`);
    const evidence = s.evidence && s.evidence.length > 0 ? s.evidence : [s.detectedBy];
    for (const line of evidence) out.push(`    - ${line}`);
  }
  if (components.length === 0) out.push('  none detected: configure `services` in jwtfrag.config.json');
  const excluded = result.excludedFolders ?? [];
  if (excluded.length > 0) {
    out.push('Folders left out');
    for (const e of excluded) out.push(`  ${e.folder}/  ${e.reason}`);
  }
  return out;
}

type Style = Parameters<typeof styleText>[0];

function painter(enabled: boolean) {
  // The caller decides (TTY, NO_COLOR, FORCE_COLOR); styleText must not second-guess it from process.stdout.
  return (style: Style, text: string): string => (enabled ? styleText(style, text, { validateStream: false }) : text);
}

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', note: 'cyan' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function caretLine(finding: Finding): string | null {
  if (finding.snippet === undefined) return null;
  if (finding.snippetSpan) {
    const from = Math.max(0, Math.min(finding.snippetSpan.column - 1, finding.snippet.length));
    return ' '.repeat(from) + '^'.repeat(Math.max(1, finding.snippetSpan.endColumn - 1 - from));
  }
  const start = Math.max(0, finding.loc.column - 1);
  const end = finding.loc.endLine === finding.loc.line ? Math.max(start + 1, finding.loc.endColumn - 1) : finding.snippet.length;
  // The snippet may be shorter or longer than the original line after redaction; clamp the caret.
  const width = Math.max(1, Math.min(end, Math.max(finding.snippet.length, start + 1)) - start);
  return ' '.repeat(start) + '^'.repeat(width);
}

/**
 * Renders the human-readable report. Every string from the result is shown with its control
 * characters escaped, and no line can start with a GitHub Actions workflow command (`::`).
 */
export function renderText(input: RunResult, options: TextOptions): string {
  const result = visibleDeep(input);
  const paint = painter(options.color);
  const out: string[] = [];
  const languages = Object.entries(result.files.byLanguage)
    .map(([lang, n]) => `${lang} ${n}`)
    .join(', ');
  const services = result.services.filter((s) => s.kind === 'service').length;
  const shared = result.services.length - services;
  out.push(
    paint('bold', `jwtfrag ${result.tool.version}`) +
      ` — ${plural(result.files.scanned, 'file')} (${languages || 'none'}), ${plural(services, 'service')}, ${shared} shared` +
      (result.files.tests > 0 ? `, ${plural(result.files.tests, 'test file')} excluded` : ''),
  );

  if (options.debug) {
    const [title, ...rest] = serviceEvidenceLines(result);
    out.push('', paint('bold', title), ...rest.map((line) => (line.startsWith('Folders left out') ? paint('bold', line) : line)));
  }

  if (!options.quiet) {
    for (const family of result.families) {
      const entries = result.inventory.filter((e) => e.family === family.id);
      if (entries.length === 0) continue;
      const why = canonicalReasonLabel(family);
      out.push('');
      out.push(
        paint('bold', `Secret family ${family.id}`) +
          ` — ${plural(family.names.length, 'name')}${family.patterns.length ? ` + ${plural(family.patterns.length, 'dynamic pattern')}` : ''}` +
          (family.canonical ? `, canonical ${paint('green', family.canonical)} (${why})` : ''),
      );
      if (family.canonicalWhy) out.push(`  ${paint('dim', family.canonicalWhy)}`);
      for (const entry of entries) {
        const tags = [entry.canonical ? paint('green', 'canonical') : '', entry.dynamic ? 'dynamic' : '', entry.familyBy === 'name' ? 'by name' : '']
          .filter(Boolean)
          .join(', ');
        const roles = entry.roles.length ? entry.roles.join('+') : 'read';
        out.push(`  ${paint('bold', entry.name)}  ${roles}  [${entry.services.join(', ') || 'no service'}]${tags ? `  (${tags})` : ''}`);
        for (const read of entry.reads) {
          const where = `${read.file}:${read.loc.line}:${read.loc.column}`;
          const chain = read.chain ? `  chain: ${read.chain.join(' → ')}` : '';
          const role = read.roles.length ? `  ${read.roles.join('+')}` : '';
          out.push(`    ${paint('dim', where)}  ${read.accessor}${role}${chain}`);
        }
      }
    }
  }

  if (!options.quiet && result.wsEndpoints && result.wsEndpoints.length > 0) {
    out.push('');
    out.push(paint('bold', 'WebSocket endpoints'));
    for (const row of result.wsEndpoints) {
      const verdict = row.verdict === 'ok' ? paint('green', row.verdict) : paint(row.verdict === 'unknown' ? 'yellow' : 'red', row.verdict);
      const sources = row.tokenSources.length ? row.tokenSources.join('+') : 'no token';
      out.push(
        `  ${paint('bold', row.path ?? '(path unknown)')}  ${row.framework}  [${row.service ?? 'no service'}]  token: ${sources}  verification: ${row.verification}  ${verdict}  ${paint('dim', `${row.file}:${row.loc.line}`)}`,
      );
    }
  }

  if (!options.quiet && result.serviceImports && result.serviceImports.length > 0) {
    out.push('');
    out.push(paint('bold', 'Service imports'));
    for (const edge of result.serviceImports) {
      const typeOnly = edge.typeOnlyCount > 0 ? ` (${edge.typeOnlyCount} type-only)` : '';
      const line = `  ${edge.from} → ${edge.to}  ${plural(edge.count, 'import')}${typeOnly}`;
      out.push(edge.forbidden ? paint('red', `${line}  forbidden`) : line);
    }
  }

  const secretRows = (result.provisionMatrix ?? []).filter((r) => r.family !== null);
  if (!options.quiet && secretRows.length > 0) {
    out.push('');
    out.push(paint('bold', 'Secrets provided by deployments') + paint('dim', '  (service / environment: name state)'));
    const STATE_STYLE: Record<string, Style> = { both: 'green', provided: 'yellow', read: 'dim', missing: 'red' };
    let group = '';
    for (const row of secretRows) {
      const head = `${row.service ?? '(no service)'} / ${row.environment}`;
      if (head !== group) {
        group = head;
        out.push(`  ${head}`);
      }
      const where = row.provided[0] ? paint('dim', `  ${row.provided[0].file}:${row.provided[0].loc.line}`) : '';
      out.push(`    ${row.name}  ${paint(STATE_STYLE[row.state], row.state)}${where}`);
    }
  }

  const active = result.findings.filter((f) => !f.suppression);
  const known = result.findings.filter((f) => f.suppression?.kind === 'baseline').length;
  const suppressed = result.findings.length - active.length - known;
  let file: string | null = null;
  if (active.length > 0) out.push('');
  for (const finding of active) {
    if (finding.file !== file) {
      file = finding.file;
      out.push(paint('underline', finding.file));
    }
    const where = `${finding.loc.line}:${finding.loc.column}`.padEnd(7);
    out.push(
      `  ${paint('dim', where)} ${paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(7))} ${finding.message}  ${paint('dim', finding.ruleId)}`,
    );
    const caret = caretLine(finding);
    if (finding.snippet !== undefined && caret) {
      const gutter = String(finding.loc.line).padStart(6);
      out.push(paint('dim', `${gutter} | `) + finding.snippet);
      out.push(paint('dim', `${' '.repeat(6)} | `) + paint(SEVERITY_STYLE[finding.severity], caret));
    }
    for (const related of finding.related) {
      out.push(paint('dim', `          ↳ ${related.file}:${related.loc.line}:${related.loc.column} ${related.message}`));
    }
  }

  if (result.notifications.length > 0) {
    out.push('');
    out.push(paint('bold', 'Notifications'));
    for (const n of result.notifications) {
      const where = n.file ? `${n.file}${n.loc ? `:${n.loc.line}:${n.loc.column}` : ''}: ` : '';
      out.push(`  ${paint(SEVERITY_STYLE[n.level], n.level)} ${where}${n.message} ${paint('dim', `(${n.id})`)}`);
    }
  }

  if (result.baseline && result.baseline.stale.length > 0) {
    out.push('');
    out.push(paint('bold', 'Baseline entries that no longer match (fixed? run with --prune-baseline)'));
    for (const e of result.baseline.stale) out.push(`  ${e.ruleId} ×${e.count}: ${e.message}`);
  }

  if (result.delta) out.push('', ...deltaTextLines(result.delta).map((line, i) => (i === 0 ? paint('bold', line) : line)));

  const bySeverity = { error: 0, warning: 0, note: 0 };
  for (const f of active) bySeverity[f.severity]++;
  const skipped = Object.values(result.files.skipped).reduce((a, b) => a + b, 0);
  out.push('');
  // A file that was not analysed may hold findings: then the summary never says "no findings".
  const unanalysed = notAnalysedLabel(result.files.notAnalysed ?? []);
  const head =
    active.length > 0
      ? paint(bySeverity.error ? 'red' : 'yellow', `✖ ${plural(active.length, 'finding')}`)
      : unanalysed
        ? paint('yellow', `⚠ ${unanalysed}`)
        : paint('green', '✔ no findings');
  const parts = [
    active.length ? `${bySeverity.error} error, ${bySeverity.warning} warning, ${bySeverity.note} note` : '',
    active.length && unanalysed ? unanalysed : '',
    !active.length && unanalysed ? '0 findings in the files analysed' : '',
    known ? `${known} known finding${known === 1 ? '' : 's'}` : '',
    suppressed ? `${suppressed} suppressed` : '',
    skipped ? `${skipped} skipped` : '',
    result.notifications.length ? plural(result.notifications.length, 'notification') : '',
  ].filter(Boolean);
  out.push(`${head}${parts.length ? ` (${parts.join(' · ')})` : ''}`);
  return out.map(guardLine).join('\n') + '\n';
}
