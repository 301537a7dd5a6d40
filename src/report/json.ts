// JSON report: the versioned RunResult itself, with stable formatting.
import type { RunResult } from '../summarize/result.js';

/** Renders the result as pretty-printed JSON (the source every other format can be rendered from). */
export function renderJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/**
 * `renderJson`'s text in parts, in order, for a writer that writes them as they come: the result's
 * fields and the entries of its lists one by one. As one string, a large repository's report was
 * built whole, copied as UTF-8 and written: at 20,000 files, 12.8 MB of JSON (two bytes a character
 * in V8 once it holds a `→`) took the scan's peak 25–40 MiB above the model's (docs/performance.md).
 */
export function renderJsonParts(result: RunResult): Generator<string> {
  return prettyJson(result, 2, '', '\n');
}

function plain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/** Whether `JSON.stringify` leaves a property with this value out of an object (and writes `null` for it in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * `JSON.stringify(value, null, 2)` in parts, `end` after the last: plain objects and arrays down to
 * `depth` levels are written member by member, anything deeper (or not plain, or with a `toJSON`)
 * whole. `indent` is the indentation of the line `value` starts on. Joined, the parts are exactly
 * that text: JSON has a newline only between tokens (one inside a string is written `\n`), so a
 * member's text is indented by putting `indent` after each of its newlines.
 */
export function* prettyJson(value: unknown, depth: number, indent: string, end = ''): Generator<string> {
  if (depth <= 0 || typeof value !== 'object' || value === null || !plain(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const text = JSON.stringify(value, null, 2) as string | undefined;
    yield (indent === '' || text === undefined ? (text ?? 'null') : text.replaceAll('\n', `\n${indent}`)) + end;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield `[]${end}`;
      return;
    }
    yield '[\n';
    for (let k = 0; k < value.length; k++) {
      const item: unknown = value[k];
      yield inner;
      yield* prettyJson(omitted(item) ? null : item, depth - 1, inner, k < value.length - 1 ? ',\n' : '\n');
    }
    yield `${indent}]${end}`;
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => !omitted(record[key]));
  if (keys.length === 0) {
    yield `{}${end}`;
    return;
  }
  yield '{\n';
  for (let k = 0; k < keys.length; k++) {
    yield `${inner}${JSON.stringify(keys[k])}: `;
    yield* prettyJson(record[keys[k]], depth - 1, inner, k < keys.length - 1 ? ',\n' : '\n');
  }
  yield `${indent}}${end}`;
}
