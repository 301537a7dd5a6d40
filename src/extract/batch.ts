// Extracts a batch of files already read by the pool: the unit of work for worker threads and the in-process path.
import { writeEntry } from '../cache/index.js';
import type { FileFacts, Language, Notification } from './facts.js';
import { extractFile, isStackOverflow, type ExtractOptions } from './index.js';

export interface BatchItem {
  path: string;
  absPath: string;
  language: Language;
}

/** One file of a batch: its text and the cache key its facts are stored under (null: no cache). */
export interface TaskFile {
  path: string;
  language: Language;
  text: string;
  key: string | null;
}

export interface BatchTask {
  files: TaskFile[];
  options: ExtractOptions;
  /** The cache folder entries are written to, or null. */
  cacheDir: string | null;
  /** The last attempt: a file too deep even for this thread's stack becomes an `extract-failed` notification. */
  lastTry?: boolean;
}

/**
 * Per file: the facts as JSON (what the cache stores and the pool parses, so cached and fresh facts
 * are the same bytes), or null when the file nests deeper than this thread's stack allows.
 */
export type BatchOutput = (string | null)[];

export type BatchResult = { path: string; ok: true; facts: FileFacts } | { path: string; ok: false; reason: string; notification: Notification };

function cacheable(facts: FileFacts): boolean {
  // An extractor failure may depend on the machine (stack size, memory): computed again next time.
  return !facts.notifications.some((n) => n.id === 'extract-failed');
}

/** Extracts every file of a batch. */
export async function runBatch(task: BatchTask): Promise<BatchOutput> {
  const out: BatchOutput = [];
  for (const file of task.files) {
    let facts: FileFacts;
    try {
      facts = await extractFile(file.path, file.text, file.language, task.options, task.lastTry ? 'notify' : 'throw');
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      out.push(null);
      continue;
    }
    const json = JSON.stringify(facts);
    if (task.cacheDir !== null && file.key !== null && cacheable(facts)) writeEntry(task.cacheDir, file.key, json);
    out.push(json);
  }
  return out;
}
