// Runs extraction over many files: in-process for small scans, in a piscina worker pool otherwise.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { runBatch, type BatchItem, type BatchResult, type BatchTask } from './batch.js';
import type { ExtractOptions } from './index.js';

/** Below this many files a pool's start-up costs more than it saves. */
const POOL_THRESHOLD = 400;
const BATCH_SIZE = 64;

export interface PoolOptions {
  jobs?: number;
  maxBytes: number;
  extract: ExtractOptions;
  /** Smallest scan that uses worker threads (default 400 files). */
  poolThreshold?: number;
}

function workerUrl(): { filename: string; execArgv: string[] } {
  const self = import.meta.url;
  // Running from TypeScript sources (tests): load the worker through tsx.
  if (self.endsWith('.ts')) return { filename: new URL('./worker.ts', self).href, execArgv: ['--import', 'tsx'] };
  return { filename: new URL('./worker.js', self).href, execArgv: [] };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Extracts all items; the result order follows the input order. With `jobs = n` the main thread is
 * one lane and `n - 1` worker threads are the others, so parsers are loaded n times, not n + 1.
 */
export async function extractAll(items: BatchItem[], options: PoolOptions): Promise<BatchResult[]> {
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const batches: BatchTask[] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    batches.push({ items: items.slice(i, i + BATCH_SIZE), options: options.extract, maxBytes: options.maxBytes });
  }
  if (jobs === 1 || items.length < (options.poolThreshold ?? POOL_THRESHOLD)) {
    const out: BatchResult[] = [];
    for (const batch of batches) out.push(...(await runBatch(batch)));
    return out;
  }
  const { filename, execArgv } = workerUrl();
  const workers = jobs - 1;
  const pool = new Piscina({ filename, execArgv, minThreads: workers, maxThreads: workers, idleTimeout: 100 });
  const results: BatchResult[][] = new Array(batches.length);
  let next = 0;
  const take = (): number => (next < batches.length ? next++ : -1);
  const mainLane = async (): Promise<void> => {
    for (let i = take(); i >= 0; i = take()) {
      const out: BatchResult[] = [];
      for (const item of batches[i].items) {
        out.push(...(await runBatch({ ...batches[i], items: [item] })));
        // Let the worker lanes pick up their next batch while this thread is busy.
        await yieldToEventLoop();
      }
      results[i] = out;
    }
  };
  const workerLane = async (): Promise<void> => {
    for (let i = take(); i >= 0; i = take()) results[i] = (await pool.run(batches[i])) as BatchResult[];
  };
  try {
    await Promise.all([mainLane(), ...Array.from({ length: workers }, workerLane)]);
    return results.flat();
  } finally {
    await pool.destroy();
  }
}
