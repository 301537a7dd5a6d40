// Runs extraction over many files: in-process for small scans, in a piscina worker pool otherwise.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { runBatch, type BatchItem, type BatchResult, type BatchTask } from './batch.js';
import { droppedFile, type ExtractOptions } from './index.js';
import { emptyFacts } from '../model/facts.js';

/** Below this many files a pool's start-up costs more than it saves. */
const POOL_THRESHOLD = 400;
const BATCH_SIZE = 64;

export interface PoolOptions {
  jobs?: number;
  maxBytes: number;
  extract: ExtractOptions;
  /** Smallest scan that uses worker threads (default 400 files). */
  poolThreshold?: number;
  /** Called as files finish: how many are done out of how many. */
  onProgress?: (done: number, total: number) => void;
}

function workerUrl(): { filename: string; execArgv: string[] } {
  const self = import.meta.url;
  // Running from TypeScript sources (tests): load the worker through tsx.
  if (self.endsWith('.ts')) return { filename: new URL('./worker-dev.ts', self).href, execArgv: ['--import', 'tsx'] };
  return { filename: new URL('./worker.js', self).href, execArgv: [] };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Extracts all items; the result order follows the input order. With `jobs = n` the main thread is
 * one lane and `n - 1` worker threads are the others, so parsers are loaded n times, not n + 1.
 */
export async function extractAll(items: BatchItem[], options: PoolOptions): Promise<BatchResult[]> {
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  // Python and other files go in separate batches: worker lanes take only Python (so they never
  // load the TypeScript compiler); the main lane takes the rest first, then helps with Python.
  const batches: BatchTask[] = [];
  const batchIndexes: number[][] = [];
  const pythonBatches: number[] = [];
  for (const python of [true, false]) {
    const indexes = items.flatMap((item, index) => ((item.language === 'python') === python ? [index] : []));
    for (let i = 0; i < indexes.length; i += BATCH_SIZE) {
      const chunk = indexes.slice(i, i + BATCH_SIZE);
      if (python) pythonBatches.push(batches.length);
      batches.push({ items: chunk.map((k) => items[k]), options: options.extract, maxBytes: options.maxBytes });
      batchIndexes.push(chunk);
    }
  }
  let done = 0;
  const finished = (count: number): void => {
    done += count;
    options.onProgress?.(done, items.length);
  };
  const inOrder = (results: BatchResult[][]): BatchResult[] => {
    const out: BatchResult[] = new Array(items.length);
    results.forEach((list, b) => list.forEach((r, k) => (out[batchIndexes[b][k]] = r)));
    return out;
  };
  if (jobs === 1 || items.length < (options.poolThreshold ?? POOL_THRESHOLD)) {
    const results: BatchResult[][] = [];
    for (const batch of batches) {
      results.push(await runBatch(batch));
      finished(batch.items.length);
    }
    return inOrder(results);
  }
  const { filename, execArgv } = workerUrl();
  const workers = jobs - 1;
  const pool = new Piscina({ filename, execArgv, minThreads: workers, maxThreads: workers, idleTimeout: 100 });
  const results: BatchResult[][] = new Array(batches.length);
  const python = [...pythonBatches];
  const others = batches.map((_, i) => i).slice(pythonBatches.length);
  const takeWorker = (): number => python.shift() ?? -1;
  const takeMain = (): number => others.shift() ?? python.pop() ?? -1;
  const mainLane = async (): Promise<void> => {
    for (let i = takeMain(); i >= 0; i = takeMain()) {
      const out: BatchResult[] = [];
      for (const item of batches[i].items) {
        out.push(...(await runBatch({ ...batches[i], items: [item] })));
        finished(1);
        // Let the worker lanes pick up their next batch while this thread is busy.
        await yieldToEventLoop();
      }
      results[i] = out;
    }
  };
  const workerLane = async (): Promise<void> => {
    for (let i = takeWorker(); i >= 0; i = takeWorker()) {
      try {
        results[i] = (await pool.run(batches[i])) as BatchResult[];
      } catch (error) {
        // A worker that dies (out of memory, say) loses its batch, not the scan: each file is reported as not analysed.
        results[i] = batches[i].items.map((item) => ({ path: item.path, ok: true, facts: { ...emptyFacts(item.path, item.language), notifications: [droppedFile(item.path, error)] } }));
      }
      finished(batches[i].items.length);
    }
  };
  try {
    await Promise.all([mainLane(), ...Array.from({ length: workers }, workerLane)]);
    return inOrder(results);
  } finally {
    await pool.destroy();
  }
}
