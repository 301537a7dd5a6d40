// Loads a saved JSON result (`report --from`, `scan --compare`) and validates it: one line per problem, naming the field.
import { readFileSync } from 'node:fs';
import { formatIssues } from '../config/load.js';
import { validateResult } from '../result-schema.js';
import type { RunResult } from '../result.js';
import { UsageError } from './usage.js';

/** At most this many problem lines; the rest are counted in one more line. */
const MAX_PROBLEM_LINES = 20;

/** A saved result that is unreadable or invalid: one line per problem. */
export class ResultFileError extends UsageError {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ResultFileError';
  }
}

function schemaVersionOf(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'schemaVersion' in value ? value.schemaVersion : undefined;
}

/** Reads and validates a result written by `--format json`; throws ResultFileError naming each bad field. */
export function loadResult(path: string): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ResultFileError([`${path}: not a readable JSON result (${error instanceof Error ? error.message : String(error)})`]);
  }
  const validated = validateResult(value);
  if (validated.ok) return validated.result;
  const version = schemaVersionOf(value);
  if (version !== 1) {
    const got = version === undefined ? 'none' : JSON.stringify(version);
    throw new ResultFileError([`${path}: schemaVersion: expected 1, got ${got} (not a result this jwtfrag reads; write one with scan --format json)`]);
  }
  const lines = formatIssues(path, validated.error);
  if (lines.length <= MAX_PROBLEM_LINES) throw new ResultFileError(lines);
  const more = lines.length - MAX_PROBLEM_LINES;
  throw new ResultFileError([...lines.slice(0, MAX_PROBLEM_LINES), `${path}: … and ${more} more problem${more === 1 ? '' : 's'}`]);
}
