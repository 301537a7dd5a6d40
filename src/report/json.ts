// JSON report: the versioned RunResult itself, with stable formatting.
import type { RunResult } from '../summarize/result.js';

/** Renders the result as pretty-printed JSON (the source every other format can be rendered from). */
export function renderJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
