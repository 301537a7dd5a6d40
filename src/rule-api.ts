// The rule API: `defineRule`, rule metadata and the context a rule reports through.
import type { Loc } from './vocabulary.js';
import type { Model } from './model/types.js';
import type { Finding, Precision, RelatedLocation, Severity } from './vocabulary.js';

export type RuleCategory = 'secrets' | 'imports' | 'websocket' | 'deployment' | 'meta';

export interface RuleMeta {
  id: string;
  title: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  precision: Precision;
  /** CVSS-like score for security rules (drives SARIF `security-severity`). */
  securitySeverity?: number;
  tags: string[];
  /** Message templates keyed by message id; `{{name}}` placeholders. */
  messages: Record<string, string>;
  /**
   * `post-suppression` rules run after every other rule and after inline suppressions were applied;
   * they see those findings in `ctx.findings` (used by the suppression meta-rules).
   */
  phase?: 'main' | 'post-suppression';
  /** The options the rule reads (`rules.<id>.options` in the config) and their types; others are config errors. */
  options?: Record<string, RuleOptionType>;
}

/** The type of one rule option. */
export type RuleOptionType = 'boolean' | 'number' | 'string' | 'string[]';

export interface ReportDescriptor {
  messageId: string;
  data: Record<string, string | number>;
  file: string;
  loc: Loc;
  related?: RelatedLocation[];
  /** Semantic identity parts (service, names, edge…) — never a line number. */
  key: string[];
  service: string | null;
  /** Overrides the configured severity for this one finding (e.g. type-only imports at note). */
  severity?: Severity;
  precision?: Precision;
}

export interface RuleContext {
  readonly options: Record<string, unknown>;
  /** Every registered rule id. */
  readonly ruleIds: ReadonlySet<string>;
  /** For `post-suppression` rules: the findings of the main phase, with inline suppressions applied. */
  readonly findings: readonly Finding[];
  report(descriptor: ReportDescriptor): void;
}

export interface Rule {
  meta: RuleMeta;
  check(model: Model, ctx: RuleContext): void;
}

/** Declares a rule; the identity function that gives rule files their type. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Fills `{{placeholders}}` of a message template. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    key in data ? String(data[key]) : whole,
  );
}
