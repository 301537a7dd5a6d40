// Parser boundary for tsconfig/package.json text and the small glob and subpath matchers the TS resolver needs.
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { compileGlobLenient } from '../util/glob.js';
import { typescriptLib } from '../extract/typescript-lib.js';

export type JsonObject = Record<string, unknown>;

/** Whether a parsed JSON value is a plain object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses JSON-with-comments text (tsconfig and package.json) into an object, or null: as JSON, else
 * as JSON with comments and trailing commas (`jsonc-parser`, VS Code's), else with TypeScript's own
 * lenient reader, which tsc uses for a tsconfig and which also takes single quotes and unquoted
 * keys. Only that last one loads the compiler, which a thread that parses no TypeScript never needs.
 */
export function parseJsonObject(fileName: string, text: string): JsonObject | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isObject(parsed)) return parsed;
  } catch {
    // fall through to the lenient parsers
  }
  const errors: ParseError[] = [];
  const lenient = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length === 0 && isObject(lenient)) return lenient;
  const result = typescriptLib().parseConfigFileTextToJson(fileName, text) as { config?: unknown; error?: unknown };
  return isObject(result.config) ? result.config : null;
}

/** A string property, or null. */
export function stringProp(obj: JsonObject, key: string): string | null {
  const value = obj[key];
  return typeof value === 'string' ? value : null;
}

/** Only the strings of an array-valued (or string-valued) property. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) if (typeof item === 'string') out.push(item);
  return out;
}

/** A workspace glob (`apps/*`, `packages/**`, `libs/{a,b}`) as a matcher over folder paths (linear-bounded; an over-large glob matches nothing). */
export function globToRegExp(glob: string): { test(path: string): boolean } {
  const pattern = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const match = compileGlobLenient(pattern);
  return { test: (path) => match(path) };
}

/**
 * Picks the entry of a subpath map (`paths`, `exports`, `imports`) for a specifier: an exact key
 * wins, else the `*` pattern with the longest prefix. Returns the value and the text matched by `*`.
 */
export function matchSubpath<T>(entries: Iterable<[string, T]>, specifier: string): { value: T; star: string | null } | null {
  let best: { value: T; star: string; prefixLength: number } | null = null;
  for (const [key, value] of entries) {
    const star = key.indexOf('*');
    if (star < 0) {
      if (key === specifier) return { value, star: null };
      continue;
    }
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (specifier.length < prefix.length + suffix.length) continue;
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
    if (best !== null && best.prefixLength >= prefix.length) continue;
    best = { value, star: specifier.slice(prefix.length, specifier.length - suffix.length), prefixLength: prefix.length };
  }
  return best === null ? null : { value: best.value, star: best.star };
}
