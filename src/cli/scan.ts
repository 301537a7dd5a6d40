// `jwtfrag scan`: loads the config, runs the pipeline, writes each requested format and picks the exit code.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeStdout } from './stdout.js';
import { basename, dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { checkRoot } from '../discover/index.js';
import { compareResults } from '../report/compare.js';
import { FORMATS, formatNames, type RenderContext } from '../report/index.js';
import { SEVERITY_RANK, type RunResult, type Severity } from '../result.js';
import { countByRule, scan } from '../run.js';
import { applyBaseline, createBaseline, parseBaseline, pruneBaseline, serializeBaseline, type Baseline } from '../baseline.js';
import { HOMEPAGE } from '../version.js';
import { ruleInfos } from './catalog.js';
import { loadResult } from './result-file.js';
import { UsageError } from './usage.js';

export interface ScanFlags {
  config?: string;
  format?: string[];
  output?: string;
  json?: string;
  sarif?: string;
  category?: string;
  sarifIncludeSuppressed?: boolean;
  baseline?: string;
  writeBaseline?: string;
  pruneBaseline?: boolean;
  /** A previous JSON result: adds the progress since it (`result.delta`). */
  compare?: string;
  failOn: 'error' | 'warning' | 'note' | 'none';
  jobs?: string;
  includeTests?: boolean;
  timestamp?: boolean;
  progress: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** Writes a file, creating its folder; a failure is a usage error naming the path. */
export function writeOutput(path: string, text: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Exit code for a result: 1 when an unsuppressed finding is at or above `failOn`, else 0. */
export function exitCodeFor(result: RunResult, failOn: Severity | 'none'): number {
  if (failOn === 'none') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return result.findings.some((f) => !f.suppression && SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number ≥ 1 (got '${value}')`);
  return jobs;
}

function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read the baseline (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = parseBaseline(text);
  if (typeof parsed === 'string') throw new UsageError(`${path}: ${parsed}`);
  return parsed;
}

/** Runs `jwtfrag scan`; returns the exit code. */
export async function scanCommand(rootArg: string, flags: ScanFlags): Promise<number> {
  const root = resolve(rootArg);
  const problem = checkRoot(root);
  if (problem) throw new UsageError(`${problem} (pass the repository folder: jwtfrag scan path/to/repo)`);
  const formats = flags.format && flags.format.length > 0 ? flags.format : ['text'];
  for (const format of formats) {
    if (!FORMATS[format]) throw new UsageError(`unknown format '${format}' (available: ${formatNames().join(', ')})`);
  }
  if (flags.output && formats.length > 1) throw new UsageError('--output takes a single --format; use --json <file> for the JSON result');
  const jobs = parseJobs(flags.jobs);
  const { config } = loadConfig(root, flags.config);

  const showProgress = flags.progress && !flags.quiet && process.stderr.isTTY;
  if (showProgress) process.stderr.write('jwtfrag: scanning…\r');
  if (flags.pruneBaseline && !flags.baseline) throw new UsageError('--prune-baseline needs --baseline <file>');
  const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
  const previous = flags.compare ? loadResult(flags.compare) : undefined;
  const { result } = await scan({ root, config, includeTests: flags.includeTests, jobs, timestamp: flags.timestamp, baseline });
  if (flags.writeBaseline) {
    const written = createBaseline(result.findings);
    writeOutput(flags.writeBaseline, serializeBaseline(written));
    const outcome = applyBaseline(result.findings, written);
    result.baseline = { known: outcome.known, stale: [] };
    result.counts = countByRule(result.findings);
    process.stderr.write(`jwtfrag: wrote ${flags.writeBaseline} with ${written.entries.length} entries (${outcome.known} findings)\n`);
  }
  if (flags.pruneBaseline && baseline && flags.baseline && result.baseline) {
    const pruned = pruneBaseline(baseline, result.baseline.stale);
    writeOutput(flags.baseline, serializeBaseline(pruned));
    process.stderr.write(`jwtfrag: pruned ${baseline.entries.length - pruned.entries.length} stale entries from ${flags.baseline}\n`);
  }
  if (previous && flags.compare) result.delta = compareResults(previous, result, { since: basename(flags.compare) });
  if (showProgress) process.stderr.write('\x1b[2K');

  const context: RenderContext = {
    rules: ruleInfos(),
    informationUri: HOMEPAGE,
    color: !flags.output && process.stdout.isTTY === true && !process.env.NO_COLOR,
    quiet: flags.quiet,
    category: flags.category,
    includeSuppressed: flags.sarifIncludeSuppressed,
  };
  for (const format of formats) {
    const text = FORMATS[format](result, context);
    if (flags.output) writeOutput(flags.output, text);
    else writeStdout(text);
  }
  if (flags.json) writeOutput(flags.json, FORMATS.json(result, context));
  if (flags.sarif) writeOutput(flags.sarif, FORMATS.sarif(result, context));
  return exitCodeFor(result, flags.failOn);
}
