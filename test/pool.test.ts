// The extraction worker pool gives the same facts, in the same order, as in-process extraction.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENV_ACCESSORS } from '../src/config/schema.js';
import type { BatchItem } from '../src/extract/batch.js';
import { extractAll } from '../src/extract/pool.js';

describe('extraction pool', () => {
  it('workers and the in-process path agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-pool-'));
    const items: BatchItem[] = [];
    for (let i = 0; i < 150; i++) {
      const py = i % 2 === 0;
      const path = `svc/m${i}.${py ? 'py' : 'ts'}`;
      mkdirSync(join(dir, 'svc'), { recursive: true });
      writeFileSync(join(dir, path), py ? `import os\nK${i} = os.getenv("JWT_SECRET_${i % 3}")\n` : `export const k${i} = process.env.JWT_SECRET_${i % 3};\n`);
      items.push({ path, absPath: join(dir, path), language: py ? 'python' : 'ts' });
    }
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const inline = await extractAll(items, { jobs: 1, maxBytes: 1e6, extract });
    const pooled = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1 });
    expect(pooled.map((r) => r.path)).toEqual(items.map((i) => i.path));
    expect(pooled).toEqual(inline);
    const names = inline.flatMap((r) => (r.ok ? r.facts.envReads.map((e) => e.name) : []));
    expect(names).toHaveLength(150);
    expect(new Set(names)).toEqual(new Set(['JWT_SECRET_0', 'JWT_SECRET_1', 'JWT_SECRET_2']));
  });
});
