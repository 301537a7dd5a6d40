// Whether to colour output: FORCE_COLOR forces it (also into pipes), NO_COLOR turns it off, otherwise only on a TTY.

/**
 * Colour for a stream: `FORCE_COLOR` set to anything but `0`/`false` wins (as in Node itself), a
 * non-empty `NO_COLOR` turns colour off, else colour only on a TTY whose TERM is not `dumb`.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
