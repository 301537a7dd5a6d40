// secret-provided-not-read — a deployment gives a service a secret name, or an environment selector, its code never reads.
import { z } from 'zod';
import { defineRule } from '../src/rule-api.js';

const DEFAULT_SELECTORS = ['ENVIRONMENT', 'NODE_ENV', 'APP_ENV'];

/** The public half of a key pair: giving it to a service that does not read it exposes nothing. */
function isPublicHalf(name: string): boolean {
  return name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .some((w) => w === 'PUBLIC' || w === 'PUB');
}

function selectorNames(configured: string[] | undefined): string[] {
  return configured !== undefined && configured.length > 0 ? configured : DEFAULT_SELECTORS;
}

export default defineRule({
  meta: {
    id: 'secret-provided-not-read',
    title: 'A deployment provides a secret name the service never reads',
    category: 'deployment',
    defaultSeverity: 'warning',
    precision: 'high',
    securitySeverity: 4.3,
    tags: ['security', 'maintainability'],
    options: z.strictObject({ environmentVariables: z.array(z.string().min(1)).optional() }),
    messages: {
      unread: "{{service}}'s {{environment}} deployment provides {{name}} ({{family}} secret), but no code in {{service}} reads it; the code reads {{reads}}.",
      selector:
        "{{service}}'s {{environment}} deployment sets {{name}}, but its code picks the {{family}} secret by environment ({{pattern}}) and reads {{reads}}, never {{name}}.",
    },
  },
  check(model, ctx) {
    const selectors = selectorNames(ctx.options.environmentVariables);
    for (const svc of model.deployment.services) {
      const seen = new Set<string>();
      const dynamic = svc.secretReads.find((u) => u.patterns.length > 0) ?? null;
      for (const target of svc.targets) {
        const environment = target.environment;
        for (const p of target.provisions) {
          const site = `${p.file}:${p.loc.line}:${p.loc.column}`;
          // An env file the code loads is often shared by every service: a name another service reads is not surplus here.
          if (p.read || p.loaded === true || seen.has(site)) continue;
          if (p.family && !isPublicHalf(p.name)) {
            seen.add(site);
            const family = p.family;
            const reads = [...new Set(svc.secretReads.filter((u) => u.family === family).flatMap((u) => [...u.names, ...u.patterns]))];
            ctx.report({
              messageId: 'unread',
              data: { service: svc.service, environment, name: p.name, family, reads: reads.length > 0 ? reads.join(', ') : `no ${family} secret` },
              file: p.file,
              loc: p.loc,
              key: [svc.service, environment, p.name],
              service: svc.service,
              precision: reads.length > 0 ? 'high' : 'medium',
            });
          } else if (dynamic && selectors.includes(p.name)) {
            seen.add(site);
            const reads = selectors.filter((name) => svc.readNames.includes(name));
            ctx.report({
              messageId: 'selector',
              data: {
                service: svc.service,
                environment,
                name: p.name,
                family: dynamic.family,
                pattern: dynamic.patterns.join(', '),
                reads: reads.length > 0 ? reads.join(', ') : 'no environment selector',
              },
              file: p.file,
              loc: p.loc,
              related: [{ file: dynamic.file, loc: dynamic.loc, message: 'the secret name depends on the environment here' }],
              key: [svc.service, environment, p.name, 'selector'],
              service: svc.service,
            });
          }
        }
      }
    }
  },
});
