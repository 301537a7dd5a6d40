// secret-fallback-chain — a fallback chain that tries several names of the same secret in turn.
import { defineRule } from '../src/rule-api.js';
import { groupReads } from '../src/model/query.js';
import type { ModelEnvRead } from '../src/model/types.js';

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
      chain:
        'Fallback chain tries {{count}} names for the {{family}} secret in turn: {{chain}}; whichever is set first wins, so services can silently disagree.',
    },
  },
  check(model, ctx) {
    const reported = new Set<string>();
    const inGroup = new Set<ModelEnvRead>();
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
      for (const r of reads) inGroup.add(r);
      reported.add([family, group.service ?? '', names.join('>')].join('|'));
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
    // The same chain written as statements (`x = get(A); if x: return x; …`): the key a JWT operation or a
    // service-secret use resolves to tries several family names in turn, across returns or assignments.
    const readAt = new Map(model.envReads.map((r) => [`${r.file}:${r.loc.line}:${r.loc.column}`, r]));
    const keyed = [...model.jwtOps.filter((op) => !op.tooling && !op.via && op.op !== 'decode-unverified'), ...model.secretUses.filter((use) => !use.tooling)];
    for (const user of keyed) {
      const reads = (user.secret?.readSites ?? []).flatMap((site) => readAt.get(`${site.file}:${site.loc.line}:${site.loc.column}`) ?? []);
      const family = reads.find((r) => r.family)?.family;
      if (!family || reads.every((r) => inGroup.has(r))) continue;
      const chain = reads.filter((r) => r.family === family);
      const names = [...new Set(chain.map((r) => r.name ?? r.pattern).filter((n) => n !== null))];
      const key = [family, chain[0].service ?? '', names.join('>')].join('|');
      if (names.length < 2 || reported.has(key)) continue;
      reported.add(key);
      ctx.report({
        messageId: 'chain',
        data: { count: names.length, family, chain: names.join(' → ') },
        file: chain[0].file,
        loc: chain[0].loc,
        related: chain.slice(1).map((r) => ({ file: r.file, loc: r.loc, message: `then ${r.name ?? r.pattern}` })),
        key: key.split('|'),
        service: chain[0].service,
        precision: 'high',
      });
    }
  },
});
