// `jwtfrag scan`: loads the config, runs the pipeline, narrows the findings as asked, writes each requested format, or fixes; picks the exit code.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { defaultCacheDir } from '../cache/index.js';
import { checkRoot } from '../discover/index.js';
import { compareResults } from '../report/compare.js';
import { FORMATS, formatNames, isFormat, renderParts, type RenderContext } from '../report/index.js';
import { notAnalysedLabel } from '../report/story.js';
import { SEVERITY_RANK, type Severity } from '../vocabulary.js';
import type { RunResult } from '../summarize/result.js';
import { scan, type ScanOptions, type ScanProgress } from '../run.js';
import { countByRule } from '../summarize/index.js';
import { applyBaseline, createBaseline, parseBaseline, pruneBaseline, serializeBaseline, type Baseline } from '../baseline.js';
import { HOMEPAGE } from '../version.js';
import { ruleInfos } from './catalog.js';
import { changedSince, findingFilter, keepFindings, stagedChanges, type ChangeSet } from './changes.js';
import { useColor } from './color.js';
import { applyPatches, checkClean, fragmentationCount, newParseErrors, planFixes, unifiedDiff, writeAtomically } from './fix.js';
import { Progress } from './progress.js';
import { collectGarbage, keepYoungGenerationSmall, optimiseOnlyHotCode, scavengeAlone } from './memory.js';
import { loadResult } from './result-file.js';
import { writeStdout } from './stdout.js';
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
  /** Where the full report is published (the `markdown-summary` link). */
  reportUrl?: string;
  failOn: 'error' | 'warning' | 'note' | 'none';
  /** Exit 2 when a file or folder could not be analysed. */
  strict?: boolean;
  jobs?: string;
  /** False with `--no-cache`. */
  cache?: boolean;
  cacheDir?: string;
  includeTests?: boolean;
  timestamp?: boolean;
  progress: boolean;
  quiet?: boolean;
  debug?: boolean;
  /** Report only these rules' findings (repeatable). */
  rule?: string[];
  /** Report only findings of these services (repeatable). */
  service?: string[];
  /** Report only findings that touch lines changed since this git revision. */
  changedSince?: string;
  /** Report only findings that touch staged lines. */
  staged?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
  allowDirty?: boolean;
}

/** What a scan produced: the (narrowed) result and the exit code. */
export interface ScanRun {
  result: RunResult;
  code: number;
}

/** Parts are written in chunks of at least this many characters (one system call each). */
const CHUNK_CHARS = 1 << 20;

/** `parts` joined into chunks of at least `CHUNK_CHARS` characters (the last one may be shorter), in order. */
export function* chunked(parts: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const part of parts) {
    pending.push(part);
    length += part.length;
    if (length >= CHUNK_CHARS) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

/**
 * Writes a file, creating its folder: a text, or a text in parts (`renderParts`), written a chunk at a
 * time so that a large report is never one string or one buffer. A failure is a usage error naming the path.
 */
export function writeOutput(path: string, text: string | Iterable<string>): void {
  let fd: number | null = null;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    fd = openSync(path, 'w');
    for (const chunk of chunked(typeof text === 'string' ? [text] : text)) {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    }
    const written = fd;
    fd = null;
    closeSync(written);
  } catch (error) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // The error to tell is the one that stopped the write.
      }
    }
    throw new UsageError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** A text in parts to the file `output`, or to standard output a chunk at a time when there is none. */
export function writeParts(output: string | undefined, parts: Iterable<string>): void {
  if (output) writeOutput(output, parts);
  else for (const chunk of chunked(parts)) writeStdout(chunk);
}

/** Exit code for a result: 1 when an unsuppressed finding is at or above `failOn`, else 0. */
export function exitCodeFor(result: RunResult, failOn: Severity | 'none'): number {
  if (failOn === 'none') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return result.findings.some((f) => !f.suppression && SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

function parseJobs(value: string | undefined, quiet: boolean): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number ≥ 1 (got '${value}')`);
  // More threads than cores only costs memory (each loads its own parsers).
  const cores = availableParallelism();
  if (jobs > cores) {
    if (!quiet) process.stderr.write(`jwtfrag: --jobs ${jobs} is more than the ${cores} available cores; using ${cores}\n`);
    return cores;
  }
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

function checkFlags(flags: ScanFlags, formats: string[]): void {
  for (const format of formats) {
    if (!isFormat(format)) throw new UsageError(`unknown format '${format}' (available: ${formatNames().join(', ')})`);
  }
  if (flags.output && formats.length > 1) throw new UsageError('--output takes a single --format; use --json <file> for the JSON result');
  if (flags.pruneBaseline && !flags.baseline) throw new UsageError('--prune-baseline needs --baseline <file>');
  if (flags.changedSince !== undefined && flags.staged) throw new UsageError('--changed-since and --staged cannot be combined: pick one set of changes');
  if (flags.fix && flags.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be combined');
  const narrowed = (flags.rule?.length ?? 0) > 0 || (flags.service?.length ?? 0) > 0 || flags.changedSince !== undefined || flags.staged;
  if ((flags.fix || flags.fixDryRun) && narrowed) {
    throw new UsageError('--fix applies the whole migration plan: it cannot be combined with --rule, --service, --changed-since or --staged');
  }
  if ((flags.fix || flags.fixDryRun) && (flags.writeBaseline || flags.pruneBaseline))
    throw new UsageError('--fix cannot be combined with --write-baseline or --prune-baseline');
  const known = new Set(ruleInfos().map((r) => r.meta.id));
  for (const id of flags.rule ?? []) {
    if (!known.has(id)) throw new UsageError(`--rule: unknown rule '${id}' (run 'jwtfrag rules' to list them)`);
  }
}

/**
 * Where the full report lives for `markdown-summary`: `--report-url`, else in GitHub Actions the
 * run's page (which lists its artifacts), else none.
 */
export function reportUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag) return flag;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

function renderContext(flags: ScanFlags): RenderContext {
  return {
    reportUrl: reportUrl(flags.reportUrl),
    rules: ruleInfos(),
    informationUri: HOMEPAGE,
    color: !flags.output && useColor(process.stdout),
    quiet: flags.quiet,
    debug: flags.debug,
    category: flags.category,
    includeSuppressed: flags.sarifIncludeSuppressed,
  };
}

/** Narrows the findings to `--rule`, `--service` and the changed lines; says so on stderr. */
function narrow(result: RunResult, flags: ScanFlags, changes: ChangeSet | null): RunResult {
  const names = new Set(result.services.map((s) => s.name));
  for (const name of flags.service ?? []) {
    if (!names.has(name)) throw new UsageError(`--service: no service or shared library named '${name}' (found: ${[...names].sort().join(', ') || 'none'})`);
  }
  const keep = findingFilter(flags.rule ?? [], flags.service ?? [], changes);
  if (keep === null) return result;
  const narrowed = keepFindings(result, keep);
  if (changes !== null && !flags.quiet) {
    const count = (r: RunResult) => r.findings.filter((f) => !f.suppression).length;
    process.stderr.write(
      `jwtfrag: ${count(narrowed)} of ${count(result)} findings touch lines ${changes.label} (${changes.files.size} changed file${changes.files.size === 1 ? '' : 's'})\n`,
    );
  }
  return narrowed;
}

function writeFormats(result: RunResult, formats: string[], flags: ScanFlags): void {
  const context = renderContext(flags);
  for (const format of formats) {
    writeParts(flags.output, renderParts(format, result, context));
  }
  if (flags.json) writeOutput(flags.json, renderParts('json', result, context));
  if (flags.sarif) writeOutput(flags.sarif, FORMATS.sarif(result, context));
}

/** Runs `--fix` or `--fix-dry-run` on a finished scan; returns the result to report (re-scanned after a fix). */
async function fix(
  root: string,
  before: RunResult,
  sources: Map<string, string>,
  started: number,
  flags: ScanFlags,
  rescan: () => Promise<RunResult>,
): Promise<RunResult | null> {
  const { patches, skipped } = planFixes(root, before, sources);
  const edits = patches.reduce((n, p) => n + p.edits.length, 0);
  const summary = `${edits} edit${edits === 1 ? '' : 's'} in ${patches.length} file${patches.length === 1 ? '' : 's'}`;
  if (!flags.quiet) for (const line of skipped) process.stderr.write(`jwtfrag: left for you: ${line}\n`);
  if (flags.fixDryRun) {
    const diff = unifiedDiff(patches);
    if (flags.output) writeOutput(flags.output, diff);
    else writeStdout(diff);
    process.stderr.write(`jwtfrag: --fix-dry-run: ${summary} (nothing written)\n`);
    return null;
  }
  applyPatches(root, patches, started);
  const after = await rescan();
  const broken = newParseErrors(
    before,
    after,
    patches.map((p) => p.file),
  );
  if (broken.length > 0) {
    for (const patch of patches) writeAtomically(resolve(root, patch.file), patch.before);
    throw new UsageError(`--fix: ${broken.join(', ')} would no longer parse after the edits; every file was restored (apply the plan by hand)`);
  }
  if (!flags.quiet)
    for (const patch of patches) process.stderr.write(`jwtfrag: fixed ${patch.file} (${patch.edits.length} edit${patch.edits.length === 1 ? '' : 's'})\n`);
  process.stderr.write(`jwtfrag: --fix: ${summary}; secret-fragmentation findings ${fragmentationCount(before)} → ${fragmentationCount(after)}\n`);
  return after;
}

/** Prefixes every `file` and import `target` path of a result (a scan of a sub-folder reported from the repository root). */
export function rebasePaths<T>(value: T, prefix: string): T {
  if (prefix === '') return value;
  const visit = (item: unknown, key: string | null): unknown => {
    if (typeof item === 'string') return key === 'file' || key === 'target' ? `${prefix}/${item}` : item;
    if (Array.isArray(item)) return item.map((x) => visit(x, null));
    if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, visit(v, k)]));
    return item;
  };
  return visit(value, null) as T;
}

/**
 * Runs a scan as the flags ask and writes its outputs; the action reuses it. With `pathPrefix`
 * the written formats name files from that folder (`platform/apps/api/…`), not from the scan root.
 */
export async function executeScan(rootArg: string, flags: ScanFlags, pathPrefix = ''): Promise<ScanRun> {
  const root = resolve(rootArg);
  const problem = checkRoot(root);
  if (problem) throw new UsageError(problem.startsWith('cannot read') ? problem : `${problem} (pass the repository folder: jwtfrag scan path/to/repo)`);
  const formats = flags.format && flags.format.length > 0 ? flags.format : ['text'];
  checkFlags(flags, formats);
  // The CLI has set it before loading its modules (main.ts); the action, whose modules are loaded by now, sets it here.
  keepYoungGenerationSmall();
  optimiseOnlyHotCode();
  const jobs = parseJobs(flags.jobs, flags.quiet === true);
  // With a lane on every core, V8's scavenge helpers would only take turns with the lanes.
  const cores = availableParallelism();
  if ((jobs ?? cores) >= cores) scavengeAlone();
  const { config } = loadConfig(root, flags.config);
  const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
  const previous = flags.compare ? loadResult(flags.compare) : undefined;
  const changes = flags.changedSince !== undefined ? await changedSince(root, flags.changedSince) : flags.staged ? await stagedChanges(root) : null;
  if (flags.fix) await checkClean(root, flags.allowDirty === true);

  const cache = flags.cache === false ? undefined : { dir: flags.cacheDir !== undefined ? resolve(flags.cacheDir) : defaultCacheDir(root) };
  const onCacheStats = flags.debug
    ? (s: { dir: string; hits: number; misses: number; pruned: number }) =>
        process.stderr.write(`jwtfrag: cache ${s.dir}: ${s.hits} reused, ${s.misses} extracted, ${s.pruned} pruned\n`)
    : undefined;
  const options: ScanOptions = {
    root,
    config,
    includeTests: flags.includeTests,
    jobs,
    timestamp: flags.timestamp,
    baseline,
    cache,
    onCacheStats,
    onGarbage: collectGarbage,
  };
  const run = async (sources?: Map<string, string>): Promise<RunResult> => {
    const progress = new Progress(process.stderr, flags.progress && !flags.quiet);
    try {
      const onProgress = (state: ScanProgress): void => {
        progress.update(state);
        // Each worker thread's start sets V8's young-generation growth factor, a process-wide flag, back
        // to 2. Once every file is extracted the lanes have started, and the main thread parses their facts.
        if (state.phase !== 'parse' || state.done === state.total) keepYoungGenerationSmall();
      };
      return (await scan({ ...options, planSources: sources, onProgress })).result;
    } finally {
      progress.stop();
    }
  };
  const sources = new Map<string, string>();
  const started = Date.now();
  let result = await run(sources);
  // The model, and what building the result left behind, are garbage now: the reports need only the result.
  collectGarbage();

  if (flags.fix || flags.fixDryRun) {
    const fixed = await fix(root, result, sources, started, flags, () => run());
    if (fixed === null) return { result, code: 0 };
    result = fixed;
  }
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
  result = narrow(result, flags, changes);
  if (previous && flags.compare) result.delta = compareResults(previous, result, { since: basename(flags.compare) });
  writeFormats(rebasePaths(result, pathPrefix), formats, flags);
  const unanalysed = notAnalysedLabel(result.files.notAnalysed ?? []);
  if (flags.strict && unanalysed) {
    process.stderr.write(`jwtfrag: --strict: ${unanalysed} (see the notifications)\n`);
    return { result, code: 2 };
  }
  return { result, code: exitCodeFor(result, flags.failOn) };
}

/** Runs `jwtfrag scan`; returns the exit code. */
export async function scanCommand(rootArg: string, flags: ScanFlags): Promise<number> {
  return (await executeScan(rootArg, flags)).code;
}
