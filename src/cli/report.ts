// `jwtfrag report --from result.json`: validates a saved result and re-renders it in another format.
import { readFileSync } from 'node:fs';
import { FORMATS, formatNames } from '../report/index.js';
import type { RunResult } from '../result.js';
import { HOMEPAGE } from '../version.js';
import { ruleInfos } from './catalog.js';
import { writeOutput } from './scan.js';
import { UsageError } from './usage.js';

function load(path: string): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: not a readable JSON result (${error instanceof Error ? error.message : String(error)})`);
  }
  const record = value as Partial<RunResult> | null;
  if (!record || typeof record !== 'object' || record.schemaVersion !== 1 || !Array.isArray(record.findings)) {
    throw new UsageError(`${path}: not a jwtfrag result (expected schemaVersion 1; write one with --format json)`);
  }
  return record as RunResult;
}

/** Runs `jwtfrag report`; returns the exit code. */
export function reportCommand(flags: { from: string; format: string; output?: string }): number {
  const render = FORMATS[flags.format];
  if (!render) throw new UsageError(`unknown format '${flags.format}' (available: ${formatNames().join(', ')})`);
  const text = render(load(flags.from), { rules: ruleInfos(), informationUri: HOMEPAGE, color: !flags.output && process.stdout.isTTY === true });
  if (flags.output) writeOutput(flags.output, text);
  else process.stdout.write(text);
  return 0;
}
