// Generates the benchmark's synthetic monorepo deterministically and writes it (once) under the OS temp folder.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderDeploy } from './bench-deploy.js';
import { planCorpus, type CorpusPlan, type Module } from './bench-plan.js';
import { renderPython } from './bench-render-py.js';
import { renderTypeScript } from './bench-render-ts.js';
import { compareText } from '../src/util/order.js';

/** Bumped whenever generated content changes, so stale corpora on disk are regenerated. */
export const GENERATOR_VERSION = 1;
const MARKER = '.bench-corpus.json';

export interface CorpusFile {
  path: string;
  text: string;
}

export interface CorpusStats {
  ts: number;
  python: number;
  deploy: number;
  tests: number;
  secretReadFiles: number;
  jwtFiles: number;
  crossServiceImports: number;
  secretForms: Record<string, number>;
}

function envModule(plan: CorpusPlan, special: 'ts-env' | 'py-env'): Module {
  const found = plan.modules.find((m) => m.special === special);
  if (!found) throw new Error(`corpus plan has no ${special} module`);
  return found;
}

/** Renders every planned file, sorted by path; the same (files, seed) always gives the same bytes. */
export function generateCorpus(files: number, seed: number): { files: CorpusFile[]; stats: CorpusStats } {
  const plan = planCorpus(files, seed);
  const tsEnv = envModule(plan, 'ts-env');
  const pyEnv = envModule(plan, 'py-env');
  const out: CorpusFile[] = [];
  const stats: CorpusStats = {
    ts: 0,
    python: 0,
    deploy: plan.deploy.length,
    tests: 0,
    secretReadFiles: 0,
    jwtFiles: 0,
    crossServiceImports: 0,
    secretForms: {},
  };
  for (const m of plan.modules) {
    out.push({ path: m.path, text: m.language === 'ts' ? renderTypeScript(m, tsEnv) : renderPython(m, pyEnv) });
    stats[m.language] += 1;
    if (m.isTest) stats.tests += 1;
    if (m.secretForm) {
      stats.secretReadFiles += 1;
      stats.secretForms[m.secretForm] = (stats.secretForms[m.secretForm] ?? 0) + 1;
    }
    if (m.jwt) stats.jwtFiles += 1;
    stats.crossServiceImports += m.imports.filter((e) => e.cross).length;
  }
  for (const d of plan.deploy) out.push({ path: d.path, text: renderDeploy(d, plan) });
  out.sort((a, b) => compareText(a.path, b.path));
  return { files: out, stats };
}

/** Writes the files below `dir` (which must not exist yet or be empty). */
export function writeCorpus(dir: string, files: CorpusFile[]): void {
  const made = new Set<string>();
  for (const file of files) {
    const target = join(dir, file.path);
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, file.text);
  }
}

/** `os.tmpdir()/jwtfrag-bench-<files>-<seed>`. */
export function corpusDir(files: number, seed: number): string {
  return join(tmpdir(), `jwtfrag-bench-${files}-${seed}`);
}

/**
 * Makes sure the corpus for (files, seed) is on disk, generating it when missing or written by another
 * generator version. Writes into a sibling folder first, so an interrupted run never leaves half a corpus.
 */
export function ensureCorpus(files: number, seed: number): { dir: string; generated: boolean; stats: CorpusStats } {
  const dir = corpusDir(files, seed);
  const markerPath = join(dir, MARKER);
  if (existsSync(markerPath)) {
    try {
      const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as { version?: number; stats?: CorpusStats };
      if (marker.version === GENERATOR_VERSION && marker.stats) return { dir, generated: false, stats: marker.stats };
    } catch {
      // An unreadable marker means an unknown corpus: regenerate below.
    }
  }
  const corpus = generateCorpus(files, seed);
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  writeCorpus(staging, corpus.files);
  writeFileSync(join(staging, MARKER), JSON.stringify({ version: GENERATOR_VERSION, files, seed, stats: corpus.stats }, null, 2) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { dir, generated: true, stats: corpus.stats };
}
