// Worker-thread entry for the extraction pool: runs one batch per task.
import { runBatch, type BatchResult, type BatchTask } from './batch.js';

/** Piscina calls the default export once per task. */
export default function work(task: BatchTask): Promise<BatchResult[]> {
  return runBatch(task);
}
