// Builds the repository's import edges: every import fact resolved to a file inside the repo, with both services.
import type { FileFacts } from './facts.js';
import type { ModuleResolver } from './resolve.js';
import type { ImportEdge, ModelFile } from './types.js';

/** Resolves each file's imports; imports that leave the repository (external packages) are dropped. */
export function buildImportEdges(facts: FileFacts[], files: Map<string, ModelFile>, resolver: ModuleResolver): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const f of facts) {
    if (f.language !== 'ts' && f.language !== 'js' && f.language !== 'python') continue;
    const fromService = files.get(f.path)?.service ?? null;
    for (const imp of f.imports) {
      const target = resolver.resolve(f.path, imp.specifier, f.language);
      if (!target || target === f.path) continue;
      edges.push({
        file: f.path,
        loc: imp.loc,
        specifier: imp.specifier,
        kind: imp.kind,
        target,
        fromService,
        toService: files.get(target)?.service ?? null,
        typeOnly: imp.typeOnly,
        inFunction: imp.inFunction,
        inTypeChecking: imp.inTypeChecking,
        inTry: imp.inTry,
      });
    }
  }
  return edges;
}
