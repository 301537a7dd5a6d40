// The programmatic API: `import { scan, render } from 'jwtfrag'` — the CLI's scan and formats as functions.
import { resolve } from 'node:path';
import { defaultCacheDir } from './cache/index.js';
import { ConfigError, loadConfig, parseConfig } from './config/load.js';
import { checkRoot } from './discover/index.js';
import { FORMATS, isFormat, type RenderContext } from './report/index.js';
import type { Severity } from './vocabulary.js';
import type { RunResult } from './summarize/result.js';
import { scan as runPipeline } from './run.js';
import { HOMEPAGE } from './version.js';
import { ruleInfos } from './cli/catalog.js';
import { changedSince, findingFilter, keepFindings, stagedChanges } from './cli/changes.js';
import { exitCodeFor } from './cli/scan.js';
import { UsageError } from './cli/usage.js';

export type { Finding, Loc, Notification, Precision, RelatedLocation, Severity } from './vocabulary.js';
export type { InventoryEntry, MigrationPlan, PlanEdit, RunResult } from './summarize/result.js';
export { ConfigError, UsageError };
export { VERSION } from './version.js';

/** The output formats `render` knows. */
export type FormatName = 'text' | 'json' | 'sarif' | 'github' | 'markdown' | 'html';

export interface ScanOptions {
  /**
   * A config file path (relative to the working directory), or the config itself as an object
   * (validated like `jwtfrag.config.json`). Default: `jwtfrag.config.json` in the root, else the
   * `jwtfrag` key of its package.json, else auto-detection.
   */
  config?: string | Record<string, unknown>;
  /** Analyse test code too (default: the config's `includeTests`, else false). */
  includeTests?: boolean;
  /** Worker threads for extraction (default: available cores). */
  jobs?: number;
  /**
   * Reuse per-file facts from a cache folder and store new ones: `true` for the CLI's default folder
   * (`node_modules/.cache/jwtfrag` in the root, else the user cache folder), or a folder path.
   * Default false: nothing is read from or written to disk besides the scanned files.
   */
  cache?: boolean | string;
  /** Keep only these rules' findings. */
  rules?: string[];
  /** Keep only findings of these services or shared libraries. */
  services?: string[];
  /** Keep only findings touching lines changed since the merge base with this git revision. */
  changedSince?: string;
  /** Keep only findings touching staged lines. */
  staged?: boolean;
}

export interface RenderOptions {
  /** ANSI colours in the text format (default false). */
  color?: boolean;
  /** Text format: leave out the inventory and tables. */
  quiet?: boolean;
  /** SARIF `automationDetails.id` (default `jwtfrag/`). */
  category?: string;
  /** SARIF: include suppressed and baselined findings with their suppressions. */
  includeSuppressed?: boolean;
}

/**
 * Scans a repository and returns the versioned result (`docs/result.md`). Rejects with a
 * `ConfigError` for a bad config and a `UsageError` for a bad root, rule, service or git revision.
 */
export async function scan(root: string, options: ScanOptions = {}): Promise<RunResult> {
  const abs = resolve(root);
  const problem = checkRoot(abs);
  if (problem) throw new UsageError(problem);
  const config = typeof options.config === 'object' ? parseConfig(options.config, 'options.config') : loadConfig(abs, options.config).config;
  const known = new Set(ruleInfos().map((r) => r.meta.id));
  for (const id of options.rules ?? []) if (!known.has(id)) throw new UsageError(`unknown rule '${id}'`);
  const changes = options.changedSince !== undefined ? await changedSince(abs, options.changedSince) : options.staged ? await stagedChanges(abs) : null;
  const cache = options.cache === true ? { dir: defaultCacheDir(abs) } : typeof options.cache === 'string' ? { dir: resolve(options.cache) } : undefined;
  const { result } = await runPipeline({ root: abs, config, includeTests: options.includeTests, jobs: options.jobs, cache });
  const names = new Set(result.services.map((s) => s.name));
  for (const name of options.services ?? []) if (!names.has(name)) throw new UsageError(`no service or shared library named '${name}'`);
  const keep = findingFilter(options.rules ?? [], options.services ?? [], changes);
  return keep === null ? result : keepFindings(result, keep);
}

/** Renders a result (from `scan`, or a saved JSON result) in one of the formats; pure and deterministic. */
export function render(result: RunResult, format: FormatName, options: RenderOptions = {}): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- JavaScript callers can pass any value
  if (!isFormat(format)) throw new UsageError(`unknown format '${String(format)}'`);
  const renderer = FORMATS[format];
  const context: RenderContext = {
    rules: ruleInfos(),
    informationUri: HOMEPAGE,
    color: options.color ?? false,
    quiet: options.quiet,
    category: options.category,
    includeSuppressed: options.includeSuppressed,
  };
  return renderer(result, context);
}

/** The CLI's exit code for a result: 1 when an unsuppressed finding is at or above `failOn`, else 0. */
export function exitCode(result: RunResult, failOn: Severity | 'none' = 'error'): number {
  return exitCodeFor(result, failOn);
}
