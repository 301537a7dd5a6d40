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
 * The arithmetic keeps each half below 2^53 and takes it modulo 2^32 with `>>> 0` (exact there).
 */
export function lineHashes(text: string, only?: ReadonlySet<number>): string[] {
  const window = new Array<number>(BLOCK_SIZE).fill(0);
  const lineAt = new Array<number>(BLOCK_SIZE).fill(-1);
  // Every line's hash: its occurrence is counted over these afterwards for the lines asked for, or
  // as the lines come by (no string per line) when every line is.
  const his: number[] = [];
  const los: number[] = [];
  const counts = only === undefined ? new Map<number, Map<number, number>>() : null;
  const hashes: string[] = [];
  let hi = 0;
  let lo = 0;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let prevCR = false;

  const output = (): void => {
    const line = lineAt[index];
    lineAt[index] = -1;
    if (counts === null) {
      his[line - 1] = hi;
      los[line - 1] = lo;
      return;
    }
    let byLo = counts.get(hi);
    if (byLo === undefined) {
      byLo = new Map();
      counts.set(hi, byLo);
    }
    const count = (byLo.get(lo) ?? 0) + 1;
    byLo.set(lo, count);
    hashes[line - 1] = `${hex(hi, lo)}:${String(count)}`;
  };

  const update = (unit: number): void => {
    const leaving = window[index];
    window[index] = unit;
    // hash * 37 + unit (the low half's product stays below 2^38)
    const loTimes = lo * MOD + unit;
    const lo37 = loTimes >>> 0;
    const hi37 = hi * MOD + (loTimes - lo37) / TWO32;
    // - FIRST * leaving (leaving < 2^16, so each partial product is below 2^48)
    const subLoFull = FIRST_LO * leaving;
    const subLo = subLoFull >>> 0;
    const subHi = FIRST_HI * leaving + (subLoFull - subLo) / TWO32;
    let newLo = lo37 - subLo;
    let borrow = 0;
    if (newLo < 0) {
      newLo += TWO32;
      borrow = 1;
    }
    hi = (hi37 - subHi - borrow) >>> 0;
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
  if (only !== undefined) {
    for (const line of only) {
      if (!Number.isInteger(line) || line < 1 || line > lineNumber) continue;
      const [h, l] = [his[line - 1], los[line - 1]];
      let count = 1;
      for (let k = 0; k < line - 1; k++) if (los[k] === l && his[k] === h) count++;
      hashes[line - 1] = `${hex(h, l)}:${String(count)}`;
    }
    hashes.length = lineNumber;
  }
  return hashes;
}

/** The 64-bit hash as codeql-action writes it: hexadecimal without leading zeros. */
function hex(hi: number, lo: number): string {
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
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
