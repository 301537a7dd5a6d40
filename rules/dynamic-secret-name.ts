// dynamic-secret-name — a secret read whose variable name is built at run time.
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'dynamic-secret-name',
    title: 'The JWT secret variable name is built at run time',
    category: 'secrets',
    defaultSeverity: 'warning',
    precision: 'high',
    securitySeverity: 4.3,
    tags: ['security', 'maintainability'],
    messages: {
      dynamic:
        'The {{family}} secret is read from a name built at run time ({{pattern}}); which variable is used depends on the environment, and no deployment file can be checked against it.',
    },
  },
  check(model, ctx) {
    for (const read of model.envReads) {
      if (!read.pattern || !read.family) continue;
      ctx.report({
        messageId: 'dynamic',
        data: { family: read.family, pattern: read.pattern },
        file: read.file,
        loc: read.loc,
        key: [read.family, read.service ?? '', read.pattern],
        service: read.service,
        precision: read.familyBy === 'dataflow' ? 'high' : 'medium',
      });
    }
  },
});
