// Worker-thread entry of the extraction lanes: one task is one lane, claiming and extracting files until none is left (front ends load on first use).
import { runLane, type LaneData } from './batch.js';

/** Piscina calls the default export once per task. */
export default function work(data: LaneData): Promise<void> {
  return runLane(data);
}
