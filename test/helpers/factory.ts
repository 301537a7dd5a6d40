// Test factory for findings and run results: the one place that knows every required field, so tests state only what they vary.
import type { RunResult } from '../../src/summarize/result.js';
import type { Finding, Loc } from '../../src/vocabulary.js';

/** A span on one line (or up to `endLine`). */
export function loc(line: number, column = 1, endColumn = column + 4, endLine = line): Loc {
  return { line, column, endLine, endColumn };
}

/** A finding with neutral defaults (warning, high precision, no related locations, no service); `over` wins. */
export function makeFinding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'file' | 'loc'>): Finding {
  const { ruleId, file, loc: at, ...rest } = over;
  return {
    ruleId,
    severity: 'warning',
    precision: 'high',
    messageId: 'default',
    data: {},
    message: `Finding of ${ruleId}.`,
    file,
    loc: at,
    related: [],
    key: ruleId,
    service: null,
    ...rest,
  };
}

/** A minimal valid result holding `findings`; `over` replaces any other field (services, files, families, notifications…). */
export function makeResult(findings: Finding[] = [], over: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1,
    tool: { name: 'jwtfrag', version: '0.3.1' },
    services: [],
    files: { scanned: 3, byLanguage: { ts: 3 }, tests: 0, skipped: {} },
    families: [],
    inventory: [],
    jwtOps: [],
    findings,
    notifications: [],
    counts: {},
    ...over,
  };
}
