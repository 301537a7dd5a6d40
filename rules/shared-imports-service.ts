// shared-imports-service — a shared library imports code from a service.
import type { Severity } from '../src/vocabulary.js';
import { defineRule } from '../src/rule-api.js';
import type { ImportEdge } from '../src/model/types.js';

/** The message variant for how the import is written; type-only forms are reported at note level. */
function variant(edge: ImportEdge): { messageId: 'typeOnly' | 'typeChecking' | 'guarded' | 'runtime'; severity?: Severity } {
  if (edge.typeOnly) return { messageId: 'typeOnly', severity: 'note' };
  if (edge.inTypeChecking) return { messageId: 'typeChecking', severity: 'note' };
  if (edge.inFunction || edge.inTry) return { messageId: 'guarded' };
  return { messageId: 'runtime' };
}

export default defineRule({
  meta: {
    id: 'shared-imports-service',
    title: 'A shared library imports code from a service',
    category: 'imports',
    defaultSeverity: 'error',
    precision: 'high',
    tags: ['architecture', 'maintainability', 'deployment'],
    messages: {
      runtime:
        "Shared library {{from}} imports {{module}} from service {{to}} ({{target}}); every service that uses {{from}} now needs {{to}}'s code in its image.",
      guarded:
        "Shared library {{from}} imports {{module}} from service {{to}} ({{target}}) {{where}}; in any other service's image that import fails when the code runs.",
      typeOnly:
        'Shared library {{from}} imports types from {{module}} in service {{to}} ({{target}}); erased at runtime, but the library now depends on the service.',
      typeChecking:
        'Shared library {{from}} imports {{module}} from service {{to}} ({{target}}) only under TYPE_CHECKING; never loaded at runtime, but the library now depends on the service.',
    },
  },
  check(model, ctx) {
    for (const edge of model.imports) {
      if (edge.boundary.violation !== 'shared-to-service' || edge.fromService === null || edge.toService === null) continue;
      const { messageId, severity } = variant(edge);
      const data: Record<string, string> = { from: edge.fromService, to: edge.toService, module: edge.specifier, target: edge.target };
      if (messageId === 'guarded') {
        data.where = edge.inFunction && edge.inTry ? 'inside a function and a try block' : edge.inTry ? 'inside a try block' : 'inside a function';
      }
      ctx.report({
        messageId,
        data,
        file: edge.file,
        loc: edge.loc,
        related: [{ file: edge.target, loc: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `imported module, in service ${edge.toService}` }],
        key: [edge.fromService, edge.toService, edge.target],
        service: edge.fromService,
        ...(severity ? { severity } : {}),
      });
    }
  },
});
