// Reads a source file's text safely: binary, non-UTF-8, oversized, unreadable and non-regular files (FIFOs, devices) become skip reasons.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type ReadOutcome =
  | { ok: true; text: string }
  | { ok: false; reason: 'skipped-binary' | 'skipped-encoding' | 'skipped-large' | 'skipped-special' | 'unreadable'; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });
// Opening a FIFO for reading would wait for a writer; non-blocking, the open returns and fstat tells what it is.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

type Bytes = { ok: true; bytes: Buffer } | Extract<ReadOutcome, { ok: false }>;

/** Reads at most `maxBytes` of a regular file (never blocks on a FIFO or device). Never throws. */
export function readBytes(absPath: string, maxBytes: number): Bytes {
  let fd: number | null = null;
  try {
    fd = openSync(absPath, OPEN_FLAGS);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: 'skipped-special', message: 'not a regular file (a FIFO, socket or device)' };
    if (stats.size > maxBytes) return { ok: false, reason: 'skipped-large', message: `larger than ${maxBytes} bytes (${stats.size})` };
    // Read what is there, at most one byte past the limit: a file that grew after fstat is still bounded.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, stats.size) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return { ok: false, reason: 'skipped-large', message: `larger than ${maxBytes} bytes` };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, reason: 'unreadable', message: `could not be read (${code})` };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Reads a file as UTF-8 text (a BOM is dropped). Never throws. */
export function readSource(absPath: string, maxBytes: number): ReadOutcome {
  const read = readBytes(absPath, maxBytes);
  if (!read.ok) return read;
  const bytes = read.bytes;
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { ok: false, reason: 'skipped-binary', message: 'binary content' };
  try {
    const text = decoder.decode(bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { ok: false, reason: 'skipped-encoding', message: 'not valid UTF-8' };
  }
}

/** A small text file (manifests, tsconfig, package.json) as UTF-8, or undefined when it is not a readable regular file within `maxBytes`. */
export function readTextFile(absPath: string, maxBytes: number): string | undefined {
  const read = readBytes(absPath, maxBytes);
  return read.ok ? read.bytes.toString('utf8') : undefined;
}

/** Chunks of `readInChunks`: below the C library's threshold for a mapping of its own (128 KiB). */
const CHUNK = 64 * 1024;

/**
 * A UTF-8 file's text, read 64 KiB at a time into one small buffer: it never asks the C library for a
 * buffer the size of the file (see `preload` in src/extract/typescript-lib.ts for why that
 * matters). Throws what the file system throws.
 */
export function readInChunks(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafeSlow(CHUNK);
    const decoder = new TextDecoder();
    const parts: string[] = [];
    for (let n = readSync(fd, chunk, 0, CHUNK, null); n > 0; n = readSync(fd, chunk, 0, CHUNK, null))
      parts.push(decoder.decode(chunk.subarray(0, n), { stream: true }));
    parts.push(decoder.decode());
    return parts.join('');
  } finally {
    closeSync(fd);
  }
}
