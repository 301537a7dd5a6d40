// A scan lets go of what it no longer needs: the full facts once the model is built, and the CLI collects the garbage at those points.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../src/cli/memory.js';
import { loadConfig } from '../src/config/load.js';
import { scan } from '../src/run.js';

const PLATFORM = join(import.meta.dirname, '..', 'fixtures', 'monorepos', 'fastapi-platform');

describe('memory', () => {
  it('the model keeps the facts rules read, not the imports and exports it resolved', async () => {
    let calls = 0;
    const { model, result } = await scan({ root: PLATFORM, config: loadConfig(PLATFORM).config, jobs: 1, onGarbage: () => calls++ });
    expect(model.facts.length).toBeGreaterThan(10);
    expect(model.facts.filter((f) => 'imports' in f || 'exports' in f)).toEqual([]);
    // What they were for is in the model: the import edges between components, which the result's service graph shows.
    expect(model.imports.length).toBeGreaterThan(0);
    expect(model.imports.filter((e) => e.fromService === null || e.toService === null || e.fromService === e.toService)).toEqual([]);
    expect(result.serviceImports?.length).toBeGreaterThan(0);
    // Once the facts are parsed and once the model is built.
    expect(calls).toBe(2);
  });

  it('collectGarbage collects, and exposes no gc function to the program', async () => {
    const ref = (() => new WeakRef(new Array<number>(100_000).fill(1)))();
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
