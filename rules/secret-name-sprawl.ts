// secret-name-sprawl — one secret family read under several names; flags each non-canonical read.
import { defineRule } from '../src/rule-api.js';
import { canonicalReasonLabel } from '../src/vocabulary.js';
import { keyIdentity } from '../src/model/query.js';

export default defineRule({
  meta: {
    id: 'secret-name-sprawl',
    title: 'One JWT secret is read under several environment variable names',
    category: 'secrets',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 5.3,
    tags: ['security', 'maintainability', 'external/cwe/cwe-1188'],
    messages: {
      sprawl: '{{name}} is one of {{count}} names for the {{family}} secret; the canonical name is {{canonical}} ({{reason}}).',
      frameworkKey:
        "{{name}} is Django's own SECRET_KEY setting (sessions, password resets, signing), which the {{family}} secret falls back to; do not rename it: provide {{canonical}} everywhere and drop the fallback.",
    },
  },
  check(model, ctx) {
    for (const family of model.families) {
      const canonical = family.canonical;
      // Two halves of one key pair (JWT_PRIVATE_KEY / JWT_PUBLIC_KEY) are one name, not two.
      const identities = new Set(family.names.map(keyIdentity));
      if (!canonical || identities.size < 2) continue;
      const canonicalSite = model.envReads.find((r) => r.family === family.id && r.name === canonical && !r.tooling);
      for (const read of model.envReads) {
        if (read.family !== family.id || !read.name || read.tooling || keyIdentity(read.name) === keyIdentity(canonical)) continue;
        if (read.djangoSecretKey) {
          ctx.report({
            messageId: 'frameworkKey',
            data: { name: read.name, family: family.id, canonical },
            file: read.file,
            loc: read.loc,
            key: [family.id, read.service ?? '', read.name, 'framework'],
            service: read.service,
            severity: 'note',
          });
          continue;
        }
        ctx.report({
          messageId: 'sprawl',
          data: {
            name: read.name,
            count: identities.size,
            family: family.id,
            canonical,
            reason: canonicalReasonLabel(family, 'most provided by deployments'),
          },
          file: read.file,
          loc: read.loc,
          related: canonicalSite ? [{ file: canonicalSite.file, loc: canonicalSite.loc, message: `canonical ${canonical} read here` }] : [],
          key: [family.id, read.service ?? '', read.name],
          service: read.service,
          // A read that only matches the family by its name is less certain: warning, medium precision.
          severity: read.familyBy === 'name' ? 'warning' : undefined,
          precision: read.familyBy === 'name' ? 'medium' : 'high',
        });
      }
    }
  },
});
