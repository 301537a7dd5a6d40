// GitHub Actions workflow-command reporter: one `::error`/`::warning`/`::notice` annotation per finding.
import type { Notification } from '../vocabulary.js';
import type { Finding, Severity } from '../vocabulary.js';
import type { RunResult } from '../summarize/result.js';
import { compareFindings, compareText } from '../util/order.js';
import { visibleDeep } from '../util/safe-text.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escapes the message part of a workflow command (`%`, CR, LF). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value: data escaping plus `:` and `,`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Renders unsuppressed findings as GitHub Actions annotations, sorted by file, line, column and
 * rule; parse errors and other error/warning notifications follow as annotations titled
 * `jwtfrag <id>`. Related locations are listed on extra lines of the message. Every field has its
 * control characters escaped first, so each annotation is exactly one line.
 */
export function renderGithub(input: RunResult): string {
  // Control characters from file names and messages become visible escapes before workflow-command escaping.
  const result = visibleDeep(input);
  const lines: string[] = [];
  const findings = result.findings.filter((finding) => finding.suppression === undefined).sort(compareFindings);
  for (const finding of findings) {
    const props = [
      ['file', finding.file],
      ['line', String(finding.loc.line)],
      ['endLine', String(finding.loc.endLine)],
      ['col', String(finding.loc.column)],
      ['endColumn', String(finding.loc.endColumn)],
      ['title', finding.ruleId],
    ];
    lines.push(command(COMMAND[finding.severity], props, findingMessage(finding)));
  }
  const notifications = result.notifications.filter((notification) => notification.level !== 'note').sort(compareNotifications);
  for (const notification of notifications) {
    const props: string[][] = [];
    if (notification.file !== null) {
      props.push(['file', notification.file]);
      if (notification.loc !== undefined) props.push(['line', String(notification.loc.line)]);
    }
    props.push(['title', `jwtfrag ${notification.id}`]);
    lines.push(command(COMMAND[notification.level], props, notification.message));
  }
  return lines.map((line) => `${line}\n`).join('');
}

function command(name: string, props: string[][], message: string): string {
  const rendered = props.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
  return `::${name} ${rendered}::${escapeData(message)}`;
}

function findingMessage(finding: Finding): string {
  const related = finding.related.map((rel) => `\n  ${rel.file}:${rel.loc.line}: ${rel.message}`);
  return related.length === 0 ? finding.message : `${finding.message}\nRelated:${related.join('')}`;
}

function compareNotifications(a: Notification, b: Notification): number {
  return compareText(a.file ?? '', b.file ?? '') || (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || compareText(a.id, b.id) || compareText(a.message, b.message);
}
