// Finding fingerprints: GitHub's `primaryLocationLineHash` rolling line hash and jwtfrag's semantic key hash.
import { createHash } from 'node:crypto';

const TAB = 0x09;
const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const EOF = 65535;
const BLOCK_SIZE = 100;
const MOD = 37;
const TWO32 = 0x1_0000_0000;

/** 37^100 mod 2^64 as two 32-bit halves: the weight of the unit that leaves the rolling window. */
const [FIRST_HI, FIRST_LO] = (() => {
  let value = 1n;
  for (let i = 0; i < BLOCK_SIZE; i++) value = BigInt.asUintN(64, value * 37n);
  return [Number(value >> 32n), Number(value & 0xffff_ffffn)];
})();

/**
 * GitHub's `primaryLocationLineHash` for every line of a file, in line order (index 0 = line 1),
 * computed exactly as codeql-action's `fingerprints.ts`: spaces and tabs are dropped, CRLF and lone
 * CR count as one line break, and each line's value is the base-37 hash (mod 2^64) of the next 100
 * remaining UTF-16 code units, suffixed with `:<occurrence>` of that hash so far. A trailing newline
 * gives one more line (the end-of-file sentinel). The 64-bit hash is kept as two 32-bit halves in
 * plain numbers (every intermediate product stays below 2^53), which is many times faster than BigInt.
 * With `only` (1-based line numbers), only those lines get their text; the others stay empty slots.
 */
export function lineHashes(text: string, only?: ReadonlySet<number>): string[] {
  const window = new Array<number>(BLOCK_SIZE).fill(0);
  const lineAt = new Array<number>(BLOCK_SIZE).fill(-1);
  // Occurrences so far of each hash, by its high half, then its low half (no string per line).
  const counts = new Map<number, Map<number, number>>();
  const hashes: string[] = [];
  let hi = 0;
  let lo = 0;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let prevCR = false;

  const output = (): void => {
    let byLo = counts.get(hi);
    if (byLo === undefined) {
      byLo = new Map();
      counts.set(hi, byLo);
    }
    const count = (byLo.get(lo) ?? 0) + 1;
    byLo.set(lo, count);
    const line = lineAt[index];
    if (only === undefined || only.has(line)) {
      const hex = hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
      hashes[line - 1] = `${hex}:${count}`;
    } else if (hashes.length < line) hashes.length = line;
    lineAt[index] = -1;
  };

  const update = (unit: number): void => {
    const leaving = window[index];
    window[index] = unit;
    // hash * 37 + unit
    const loTimes = lo * MOD + unit;
    let newLo = loTimes % TWO32;
    let newHi = (hi * MOD + Math.floor(loTimes / TWO32)) % TWO32;
    // - FIRST * leaving (leaving < 2^16, so each partial product is below 2^48)
    const subLoFull = FIRST_LO * leaving;
    const subLo = subLoFull % TWO32;
    const subHi = (FIRST_HI * leaving + Math.floor(subLoFull / TWO32)) % TWO32;
    newLo -= subLo;
    if (newLo < 0) {
      newLo += TWO32;
      newHi -= 1;
    }
    newHi -= subHi;
    while (newHi < 0) newHi += TWO32;
    hi = newHi;
    lo = newLo;
    index = index === BLOCK_SIZE - 1 ? 0 : index + 1;
  };

  const length = text.length;
  for (let i = 0; i <= length; i++) {
    let unit = i === length ? EOF : text.charCodeAt(i);
    if (unit === SPACE || unit === TAB || (prevCR && unit === LF)) {
      prevCR = false;
      continue;
    }
    if (unit === CR) {
      unit = LF;
      prevCR = true;
    } else {
      prevCR = false;
    }
    if (lineAt[index] !== -1) output();
    if (lineStart) {
      lineStart = false;
      lineNumber++;
      lineAt[index] = lineNumber;
    }
    if (unit === LF) lineStart = true;
    update(unit);
  }
  for (let i = 0; i < BLOCK_SIZE; i++) {
    if (lineAt[index] !== -1) output();
    update(0);
  }
  return hashes;
}

let memoText: string | null = null;
let memoHashes: string[] = [];

/**
 * The `primaryLocationLineHash` of one 1-based line of `text`. Consecutive calls with the same text
 * reuse the hashes computed for it. Throws a RangeError for a line the text does not have.
 */
export function primaryLocationLineHash(text: string, line: number): string {
  if (memoText !== text) {
    memoHashes = lineHashes(text);
    memoText = text;
  }
  const value = Number.isInteger(line) && line >= 1 ? memoHashes[line - 1] : undefined;
  if (value === undefined) {
    throw new RangeError(`line ${line} is outside the text (1..${memoHashes.length})`);
  }
  return value;
}

/**
 * jwtfrag's own stable identity of a finding: sha256 (hex) of its rule id and semantic key. It
 * tracks a finding across commits even when its line moves or its line text changes.
 */
export function findingFingerprint(ruleId: string, key: string): string {
  return createHash('sha256').update(`${ruleId}\n${key}`).digest('hex');
}
