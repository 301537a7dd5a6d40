// Attributes deployment provisions to services (placeholder: the file's own service only).
import type { FileFacts } from './facts.js';
import type { ModelFile, ModelProvision, Service } from './types.js';

/** Attributes each provision to the service that receives it. */
export function buildProvisions(facts: FileFacts[], files: ModelFile[], _services: Service[]): ModelProvision[] {
  const serviceOf = new Map(files.map((f) => [f.path, f.service]));
  const out: ModelProvision[] = [];
  for (const f of facts) {
    for (const p of f.provisions) out.push({ ...p, file: f.path, service: serviceOf.get(f.path) ?? null });
  }
  return out;
}
