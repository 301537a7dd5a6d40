// The line a benchmark child prints on stdout: its wall time since process start and its peak RSS, as marked JSON.
import { writeSync } from 'node:fs';

export const CHILD_MARK = '@@jwtfrag-bench ';

export interface ChildReport {
  /** Wall time from process start to the report, in ms. */
  ms: number;
  /** `process.resourceUsage().maxRSS` in MiB (peak resident set of the whole process, all threads). */
  maxRssMiB: number;
  /** Child-specific figures (files parsed, parse-loop time, …). */
  detail: Record<string, number>;
}

/** Writes this process's report synchronously to stdout (safe inside an `exit` handler). */
export function writeChildReport(detail: Record<string, number>): void {
  const report: ChildReport = {
    ms: Math.round(performance.now()),
    maxRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    detail,
  };
  writeSync(1, `\n${CHILD_MARK}${JSON.stringify(report)}\n`);
}

/** Finds the report in a child's stdout, or null. */
export function parseChildReport(stdout: string): ChildReport | null {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(CHILD_MARK));
  if (line === undefined) return null;
  const value: unknown = JSON.parse(line.slice(CHILD_MARK.length));
  return value as ChildReport;
}
