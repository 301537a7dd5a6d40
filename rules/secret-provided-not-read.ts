// secret-provided-not-read — a deployment gives a service a secret name, or an environment selector, its code never reads.
import { defineRule } from '../src/rule-api.js';

const DEFAULT_SELECTORS = ['ENVIRONMENT', 'NODE_ENV', 'APP_ENV'];

function selectorNames(options: Record<string, unknown>): string[] {
  const value = options.environmentVariables;
  if (Array.isArray(value)) {
    const names = value.filter((v): v is string => typeof v === 'string' && v.length > 0);
    if (names.length > 0) return names;
  }
  return DEFAULT_SELECTORS;
}

function matches(name: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
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
    messages: {
      unread: '{{service}}\'s {{environment}} deployment provides {{name}} ({{family}} secret), but no code in {{service}} reads it; the code reads {{reads}}.',
      selector:
        '{{service}}\'s {{environment}} deployment sets {{name}}, but its code picks the {{family}} secret by environment ({{pattern}}) and reads {{reads}}, never {{name}}.',
    },
  },
  check(model, ctx) {
    const selectors = selectorNames(ctx.options);
    const byService = new Map(model.deployment.services.map((s) => [s.service, s]));
    const seen = new Set<string>();
    for (const p of model.provisions) {
      if (p.name === '*' || p.service === null || p.environment === 'example') continue;
      const svc = byService.get(p.service);
      if (!svc || svc.readNames.includes(p.name) || svc.readPatterns.some((pattern) => matches(p.name, pattern))) continue;
      const once = `${p.service}|${p.file}:${p.loc.line}:${p.loc.column}`;
      if (seen.has(once)) continue;
      const environment = p.environment ?? 'default';
      const family = model.deployment.familyOfName[p.name];
      if (family) {
        seen.add(once);
        const reads = [...new Set(svc.secretReads.filter((u) => u.family === family).flatMap((u) => [...u.names, ...u.patterns]))];
        ctx.report({
          messageId: 'unread',
          data: { service: p.service, environment, name: p.name, family, reads: reads.length > 0 ? reads.join(', ') : `no ${family} secret` },
          file: p.file,
          loc: p.loc,
          key: [p.service, environment, p.name],
          service: p.service,
          precision: reads.length > 0 ? 'high' : 'medium',
        });
        continue;
      }
      if (!selectors.includes(p.name)) continue;
      const dynamic = svc.secretReads.find((u) => u.patterns.length > 0);
      if (!dynamic) continue;
      seen.add(once);
      const reads = selectors.filter((s) => svc.readNames.includes(s));
      ctx.report({
        messageId: 'selector',
        data: {
          service: p.service,
          environment,
          name: p.name,
          family: dynamic.family,
          pattern: dynamic.patterns.join(', '),
          reads: reads.length > 0 ? reads.join(', ') : 'no environment selector',
        },
        file: p.file,
        loc: p.loc,
        related: [{ file: dynamic.file, loc: dynamic.loc, message: 'the secret name depends on the environment here' }],
        key: [p.service, environment, p.name, 'selector'],
        service: p.service,
      });
    }
  },
});
