// Runs the rules over the model and turns their reports into findings with configured severities.
import { z } from 'zod';
import type { ParsedConfig, RuleSetting } from './config/schema.js';
import type { FileFacts } from './extract/facts.js';
import type { Model } from './model/types.js';
import type { Finding } from './vocabulary.js';
import { formatMessage, type Rule } from './rule-api.js';
import { applyInlineSuppressions } from './suppress.js';
import { compareFindings } from './util/order.js';

/** Thrown when the config names a rule that does not exist, or gives a rule options it does not take. */
export class UnknownRuleError extends Error {}

/** What a value of the schema is, in words (for the config error); null when it is not one of the simple option types. */
function expectedLabel(schema: z.core.$ZodType): string | null {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return expectedLabel(schema.unwrap());
  if (schema instanceof z.ZodBoolean) return 'true or false';
  if (schema instanceof z.ZodNumber) return 'a number';
  if (schema instanceof z.ZodString) return 'a string';
  if (schema instanceof z.ZodArray && schema.element instanceof z.ZodString) return 'an array of strings';
  return null;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects are described above; what is left prints as itself
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** The options of a rule given by the config, parsed by the rule's schema (defaults filled in), or the problems, one phrase each naming the field. */
function parseRuleOptions(rule: Rule, given: Record<string, unknown>): { options: unknown; problems: string[] } {
  const schema = rule.meta.options;
  const id = rule.meta.id;
  if (!schema) {
    const problems = Object.keys(given).map((key) => `config field rules.${id}.options.${key}: unknown option (this rule takes no options)`);
    return { options: {}, problems };
  }
  const parsed = schema.safeParse(given);
  if (parsed.success) return { options: parsed.data, problems: [] };
  const shape: Record<string, z.core.$ZodType> = schema instanceof z.ZodObject ? schema.shape : {};
  const names = Object.keys(shape);
  // One problem per option, in the order the config gives them.
  const byKey = new Map<string, string>();
  const other: string[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) byKey.set(key, `unknown option (this rule takes ${names.join(', ')})`);
      continue;
    }
    const key = issue.path.length > 0 ? String(issue.path[0]) : null;
    const label = key !== null && Object.hasOwn(shape, key) ? expectedLabel(shape[key]) : null;
    if (key !== null && issue.code === 'invalid_type' && label !== null) byKey.set(key, `expected ${label}, got ${describeValue(given[key])}`);
    else if (key !== null && !byKey.has(key)) byKey.set(key, issue.message);
    else if (key === null) other.push(`config field rules.${id}.options: ${issue.message}`);
  }
  const problems = Object.keys(given)
    .filter((key) => byKey.has(key))
    .map((key) => `config field rules.${id}.options.${key}: ${byKey.get(key)}`);
  return { options: {}, problems: [...problems, ...other] };
}

function givenOptions(setting: RuleSetting | undefined): Record<string, unknown> {
  return typeof setting === 'object' ? (setting.options ?? {}) : {};
}

/** Config problems with rule ids and rule options (unknown option, wrong type), one phrase each naming the field. */
export function ruleConfigProblems(rules: readonly Rule[], config: ParsedConfig): string[] {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const problems: string[] = [];
  for (const [id, setting] of Object.entries(config.rules)) {
    const rule = byId.get(id);
    if (!rule) {
      problems.push(`unknown rule id in config field rules.${id} (run 'jwtfrag rules' to list them)`);
      continue;
    }
    problems.push(...parseRuleOptions(rule, givenOptions(setting)).problems);
  }
  return problems;
}

/** Code in tooling folders (scripts, docs, examples, infrastructure) is not a service: its code gets no findings; its deployment files do. */
function toolingCode(model: Model): Set<string> {
  return new Set(model.files.filter((f) => f.tooling === true && (f.language === 'ts' || f.language === 'js' || f.language === 'python')).map((f) => f.path));
}

function runPhase(model: Model, rules: readonly Rule[], config: ParsedConfig, ruleIds: ReadonlySet<string>, prior: readonly Finding[]): Finding[] {
  const findings: Finding[] = [];
  const tooling = toolingCode(model);
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    const configured = typeof setting === 'string' ? setting : setting?.severity;
    if (configured === 'off') continue;
    rule.check(model, {
      options: parseRuleOptions(rule, givenOptions(setting)).options,
      ruleIds,
      findings: prior,
      report(d) {
        const template = rule.meta.messages[d.messageId];
        if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown message id '${d.messageId}'`);
        if (tooling.has(d.file)) return;
        findings.push({
          ruleId: rule.meta.id,
          severity: configured ?? d.severity ?? rule.meta.defaultSeverity,
          precision: d.precision ?? rule.meta.precision,
          messageId: d.messageId,
          data: d.data,
          message: formatMessage(template, d.data),
          file: d.file,
          loc: d.loc,
          related: d.related ?? [],
          key: d.key.join('|'),
          service: d.service,
        });
      },
    });
  }
  return findings;
}

/**
 * Runs every enabled rule, applies inline suppressions, then runs the post-suppression rules.
 * Findings come back sorted by file, line, column and rule.
 */
export function runRules(
  model: Model,
  rules: readonly Rule[],
  config: ParsedConfig,
  facts: readonly Pick<FileFacts, 'path' | 'suppressions'>[] = model.facts,
): Finding[] {
  const ruleIds = new Set(rules.map((r) => r.meta.id));
  const problems = ruleConfigProblems(rules, config);
  if (problems.length > 0) throw new UnknownRuleError(problems.join('; '));
  const main = rules.filter((r) => r.meta.phase !== 'post-suppression');
  const post = rules.filter((r) => r.meta.phase === 'post-suppression');
  const findings = applyInlineSuppressions(runPhase(model, main, config, ruleIds, []), facts);
  const meta = applyInlineSuppressions(runPhase(model, post, config, ruleIds, findings), facts);
  return sortFindings([...findings, ...meta]);
}

/** Sorts findings by file, line, column, rule id and message (code-unit order, locale-independent). */
function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}
