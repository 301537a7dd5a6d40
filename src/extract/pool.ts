// Runs extraction over many files: reads each once, reuses cached facts, extracts the rest in worker threads (in-process for small scans).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { FactCache } from '../cache/index.js';
import { looksMinified } from '../discover/languages.js';
import { readSource } from '../discover/read.js';
import { emptyFacts, type FileFacts } from './facts.js';
import { type BatchItem, type BatchOutput, type BatchResult, type BatchTask, type TaskFile, runBatch } from './batch.js';
import { droppedFile, type ExtractOptions } from './index.js';

/** Below this many files to extract a pool's start-up costs more than it saves. */
const POOL_THRESHOLD = 400;
/** …or this many bytes of source to extract. */
const POOL_BYTES = 8 * 1024 * 1024;
/** A batch closes at this much source (one larger file is a batch of its own) or this many files. */
const BATCH_BYTES = 256 * 1024;
const BATCH_FILES = 64;
/**
 * Worker threads: Node's default stack, and an old generation capped well above what the largest
 * file (2 MiB of source) needs, so a worker collects its garbage instead of growing (V8 sizes its
 * first collections from the cap). A file that overflows either is retried on the last-try thread.
 */
const WORKER_LIMITS = { stackSizeMb: 4, maxOldGenerationSizeMb: 128 };
/** The last try: 16 times a worker's stack depth (64 times the main thread's: the TypeScript parser then takes some 50,000 nested parentheses), no heap cap; stack pages are committed only when used. */
const LAST_TRY_LIMITS = { stackSizeMb: 64 };
/** The main thread reads and hashes between dispatches; it yields this often so workers get their next batch. */
const YIELD_MS = 8;

export interface PoolOptions {
  jobs?: number;
  maxBytes: number;
  /** JavaScript whose text is mostly on lines longer than this is skipped as minified (0 or absent: never); TypeScript is source, never minified output. */
  maxLineLength?: number;
  extract: ExtractOptions;
  /** Smallest number of files to extract that uses worker threads (default: 400 files or 8 MiB of source, whichever comes first). */
  poolThreshold?: number;
  /** Called as files finish: how many are done out of how many. */
  onProgress?: (done: number, total: number) => void;
  /** Reuse and store facts by content hash (null or absent: extract everything). */
  cache?: FactCache | null;
}

function workerUrl(): { filename: string; execArgv: string[] } {
  const self = import.meta.url;
  // Running from TypeScript sources (tests): load the worker through tsx.
  if (self.endsWith('.ts')) return { filename: new URL('./worker-dev.ts', self).href, execArgv: ['--import', 'tsx'] };
  return { filename: new URL('./worker.js', self).href, execArgv: [] };
}

function newPool(threads: number, resourceLimits: { stackSizeMb?: number; maxOldGenerationSizeMb?: number }): Piscina {
  const { filename, execArgv } = workerUrl();
  return new Piscina({ filename, execArgv, minThreads: threads, maxThreads: threads, idleTimeout: 100, resourceLimits });
}

function outOfMemory(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Pending {
  index: number;
  file: TaskFile;
}

/** Extracts on the calling thread, or on worker threads with a bounded number of batches in flight. */
class Lanes {
  private pool: Piscina | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly threads: number,
    private readonly accept: (batch: Pending[], output: BatchOutput) => void,
    /** A batch whose worker ran out of memory: its files go to the last try. */
    private readonly retry: (batch: Pending[]) => void,
  ) {}

  get parallel(): boolean {
    return this.pool !== null;
  }

  startWorkers(): void {
    this.pool ??= newPool(this.threads, WORKER_LIMITS);
  }

  async run(batch: Pending[], task: BatchTask): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows a worker's failure exactly as it was thrown
    if (this.failure !== null) throw this.failure;
    const pool = this.pool;
    if (pool === null) {
      this.accept(batch, await runBatch(task));
      return;
    }
    const job: Promise<void> = (pool.run(task) as Promise<BatchOutput>).then(
      (output) => this.accept(batch, output),
      (error: unknown) => {
        if (outOfMemory(error)) this.retry(batch);
        else this.failure ??= error;
      },
    );
    const tracked = job.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    while (this.inFlight.size >= this.threads * 2) await Promise.race(this.inFlight);
  }

  async finish(): Promise<void> {
    try {
      await Promise.all(this.inFlight);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows a worker's failure exactly as it was thrown
      if (this.failure !== null) throw this.failure;
    } finally {
      await this.pool?.destroy();
      this.pool = null;
    }
  }
}

/**
 * Extracts all items; the result order follows the input order. Each file is read once on the main
 * thread; cached facts are reused, the rest go in batches sized by bytes to `jobs` worker threads
 * (the main thread only reads, hashes and collects). Small scans stay in-process. A file nested
 * deeper than its thread's stack allows, or too big for a worker's heap, is extracted again on a
 * last-try thread with a larger stack and no heap cap.
 */
export async function extractAll(items: BatchItem[], options: PoolOptions): Promise<BatchResult[]> {
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const threshold = options.poolThreshold ?? POOL_THRESHOLD;
  const byteThreshold = options.poolThreshold === undefined ? POOL_BYTES : Infinity;
  const cache = options.cache ?? null;
  const results = new Array<BatchResult>(items.length);
  const deep: Pending[] = [];
  let done = 0;
  const finished = (count: number): void => {
    if (count === 0) return;
    done += count;
    options.onProgress?.(done, items.length);
  };
  const accept = (batch: Pending[], output: BatchOutput): void => {
    let count = 0;
    batch.forEach((entry, k) => {
      const json = output[k];
      if (json === null) deep.push(entry);
      else {
        results[entry.index] = { path: entry.file.path, ok: true, facts: JSON.parse(json) as FileFacts };
        count++;
      }
    });
    finished(count);
  };
  const lanes = new Lanes(jobs, accept, (batch) => deep.push(...batch));
  const task = (files: TaskFile[], lastTry = false): BatchTask => ({ files, options: options.extract, cacheDir: cache?.dir ?? null, lastTry });

  let pending: Pending[] = [];
  let pendingBytes = 0;
  let missCount = 0;
  let missBytes = 0;
  const dispatch = async (all: boolean): Promise<void> => {
    while (pending.length > 0 && (all || pendingBytes >= BATCH_BYTES || pending.length >= BATCH_FILES)) {
      let bytes = 0;
      let size = 0;
      while (size < pending.length && size < BATCH_FILES && (size === 0 || bytes + pending[size].file.text.length <= BATCH_BYTES)) {
        bytes += pending[size].file.text.length;
        size++;
      }
      const batch = pending.slice(0, size);
      pending = pending.slice(size);
      pendingBytes -= bytes;
      await lanes.run(batch, task(batch.map((p) => p.file)));
    }
  };

  let lastYield = performance.now();
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const read = readSource(item.absPath, options.maxBytes);
    if (!read.ok) {
      const level = read.reason === 'unreadable' ? 'warning' : 'note';
      results[index] = {
        path: item.path,
        ok: false,
        reason: read.reason,
        notification: { level, id: read.reason, message: `skipped: ${read.message}`, file: item.path },
      };
      finished(1);
      continue;
    }
    const maxLine = options.maxLineLength ?? 0;
    if (item.language === 'js' && looksMinified(read.text, maxLine)) {
      const message = `skipped: minified or generated code (most of it on lines longer than ${maxLine} characters; raise maxLineLength to analyse it)`;
      results[index] = {
        path: item.path,
        ok: false,
        reason: 'skipped-minified',
        notification: { level: 'note', id: 'skipped-minified', message, file: item.path },
      };
      finished(1);
      continue;
    }
    const key = cache ? cache.key(item.path, item.language, read.text) : null;
    const hit = key !== null && cache ? cache.get(key) : null;
    if (hit !== null) {
      results[index] = { path: item.path, ok: true, facts: JSON.parse(hit) as FileFacts };
      finished(1);
    } else {
      pending.push({ index, file: { path: item.path, language: item.language, text: read.text, key } });
      pendingBytes += read.text.length;
      missCount++;
      missBytes += read.text.length;
      if (!lanes.parallel && (missCount >= threshold || missBytes >= byteThreshold)) lanes.startWorkers();
      if (lanes.parallel) await dispatch(false);
    }
    if (lanes.parallel && performance.now() - lastYield > YIELD_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  await dispatch(true);
  await lanes.finish();

  if (deep.length > 0) await lastTry(deep.splice(0), (file) => task([file], true), accept);
  return results;
}

/** Extracts each file on its own on a thread with a large stack and no heap cap; a file that still does not fit becomes a notification. */
async function lastTry(entries: Pending[], task: (file: TaskFile) => BatchTask, accept: (batch: Pending[], output: BatchOutput) => void): Promise<void> {
  let pool: Piscina | null = null;
  try {
    for (const entry of entries) {
      pool ??= newPool(1, LAST_TRY_LIMITS);
      try {
        accept([entry], (await pool.run(task(entry.file))) as BatchOutput);
      } catch (error) {
        // A worker that dies (out of memory, say) loses this file, not the scan: it is reported as not analysed.
        const facts = emptyFacts(entry.file.path, entry.file.language);
        facts.notifications.push(
          outOfMemory(error)
            ? { level: 'error', id: 'extract-failed', message: 'not analysed: out of memory; findings in this file may be missing', file: entry.file.path }
            : droppedFile(entry.file.path, error),
        );
        accept([entry], [JSON.stringify(facts)]);
        // The worker is gone; the next file gets a fresh one.
        await pool.destroy();
        pool = null;
      }
    }
  } finally {
    await pool?.destroy();
  }
}
