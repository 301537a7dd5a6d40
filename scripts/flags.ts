// Command-line flags of the development scripts (bench, fuzz): the one integer parser they share.

/** A bad flag value: the script prints its message alone, without a stack. */
export class FlagError extends Error {}

/** `--name`'s integer value, `fallback` when it is absent; below `min` or not an integer is a `FlagError`. */
export function intFlag(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new FlagError(`--${name} must be an integer ≥ ${min} (got ${value})`);
  return n;
}
