// unused-suppression — a jwtfrag-ignore comment that no longer suppresses anything.
import { defineRule } from '../src/rule-api.js';
import { covers } from '../src/model/query.js';

export default defineRule({
  meta: {
    id: 'unused-suppression',
    title: 'A jwtfrag-ignore comment suppresses nothing',
    category: 'meta',
    defaultSeverity: 'warning',
    precision: 'very-high',
    tags: ['maintainability'],
    phase: 'post-suppression',
    messages: {
      unused: 'jwtfrag-ignore {{ruleId}} suppresses nothing here; remove it (the finding it silenced is gone or moved).',
    },
  },
  check(model, ctx) {
    for (const facts of model.facts) {
      for (const comment of facts.suppressions) {
        if (!ctx.ruleIds.has(comment.ruleId) || comment.reason === null) continue;
        if (comment.ruleId === 'unused-suppression') continue;
        const used = ctx.findings.some((f) => f.file === facts.path && f.suppression?.kind === 'inline' && covers(comment, f));
        if (used) continue;
        ctx.report({
          messageId: 'unused',
          data: { ruleId: comment.ruleId },
          file: facts.path,
          loc: comment.loc,
          key: [facts.path, comment.ruleId],
          service: null,
        });
      }
    }
  },
});
