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

/** Extracts all items; the result order follows the input order. */
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
  const pool = new Piscina({ filename, execArgv, minThreads: Math.min(jobs, batches.length), maxThreads: jobs, idleTimeout: 100 });
  try {
    const results = await Promise.all(batches.map((batch) => pool.run(batch) as Promise<BatchResult[]>));
    return results.flat();
  } finally {
    await pool.destroy();
  }
}
