// The model stage as the pipeline calls it: services detected, modules resolved, the facts of every file joined into one model.
import { familiesOf, type ParsedConfig } from '../config/schema.js';
import type { DiscoveredFile } from '../discover/index.js';
import type { FileFacts } from '../extract/facts.js';
import { buildModel, type ModelInput } from './build.js';
import { createResolver } from './resolve.js';
import { serviceLocator } from './service-roots.js';
import { detectServices, toolingMatcher, type ServiceDetection } from './services.js';
import type { Model } from './types.js';

export interface RepositoryInput {
  /** Every file seen, analysed or not (manifests, tsconfig.json…). */
  allPaths: string[];
  /** The files that were analysed. */
  files: DiscoveredFile[];
  facts: FileFacts[];
  /** Reads a repo-relative file (manifests, tsconfig); undefined when unreadable. */
  readFile: (path: string) => string | undefined;
  config: ParsedConfig;
  /** Function facts on demand (see `extract/functions.ts`). */
  functionsOf?: ModelInput['functionsOf'];
}

/** Detects the services and builds the model of the repository. */
export function modelRepository(input: RepositoryInput): { model: Model; detection: ServiceDetection } {
  const { config, facts, readFile } = input;
  const detection = detectServices({ paths: input.allPaths, facts, readFile, config });
  const serviceOf = serviceLocator(detection.services, detection.tooling);
  const inTooling = toolingMatcher(detection.tooling);
  const resolver = createResolver({
    files: input.allPaths,
    readFile,
    pythonRoots: config.pythonRoots,
    serviceRoots: detection.services.filter((s) => s.kind === 'service').flatMap((s) => s.roots.filter((r) => !/[*?[\]{}]/.test(r))),
  });
  const model = buildModel({
    services: detection.services,
    files: input.files.map((f) => ({ path: f.path, language: f.language, service: serviceOf(f.path), isTest: f.isTest, tooling: inTooling(f.path) })),
    facts,
    resolver,
    families: familiesOf(config),
    boundaries: config.boundaries,
    tooling: detection.tooling,
    functionsOf: input.functionsOf,
  });
  return { model, detection };
}
