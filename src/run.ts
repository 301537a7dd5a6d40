// The pipeline, top to bottom: discover → extract → buildModel → runRules → suppress → result.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../rules/index.js';
import { applyBaseline, type Baseline } from './baseline.js';
import { DEFAULT_ENV_ACCESSORS, familiesOf, type ParsedConfig } from './config/schema.js';
import { FactCache, type CacheSettings } from './cache/index.js';
import { attachSourceContext } from './discover/context.js';
import { discover } from './discover/index.js';
import { readTextFile } from './discover/read.js';
import { runRules } from './engine.js';
import { boundNames } from './extract/bounds.js';
import { extractAll } from './extract/pool.js';
import type { FileFacts, Notification } from './model/facts.js';
import { buildModel } from './model/build.js';
import { buildInventory, summariseJwtOps } from './model/inventory.js';
import { provisionMatrix } from './model/deployment.js';
import { buildMatrix, serviceImportEdges } from './model/matrix.js';
import { buildPlan } from './model/plan.js';
import { createResolver } from './model/resolve.js';
import { serviceLocator } from './model/service-roots.js';
import { detectServices, toolingMatcher } from './model/services.js';
import { wsEndpointRows } from './model/websocket.js';
import type { Model } from './model/types.js';
import { notAnalysedPaths, type Finding, type RunResult } from './result.js';
import type { Rule } from './rule-api.js';
import { applyInlineSuppressions } from './suppress.js';
import { VERSION } from './version.js';
import { compareText } from './util/order.js';

export interface ScanOptions {
  root: string;
  config: ParsedConfig;
  includeTests?: boolean;
  jobs?: number;
  rules?: readonly Rule[];
  /** Known findings: matching ones are kept but marked as baselined. */
  baseline?: Baseline;
  /** Adds an ISO timestamp to the result (off by default: output is deterministic). */
  timestamp?: boolean;
  /** Told the current phase, and while parsing how many files are done out of how many. */
  onProgress?: (progress: ScanProgress) => void;
  /** Filled with the text of every file the migration plan read: what its edits apply to (`--fix`). */
  planSources?: Map<string, string>;
  /** Reuse and store per-file facts in this cache folder (absent: extract every file). */
  cache?: CacheSettings;
  /** Told how the cache did (hits, misses) once extraction is over. */
  onCacheStats?: (stats: { dir: string; hits: number; misses: number; pruned: number }) => void;
}

/** A step of the pipeline, for progress display. */
export interface ScanProgress {
  phase: 'discover' | 'parse' | 'model' | 'rules' | 'report';
  done?: number;
  total?: number;
}

export interface ScanOutput {
  result: RunResult;
  model: Model;
}

/** Scans a repository and returns the versioned result (and the model, for reports that need it). */
export async function scan(options: ScanOptions): Promise<ScanOutput> {
  const { root, config } = options;
  const includeTests = options.includeTests ?? config.includeTests;
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: 'discover' });
  const discovery = await discover(root, config, includeTests);
  progress({ phase: 'parse', done: 0, total: discovery.files.length });

  const extract = {
    envAccessors: {
      python: [...DEFAULT_ENV_ACCESSORS.python, ...config.envAccessors.python],
      typescript: [...DEFAULT_ENV_ACCESSORS.typescript, ...config.envAccessors.typescript],
    },
  };
  const cache = options.cache ? new FactCache(options.cache, extract) : null;
  const extracted = await extractAll(
    discovery.files.map((f) => ({ path: f.path, absPath: f.absPath, language: f.language })),
    {
      // More threads than cores only costs memory: each loads its own parsers.
      jobs: options.jobs === undefined ? undefined : Math.min(options.jobs, availableParallelism()),
      maxBytes: config.maxFileSize,
      maxLineLength: config.maxLineLength,
      onProgress: (done, total) => progress({ phase: 'parse', done, total }),
      extract,
      cache,
    },
  );
  if (cache) {
    const pruned = cache.misses > 0 ? cache.prune().removed : 0;
    options.onCacheStats?.({ dir: cache.dir, hits: cache.hits, misses: cache.misses, pruned });
  }

  const facts: FileFacts[] = [];
  const skipped = { ...discovery.skipped };
  const notifications: Notification[] = [...discovery.notifications];
  const skippedPaths = new Set<string>();
  for (const item of extracted) {
    if (item.ok) {
      facts.push(boundNames(item.facts));
      notifications.push(...item.facts.notifications);
    } else {
      skipped[item.reason] = (skipped[item.reason] ?? 0) + 1;
      skippedPaths.add(item.path);
      notifications.push(item.notification);
    }
  }

  progress({ phase: 'model' });
  const readFile = (path: string): string | undefined => readText(root, path, config.maxFileSize);
  const detection = detectServices({ paths: discovery.allPaths, facts, readFile, config });
  const serviceOf = serviceLocator(detection.services, detection.tooling);
  const inTooling = toolingMatcher(detection.tooling);
  const resolver = createResolver({
    files: discovery.allPaths,
    readFile,
    pythonRoots: config.pythonRoots,
    serviceRoots: detection.services.filter((s) => s.kind === 'service').flatMap((s) => s.roots.filter((r) => !/[*?[\]{}]/.test(r))),
  });
  const files = discovery.files.filter((f) => !skippedPaths.has(f.path));
  const model = buildModel({
    services: detection.services,
    files: files.map((f) => ({ path: f.path, language: f.language, service: serviceOf(f.path), isTest: f.isTest, tooling: inTooling(f.path) })),
    facts,
    resolver,
    families: familiesOf(config),
    boundaries: config.boundaries,
    tooling: detection.tooling,
  });

  progress({ phase: 'rules' });
  const findings = runRules(model, options.rules ?? RULES, config, facts);
  const baselined = options.baseline ? applyBaseline(findings, options.baseline) : null;
  attachSourceContext(root, findings, facts, config.maxFileSize);

  const remember = (path: string, text: string | undefined): string | undefined => {
    if (text !== undefined) options.planSources?.set(path, text);
    return text;
  };
  const byLanguage: RunResult['files']['byLanguage'] = {};
  for (const f of files) byLanguage[f.language] = (byLanguage[f.language] ?? 0) + 1;

  progress({ phase: 'report' });
  const provisions = provisionMatrix(model);
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'jwtfrag', version: VERSION },
    services: detection.services,
    files: { scanned: files.length, byLanguage: sortKeys(byLanguage), tests: discovery.testFiles, skipped: sortKeys(skipped) },
    families: model.families.map((f) => ({
      id: f.id,
      canonical: f.canonical,
      canonicalReason: f.canonicalReason,
      canonicalWhy: f.canonicalWhy,
      kind: f.kind,
      names: f.names,
      patterns: f.patterns,
    })),
    inventory: buildInventory(model),
    jwtOps: summariseJwtOps(model),
    findings,
    notifications: sortNotifications(notifications),
    counts: countByRule(findings),
    matrix: buildMatrix(model),
    plan: buildPlan({ model, findings, readFile: (path) => remember(path, readText(root, path, config.maxFileSize)), provisions }),
    serviceImports: serviceImportEdges(model, findings),
  };
  const notAnalysed = notAnalysedPaths(result.notifications);
  if (notAnalysed.length > 0) result.files.notAnalysed = notAnalysed;
  if (detection.excluded.length > 0) result.excludedFolders = detection.excluded;
  if (model.wsEndpoints.length > 0) result.wsEndpoints = wsEndpointRows(model.wsEndpoints);
  if (provisions.length > 0) result.provisionMatrix = provisions;
  if (baselined) {
    result.baseline = {
      known: baselined.known,
      stale: baselined.stale.map((e) => ({ ruleId: e.ruleId, key: e.key, count: e.count, message: e.message })),
    };
  }
  if (options.timestamp) result.timestamp = new Date().toISOString();
  return { result, model };
}

// Manifests, tsconfig and plan sources: regular files only (a FIFO named package.json must not block), bounded in size.
function readText(root: string, path: string, maxBytes: number): string | undefined {
  return readTextFile(join(root, path), Math.max(maxBytes, 2 * 1024 * 1024));
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort((a, b) => compareText(a[0], b[0])));
}

function sortNotifications(list: Notification[]): Notification[] {
  return list.sort(
    (a, b) => compareText((a.file ?? ''), b.file ?? '') || (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || compareText(a.id, b.id),
  );
}

/** Counts unsuppressed findings per rule id. */
export function countByRule(findings: Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) if (!f.suppression) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return sortKeys(counts);
}
