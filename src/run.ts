// The pipeline, top to bottom: discover → extract → model → rules → suppress/baseline → summarize.
import { join } from 'node:path';
import { RULES } from '../rules/index.js';
import { applyBaseline, type Baseline } from './baseline.js';
import type { CacheSettings } from './cache/index.js';
import type { ParsedConfig } from './config/schema.js';
import { discover } from './discover/index.js';
import { readTextFile } from './discover/read.js';
import { runRules } from './engine.js';
import { startsFollow } from './extract/facts.js';
import { extractRepository } from './extract/repository.js';
import { buildModel } from './model/build.js';
import { prepareRepository, wantedFunctionFiles, type PreparedRepository } from './model/repository.js';
import type { Model } from './model/types.js';
import type { Rule } from './rule-api.js';
import { summarize, type SummaryInput } from './summarize/index.js';
import type { RunResult } from './summarize/result.js';

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
  /** Called where most of the heap has just become garbage: once the facts are parsed, once the model is built (the CLI collects it there). */
  onGarbage?: () => void;
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
  const progress = options.onProgress ?? (() => undefined);
  const readFile = (path: string): string | undefined => readText(root, path, config.maxFileSize);
  const { files, testFiles, skipped, notifications, detection, model } = await analyse(options, progress, readFile);
  options.onGarbage?.();

  progress({ phase: 'rules' });
  const findings = runRules(model, options.rules ?? RULES, config);
  const baselined = options.baseline ? applyBaseline(findings, options.baseline) : null;

  progress({ phase: 'report' });
  const readPlanSource = (path: string): string | undefined => {
    const text = readFile(path);
    if (text !== undefined) options.planSources?.set(path, text);
    return text;
  };
  const result = summarize({
    root,
    maxFileSize: config.maxFileSize,
    cache: options.cache,
    files,
    testFiles,
    skipped,
    notifications,
    detection,
    model,
    findings,
    baselined,
    readPlanSource,
    timestamp: options.timestamp,
  });
  return { result, model };
}

/** What the summary needs of discovery, extraction and the model. */
type Analysis = Pick<SummaryInput, 'files' | 'testFiles' | 'skipped' | 'notifications' | 'detection' | 'model'>;

/**
 * Discovery, extraction and the model. A function of its own so that nothing holds the files' full
 * facts once the model is built: their imports and exports are most of their size, and the model
 * keeps what it resolved from them (`Model.facts` has the rest).
 */
async function analyse(options: ScanOptions, progress: (progress: ScanProgress) => void, readFile: (path: string) => string | undefined): Promise<Analysis> {
  const { root, config } = options;
  progress({ phase: 'discover' });
  const discovery = await discover(root, config, options.includeTests ?? config.includeTests);

  progress({ phase: 'parse', done: 0, total: discovery.files.length });
  const extraction = await extractRepository(discovery, {
    config,
    jobs: options.jobs,
    cache: options.cache,
    onProgress: (done, total) => progress({ phase: 'parse', done, total }),
    onCacheStats: options.onCacheStats,
  });
  options.onGarbage?.();

  progress({ phase: 'model' });
  const files = discovery.files.filter((f) => !extraction.skippedPaths.has(f.path));
  // Only WebSocket endpoints follow calls into helpers, so only then are function facts needed.
  const followsCalls = extraction.facts.some(startsFollow);
  // Extraction may have kept a warm lane for the function facts: it is closed once they are in.
  let prepared: PreparedRepository;
  try {
    prepared = prepareRepository({ allPaths: discovery.allPaths, files, facts: extraction.facts, readFile, config });
    if (followsCalls) prepared.input.functionsOf = await extraction.functionFacts((known) => wantedFunctionFiles(prepared, known));
  } finally {
    await extraction.release();
  }
  const model = buildModel(prepared.input);
  return {
    files,
    testFiles: discovery.testFiles,
    skipped: extraction.skipped,
    notifications: extraction.notifications,
    detection: { services: prepared.detection.services, excluded: prepared.detection.excluded },
    model,
  };
}

// Manifests, tsconfig and plan sources: regular files only (a FIFO named package.json must not block), bounded in size.
function readText(root: string, path: string, maxBytes: number): string | undefined {
  return readTextFile(join(root, path), Math.max(maxBytes, 2 * 1024 * 1024));
}
