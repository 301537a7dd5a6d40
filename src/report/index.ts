// The format registry: every output format by name, each a pure function from the result to a string.
import type { RunResult } from '../summarize/result.js';
import type { RuleMeta } from '../rule-api.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJson, renderJsonParts } from './json.js';
import { renderMarkdown, renderMarkdownSummary } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export interface RuleInfo {
  meta: RuleMeta;
  /** The rule's markdown doc. */
  doc: string;
  /** Where the doc is published (SARIF `helpUri`). */
  helpUri?: string;
}

export interface RenderContext {
  rules: RuleInfo[];
  color: boolean;
  quiet?: boolean;
  /** Text: print the evidence behind each service and the folders left out. */
  debug?: boolean;
  /** SARIF `automationDetails.id`. */
  category?: string;
  includeSuppressed?: boolean;
  /** The tool's documentation URL (SARIF `informationUri`). */
  informationUri?: string;
  /** Where the full report is published (`markdown-summary` links to it). */
  reportUrl?: string;
}

function ruleTitles(ctx: RenderContext): Record<string, string> {
  return Object.fromEntries(ctx.rules.map((r) => [r.meta.id, r.meta.title]));
}

export type Renderer = (result: RunResult, context: RenderContext) => string;

export const FORMATS: Record<string, Renderer> = {
  text: (result, ctx) => renderText(result, { color: ctx.color, quiet: ctx.quiet, debug: ctx.debug }),
  json: (result) => renderJson(result),
  sarif: (result, ctx) =>
    renderSarif(result, { rules: ctx.rules, category: ctx.category, includeSuppressed: ctx.includeSuppressed, informationUri: ctx.informationUri }),
  github: (result) => renderGithub(result),
  markdown: (result, ctx) => renderMarkdown(result, { ruleTitles: ruleTitles(ctx) }),
  'markdown-summary': (result, ctx) => renderMarkdownSummary(result, { ruleTitles: ruleTitles(ctx), reportUrl: ctx.reportUrl }),
  html: (result, ctx) => renderHtml(result, { ruleTitles: ruleTitles(ctx) }),
};

/**
 * A format's text in parts, in order, to be written as they come: JSON (whose text grows with the
 * repository) part by part, the other formats in one part. Joined, the parts are `FORMATS[format]`'s text.
 */
export function renderParts(format: string, result: RunResult, context: RenderContext): Iterable<string> {
  return format === 'json' ? renderJsonParts(result) : [FORMATS[format](result, context)];
}

/** Whether `name` is one of the formats (only the registry's own names: `toString` is not one). */
export function isFormat(name: string): boolean {
  return Object.hasOwn(FORMATS, name);
}

/** The names of the available formats, sorted. */
export function formatNames(): string[] {
  return Object.keys(FORMATS).sort();
}
