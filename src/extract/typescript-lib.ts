// The TypeScript compiler (the `ts` that ts-morph re-exports), required on first use: a thread that parses no TypeScript pays neither its load time nor its memory.
import { createRequire } from 'node:module';
import type { ts } from 'ts-morph';

let lib: typeof ts | null = null;

/** The `ts` namespace, loaded on the first call (the same module instance as `import { ts } from 'ts-morph'`). */
export function typescriptLib(): typeof ts {
  lib ??= (createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph')).ts;
  return lib;
}
