// The model stage as the pipeline calls it: services detected, modules resolved (the model input), and the files a WebSocket auth path asks function facts of.
import { familiesOf, type ParsedConfig } from '../config/schema.js';
import type { DiscoveredFile } from '../discover/index.js';
import type { FileFacts } from '../extract/facts.js';
import type { ModelInput } from './build.js';
import { buildWsEndpoints } from './websocket.js';
import type { KnownFunctions } from '../extract/functions.js';
import { createResolver } from './resolve.js';
import { serviceLocator } from './service-roots.js';
import { detectServices, toolingMatcher, type ServiceDetection } from './services.js';

export interface RepositoryInput {
  /** Every file seen, analysed or not (manifests, tsconfig.json…). */
  allPaths: string[];
  /** The files that were analysed. */
  files: DiscoveredFile[];
  facts: FileFacts[];
  /** Reads a repo-relative file (manifests, tsconfig); undefined when unreadable. */
  readFile: (path: string) => string | undefined;
  config: ParsedConfig;
}

/** Everything the model is built from: the services detected, the files with their services, the resolver. */
export interface PreparedRepository {
  detection: ServiceDetection;
  input: ModelInput;
}

/** Detects the services and resolves modules: the model's input, without building it. */
export function prepareRepository(input: RepositoryInput): PreparedRepository {
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
  return {
    detection,
    input: {
      services: detection.services,
      files: input.files.map((f) => ({ path: f.path, language: f.language, service: serviceOf(f.path), isTest: f.isTest, tooling: inTooling(f.path) })),
      facts,
      resolver,
      families: familiesOf(config),
      boundaries: config.boundaries,
      tooling: detection.tooling,
    },
  };
}

/**
 * The files whose function facts following the WebSocket auth paths asks for, given those known so
 * far: a file not known yet is wanted and followed no further (the next round, with it known, goes on).
 */
export function wantedFunctionFiles(prepared: PreparedRepository, known: KnownFunctions): Set<string> {
  const wanted = new Set<string>();
  const { facts, files, resolver } = prepared.input;
  buildWsEndpoints({
    facts,
    files: new Map(files.map((f) => [f.path, f])),
    resolver,
    jwtOps: [],
    functionsOf: (path) => {
      const functions = known(path);
      if (functions === undefined) wanted.add(path);
      return functions ?? null;
    },
  });
  return wanted;
}
