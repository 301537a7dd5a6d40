// Runs the rules over the model and turns their reports into findings with configured severities.
import type { ParsedConfig } from './config/schema.js';
import type { FileFacts } from './extract/facts.js';
import type { Model } from './model/types.js';
import type { Finding } from './vocabulary.js';
import { formatMessage, type Rule, type RuleOptionType } from './rule-api.js';
import { applyInlineSuppressions } from './suppress.js';
import { compareFindings } from './util/order.js';

/** Thrown when the config names a rule that does not exist, or gives a rule options it does not take. */
export class UnknownRuleError extends Error {}

const OPTION_TYPE_LABEL: Record<RuleOptionType, string> = { boolean: 'true or false', number: 'a number', string: 'a string', 'string[]': 'an array of strings' };

function fitsOption(value: unknown, type: RuleOptionType): boolean {
  if (type === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === type;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
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
    if (typeof setting !== 'object' || !setting.options) continue;
    const declared = rule.meta.options ?? {};
    const names = Object.keys(declared);
    for (const [key, value] of Object.entries(setting.options)) {
      const type = Object.hasOwn(declared, key) ? declared[key] : undefined;
      if (type === undefined) {
        problems.push(`config field rules.${id}.options.${key}: unknown option (${names.length > 0 ? `this rule takes ${names.join(', ')}` : 'this rule takes no options'})`);
      } else if (!fitsOption(value, type)) {
        problems.push(`config field rules.${id}.options.${key}: expected ${OPTION_TYPE_LABEL[type]}, got ${describeValue(value)}`);
      }
    }
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
    const options = typeof setting === 'object' ? (setting.options ?? {}) : {};
    rule.check(model, {
      options,
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
export function runRules(model: Model, rules: readonly Rule[], config: ParsedConfig, facts: FileFacts[] = model.facts): Finding[] {
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
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}
