// Loads a saved JSON result (`report --from`, `scan --compare`) and validates it: one line per problem, naming the field.
import { readFileSync } from 'node:fs';
import { formatIssues } from '../config/load.js';
import { validateResult } from '../summarize/result.js';
import type { RunResult } from '../summarize/result.js';
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

/** Keys whose string values are repository paths (`file`, import `target`). */
const PATH_KEYS = new Set(['file', 'target']);

/** Why a stored path is not a repository-relative path, or null when it is one. */
function pathProblem(value: string): string | null {
  if (/^[/\\]/.test(value) || /^[A-Za-z]:/.test(value)) return 'an absolute path (a result holds repository-relative paths)';
  if (value.split(/[/\\]/).includes('..')) return "a path that leaves the repository ('..')";
  return null;
}

/** Every `file`/`target` field that is absolute or climbs out with `..`, as `field.path: problem`. */
function outsidePaths(value: unknown, at: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => outsidePaths(item, `${at}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = at === '' ? key : `${at}.${key}`;
      const problem = PATH_KEYS.has(key) && typeof item === 'string' ? pathProblem(item) : null;
      if (problem) out.push(`${field}: ${problem}`);
      else outsidePaths(item, field, out);
    }
  }
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
  if (validated.ok) {
    const outside: string[] = [];
    outsidePaths(validated.result, '', outside);
    if (outside.length === 0) return validated.result;
    const lines = outside.map((line) => `${path}: ${line}`);
    throw new ResultFileError(
      lines.length <= MAX_PROBLEM_LINES ? lines : [...lines.slice(0, MAX_PROBLEM_LINES), `${path}: … and ${lines.length - MAX_PROBLEM_LINES} more problems`],
    );
  }
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
