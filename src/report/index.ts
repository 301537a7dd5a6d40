// The format registry: every output format by name, each a pure function from the result to a string.
import type { RunResult } from '../result.js';
import type { RuleMeta } from '../rule-api.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
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
  /** SARIF `automationDetails.id`. */
  category?: string;
  includeSuppressed?: boolean;
  /** The tool's documentation URL (SARIF `informationUri`). */
  informationUri?: string;
}

export type Renderer = (result: RunResult, context: RenderContext) => string;

export const FORMATS: Record<string, Renderer> = {
  text: (result, ctx) => renderText(result, { color: ctx.color, quiet: ctx.quiet }),
  json: (result) => renderJson(result),
  sarif: (result, ctx) => renderSarif(result, { rules: ctx.rules, category: ctx.category, includeSuppressed: ctx.includeSuppressed, informationUri: ctx.informationUri }),
  github: (result) => renderGithub(result),
  markdown: (result) => renderMarkdown(result),
  html: (result, ctx) => renderHtml(result, { ruleTitles: Object.fromEntries(ctx.rules.map((r) => [r.meta.id, r.meta.title])) }),
};

/** The names of the available formats, sorted. */
export function formatNames(): string[] {
  return Object.keys(FORMATS).sort();
}
