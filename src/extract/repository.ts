// The extract stage as the pipeline calls it: every discovered file's facts (cached, in workers), with what could not be extracted counted and told.
import { availableParallelism } from 'node:os';
import { FactCache, type CacheSettings } from '../cache/index.js';
import { DEFAULT_ENV_ACCESSORS, type ParsedConfig } from '../config/schema.js';
import { fileIn, type Discovery } from '../discover/index.js';
import type { Notification } from '../vocabulary.js';
import { boundNames } from './bounds.js';
import type { ExtractOptions, FileFacts } from './facts.js';
import { gatherFunctionFacts, type FunctionFactsOf, type FunctionSource, type KnownFunctions } from './functions.js';
import { extractAll, type KeptLane } from './pool.js';
import { timedOutFollow } from './index.js';

export interface ExtractSettings {
  config: ParsedConfig;
  jobs?: number;
  cache?: CacheSettings;
  /** Told while parsing how many files are done out of how many. */
  onProgress: (done: number, total: number) => void;
  /** Told how the cache did (hits, misses) once extraction is over. */
  onCacheStats?: (stats: { dir: string; hits: number; misses: number; pruned: number }) => void;
}

export interface Extraction {
  facts: FileFacts[];
  /** The discovery's notifications and every file's own, in order. */
  notifications: Notification[];
  /** The discovery's skip counts plus the files extraction dropped, by reason. */
  skipped: Record<string, number>;
  /** Files extraction dropped (they are not analysed). */
  skippedPaths: Set<string>;
  /**
   * Function facts on demand, for the analysed files: gathered round by round while `wanted` (a
   * follow of the WebSocket auth paths over what is known so far) asks for more (see `gatherFunctionFacts`).
   */
  functionFacts: (wanted: (known: KnownFunctions) => Iterable<string>) => Promise<FunctionFactsOf>;
  /** Closes the worker lane extraction kept for the function facts, if they were not asked for. */
  release: () => Promise<void>;
}

/** Extracts the facts of every discovered file. */
export async function extractRepository(discovery: Discovery, settings: ExtractSettings): Promise<Extraction> {
  const { config } = settings;
  /** Milliseconds one file may take (the config gives seconds). */
  const fileTimeLimit = config.fileTimeLimit * 1000;
  const extract: ExtractOptions = {
    envAccessors: {
      python: [...DEFAULT_ENV_ACCESSORS.python, ...config.envAccessors.python],
      typescript: [...DEFAULT_ENV_ACCESSORS.typescript, ...config.envAccessors.typescript],
    },
  };
  const cache = settings.cache ? new FactCache(settings.cache, extract) : null;
  let kept: KeptLane | null = null;
  const absolute = fileIn(discovery.root);
  const extracted = await extractAll(
    discovery.files.map((f) => ({ path: f.path, absPath: absolute(f.path), language: f.language })),
    {
      // More threads than cores only costs memory: each loads its own parsers.
      jobs: settings.jobs === undefined ? undefined : Math.min(settings.jobs, availableParallelism()),
      maxBytes: config.maxFileSize,
      maxLineLength: config.maxLineLength,
      fileTimeLimit,
      onProgress: settings.onProgress,
      extract,
      cache,
      keepLane: (lane) => {
        kept = lane;
      },
    },
  );
  if (cache) {
    const pruned = cache.misses > 0 ? cache.prune().removed : 0;
    settings.onCacheStats?.({ dir: cache.dir, hits: cache.hits, misses: cache.misses, pruned });
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
  const functionFacts = (wanted: (known: KnownFunctions) => Iterable<string>): Promise<FunctionFactsOf> => {
    const files = new Map<string, FunctionSource>();
    for (const f of discovery.files) if (!skippedPaths.has(f.path)) files.set(f.path, { absPath: absolute(f.path), language: f.language });
    const lane = kept;
    kept = null;
    return gatherFunctionFacts(
      {
        files,
        extract,
        maxBytes: config.maxFileSize,
        maxLineLength: config.maxLineLength,
        fileTimeLimit,
        cache: settings.cache ?? null,
        kept: lane,
        onTimedOut: (path) => notifications.push(timedOutFollow(path, fileTimeLimit)),
      },
      wanted,
    );
  };
  const release = async (): Promise<void> => {
    const lane = kept;
    kept = null;
    await lane?.close();
  };
  return { facts, notifications, skipped, skippedPaths, functionFacts, release };
}
