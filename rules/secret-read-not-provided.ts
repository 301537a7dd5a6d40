// secret-read-not-provided — a service reads a secret in an environment whose deployment provides none of the names its code tries.
import { defineRule } from '../src/rule-api.js';
import type { RelatedLocation } from '../src/result.js';

export default defineRule({
  meta: {
    id: 'secret-read-not-provided',
    title: 'A service reads a secret its deployment does not provide',
    category: 'deployment',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 7.5,
    tags: ['security', 'reliability', 'external/cwe/cwe-1188'],
    messages: {
      missing:
        '{{service}} reads {{name}} for the {{family}} secret, but its {{environment}} deployment ({{files}}) does not provide it{{instead}}; {{outcome}}.',
      missingChain:
        '{{service}} tries {{chain}} for the {{family}} secret, but its {{environment}} deployment ({{files}}) provides none of them{{instead}}; {{outcome}}.',
    },
  },
  check(model, ctx) {
    const canonicalOf = new Map(model.families.map((f) => [f.id, f.canonical]));
    const nameOnly = ctx.options.nameOnly === true;
    for (const svc of model.deployment.services) {
      for (const [index, unit] of svc.secretReads.entries()) {
        if (unit.names.length === 0 || (unit.familyBy === 'name' && !nameOnly)) continue;
        const chain = [...unit.names, ...unit.patterns];
        for (const target of svc.targets) {
          if (!target.uncovered.includes(index)) continue;
          // Dotenv files that set no secret (only defaults, or secret names left empty to fill in) are not where the secrets come from.
          if (target.dotenvOnly && !target.provisions.some((p) => p.family !== null && p.valueState === 'set')) continue;
          const instead = [...new Set(target.provisions.filter((p) => p.family === unit.family).map((p) => p.name))].sort();
          const canonical = canonicalOf.get(unit.family) ?? null;
          const winner = unit.literalFallbackLength !== null ? `the literal fallback («redacted, ${unit.literalFallbackLength} chars») would win` : 'no name would win and the secret is unset';
          const canonicalNote =
            canonical === null
              ? ''
              : chain.includes(canonical)
                ? `; provide the canonical ${canonical}`
                : `; the code does not try the canonical ${canonical}`;
          const related: RelatedLocation[] = [];
          for (const file of target.files) {
            const first = target.provisions.find((p) => p.file === file);
            if (first) related.push({ file, loc: first.loc, message: `${target.environment} deployment of ${svc.service}` });
          }
          if (unit.via) related.push({ file: unit.via.file, loc: unit.via.loc, message: `${svc.service} uses this secret here` });
          ctx.report({
            messageId: chain.length > 1 ? 'missingChain' : 'missing',
            data: {
              service: svc.service,
              name: chain[0],
              chain: chain.join(' → '),
              family: unit.family,
              environment: target.environment,
              files: target.files.join(', '),
              instead: instead.length > 0 ? ` (it provides ${instead.join(', ')} instead)` : '',
              outcome: `${winner}${canonicalNote}`,
              canonical: canonical ?? '',
            },
            file: unit.file,
            loc: unit.loc,
            related,
            key: [svc.service, target.environment, unit.family, chain.join('>')],
            service: svc.service,
            ...(unit.familyBy === 'name' ? { precision: 'medium' as const, severity: 'warning' as const } : {}),
          });
        }
      }
    }
  },
});
