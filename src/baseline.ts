// Baselines: record today's findings by rule + semantic key, and mark matching findings as known later.
import type { Finding } from './vocabulary.js';
import { compareText } from './util/order.js';

export interface BaselineEntry {
  ruleId: string;
  /** The finding's semantic key (service, secret names, import edge…), never a line number. */
  key: string;
  /** How many findings share this rule and key. */
  count: number;
  /** Where they were when the baseline was written (for reviewers; not used for matching). */
  files: string[];
  message: string;
}

export interface Baseline {
  jwtfragBaseline: 1;
  entries: BaselineEntry[];
}

export interface BaselineOutcome {
  /** Findings now marked `suppression.kind = 'baseline'`. */
  known: number;
  /** Baseline entries (or parts of their counts) that matched nothing. */
  stale: BaselineEntry[];
}

function id(ruleId: string, key: string): string {
  return `${ruleId}\u0000${key}`;
}

/** Builds a baseline from every finding not silenced inline (baselined ones included), sorted and stable. */
export function createBaseline(findings: readonly Finding[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.suppression?.kind === 'inline') continue;
    const k = id(f.ruleId, f.key);
    const entry = entries.get(k) ?? { ruleId: f.ruleId, key: f.key, count: 0, files: [], message: f.message };
    entry.count++;
    if (!entry.files.includes(f.file)) entry.files.push(f.file);
    entries.set(k, entry);
  }
  const list = [...entries.values()];
  for (const e of list) e.files.sort();
  list.sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.key, b.key));
  return { jwtfragBaseline: 1, entries: list };
}

/** Serialises a baseline as reviewable JSON. */
export function serializeBaseline(baseline: Baseline): string {
  return JSON.stringify(baseline, null, 2) + '\n';
}

/** Reads a baseline; returns a one-line problem instead of throwing. */
export function parseBaseline(text: string): Baseline | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  const record = value as Partial<Baseline> | null;
  if (!record || record.jwtfragBaseline !== 1 || !Array.isArray(record.entries)) {
    return 'not a jwtfrag baseline (expected {"jwtfragBaseline": 1, "entries": [...]}; write one with --write-baseline)';
  }
  for (const [i, e] of record.entries.entries()) {
    if (typeof e?.ruleId !== 'string' || typeof e.key !== 'string' || !Number.isInteger(e.count) || e.count < 1) {
      return `entries[${i}]: needs ruleId, key and a positive count`;
    }
  }
  return record as Baseline;
}

/**
 * Marks findings that match the baseline (same rule and semantic key, up to the recorded count) as
 * known. Line numbers play no part, so moved code still matches; a changed name or a new edge does not.
 */
export function applyBaseline(findings: Finding[], baseline: Baseline): BaselineOutcome {
  const remaining = new Map<string, number>();
  for (const e of baseline.entries) remaining.set(id(e.ruleId, e.key), (remaining.get(id(e.ruleId, e.key)) ?? 0) + e.count);
  let known = 0;
  for (const f of findings) {
    if (f.suppression) continue;
    const k = id(f.ruleId, f.key);
    const left = remaining.get(k) ?? 0;
    if (left <= 0) continue;
    remaining.set(k, left - 1);
    f.suppression = { kind: 'baseline', reason: 'in the baseline' };
    known++;
  }
  const stale: BaselineEntry[] = [];
  for (const e of baseline.entries) {
    const left = remaining.get(id(e.ruleId, e.key)) ?? 0;
    if (left > 0) {
      stale.push({ ...e, count: Math.min(left, e.count) });
      remaining.set(id(e.ruleId, e.key), left - Math.min(left, e.count));
    }
  }
  return { known, stale };
}

/** The baseline without its stale entries (for --prune-baseline). */
export function pruneBaseline(baseline: Baseline, stale: readonly Pick<BaselineEntry, 'ruleId' | 'key' | 'count'>[]): Baseline {
  const drop = new Map(stale.map((s) => [id(s.ruleId, s.key), s.count]));
  const entries: BaselineEntry[] = [];
  for (const e of baseline.entries) {
    const gone = drop.get(id(e.ruleId, e.key)) ?? 0;
    if (gone >= e.count) continue;
    entries.push({ ...e, count: e.count - gone });
  }
  return { jwtfragBaseline: 1, entries };
}
