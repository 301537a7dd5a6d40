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
      // Workers post facts as UTF-8 bytes: some paths are not ASCII.
      const path = `svc/m${i}${i % 5 === 0 ? '-clé🔑' : ''}.${py ? 'py' : 'ts'}`;
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
    const unusual = pooled.flatMap((r) => (r.ok && r.facts.path.includes('-clé🔑.') ? r.facts.envReads.map((e) => e.name) : []));
    expect(unusual).toHaveLength(30);
  });

  it('ends a lane whose queue is empty and starts a fresh thread on the queue with files left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-pool-'));
    mkdirSync(join(dir, 'svc'), { recursive: true });
    const items: BatchItem[] = [];
    // No TypeScript file and many Python ones: the TypeScript lane runs out at once.
    for (let i = 0; i < 600; i++) {
      const path = `svc/m${i}.py`;
      writeFileSync(join(dir, path), `import os\nK${i} = os.getenv("JWT_SECRET_${i % 3}")\n`);
      items.push({ path, absPath: join(dir, path), language: 'python' });
    }
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const inline = await extractAll(items, { jobs: 1, maxBytes: 1e6, extract });
    const lanes: number[][] = [];
    const pooled = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1, onLane: (own) => lanes.push([...own]) });
    expect(pooled).toEqual(inline);
    // The second Python lane is a fresh thread; the TypeScript queue, empty, gets none.
    expect(lanes.sort()).toEqual([[0], [1], [1]]);
    // With one job, the one lane takes both queues and no other thread starts.
    const single: number[][] = [];
    await extractAll(items, { jobs: 1, maxBytes: 1e6, extract, poolThreshold: 1, onLane: (own) => single.push([...own]) });
    expect(single).toEqual([[0, 1]]);
  });
});
