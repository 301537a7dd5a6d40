// Reads and extracts a batch of files; the unit of work for the worker pool and the in-process path.
import { readSource } from '../discover/read.js';
import type { FileFacts, Language, Notification } from '../model/facts.js';
import { extractFile, type ExtractOptions } from './index.js';

export interface BatchItem {
  path: string;
  absPath: string;
  language: Language;
}

export interface BatchTask {
  items: BatchItem[];
  options: ExtractOptions;
  maxBytes: number;
}

export type BatchResult =
  | { path: string; ok: true; facts: FileFacts }
  | { path: string; ok: false; reason: string; notification: Notification };

/** Extracts every file of a batch; a file that cannot be read becomes a skip with its reason. */
export async function runBatch(task: BatchTask): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for (const item of task.items) {
    const read = readSource(item.absPath, task.maxBytes);
    if (!read.ok) {
      out.push({
        path: item.path,
        ok: false,
        reason: read.reason,
        notification: { level: read.reason === 'unreadable' ? 'warning' : 'note', id: read.reason, message: `skipped: ${read.message}`, file: item.path },
      });
      continue;
    }
    out.push({ path: item.path, ok: true, facts: await extractFile(item.path, read.text, item.language, task.options) });
  }
  return out;
}
