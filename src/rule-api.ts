// The rule API: `defineRule`, rule metadata, options declared as a zod schema, message ids typed from the messages, and the context a rule reports through.
import type { z } from 'zod';
import type { Model } from './model/types.js';
import type { Finding, Loc, Precision, RelatedLocation, Severity } from './vocabulary.js';

type RuleCategory = 'secrets' | 'imports' | 'websocket' | 'deployment' | 'meta';

export interface RuleMeta<MessageIds extends string = string> {
  id: string;
  title: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  precision: Precision;
  /** CVSS-like score for security rules (drives SARIF `security-severity`). */
  securitySeverity?: number;
  tags: string[];
  /** Message templates keyed by message id; `{{name}}` placeholders. */
  messages: Record<MessageIds, string>;
  /**
   * `post-suppression` rules run after every other rule and after inline suppressions were applied;
   * they see those findings in `ctx.findings` (used by the suppression meta-rules).
   */
  phase?: 'main' | 'post-suppression';
  /**
   * The options the rule takes (`rules.<id>.options` in the config): a strict zod object, with the
   * defaults of absent options. An unknown option or a value of the wrong type is a config error.
   */
  options?: z.ZodType;
}

interface ReportDescriptor<MessageIds extends string = string> {
  messageId: MessageIds;
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

/** No options: what a rule that declares none is given. */
export type NoOptions = Record<string, never>;

export interface RuleContext<Options = NoOptions, MessageIds extends string = string> {
  /** The configured options, parsed (defaults filled in) by the rule's schema. */
  readonly options: Options;
  /** Every registered rule id. */
  readonly ruleIds: ReadonlySet<string>;
  /** For `post-suppression` rules: the findings of the main phase, with inline suppressions applied. */
  readonly findings: readonly Finding[];
  report(descriptor: ReportDescriptor<MessageIds>): void;
}

/** A rule as written: its message ids come from `meta.messages`, its options type from `meta.options`. */
export interface RuleDefinition<Options, MessageIds extends string> {
  meta: RuleMeta<MessageIds> & { options?: z.ZodType<Options> };
  check(model: Model, ctx: RuleContext<Options, MessageIds>): void;
}

/** A rule as the engine runs it (any rule of the registry). */
export interface Rule {
  readonly meta: RuleMeta;
  check(model: Model, ctx: RuleContext<unknown>): void;
}

/**
 * Declares a rule. `ctx.report` takes only the ids of `meta.messages` (a wrong id is a compile error),
 * and `ctx.options` has the type of `meta.options`' parsed value.
 */
export function defineRule<const MessageIds extends string, Options = NoOptions>(rule: RuleDefinition<Options, MessageIds>): Rule {
  return rule;
}

/** Fills `{{placeholders}}` of a message template. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
