// Neutralises text taken from a scanned repository or a saved result before it reaches a terminal or a CI log.

/** C0/C1 controls (tab excepted), line and paragraph separators, and bidirectional overrides/isolates. */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces every control character (newline, carriage return, ESC, bidi overrides…) by a visible
 * escape (`\x1b`, `\u2028`), so a file or env name cannot start a new line, move the cursor or
 * colour the terminal.
 */
export function visible(value: string): string {
  return value.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * GitHub Actions runs any log line whose first non-blank characters are `::` as a workflow command
 * (`::error`, `::add-mask::`, `::stop-commands::`); such a line gets a backslash before the colons.
 */
export function guardLine(line: string): string {
  return /^\s*::/.test(line) ? line.replace(/^(\s*)::/, '$1\\::') : line;
}

/** A copy of a JSON-like value with every string passed through `visible`. */
export function visibleDeep<T>(value: T): T {
  return mapStrings(value) as T;
}

function mapStrings(value: unknown): unknown {
  if (typeof value === 'string') return visible(value);
  if (Array.isArray(value)) return value.map(mapStrings);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[visible(key)] = mapStrings(item);
    return out;
  }
  return value;
}

/** Text as a sentence: ends with one full stop. */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
