// forbidden-cross-service-import — a service imports another service's code (or a library the boundaries config forbids).
import type { Severity } from '../src/vocabulary.js';
import { defineRule } from '../src/rule-api.js';
import type { ImportEdge } from '../src/model/types.js';

const POLICY_TEXT = 'a service may import only its own code and shared libraries';

/** The message variant for how the import is written; type-only forms are reported at note level. */
function variant(edge: ImportEdge): { messageId: 'typeOnly' | 'typeChecking' | 'inFunctionTry' | 'inTry' | 'inFunction' | 'runtime'; severity?: Severity } {
  if (edge.typeOnly) return { messageId: 'typeOnly', severity: 'note' };
  if (edge.inTypeChecking) return { messageId: 'typeChecking', severity: 'note' };
  if (edge.inFunction && edge.inTry) return { messageId: 'inFunctionTry' };
  if (edge.inTry) return { messageId: 'inTry' };
  if (edge.inFunction) return { messageId: 'inFunction' };
  return { messageId: 'runtime' };
}

export default defineRule({
  meta: {
    id: 'forbidden-cross-service-import',
    title: "A service imports another service's internals",
    category: 'imports',
    defaultSeverity: 'error',
    precision: 'high',
    tags: ['architecture', 'maintainability', 'deployment'],
    messages: {
      runtime: '{{from}} imports {{module}} from {{toKind}} {{to}} ({{target}}); {{policy}}.',
      inFunction:
        "{{from}} imports {{module}} from {{toKind}} {{to}} ({{target}}) inside a function, so it fails only when that code runs in {{from}}'s own image; {{policy}}.",
      inTry:
        "{{from}} imports {{module}} from {{toKind}} {{to}} ({{target}}) inside a try block, so in {{from}}'s own image it fails and the except branch hides it; {{policy}}.",
      inFunctionTry:
        "{{from}} imports {{module}} from {{toKind}} {{to}} ({{target}}) inside a function and a try block, so in {{from}}'s own image it fails late and silently; {{policy}}.",
      typeOnly: '{{from}} imports types from {{module}} in {{toKind}} {{to}} ({{target}}); erased at runtime, but it still couples the two; {{policy}}.',
      typeChecking:
        '{{from}} imports {{module}} from {{toKind}} {{to}} ({{target}}) only under TYPE_CHECKING; never loaded at runtime, but it still couples the two; {{policy}}.',
    },
  },
  check(model, ctx) {
    const kinds = new Map(model.services.map((s) => [s.name, s.kind]));
    for (const edge of model.imports) {
      if (edge.boundary.violation !== 'cross-service' || edge.fromService === null || edge.toService === null) continue;
      const entry = edge.boundary.entry;
      const policy = edge.boundary.reason === 'forbid' && entry ? `boundaries.forbid {from: ${entry.from}, to: ${entry.to}} forbids it` : POLICY_TEXT;
      const { messageId, severity } = variant(edge);
      const toKind = kinds.get(edge.toService) === 'shared' ? 'shared library' : 'service';
      ctx.report({
        messageId,
        data: { from: edge.fromService, to: edge.toService, toKind, module: edge.specifier, target: edge.target, policy },
        file: edge.file,
        loc: edge.loc,
        related: [{ file: edge.target, loc: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `imported module, in ${toKind} ${edge.toService}` }],
        key: [edge.fromService, edge.toService, edge.target],
        service: edge.fromService,
        ...(severity ? { severity } : {}),
      });
    }
  },
});
