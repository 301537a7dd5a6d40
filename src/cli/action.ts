// The GitHub Action's scan step (action.yml): reads its inputs from INPUT_* variables, scans, writes annotations, SARIF, step outputs and the job summary.
import { appendFileSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/load.js';
import { FORMATS } from '../report/index.js';
import type { RunResult } from '../summarize/result.js';
import { visible } from '../util/safe-text.js';
import { ruleInfos } from './catalog.js';
import { executeScan, rebasePaths, type ScanFlags } from './scan.js';
import { guardStdout, writeStdout } from './stdout.js';
import { UsageError } from './usage.js';

/** GitHub's limit for one step's job summary. */
const SUMMARY_LIMIT = 1024 * 1024;
const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;

type Env = Record<string, string | undefined>;

function input(env: Env, name: string): string {
  return (env[`INPUT_${name.toUpperCase().replace(/ /g, '_')}`] ?? '').trim();
}

function boolInput(env: Env, name: string): boolean {
  const value = input(env, name).toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new UsageError(`input ${name} must be true or false (got '${value}')`);
}

/** The revision a pull request or push is compared with for `only-changed`, or null (then the whole result is reported). */
function changedBase(env: Env): string | null {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if ((event === 'pull_request' || event === 'pull_request_target') && env.GITHUB_BASE_REF) return `origin/${env.GITHUB_BASE_REF}`;
  if (event === 'push' && env.GITHUB_EVENT_PATH) {
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { before?: string };
    if (payload.before && !/^0+$/.test(payload.before)) return payload.before;
  }
  return null;
}

function appendFile(path: string | undefined, text: string): void {
  if (path) appendFileSync(path, text);
}

function summary(result: RunResult, prefix: string): string {
  const markdown = FORMATS.markdown(rebasePaths(result, prefix), { rules: ruleInfos(), color: false });
  if (markdown.length <= SUMMARY_LIMIT) return markdown;
  return `${markdown.slice(0, SUMMARY_LIMIT - 200)}\n\n… the report is longer than a job summary holds; download the SARIF or run jwtfrag locally.\n`;
}

/** Runs the action's scan step; returns the process exit code (0 also when findings fail the job: a later step does that). */
export async function runAction(env: Env = process.env): Promise<number> {
  try {
    const workspace = resolve(env.GITHUB_WORKSPACE ?? '.');
    const root = resolve(workspace, input(env, 'root') || '.');
    const prefix = relative(workspace, root).split(sep).join('/');
    if (prefix.startsWith('..')) throw new UsageError(`input root must be inside the workspace (got '${input(env, 'root')}')`);
    const failOn = (input(env, 'fail-on') || 'error') as ScanFlags['failOn'];
    if (!FAIL_ON.includes(failOn)) throw new UsageError(`input fail-on must be one of ${FAIL_ON.join(', ')} (got '${failOn}')`);
    const sarif = input(env, 'sarif') || 'jwtfrag.sarif';
    boolInput(env, 'upload');
    const base = boolInput(env, 'only-changed') ? changedBase(env) : null;
    const flags: ScanFlags = {
      format: ['github'],
      sarif: resolve(workspace, sarif),
      category: input(env, 'category') || 'jwtfrag/',
      config: input(env, 'config') ? resolve(workspace, input(env, 'config')) : undefined,
      baseline: input(env, 'baseline') ? resolve(workspace, input(env, 'baseline')) : undefined,
      changedSince: base ?? undefined,
      failOn,
      progress: false,
      quiet: true,
    };
    const { result, code } = await executeScan(root, flags, prefix);
    const active = result.findings.filter((f) => !f.suppression);
    const count = (severity: string) => active.filter((f) => f.severity === severity).length;
    appendFile(
      env.GITHUB_OUTPUT,
      [
        `findings=${active.length}`,
        `errors=${count('error')}`,
        `warnings=${count('warning')}`,
        `notes=${count('note')}`,
        `sarif-file=${sarif}`,
        `exit-code=${code}`,
      ].join('\n') + '\n',
    );
    appendFile(env.GITHUB_STEP_SUMMARY, summary(result, prefix));
    if (code !== 0) process.stderr.write(`jwtfrag: ${active.length} findings; fail-on ${failOn} fails the job after the SARIF upload step\n`);
    return 0;
  } catch (error) {
    const known = error instanceof UsageError || error instanceof ConfigError;
    const message = error instanceof ConfigError ? error.lines.join('; ') : error instanceof Error ? error.message : String(error);
    writeStdout(`::error title=jwtfrag::${visible(known ? message : `internal error: ${message}`).replace(/%/g, '%25')}\n`);
    appendFile(env.GITHUB_OUTPUT, 'exit-code=2\n');
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  guardStdout();
  process.exitCode = await runAction();
}
