// invalid-suppression — a jwtfrag-ignore comment without a reason or naming an unknown rule.
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'invalid-suppression',
    title: 'A jwtfrag-ignore comment has no reason or names an unknown rule',
    category: 'meta',
    defaultSeverity: 'warning',
    precision: 'very-high',
    tags: ['maintainability'],
    messages: {
      noReason: 'jwtfrag-ignore {{ruleId}} has no reason; write `jwtfrag-ignore {{ruleId}}: <why>` (it suppresses nothing until then).',
      unknownRule: "jwtfrag-ignore names '{{ruleId}}', which is not a jwtfrag rule (run `jwtfrag rules`).",
      noRule: 'jwtfrag-ignore names no rule; write `jwtfrag-ignore <rule-id>: <why>`.',
    },
  },
  check(model, ctx) {
    for (const facts of model.facts) {
      for (const comment of facts.suppressions) {
        const base = { file: facts.path, loc: comment.loc, service: null };
        if (comment.ruleId === '') {
          ctx.report({ ...base, messageId: 'noRule', data: {}, key: ['no-rule', facts.path] });
        } else if (!ctx.ruleIds.has(comment.ruleId)) {
          ctx.report({ ...base, messageId: 'unknownRule', data: { ruleId: comment.ruleId }, key: ['unknown', facts.path, comment.ruleId] });
        } else if (comment.reason === null) {
          ctx.report({ ...base, messageId: 'noReason', data: { ruleId: comment.ruleId }, key: ['no-reason', facts.path, comment.ruleId] });
        }
      }
    }
  },
});
