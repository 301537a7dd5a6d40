// hardcoded-jwt-secret — a JWT key (or a default/fallback for one) written in the source.
import { defineRule } from '../src/rule-api.js';
import type { Loc } from '../src/model/facts.js';
import { groupReads } from '../src/model/query.js';

export default defineRule({
  meta: {
    id: 'hardcoded-jwt-secret',
    title: 'A JWT signing key is written in the source code',
    category: 'secrets',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 9.1,
    tags: ['security', 'external/cwe/cwe-798', 'external/cwe/cwe-321'],
    messages: {
      literalKey: 'JWT {{op}} uses a literal key («redacted, {{length}} chars»); anyone with the source can forge tokens.',
      derivedKey: 'JWT {{op}} uses a key derived only from constants ({{description}}); anyone with the source can forge tokens.',
      literalDefault: '{{name}} falls back to a literal value («redacted, {{length}} chars») when the variable is unset; a missing secret silently becomes a public one.',
    },
  },
  check(model, ctx) {
    const seen = new Set<string>();
    const once = (file: string, loc: Loc): boolean => {
      const key = `${file}:${loc.line}:${loc.column}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    for (const op of model.jwtOps) {
      const secret = op.secret;
      if (!secret || !op.key) continue;
      if (secret.literal && secret.chain[0] === '«literal»' && once(secret.literal.site.file, secret.literal.site.loc)) {
        ctx.report({
          messageId: 'literalKey',
          data: { op: op.op, length: secret.literal.length },
          file: secret.literal.site.file,
          loc: secret.literal.site.loc,
          related: secret.literal.site.file !== op.file || secret.literal.site.loc.line !== op.key.loc.line
            ? [{ file: op.file, loc: op.key.loc, message: `used as the key of this JWT ${op.op}` }]
            : [],
          key: ['literal-key', op.service ?? '', op.op],
          service: op.service,
        });
      } else if (secret.constantDerived && secret.chain[0] === '«derived»' && once(secret.constantDerived.site.file, secret.constantDerived.site.loc)) {
        ctx.report({
          messageId: 'derivedKey',
          data: { op: op.op, description: secret.constantDerived.description },
          file: secret.constantDerived.site.file,
          loc: secret.constantDerived.site.loc,
          key: ['derived-key', op.service ?? '', op.op],
          service: op.service,
        });
      }
    }
    // Literal defaults and literal final fallbacks of family reads.
    for (const group of model.fallbackGroups) {
      if (!group.literalFallback) continue;
      const reads = groupReads(model, group).filter((r) => r.family);
      if (reads.length === 0) continue;
      const name = reads[0].name ?? reads[0].pattern ?? 'the secret';
      if (!once(group.file, group.literalFallback.loc)) continue;
      ctx.report({
        messageId: 'literalDefault',
        data: { name, length: group.literalFallback.length },
        file: group.file,
        loc: group.literalFallback.loc,
        key: ['literal-default', group.service ?? '', name],
        service: group.service,
      });
    }
    for (const read of model.envReads) {
      if (!read.family || read.defaultKind !== 'literal') continue;
      const loc = read.defaultLoc ?? read.loc;
      if (!once(read.file, loc)) continue;
      ctx.report({
        messageId: 'literalDefault',
        data: { name: read.name ?? read.pattern ?? 'the secret', length: read.defaultLength ?? 0 },
        file: read.file,
        loc,
        key: ['literal-default', read.service ?? '', read.name ?? read.pattern ?? ''],
        service: read.service,
      });
    }
  },
});
