// secret-fallback-chain — a fallback chain that tries several names of the same secret in turn.
import { defineRule } from '../src/rule-api.js';
import { groupReads } from '../src/model/query.js';

export default defineRule({
  meta: {
    id: 'secret-fallback-chain',
    title: 'A fallback chain tries several names for the same JWT secret',
    category: 'secrets',
    defaultSeverity: 'warning',
    precision: 'high',
    securitySeverity: 5.3,
    tags: ['security', 'maintainability', 'external/cwe/cwe-1188'],
    messages: {
      chain: 'Fallback chain tries {{count}} names for the {{family}} secret in turn: {{chain}}; whichever is set first wins, so services can silently disagree.',
    },
  },
  check(model, ctx) {
    for (const group of model.fallbackGroups) {
      const reads = groupReads(model, group);
      const family = reads.find((r) => r.family)?.family;
      if (!family) continue;
      const names: string[] = [];
      for (const read of reads) {
        const label = read.name ?? read.pattern;
        if (read.family === family && label && !names.includes(label)) names.push(label);
      }
      if (names.length < 2) continue;
      const first = reads[0];
      ctx.report({
        messageId: 'chain',
        data: { count: names.length, family, chain: names.join(' → ') },
        file: group.file,
        loc: first.loc,
        key: [family, group.service ?? '', names.join('>')],
        service: group.service,
        precision: reads.some((r) => r.familyBy === 'dataflow') ? 'high' : 'medium',
      });
    }
  },
});
