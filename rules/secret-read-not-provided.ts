// secret-read-not-provided — a service reads a secret in an environment whose deployment provides none of the names its code tries.
import { z } from 'zod';
import { defineRule, type RuleContext } from '../src/rule-api.js';
import type { RelatedLocation } from '../src/vocabulary.js';
import type { Model, ModelEnvRead } from '../src/model/types.js';

/** Names of the URL a service reaches the auth service at: `AUTH_SERVICE_URL`, `AUTH_URL`, `ACCOUNTS_URL`, `IDENTITY_API_URL`. */
const AUTH_URL = /^(?:[A-Z0-9]+_)*(?:AUTH|ACCOUNTS?|IDENTITY|IAM|SSO)(?:_SERVICE)?(?:_API)?_(?:URL|URI|HOST|ENDPOINT|BASE_URL|ADDR|ADDRESS)$/;

/** Names a front-end build inlines into the browser bundle. */
const CLIENT_BUNDLE = /^(NEXT_PUBLIC|NUXT_PUBLIC|VITE|REACT_APP|EXPO_PUBLIC|GATSBY|PUBLIC)_/;

/**
 * The auth service URL is provisioned like a secret: a service that reads it, in an environment whose
 * deployment gives it other settings but not this one, calls the auth service at its default or nowhere.
 */
function checkAuthUrls(model: Model, ctx: RuleContext<unknown, 'authUrl'>): void {
  // Browser-bundle settings (`NEXT_PUBLIC_…`) are baked in at build time, often with per-environment defaults in code: not checked.
  const firstByService = new Map<string, Map<string, ModelEnvRead>>();
  for (const r of model.envReads) {
    if (r.service === null || r.tooling || r.name === null || !AUTH_URL.test(r.name) || CLIENT_BUNDLE.test(r.name) || r.presenceOnly === true) continue;
    const byName = firstByService.get(r.service) ?? new Map<string, ModelEnvRead>();
    if (!byName.has(r.name)) byName.set(r.name, r);
    firstByService.set(r.service, byName);
  }
  for (const svc of model.deployment.services) {
    const firstByName = firstByService.get(svc.service) ?? new Map<string, ModelEnvRead>();
    for (const [name, read] of firstByName) {
      for (const target of svc.targets) {
        if (target.dotenvOnly || target.opaqueFiles || target.names.includes(name)) continue;
        const related: RelatedLocation[] = [];
        for (const file of target.files) {
          const first = target.provisions.find((p) => p.file === file);
          if (first) related.push({ file, loc: first.loc, message: `${target.environment} deployment of ${svc.service}` });
        }
        ctx.report({
          messageId: 'authUrl',
          data: {
            service: svc.service,
            name,
            environment: target.environment,
            files: target.files.join(', '),
            outcome: read.defaultKind === 'none' ? 'the URL is unset' : 'the code falls back to its default URL',
          },
          file: read.file,
          loc: read.loc,
          related,
          key: [svc.service, target.environment, 'auth-url', name],
          service: svc.service,
          severity: 'warning',
          precision: 'medium',
        });
      }
    }
  }
}

export default defineRule({
  meta: {
    id: 'secret-read-not-provided',
    title: 'A service reads a secret its deployment does not provide',
    category: 'deployment',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 7.5,
    tags: ['security', 'reliability', 'external/cwe/cwe-1188'],
    options: z.strictObject({ nameOnly: z.boolean().default(false), authUrls: z.boolean().default(true) }),
    messages: {
      missing:
        '{{service}} reads {{name}} for the {{family}} secret, but its {{environment}} deployment ({{files}}) does not provide it{{instead}}; {{outcome}}.',
      missingChain:
        '{{service}} tries {{chain}} for the {{family}} secret, but its {{environment}} deployment ({{files}}) provides none of them{{instead}}; {{outcome}}.',
      authUrl:
        '{{service}} reaches the auth service through {{name}}, but its {{environment}} deployment ({{files}}) does not provide it; {{outcome}}, so token checks that call the auth service fail there.',
    },
  },
  check(model, ctx) {
    if (ctx.options.authUrls) checkAuthUrls(model, ctx);
    const canonicalOf = new Map(model.families.map((f) => [f.id, f.canonical]));
    const { nameOnly } = ctx.options;
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
          const winner =
            unit.literalFallbackLength !== null
              ? `the literal fallback («redacted, ${unit.literalFallbackLength} chars») would win`
              : 'no name would win and the secret is unset';
          const canonicalNote =
            canonical === null ? '' : chain.includes(canonical) ? `; provide the canonical ${canonical}` : `; the code does not try the canonical ${canonical}`;
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
