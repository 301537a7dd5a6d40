// Function facts on demand: what each named function of a file calls, reads as a token and delegates, extracted only for the files a WebSocket auth path is followed into.
import { FactCache, readEntry, type CacheSettings } from '../cache/index.js';
import { readSource } from '../discover/read.js';
import { extractRead, parseFacts, readFile, type BatchItem, type LaneSettings } from './batch.js';
import { runGuarded } from './guard.js';
import { afterInterruption, loadFrontEnd } from './index.js';
import type { ExtractOptions, FileFacts, FunctionFact, Language } from './facts.js';
import { FILE_TIME_LIMIT_MS, LanePool, type KeptLane } from './pool.js';

/** A file whose function facts may be asked for: where to read it and in which language. */
export interface FunctionSource {
  absPath: string;
  language: Language;
}

export interface FunctionFactSettings {
  /** The analysed files by repository path (no other file is ever extracted). */
  files: Map<string, FunctionSource>;
  extract: ExtractOptions;
  maxBytes: number;
  maxLineLength: number;
  /** Milliseconds extraction may spend on one file (0: no limit; default `FILE_TIME_LIMIT_MS`). */
  fileTimeLimit?: number;
  cache: CacheSettings | null;
  /** Extract in a worker lane (true) or on the main thread (false); default: a lane once a large repository's rounds add up to more than a little source, or from the start when extraction kept one. */
  lanes?: boolean;
  /** Extraction's last lane, kept warm for these rounds: the lane they run on (closed with it). */
  kept?: KeptLane | null;
  /** Told of each file whose function facts were not extracted because they took longer than the time limit. */
  onTimedOut?: (path: string) => void;
}

/** A file's function facts, for the files gathered (null: none, or not a file that has any). */
export type FunctionFactsOf = (path: string) => FunctionFact[] | null;

/** What is known of a file so far: its function facts, null for none, undefined when not gathered yet. */
export type KnownFunctions = (path: string) => FunctionFact[] | null | undefined;

/**
 * From this many analysed files on, function facts are extracted in a worker lane once the rounds
 * add up to more than `IN_PROCESS_BYTES` of source: the auth paths of a large repository can lead
 * into tens of large files, which would grow the main thread's heap (and run there on a cold JIT);
 * a few small files are extracted faster than a worker starts, and without its compiler's memory.
 */
const LANE_FILES = 400;
const IN_PROCESS_BYTES = 256 * 1024;

function hasFunctions(language: Language): boolean {
  return language === 'python' || language === 'ts' || language === 'js';
}

/**
 * Function facts are most of the facts' size and a tenth of extraction's CPU, yet only a repository
 * with WebSocket endpoints uses them, and then only for the files its auth paths lead into. The scan
 * extracts without them. `wanted` tells which files a follow needs, given what is known so far (each
 * round reaches one more hop); their function facts come from the cache, else from a worker lane kept
 * for all rounds (in a small repository, on the main thread), and are cached under keys of their own
 * (the extraction settings differ). Rounds repeat until nothing new is wanted.
 */
export async function gatherFunctionFacts(settings: FunctionFactSettings, wanted: (known: KnownFunctions) => Iterable<string>): Promise<FunctionFactsOf> {
  const extract: ExtractOptions = { ...settings.extract, functionFacts: true, functionsOnly: true };
  const cache = settings.cache ? new FactCache(settings.cache, extract) : null;
  const memo = new Map<string, FunctionFact[] | null>();
  const laneSettings: LaneSettings = {
    maxBytes: settings.maxBytes,
    maxLineLength: settings.maxLineLength,
    extract,
    cache: cache?.lookup ?? null,
    lastTry: false,
  };
  // One worker lane: a round is tens of files, and a second thread's heap would be the scan's peak.
  const lanes = new LanePool(laneSettings, settings.kept ?? null, settings.fileTimeLimit);
  const largeRepository = settings.files.size >= LANE_FILES;
  let inProcessBytes = 0;
  try {
    for (;;) {
      const round = [...new Set(wanted((path) => memo.get(path)))].filter((path) => !memo.has(path)).sort();
      if (round.length === 0) break;
      const misses: BatchItem[] = [];
      let bytes = 0;
      for (const path of round) {
        memo.set(path, null);
        const source = settings.files.get(path);
        if (!source || !hasFunctions(source.language)) continue;
        // One read per file: its cache key, and its size for choosing where to extract it.
        const read = readSource(source.absPath, settings.maxBytes);
        if (!read.ok) continue;
        const stored = cache ? readEntry(cache.dir, cache.key(path, source.language, read.text)) : null;
        if (stored !== null) memo.set(path, (JSON.parse(stored) as FileFacts).functions ?? null);
        else {
          misses.push({ path, absPath: source.absPath, language: source.language });
          bytes += Buffer.byteLength(read.text);
        }
      }
      // A large repository's rounds go to the lane once they add up to more than a little source.
      if (settings.lanes ?? (largeRepository && (lanes.started || inProcessBytes + bytes > IN_PROCESS_BYTES))) {
        const extracted = await lanes.extract(misses, (item) => settings.onTimedOut?.(item.path));
        misses.forEach((item, k) => memo.set(item.path, extracted[k]?.functions ?? null));
      } else {
        inProcessBytes += bytes;
        for (const item of misses) {
          const read = readFile(item, laneSettings);
          if (!('text' in read)) continue;
          await loadFrontEnd(item.language);
          const run = runGuarded(() => extractRead(item, read, laneSettings), settings.fileTimeLimit ?? FILE_TIME_LIMIT_MS);
          if (!run.done) {
            afterInterruption();
            settings.onTimedOut?.(item.path);
          }
          const outcome = run.done ? run.value : null;
          memo.set(item.path, outcome?.kind === 'facts' ? (parseFacts(outcome.json).functions ?? null) : null);
        }
      }
    }
  } finally {
    await lanes.close();
  }
  return (path) => memo.get(path) ?? null;
}
