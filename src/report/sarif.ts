// SARIF 2.1.0 reporter shaped for GitHub code scanning (see test/sarif/GITHUB-CODE-SCANNING.md §10).
import { gzipSync } from 'node:zlib';
import type { Loc, Notification } from '../vocabulary.js';
import type { Finding, RelatedLocation } from '../vocabulary.js';
import type { RunResult } from '../summarize/result.js';
import { SEVERITY_RANK } from '../vocabulary.js';
import type { RuleMeta } from '../rule-api.js';
import { findingFingerprint } from '../util/fingerprint.js';
import { compareFindings, compareText } from '../util/order.js';

export interface SarifRuleInfo {
  meta: RuleMeta;
  /** The rule's markdown doc (rules/<id>.md). */
  doc: string;
  /** Where the doc is published (an absolute https URL); else `<informationUri>#<rule-id>`. */
  helpUri?: string;
}

export interface SarifOptions {
  /** Every rule that ran (not only those that fired), so `ruleIndex` stays stable across runs. */
  rules: SarifRuleInfo[];
  /** `automationDetails.id` category; a trailing `/` is added when missing. Default `jwtfrag/`. */
  category?: string;
  /** Emit suppressed findings too, each result then carrying `suppressions`. Default false. */
  includeSuppressed?: boolean;
  /** Absolute https URL of the tool's documentation; a rule without its own `helpUri` links to `<informationUri>#<rule-id>`. */
  informationUri?: string;
  /** Overrides of GitHub's limits (for tests): results per run, gzip bytes. */
  limits?: { maxResults?: number; maxGzipBytes?: number };
}

/** GitHub code scanning limits that the reporter enforces or warns about (§2). */
const SARIF_LIMITS: Readonly<{ maxResults: number; maxGzipBytes: number }> = { maxResults: 25_000, maxGzipBytes: 10_000_000 };

const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const MAX_DESCRIPTION = 1024;
const MAX_NAME = 255;

interface SarifMessage {
  text: string;
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: string };
  region?: SarifRegion;
}

interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown?: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
  properties: Record<string, unknown>;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  fingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource' | 'external'; justification?: string }[];
}

interface SarifNotification {
  level: string;
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
}

/**
 * Renders a run result as one SARIF 2.1.0 log with a single run, ready for
 * `github/codeql-action/upload-sarif`. Pure and deterministic: same input, same bytes.
 */
export function renderSarif(result: RunResult, options: SarifOptions): string {
  const extraNotes: SarifNotification[] = [];
  const rules = buildRules(options, result.findings, extraNotes);
  const ruleIndex = new Map<string, number>();
  for (const [index, rule] of rules.entries()) ruleIndex.set(rule.id, index);
  const securityOf = new Map<string, number>();
  for (const info of options.rules) {
    if (info.meta.securitySeverity !== undefined) securityOf.set(info.meta.id, info.meta.securitySeverity);
  }

  const includeSuppressed = options.includeSuppressed === true;
  let selected = result.findings.filter((finding) => includeSuppressed || finding.suppression === undefined);
  const maxResults = options.limits?.maxResults ?? SARIF_LIMITS.maxResults;
  if (selected.length > maxResults) {
    const left = selected.length - maxResults;
    selected = [...selected].sort((a, b) => comparePriority(a, b, securityOf)).slice(0, maxResults);
    extraNotes.push(
      note(
        'warning',
        'results-truncated',
        `${left} of ${left + maxResults} results were left out: GitHub code scanning accepts at most ${maxResults} results per run (the most severe are kept).`,
      ),
    );
  }
  selected = [...selected].sort(compareFindings);
  const results = selected.map((finding) => toResult(finding, ruleIndex.get(finding.ruleId) ?? -1, includeSuppressed));

  const notifications = [...result.notifications].sort(compareNotifications).map(toNotification);
  const build = (extra: SarifNotification[]): string =>
    JSON.stringify(
      {
        $schema: SARIF_SCHEMA_URI,
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'jwtfrag',
                semanticVersion: result.tool.version,
                ...(options.informationUri === undefined ? {} : { informationUri: options.informationUri }),
                rules,
              },
            },
            invocations: [{ executionSuccessful: true, toolExecutionNotifications: [...notifications, ...extra] }],
            automationDetails: { id: categoryId(options.category) },
            originalUriBaseIds: { [SRCROOT]: { description: { text: 'Repository root' } } },
            columnKind: 'utf16CodeUnits',
            results,
          },
        ],
      },
      null,
      2,
    );

  const text = build(extraNotes);
  const maxGzip = options.limits?.maxGzipBytes ?? SARIF_LIMITS.maxGzipBytes;
  const gzipped = gzipSync(Buffer.from(text, 'utf8')).length;
  if (gzipped <= maxGzip) return text;
  const warning = note(
    'warning',
    'sarif-too-large',
    `The gzipped SARIF is ${gzipped} bytes; GitHub code scanning rejects uploads over ${maxGzip} bytes. Narrow the scan (include/exclude) or split it with --category.`,
  );
  return build([...extraNotes, warning]);
}

function buildRules(options: SarifOptions, findings: Finding[], notes: SarifNotification[]): SarifRule[] {
  const byId = new Map<string, SarifRule>();
  for (const info of options.rules) {
    if (!byId.has(info.meta.id)) byId.set(info.meta.id, toRule(info, options.informationUri));
  }
  const missing = new Map<string, Finding>();
  for (const finding of findings) {
    if (!byId.has(finding.ruleId) && !missing.has(finding.ruleId)) missing.set(finding.ruleId, finding);
  }
  for (const [id, finding] of [...missing].sort(([a], [b]) => compareText(a, b))) {
    byId.set(id, {
      id,
      name: pascalCase(id),
      shortDescription: { text: id },
      fullDescription: { text: id },
      help: { text: id },
      defaultConfiguration: { level: finding.severity },
      properties: { tags: [], precision: finding.precision },
    });
    notes.push(note('warning', 'rule-metadata-missing', `Rule ${id} reported findings but has no metadata.`));
  }
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

function toRule(info: SarifRuleInfo, informationUri: string | undefined): SarifRule {
  const { meta } = info;
  const title = meta.title.trim().length > 0 ? meta.title.trim() : meta.id;
  const summary = firstParagraph(info.doc, 'What it finds');
  const helpText = markdownToText(info.doc);
  const tags = [...new Set(meta.tags)];
  const security = securitySeverityString(meta.securitySeverity);
  if (security !== null && !tags.includes('security')) tags.push('security');
  const properties: Record<string, unknown> = { tags, precision: meta.precision };
  if (security !== null) properties['security-severity'] = security;
  else properties['problem.severity'] = meta.defaultSeverity === 'note' ? 'recommendation' : meta.defaultSeverity;
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: truncate(title, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(summary ?? title, MAX_DESCRIPTION) },
    help: helpText.length > 0 ? { text: helpText, markdown: info.doc } : { text: title },
    ...(info.helpUri !== undefined ? { helpUri: info.helpUri } : informationUri === undefined ? {} : { helpUri: `${informationUri}#${meta.id}` }),
    defaultConfiguration: { level: meta.defaultSeverity },
    properties,
  };
}

/**
 * `security-severity` as GitHub wants it: a one-decimal string in (0, 10], moved off the 9.0 / 7.0
 * / 4.0 band boundaries (upwards, as CVSS puts a boundary value in the higher band). Null when
 * absent or out of range.
 */
function securitySeverityString(value: number | undefined): string | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  let rounded = Math.round(value * 10) / 10;
  if (rounded <= 0 || rounded > 10) return null;
  if (rounded === 9 || rounded === 7 || rounded === 4) rounded += 0.1;
  return rounded.toFixed(1);
}

function toResult(finding: Finding, ruleIndex: number, includeSuppressed: boolean): SarifResult {
  const related = finding.related.map((rel, index) => toRelated(rel, index + 1));
  const lineHash = finding.fingerprints?.primaryLocationLineHash;
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.severity,
    message: { text: messageText(finding) },
    locations: [{ physicalLocation: physical(finding.file, finding.loc) }],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    ...(lineHash === undefined ? {} : { partialFingerprints: { primaryLocationLineHash: lineHash } }),
    fingerprints: { 'jwtfrag/v1': findingFingerprint(finding.ruleId, finding.key) },
    ...(includeSuppressed ? { suppressions: toSuppressions(finding) } : {}),
  };
}

function toSuppressions(finding: Finding): NonNullable<SarifResult['suppressions']> {
  const suppression = finding.suppression;
  if (suppression === undefined) return [];
  const kind = suppression.kind === 'inline' ? 'inSource' : 'external';
  return [suppression.reason === null ? { kind } : { kind, justification: suppression.reason }];
}

function toRelated(rel: RelatedLocation, id: number): SarifLocation {
  return { id, physicalLocation: physical(rel.file, rel.loc), message: { text: relatedText(rel) } };
}

function relatedText(rel: RelatedLocation): string {
  return rel.message.trim().length > 0 ? rel.message : `${rel.file}:${rel.loc.line}`;
}

/**
 * The finding's message; with related locations, followed by `[text](id)` links to them. Literal
 * brackets and backslashes are then escaped, as SARIF §3.11.6 asks of text holding embedded links.
 */
function messageText(finding: Finding): string {
  if (finding.related.length === 0) return finding.message;
  const links = finding.related.map((rel, index) => `[${escapeLinkText(relatedText(rel))}](${index + 1})`);
  return `${escapeLinkText(finding.message)} Related: ${links.join(', ')}.`;
}

function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, (char) => `\\${char}`);
}

function physical(file: string, loc: Loc | undefined): SarifPhysicalLocation {
  const artifactLocation = { uri: toUri(file), uriBaseId: SRCROOT };
  if (loc === undefined) return { artifactLocation };
  return { artifactLocation, region: toRegion(loc) };
}

function toRegion(loc: Loc): SarifRegion {
  const startLine = Math.max(1, loc.line);
  const startColumn = Math.max(1, loc.column);
  return {
    startLine,
    startColumn,
    endLine: Math.max(startLine, loc.endLine),
    endColumn: Math.max(1, loc.endColumn),
  };
}

/**
 * A repo-relative posix path as a relative URI reference: `./` dropped, each segment
 * percent-encoded. Paths are posix already, so a backslash is part of a file name (`%5C`), never a
 * separator; a colon in the first segment is encoded too, so the reference cannot read as a scheme.
 */
function toUri(file: string): string {
  const posix = file.replace(/^(\.\/)+/, '');
  const segments: string[] = [];
  for (const segment of posix.split('/')) {
    segments.push(encodeURIComponent(segment).replace(/%40/g, '@'));
  }
  // A colon in the first segment would read as a URI scheme (`a:b.py`); RFC 3986 §4.2 asks to encode it.
  if (segments.length > 0) segments[0] = segments[0].replace(/:/g, '%3A');
  return segments.join('/');
}

function toNotification(notification: Notification): SarifNotification {
  const out = note(notification.level, notification.id, notification.message);
  if (notification.file !== null) out.locations = [{ physicalLocation: physical(notification.file, notification.loc) }];
  return out;
}

function note(level: string, id: string, text: string): SarifNotification {
  return { level, message: { text }, descriptor: { id } };
}

function categoryId(category: string | undefined): string {
  const id = category === undefined || category.trim().length === 0 ? 'jwtfrag/' : category.trim();
  return id.endsWith('/') ? id : `${id}/`;
}

const PRECISION_RANK: Record<Finding['precision'], number> = { 'very-high': 4, high: 3, medium: 2, low: 1 };

/** Which results to keep under the cap: level, then security severity, then precision. */
function comparePriority(a: Finding, b: Finding, security: Map<string, number>): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (security.get(b.ruleId) ?? 0) - (security.get(a.ruleId) ?? 0) ||
    PRECISION_RANK[b.precision] - PRECISION_RANK[a.precision] ||
    compareFindings(a, b)
  );
}

function compareNotifications(a: Notification, b: Notification): number {
  return (
    compareText(a.file ?? '', b.file ?? '') ||
    (a.loc?.line ?? 0) - (b.loc?.line ?? 0) ||
    (a.loc?.column ?? 0) - (b.loc?.column ?? 0) ||
    compareText(a.id, b.id) ||
    compareText(a.level, b.level) ||
    compareText(a.message, b.message)
  );
}

function pascalCase(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter((word) => word.length > 0);
  const name = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return truncate(name.length > 0 ? name : id, MAX_NAME);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The first paragraph under a `## <heading>` of a markdown doc, as plain text; null when absent. */
function firstParagraph(doc: string, heading: string): string | null {
  const lines = doc.split(/\r?\n/);
  const start = lines.findIndex(
    (line) =>
      /^##\s+/.test(line) &&
      line
        .replace(/^##\s+/, '')
        .trim()
        .toLowerCase() === heading.toLowerCase(),
  );
  if (start < 0) return null;
  const paragraph: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,6}\s/.test(line) || /^\s*(```|~~~)/.test(line)) break;
    if (line.trim().length === 0) {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line.trim());
  }
  const text = inlineToText(paragraph.join(' '));
  return text.length > 0 ? text : null;
}

/** Markdown as readable plain text: heading marks, fences and inline markup removed, links spelled out. */
function markdownToText(doc: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of doc.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(`    ${line}`);
      continue;
    }
    out.push(inlineToText(line.replace(/^#{1,6}\s+/, '')));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function inlineToText(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, (_whole, label: string, url: string) => `${label} (${url})`)
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)/g, '$1$2')
    .trimEnd();
}
