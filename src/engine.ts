// Runs the rules over the model and turns their reports into findings with configured severities.
import type { ParsedConfig } from './config/schema.js';
import type { Model } from './model/types.js';
import type { Finding } from './result.js';
import { formatMessage, type Rule } from './rule-api.js';

/** Thrown when the config names a rule that does not exist. */
export class UnknownRuleError extends Error {}

/** Runs every enabled rule; findings come back sorted by file, line, column and rule. */
export function runRules(model: Model, rules: readonly Rule[], config: ParsedConfig): Finding[] {
  const known = new Set(rules.map((r) => r.meta.id));
  for (const id of Object.keys(config.rules)) {
    if (!known.has(id)) throw new UnknownRuleError(`unknown rule id in config field rules.${id} (run 'jwtfrag rules' to list them)`);
  }
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    const configured = typeof setting === 'string' ? setting : setting?.severity;
    if (configured === 'off') continue;
    const options = typeof setting === 'object' ? (setting.options ?? {}) : {};
    rule.check(model, {
      options,
      report(d) {
        const template = rule.meta.messages[d.messageId];
        if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown message id '${d.messageId}'`);
        findings.push({
          ruleId: rule.meta.id,
          severity: d.severity ?? configured ?? rule.meta.defaultSeverity,
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
  return sortFindings(findings);
}

/** Sorts findings by file, line, column, rule id and message. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.loc.line - b.loc.line ||
      a.loc.column - b.loc.column ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.message.localeCompare(b.message),
  );
}
