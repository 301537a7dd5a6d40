// hardcoded-jwt-secret — a JWT key (or a default/fallback for one) written in the source.
import { defineRule } from '../src/rule-api.js';
import type { Loc } from '../src/vocabulary.js';
import { groupReads } from '../src/model/query.js';
import type { Model, ModelEnvRead } from '../src/model/types.js';

/** Libraries that throw on an empty key, and those that sign and verify with one. */
const REJECTS_EMPTY = new Set(['jsonwebtoken', '@nestjs/jwt', 'passport-jwt', 'express-jwt', '@fastify/jwt', 'jwt-simple', 'jose', 'fast-jwt']);
const ACCEPTS_EMPTY = new Set(['pyjwt', 'python-jose', 'authlib', 'flask-jwt-extended', 'fastapi-jwt-auth', 'django-simplejwt']);

/** What an empty key does in the libraries whose operations the value reaches. */
function emptyConsequence(libraries: string[]): string {
  const accepting = libraries.filter((l) => ACCEPTS_EMPTY.has(l));
  if (accepting.length > 0) return `${accepting.join(', ')} signs and verifies with an empty key, so anyone can forge tokens while it is unset`;
  if (libraries.length > 0 && libraries.every((l) => REJECTS_EMPTY.has(l)))
    return `${libraries.join(', ')} rejects an empty key, so the service fails at its first token instead of at start-up`;
  return 'the library may accept an empty key; fail at start-up when the secret is missing';
}

/** The libraries of the JWT operations a read's value reaches. */
function librariesOf(model: Model, reads: ModelEnvRead[]): string[] {
  const sites = new Set(reads.map((r) => `${r.file}:${r.loc.line}:${r.loc.column}`));
  const out = new Set<string>();
  for (const op of model.jwtOps) {
    if (op.secret?.readSites.some((s) => sites.has(`${s.file}:${s.loc.line}:${s.loc.column}`))) out.add(op.library);
  }
  return [...out].sort();
}

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
      literalDefault:
        '{{name}} falls back to a literal value («redacted, {{length}} chars») when the variable is unset; a missing secret silently becomes a public one.',
      emptyDefault: '{{name}} defaults to an empty string when the variable is unset; {{consequence}}.',
      emptyKey: 'JWT {{op}} uses an empty literal key; {{consequence}}.',
      derivedDefault:
        '{{name}} falls back to a key derived only from constants ({{description}}) when the variable is unset; anyone with the source can compute it.',
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
        const empty = secret.literal.length === 0;
        ctx.report({
          messageId: empty ? 'emptyKey' : 'literalKey',
          data: empty ? { op: op.op, consequence: emptyConsequence([op.library]) } : { op: op.op, length: secret.literal.length },
          ...(empty ? { severity: 'note' as const } : {}),
          file: secret.literal.site.file,
          loc: secret.literal.site.loc,
          related:
            secret.literal.site.file !== op.file || secret.literal.site.loc.line !== op.key.loc.line
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
      const empty = group.literalFallback.length === 0;
      ctx.report({
        messageId: empty ? 'emptyDefault' : 'literalDefault',
        data: empty ? { name, consequence: emptyConsequence(librariesOf(model, reads)) } : { name, length: group.literalFallback.length },
        ...(empty ? { severity: 'note' as const } : {}),
        file: group.file,
        loc: group.literalFallback.loc,
        key: ['literal-default', group.service ?? '', name],
        service: group.service,
      });
    }
    // A literal or constant-derived value tried after the env names (`x = getenv("A")`, then `if not x: x = "dev"`).
    const familyNames = new Set(model.families.flatMap((f) => f.names));
    const keyed = [
      ...model.jwtOps.map((op) => ({ secret: op.secret, service: op.service, tooling: op.tooling })),
      ...model.secretUses
        .filter((u) => u.secret?.names.some((n) => familyNames.has(n)))
        .map((u) => ({ secret: u.secret, service: u.service, tooling: u.tooling })),
    ];
    for (const { secret, service, tooling } of keyed) {
      if (!secret || tooling || secret.names.length === 0 || secret.chain[0]?.startsWith('«')) continue;
      const name = secret.names[0];
      // Every literal and constant-derived value the chain can end in (one per branch: a dev default, an import-failure fallback, …).
      for (const literal of secret.literals ?? (secret.literal ? [secret.literal] : [])) {
        if (!once(literal.site.file, literal.site.loc)) continue;
        const empty = literal.length === 0;
        ctx.report({
          messageId: empty ? 'emptyDefault' : 'literalDefault',
          data: empty ? { name, consequence: emptyConsequence([]) } : { name, length: literal.length },
          ...(empty ? { severity: 'note' as const } : {}),
          file: literal.site.file,
          loc: literal.site.loc,
          key: ['literal-default', service ?? '', name],
          service,
        });
      }
      for (const derived of secret.derivations ?? (secret.constantDerived ? [secret.constantDerived] : [])) {
        if (!once(derived.site.file, derived.site.loc)) continue;
        ctx.report({
          messageId: 'derivedDefault',
          data: { name, description: derived.description },
          file: derived.site.file,
          loc: derived.site.loc,
          key: ['derived-default', service ?? '', name],
          service,
        });
      }
    }
    const withLiteralFallback = new Set(model.fallbackGroups.filter((g) => g.literalFallback).map((g) => `${g.file}#${g.id}`));
    for (const read of model.envReads) {
      if (!read.family || read.defaultKind !== 'literal') continue;
      // The chain's literal fallback was reported once above.
      if (read.group !== null && withLiteralFallback.has(`${read.file}#${read.group}`)) continue;
      const loc = read.defaultLoc ?? read.loc;
      if (!once(read.file, loc)) continue;
      const empty = (read.defaultLength ?? 0) === 0;
      const name = read.name ?? read.pattern ?? 'the secret';
      ctx.report({
        messageId: empty ? 'emptyDefault' : 'literalDefault',
        data: empty ? { name, consequence: emptyConsequence(librariesOf(model, [read])) } : { name, length: read.defaultLength ?? 0 },
        ...(empty ? { severity: 'note' as const } : {}),
        file: read.file,
        loc,
        key: ['literal-default', read.service ?? '', read.name ?? read.pattern ?? ''],
        service: read.service,
      });
    }
  },
});
