// Runs extraction over many files: the main thread and `jobs - 1` worker threads each claim the next file, read it, reuse its cached facts or extract it.
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { FactCache } from '../cache/index.js';
import { emptyFacts, type FileFacts, type Notification } from './facts.js';
import {
  type BatchItem,
  type BatchResult,
  type FileOutcome,
  type LaneData,
  type LaneMessage,
  type LaneSettings,
  extractRead,
  parseEach,
  parseFacts,
  type PackedJson,
  type PostedOutcome,
  SharedValues,
  QUEUES,
  queueBuffers,
  queueFiles,
  readFile,
  type ReadFile,
  queueOf,
} from './batch.js';
import { runGuarded } from './guard.js';
import { afterInterruption, droppedFile, frontEndLoaded, loadFrontEnd, timedOutFile, type ExtractOptions } from './index.js';
import type { Language } from './facts.js';

/** Below this many files a worker's start-up costs more than it saves. */
const POOL_THRESHOLD = 400;
/** …unless the main thread has already met this many bytes of source to extract. */
const POOL_BYTES = 8 * 1024 * 1024;
/** With a cache, a large scan is cold when more than a quarter of its first this many files miss (looked up before any is extracted, and again as the main thread goes on). */
const PROBE_FILES = 32;
/**
 * Worker threads: Node's default stack, and an old generation capped well above what the largest
 * file (2 MiB of source) needs, so a worker collects its garbage instead of growing (V8 sizes its
 * first collections from the cap). A file that overflows either is retried on the last-try thread.
 * The young generation is capped at 24 MB (8 MB semi-spaces instead of 16): a lane's peak is 24 MB
 * lower for about 3 % more time (see docs/performance.md).
 */
const WORKER_LIMITS = { stackSizeMb: 4, maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 24 };
/** A fresh thread takes the Python and deployment queue only while at least this many of its files are unclaimed. */
const FRESH_LANE_MIN = 8;
/** How long extraction may spend on one file before it is stopped (`fileTimeLimit`, in seconds, in the config). */
export const FILE_TIME_LIMIT_MS = 60_000;
/**
 * On the main thread, files are extracted in slices of about this many milliseconds of synchronous
 * work, each under the time limit plus this (so that a file is never given less than its time); a
 * slice costs one watchdog thread.
 */
const SLICE_MS = 50;
/** The last try: 16 times a worker's stack depth (64 times the main thread's: the TypeScript parser then takes some 50,000 nested parentheses), no heap cap; stack pages are committed only when used. */
const LAST_TRY_LIMITS = { stackSizeMb: 64 };

export interface PoolOptions {
  jobs?: number;
  maxBytes: number;
  /** JavaScript whose text is mostly on lines longer than this is skipped as minified (0 or absent: never); TypeScript is source, never minified output. */
  maxLineLength?: number;
  extract: ExtractOptions;
  /**
   * Milliseconds one file may take: a worker lane on it longer is ended, the main thread's slice is
   * stopped, and the file is reported as not analysed (0: no limit; default `FILE_TIME_LIMIT_MS`).
   */
  fileTimeLimit?: number;
  /** Smallest number of files that uses worker threads (default: 400 files, or 8 MiB of source met by the main thread). */
  poolThreshold?: number;
  /** Called as files finish: how many are done out of how many. */
  onProgress?: (done: number, total: number) => void;
  /** Reuse and store facts by content hash (null or absent: extract everything). */
  cache?: FactCache | null;
  /** Told when a worker lane starts, with the queues it owns (0: TypeScript and JavaScript, 1: the rest). */
  onLane?: (own: readonly number[]) => void;
  /**
   * Given the last worker lane to end, still running, when it emptied the Python and deployment queue
   * and a WebSocket auth path starts in one of the files: the function-fact rounds that follow it can
   * then run on a thread that has tree-sitter loaded and its code optimised (see `LanePool`).
   */
  keepLane?: (lane: KeptLane) => void;
}

/** A worker lane left running after extraction; whoever receives it adopts it (`LanePool`) or closes it. */
export class KeptLane {
  constructor(private pool: Piscina | null) {}

  /** Whether its thread is still here (not taken, not closed). */
  get alive(): boolean {
    return this.pool !== null;
  }

  /** The lane's pool, once: after that (or `close`) it is gone from here. */
  take(): Piscina | null {
    const pool = this.pool;
    this.pool = null;
    return pool;
  }

  async close(): Promise<void> {
    await this.take()?.destroy();
  }
}

type ResourceLimits = { stackSizeMb?: number; maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };

function newPool(threads: number, resourceLimits: ResourceLimits): Piscina {
  const self = import.meta.url;
  // Running from TypeScript sources (tests): load the worker through tsx.
  const [filename, execArgv] = self.endsWith('.ts') ? [new URL('./worker-dev.ts', self).href, ['--import', 'tsx']] : [new URL('./worker.js', self).href, []];
  return new Piscina({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: 100, resourceLimits });
}

function outOfMemory(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * How a worker lane ended: it found nothing more to claim (`done`), its thread died with `error`, or
 * it spent longer than the time limit on one file, `stuck` (an index into the lane's items), and its
 * thread was ended.
 */
type LaneEnd = { done: true } | { done: false; error: unknown; stuck?: number };

/**
 * Watches a lane's progress (`LaneData.watch`): when it has been on the same file for `limit`
 * milliseconds, calls `onStuck` with that file's index, once. The start of a file is taken as the first
 * look that sees it, so a file is never given less than its time; it is stopped at most two looks late.
 */
function watchLane(watch: Int32Array, limit: number, onStuck: (index: number) => void): NodeJS.Timeout {
  let seen = -1;
  let since = 0;
  const timer = setInterval(
    () => {
      const now = performance.now();
      const on = Atomics.load(watch, 0);
      const started = Atomics.load(watch, 1);
      if (on === 0 || started !== seen) {
        seen = started;
        since = now;
      } else if (now - since >= limit) {
        clearInterval(timer);
        onStuck(on - 1);
      }
    },
    Math.max(10, Math.min(1000, limit / 4)),
  );
  timer.unref();
  return timer;
}

/**
 * Runs one lane on a thread of `pool`; each outcome goes to `onOutcome` as it arrives. With a time
 * limit (milliseconds, 0: none), a lane that spends longer than it on one file has its pool destroyed,
 * which ends the thread wherever its code is (a loop that never ends included).
 */
function runWorkerLane(
  pool: Piscina,
  data: Omit<LaneData, 'port' | 'watch'>,
  onOutcome: (index: number, outcome: PostedOutcome) => void,
  limit: number,
): Promise<LaneEnd> {
  const { port1, port2 } = new MessageChannel();
  const watch = new SharedArrayBuffer(8);
  return new Promise((resolve) => {
    let finished = false;
    let ended: LaneEnd | null = null;
    const end = (how: LaneEnd): void => {
      ended ??= how;
      // A lane that ran to its end posted `done` last: by then every outcome has arrived.
      if (finished || !ended.done) {
        if (timer !== null) clearInterval(timer);
        port1.close();
        resolve(ended);
      }
    };
    const timer =
      limit > 0
        ? watchLane(new Int32Array(watch), limit, (stuck) => {
            end({ done: false, error: new Error('time limit'), stuck });
            void pool.destroy();
          })
        : null;
    port1.on('message', (message: LaneMessage) => {
      if ('done' in message) {
        finished = true;
        if (ended !== null) end(ended);
      } else for (const [index, outcome] of message.outcomes) onOutcome(index, outcome);
    });
    (pool.run({ ...data, port: port2, watch }, { transferList: [port2, ...queueBuffers(data.files)] }) as Promise<void>).then(
      () => end({ done: true }),
      (error: unknown) => end({ done: false, error }),
    );
  });
}

/**
 * Extracts all items; the result order follows the input order. Scans of `poolThreshold` files or
 * more run on `jobs` worker threads (the main thread only takes the results in); smaller ones on the
 * main thread, which hands over to workers if the source it meets reaches 8 MiB. Files wait in two
 * queues (TypeScript and JavaScript; Python and the rest): with one job, the one lane empties both;
 * with more, each lane empties the queue it owns, so a thread loads one front end. Each lane reads the file it
 * claims, reuses its cached facts or extracts it. A file nested deeper than its thread's stack
 * allows, or too big for a worker's heap, is extracted again on a last-try thread with a larger
 * stack and no heap cap.
 */
export async function extractAll(items: BatchItem[], options: PoolOptions): Promise<BatchResult[]> {
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const threshold = options.poolThreshold ?? POOL_THRESHOLD;
  const byteThreshold = options.poolThreshold === undefined ? POOL_BYTES : Infinity;
  const cache = options.cache ?? null;
  const limit = options.fileTimeLimit ?? FILE_TIME_LIMIT_MS;
  const settings: LaneSettings = {
    maxBytes: options.maxBytes,
    maxLineLength: options.maxLineLength ?? 0,
    extract: options.extract,
    cache: cache?.lookup ?? null,
    lastTry: false,
  };
  const results = new Array<BatchResult | undefined>(items.length);
  const lanes: Promise<LaneEnd>[] = [];
  let follows = false;
  // Facts stay JSON (compressed UTF-8 from a worker) until the workers are gone: a fraction of the objects' size, so the threads' peaks do not add up.
  const texts = new Array<string | PackedJson | undefined>(items.length);
  const deep = new Set<number>();
  const names = new SharedValues();
  let done = 0;
  let missBytes = 0;
  const accept = (index: number, outcome: PostedOutcome): void => {
    const item = items[index];
    if (outcome.kind !== 'skipped' && outcome.key !== null) cache?.note(outcome.key, outcome.kind === 'facts' && outcome.hit);
    if (outcome.kind === 'deep') {
      deep.add(index);
      return;
    }
    if (outcome.kind === 'skipped') {
      const level = outcome.reason === 'unreadable' ? 'warning' : 'note';
      const notification = { level, id: outcome.reason, message: outcome.message, file: item.path } as const;
      results[index] = { path: item.path, ok: false, reason: outcome.reason, notification };
    } else {
      if (!outcome.hit) missBytes += outcome.bytes;
      if (outcome.follows) follows = true;
      if (lanes.length > 0 || typeof outcome.json !== 'string') texts[index] = outcome.json;
      else results[index] = { path: item.path, ok: true, facts: names.share(parseFacts(outcome.json)) };
    }
    done++;
    options.onProgress?.(done, items.length);
  };

  const queues: number[][] = Array.from({ length: QUEUES }, () => []);
  items.forEach((item, index) => queues[queueOf(item.language)].push(index));
  const shared = new SharedArrayBuffer(4 * QUEUES);
  const next = new Int32Array(shared);
  const all = queues.map((_, q) => q);
  const pools: Piscina[] = [];
  let running = 0;
  // Set from the lanes' callbacks: a holder, so that its type is not narrowed to its first value.
  const kept: { pool: Piscina | null } = { pool: null };
  // With several lanes, each runs on a thread of its own. A lane that has emptied its queue does not
  // help with another one on the same thread (it would then hold both front ends, the TypeScript
  // compiler's 70 MB with tree-sitter's): its thread ends, and a fresh one takes the Python and
  // deployment queue if files are left there.
  const startLane = (own: number[]): Promise<LaneEnd> => {
    const pool = newPool(1, WORKER_LIMITS);
    pools.push(pool);
    running++;
    options.onLane?.(own);
    // Whether this lane extracted Python: only then is it warm for the function-fact rounds.
    let ranPython = false;
    const onOutcome = (index: number, outcome: PostedOutcome): void => {
      if (items[index].language === 'python') ranPython = true;
      accept(index, outcome);
    };
    const files = queues.map((indices, q) => (own.includes(q) ? queueFiles(items, indices) : null));
    return runWorkerLane(pool, { files, next: shared, own, settings }, onOutcome, limit).then(async (end) => {
      running--;
      const unclaimed = (q: number): number => queues[q].length - Atomics.load(next, q);
      const stuck = end.done ? undefined : end.stuck;
      if (stuck !== undefined) {
        // The file that ran out of time is reported; the outcomes its thread had not posted yet are
        // lost with it (those files go to the last try), and a fresh thread goes on with its queues.
        accept(stuck, timedOut(items[stuck], limit));
        await pool.destroy();
        if (own.some((q) => unclaimed(q) > 0)) return startLane(own);
      } else if (!end.done || own.length === QUEUES) return end;
      // Never the TypeScript queue: a second compiler and a cold JIT did not pay for themselves in what
      // was left of a scan (two TypeScript monorepos: 1–6 % slower and 25–30 MB larger than one lane).
      const left = all.find((q) => q !== queueOf('ts') && !own.includes(q) && unclaimed(q) >= FRESH_LANE_MIN);
      // The last lane has every outcome in: it stays if the function-fact rounds will want it, and if it
      // ran Python (a lane that found its queue empty is not warm). Only the last, so that an idle
      // thread never adds to the peak of lanes still at work.
      if (stuck === undefined && left === undefined && running === 0 && follows && ranPython && options.keepLane) {
        kept.pool = pool;
        pools.splice(pools.indexOf(pool), 1);
        return end;
      }
      await pool.destroy();
      return left === undefined ? { done: true } : startLane([left]);
    });
  };
  const startWorkers = (): void => {
    for (let lane = 0; lane < jobs; lane++) lanes.push(startLane(jobs === 1 ? all : [lane % QUEUES]));
  };
  // A scan large enough for workers starts them at once, unless the cache may hold most of it: then
  // the first files are looked up (only looked up: no front end is loaded for them), and workers start
  // at once if many of them miss; else the main thread goes on with them and starts workers if, later,
  // many miss after all.
  const large = items.length >= threshold;
  const look = large && cache !== null ? lookFirst(items, queues, settings) : null;
  if (large && (cache === null || look?.cold === true)) startWorkers();
  else {
    // What the look read of the first files, by index: the main thread takes it instead of reading them again.
    const alreadyRead = look?.reads ?? new Map<number, FileOutcome | ReadFile>();
    // In-process, on the same queues: workers started on the way take what is left. The files go in
    // slices of synchronous work under the time limit (`runGuarded`); a front end loads between slices.
    let looked = 0;
    let misses = 0;
    let current = -1;
    // A file read whose front end is not loaded yet: it waits for the load, between two slices (a holder,
    // so that its type is not narrowed to its first value).
    const waiting: { file: { index: number; read: ReadFile } | null } = { file: null };
    const tried = new Set<Language>();
    const slice = (q: number): 'empty' | 'load' | 'handover' | 'more' => {
      const started = performance.now();
      for (;;) {
        let index: number;
        let read: FileOutcome | ReadFile;
        if (waiting.file === null) {
          const k = Atomics.add(next, q, 1);
          if (k >= queues[q].length) return 'empty';
          index = queues[q][k];
          current = index;
          read = alreadyRead.get(index) ?? readFile(items[index], settings);
          alreadyRead.delete(index);
        } else {
          ({ index, read } = waiting.file);
          current = index;
          waiting.file = null;
        }
        if ('text' in read && !frontEndLoaded(items[index].language) && !tried.has(items[index].language)) {
          waiting.file = { index, read };
          current = -1;
          return 'load';
        }
        const outcome = 'text' in read ? extractRead(items[index], read, settings) : read;
        current = -1;
        accept(index, outcome);
        looked++;
        if (outcome.kind !== 'skipped' && !(outcome.kind === 'facts' && outcome.hit)) misses++;
        const cold = large && looked >= PROBE_FILES && misses * 4 > looked;
        if (cold || misses >= threshold || missBytes >= byteThreshold) return 'handover';
        if (performance.now() - started >= SLICE_MS) return 'more';
      }
    };
    queue: for (let q = 0; q < QUEUES;) {
      const run = runGuarded(() => slice(q), limit > 0 ? limit + SLICE_MS : 0);
      if (!run.done) {
        // The slice was stopped on a file that ran out of time (never on one that had less than its time).
        afterInterruption();
        if (current >= 0) accept(current, timedOut(items[current], limit));
        current = -1;
        continue;
      }
      switch (run.value) {
        case 'empty':
          q++;
          break;
        case 'load': {
          // Tried once: a front end that cannot be loaded shows as an `extract-failed` notification on each of its files.
          // `slice` returns 'load' with the file that waits for it held.
          const file = waiting.file;
          if (file === null) break;
          const language = items[file.index].language;
          tried.add(language);
          await loadFrontEnd(language);
          break;
        }
        case 'handover':
          startWorkers();
          break queue;
        case 'more':
          break;
      }
    }
  }

  let failure: { error: unknown } | null = null;
  try {
    for (const end of await Promise.all(lanes)) if (!end.done && !outOfMemory(end.error)) failure ??= { error: end.error };
  } finally {
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
  const lane = kept.pool;
  if (lane !== null) {
    if (failure === null && options.keepLane) options.keepLane(new KeptLane(lane));
    else await lane.destroy();
  }
  if (failure !== null) throw failure.error;

  // A worker that ran out of memory lost the file it was on: that file goes to the last try with the deep ones.
  for (let index = 0; index < items.length; index++) if (results[index] === undefined && texts[index] === undefined) deep.add(index);
  if (deep.size > 0) await lastTry([...deep], items, { ...settings, lastTry: true }, limit, accept);
  parseEach(texts, (index, facts) => {
    results[index] = { path: items[index].path, ok: true, facts: names.share(facts) };
  });
  return results as BatchResult[];
}

/**
 * Reads and looks up the first `PROBE_FILES` files, in the order the main thread would take them:
 * `cold` when more than a quarter of them miss the cache. Nothing is extracted or counted. On a cold
 * scan the workers read those files again (a few milliseconds); on a warm one the main thread takes
 * `reads` (by index) instead. Before this look, a cold scan with a cache extracted those files on the
 * main thread first, which loaded the TypeScript compiler there for the rest of the scan: the
 * synthetic corpus's first scan took 6 % longer and peaked at 315 MiB, 232 MiB now (docs/performance.md).
 */
function lookFirst(items: BatchItem[], queues: number[][], settings: LaneSettings): { cold: boolean; reads: Map<number, FileOutcome | ReadFile> } {
  const reads = new Map<number, FileOutcome | ReadFile>();
  let misses = 0;
  for (const queue of queues) {
    for (const index of queue) {
      if (reads.size >= PROBE_FILES) break;
      const read = readFile(items[index], settings);
      reads.set(index, read);
      if ('text' in read) misses++;
    }
  }
  return { cold: misses * 4 > reads.size, reads };
}

/** The outcome of a file the analyser gave up on: no facts but `notification`, never cached. */
function failedOutcome(item: BatchItem, notification: Notification): FileOutcome {
  const facts = emptyFacts(item.path, item.language);
  facts.notifications.push(notification);
  return { kind: 'facts', json: JSON.stringify(facts), key: null, hit: false, bytes: 0, follows: false };
}

/** The outcome of a file whose lane spent longer than the time limit on it: an `extract-failed` notification. */
function timedOut(item: BatchItem, limit: number): FileOutcome {
  return failedOutcome(item, timedOutFile(item.path, limit));
}

/** How a lane over files in a given order ended, and the positions of the files it gave an outcome for. */
interface InOrder {
  end: LaneEnd;
  got: Set<number>;
}

/** Runs one lane on `pool` over `files`, in their order (one queue); `onOutcome` gets each outcome by position. */
async function runInOrder(
  pool: Piscina,
  files: BatchItem[],
  settings: LaneSettings,
  limit: number,
  onOutcome: (position: number, outcome: PostedOutcome) => void,
): Promise<InOrder> {
  const got = new Set<number>();
  const lane = {
    files: [
      queueFiles(
        files,
        files.map((_, k) => k),
      ),
    ],
    next: new SharedArrayBuffer(4),
    own: [0],
    settings,
  };
  const end = await runWorkerLane(
    pool,
    lane,
    (k, outcome) => {
      got.add(k);
      onOutcome(k, outcome);
    },
    limit,
  );
  return { end, got };
}

/**
 * Extracts each file again on one thread with a large stack and no heap cap, in order; a file whose
 * thread dies (out of memory, say) or runs out of time becomes an `extract-failed` notification and a
 * fresh thread takes the files after it.
 */
async function lastTry(
  indices: number[],
  items: BatchItem[],
  settings: LaneSettings,
  limit: number,
  accept: (index: number, outcome: PostedOutcome) => void,
): Promise<void> {
  let rest = indices;
  while (rest.length > 0) {
    const batch = rest;
    const pool = newPool(1, LAST_TRY_LIMITS);
    let run: InOrder;
    try {
      run = await runInOrder(
        pool,
        batch.map((i) => items[i]),
        settings,
        limit,
        (k, outcome) => {
          // The file's cache lookup was counted when it first failed.
          accept(batch[k], outcome.kind === 'skipped' ? outcome : { ...outcome, key: null });
        },
      );
    } finally {
      await pool.destroy();
    }
    const { end, got } = run;
    const missing = batch.map((_, k) => k).filter((k) => !got.has(k));
    if (end.done || missing.length === 0) return;
    // The lone lane takes the files in order: the first one without an outcome is the one its thread died on.
    const failedAt = end.stuck ?? missing[0];
    const failed = batch[failedAt];
    const item = items[failed];
    if (end.stuck !== undefined) accept(failed, timedOut(item, limit));
    else {
      const notification: Notification = outOfMemory(end.error)
        ? { level: 'error', id: 'extract-failed', message: 'not analysed: out of memory; findings in this file may be missing', file: item.path }
        : droppedFile(item.path, end.error);
      accept(failed, failedOutcome(item, notification));
    }
    rest = missing.filter((k) => k !== failedAt).map((k) => batch[k]);
  }
}

/**
 * One worker lane kept across several small extractions (function facts on demand, asked for hop by
 * hop): its thread loads the front ends and warms up once. Each `extract` call runs the lane over its
 * files; a file it could not extract (nested too deep, out of memory) has no result.
 */
export class LanePool {
  private pool: Piscina | null = null;

  /**
   * `kept`: extraction's last lane, adopted on the first extraction (and closed with this pool).
   * `limit`: milliseconds one file may take (0: no limit).
   */
  constructor(
    private readonly settings: LaneSettings,
    private readonly kept: KeptLane | null = null,
    private readonly limit = FILE_TIME_LIMIT_MS,
  ) {}

  /** `onTimedOut` is told of each file that took longer than the limit (it has no result). */
  async extract(items: BatchItem[], onTimedOut?: (item: BatchItem) => void): Promise<(FileFacts | null)[]> {
    const out = new Array<FileFacts | null>(items.length).fill(null);
    const jsons = new Array<string | PackedJson | undefined>(items.length);
    let rest = items.map((_, index) => index);
    while (rest.length > 0) {
      this.pool ??= this.kept?.take() ?? newPool(1, WORKER_LIMITS);
      const batch = rest;
      const { end, got } = await runInOrder(
        this.pool,
        batch.map((i) => items[i]),
        this.settings,
        this.limit,
        (k, outcome) => {
          if (outcome.kind === 'facts') jsons[batch[k]] = outcome.json;
        },
      );
      parseEach(jsons, (index, facts) => {
        out[index] = facts;
        jsons[index] = undefined;
      });
      if (end.done) break;
      if (end.stuck === undefined) {
        if (!outOfMemory(end.error)) throw end.error;
        break;
      }
      // The file that ran out of time has no result; a fresh thread takes the files its thread had not done.
      onTimedOut?.(items[batch[end.stuck]]);
      await this.pool.destroy();
      this.pool = null;
      rest = batch.filter((_, k) => k !== end.stuck && !got.has(k));
    }
    return out;
  }

  /** Whether it has a thread already: its own, started, or the one kept from extraction. */
  get started(): boolean {
    return this.pool !== null || (this.kept?.alive ?? false);
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = null;
    await this.kept?.close();
  }
}
