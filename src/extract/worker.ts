// Worker-thread entry for the extraction pool: runs one batch per task (front ends load on first use).
import { runBatch, type BatchOutput, type BatchTask } from './batch.js';

/** Piscina calls the default export once per task. */
export default function work(task: BatchTask): Promise<BatchOutput> {
  return runBatch(task);
}
