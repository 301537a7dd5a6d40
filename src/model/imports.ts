// Builds the repository's import edges: every import fact resolved to a file inside the repo, with both services and the policy's verdict.
import { boundaryPolicy, type BoundaryPolicy } from './boundaries.js';
import type { FileFacts, ImportFact } from '../extract/facts.js';
import type { ModuleResolver } from './resolve.js';
import { serviceLocator } from './service-roots.js';
import type { ImportEdge, ModelFile } from './types.js';
import type { Service } from '../vocabulary.js';

type Language = 'ts' | 'js' | 'python';

/**
 * Resolves each file's imports and keeps those from one component into another. Imports that leave
 * the repository (external packages), stay within a component or have an end in no component are
 * dropped. Both ends get their service from the services' roots, so a target that was not analysed
 * (a test file, an excluded folder) still belongs to its service.
 */
export function buildImportEdges(
  facts: FileFacts[],
  files: Map<string, ModelFile>,
  resolver: ModuleResolver,
  services: Service[] = [],
  policy: BoundaryPolicy = { allow: [], forbid: [] },
  tooling: string[] = [],
): ImportEdge[] {
  const serviceOf = serviceLocator(services, tooling);
  const verdict = boundaryPolicy(services, policy);
  const edges: ImportEdge[] = [];
  for (const f of facts) {
    if (f.language !== 'ts' && f.language !== 'js' && f.language !== 'python') continue;
    const language: Language = f.language;
    const fromService = files.get(f.path)?.service ?? serviceOf(f.path);
    for (const imp of f.imports) {
      const target = resolveImport(resolver, f.path, imp, language);
      if (target === null || target === f.path) continue;
      const toService = files.get(target)?.service ?? serviceOf(target);
      // Within one component, or from or into code of none: nothing to judge (see `Model.imports`).
      if (fromService === null || toService === null || fromService === toService) continue;
      edges.push({
        file: f.path,
        loc: imp.loc,
        specifier: imp.specifier,
        kind: imp.kind,
        target,
        fromService,
        toService,
        typeOnly: imp.typeOnly,
        inFunction: imp.inFunction,
        inTypeChecking: imp.inTypeChecking,
        inTry: imp.inTry,
        boundary: verdict(fromService, toService),
      });
    }
  }
  return edges;
}

/**
 * Resolves one import. For Python `from pkg import name`, a `name` that is itself a module
 * (`pkg/name.py`) is the more precise target, and the only one when `pkg` is a namespace folder.
 */
function resolveImport(resolver: ModuleResolver, file: string, imp: ImportFact, language: Language): string | null {
  const direct = resolver.resolve(file, imp.specifier, language);
  if (language !== 'python' || imp.kind !== 'py-from' || (direct !== null && !/(?:^|\/)__init__\.pyi?$/.test(direct))) return direct;
  for (const binding of imp.bindings) {
    if (binding.imported === '*') continue;
    const module = `${imp.specifier}${imp.specifier.endsWith('.') ? '' : '.'}${binding.imported}`;
    const sub = resolver.resolve(file, module, language);
    if (sub !== null) return sub;
  }
  return direct;
}
