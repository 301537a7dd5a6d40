// Runs the rules over the model and turns their reports into findings with configured severities.
import type { ParsedConfig } from './config/schema.js';
import type { FileFacts } from './model/facts.js';
import type { Model } from './model/types.js';
import type { Finding } from './result.js';
import { formatMessage, type Rule } from './rule-api.js';
import { applyInlineSuppressions } from './suppress.js';
import { compareFindings } from './util/order.js';

/** Thrown when the config names a rule that does not exist. */
export class UnknownRuleError extends Error {}

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
  for (const id of Object.keys(config.rules)) {
    if (!ruleIds.has(id)) throw new UnknownRuleError(`unknown rule id in config field rules.${id} (run 'jwtfrag rules' to list them)`);
  }
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
