// Reads a source file's text safely: binary, non-UTF-8, oversized and unreadable files become skip reasons.
import { readFileSync, statSync } from 'node:fs';

export type ReadOutcome =
  | { ok: true; text: string }
  | { ok: false; reason: 'skipped-binary' | 'skipped-encoding' | 'skipped-large' | 'unreadable'; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as UTF-8 text (a BOM is dropped). Never throws. */
export function readSource(absPath: string, maxBytes: number): ReadOutcome {
  let bytes: Buffer;
  try {
    const size = statSync(absPath).size;
    if (size > maxBytes) {
      return { ok: false, reason: 'skipped-large', message: `larger than ${maxBytes} bytes (${size})` };
    }
    bytes = readFileSync(absPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, reason: 'unreadable', message: `could not be read (${code})` };
  }
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { ok: false, reason: 'skipped-binary', message: 'binary content' };
  try {
    const text = decoder.decode(bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { ok: false, reason: 'skipped-encoding', message: 'not valid UTF-8' };
  }
}
