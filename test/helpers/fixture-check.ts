// Compares a scan's findings with a fixture's annotations: the set of (file, line, rule) must match exactly.
import { loadConfig } from '../../src/config/load.js';
import type { RunResult } from '../../src/summarize/result.js';
import { scan } from '../../src/run.js';
import { readAnnotations, type Annotation } from './annotations.js';

export interface FixtureOutcome {
  result: RunResult;
  annotations: Annotation[];
  /** Problems that fail the test (each a readable line). */
  problems: string[];
  /** Known gaps (todo-expect still missing, todo-not still reported). */
  todos: string[];
}

function key(file: string, line: number, ruleId: string): string {
  return `${file}:${line} ${ruleId}`;
}

/**
 * Scans a fixture folder and checks findings of `ruleIds` against its annotations: every `expect`
 * and `todo-not` must be reported, nothing else may be, `todo-expect` must still be missing, and
 * each `related` line must be a related location of a finding of that rule.
 */
export async function checkFixture(dir: string, ruleIds: Set<string>): Promise<FixtureOutcome> {
  const { config } = loadConfig(dir);
  const { result } = await scan({ root: dir, config, jobs: 1 });
  const annotations = readAnnotations(dir);
  for (const a of annotations) ruleIds.add(a.ruleId);

  const actual = new Set<string>();
  for (const f of result.findings) {
    if (f.suppression || !ruleIds.has(f.ruleId)) continue;
    actual.add(key(f.file, f.loc.line, f.ruleId));
  }
  const expected = new Set<string>();
  const todoMissing = new Set<string>();
  const problems: string[] = [];
  const todos: string[] = [];
  for (const a of annotations) {
    const k = key(a.file, a.line, a.ruleId);
    if (a.kind === 'expect' || a.kind === 'todo-not') expected.add(k);
    if (a.kind === 'todo-expect') todoMissing.add(k);
  }
  for (const k of expected) if (!actual.has(k)) problems.push(`missing finding: ${k}`);
  for (const k of actual) {
    if (expected.has(k)) continue;
    if (todoMissing.has(k)) problems.push(`todo-expect is now found (change it to expect): ${k}`);
    else {
      const f = result.findings.find((x) => key(x.file, x.loc.line, x.ruleId) === k);
      problems.push(`unexpected finding: ${k} — ${f?.message ?? ''}`);
    }
  }
  for (const a of annotations) {
    if (a.kind === 'expect-not' && expected.has(key(a.file, a.line, a.ruleId))) {
      problems.push(`contradictory annotations (expect and expect-not): ${key(a.file, a.line, a.ruleId)}`);
    }
    if (a.kind === 'todo-expect') todos.push(`known miss: ${key(a.file, a.line, a.ruleId)}`);
    if (a.kind === 'todo-not') todos.push(`known false alarm: ${key(a.file, a.line, a.ruleId)}`);
    if (a.kind === 'related') {
      const ok = result.findings.some((f) => f.ruleId === a.ruleId && f.related.some((r) => r.file === a.file && r.loc.line === a.line));
      if (!ok) problems.push(`missing related location: ${key(a.file, a.line, a.ruleId)}`);
    }
  }
  return { result, annotations, problems: problems.sort(), todos };
}
