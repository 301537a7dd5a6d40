// The GitHub Action: action.yml is a pinned composite action wired to its script, and the script, run with GitHub's environment on a git copy of a fixture, writes annotations, SARIF, outputs and a summary.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MONOREPOS, ROOT, tempRepo } from './helpers/cli.js';
import { commitAll, git, gitRepo } from './helpers/git.js';
import { checkGithubRules, validateSarifSchema } from './helpers/sarif-checker.js';
import { ENTRIES } from '../scripts/bundle.js';

const PLATFORM = join(MONOREPOS, 'fastapi-platform');
const SCRIPT = join(ROOT, 'src', 'cli', 'action.ts');

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> }[] };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

/** Runs the action's scan step as the runner would: inputs as INPUT_* variables, GitHub's files and event. */
function runStep(workspace: string, inputs: Record<string, string>, github: Record<string, string> = {}) {
  const files = tempRepo({ 'output.txt': '', 'summary.md': '' }, 'jwtfrag-gh-');
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(files, 'output.txt'),
    GITHUB_STEP_SUMMARY: join(files, 'summary.md'),
    GITHUB_EVENT_NAME: 'push',
    ...github,
  };
  for (const [name, spec] of Object.entries(action.inputs)) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? '';
  // The runner's working directory is the workspace; the script resolves everything against GITHUB_WORKSPACE, so it runs from here (where tsx resolves).
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(
    readFileSync(join(files, 'output.txt'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=', 2) as [string, string]),
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: readFileSync(join(files, 'summary.md'), 'utf8') };
}

describe('action.yml', () => {
  it('is a composite action with a pinned Node and actions pinned to commits', () => {
    expect(action.runs.using).toBe('composite');
    const setup = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with?.['node-version']).toMatch(/^\d+\.\d+\.\d+$/);
    for (const step of action.runs.steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w/-]+@[0-9a-f]{40}$/);
    expect(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
  });

  it('has the documented inputs, hands each to the script, and runs a script that exists', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(['baseline', 'category', 'config', 'fail-on', 'only-changed', 'root', 'sarif', 'upload']);
    const scan = action.runs.steps.find((s) => s.id === 'scan');
    for (const name of Object.keys(action.inputs)) expect(scan?.env?.[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    // The step runs an entry of the bundle (scripts/bundle.ts), built from the action's source.
    const entry = /\$GITHUB_ACTION_PATH\/dist\/bundle\/([\w-]+)\.js/.exec(scan?.run ?? '')?.[1] ?? '';
    expect(ENTRIES[entry]).toBe('dist/src/cli/action.js');
    expect(existsSync(join(ROOT, 'src', 'cli', 'action.ts'))).toBe(true);
    for (const [name, output] of Object.entries(action.outputs)) expect(output.value).toBe(`\${{ steps.scan.outputs.${name} }}`);
  });
});

describe('the action script', () => {
  it('annotates, writes a valid SARIF, sets outputs and a summary; findings leave failing to a later step', () => {
    const dir = gitRepo(PLATFORM, 'jwtfrag-action-');
    const r = runStep(dir, {});
    expect(r.code).toBe(0);
    const annotations = r.stdout.trim().split('\n');
    expect(annotations.length).toBeGreaterThan(5);
    for (const line of annotations) expect(line).toMatch(/^::(error|warning|notice) /);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.outputs['sarif-file']).toBe('jwtfrag.sarif');
    expect(Number(r.outputs.findings)).toBe(Number(r.outputs.errors) + Number(r.outputs.warnings) + Number(r.outputs.notes));
    expect(Number(r.outputs.findings)).toBe(annotations.filter((l) => / file=.*title=[a-z-]+::/.test(l) && !l.includes('title=jwtfrag ')).length);
    const sarif = JSON.parse(readFileSync(join(dir, 'jwtfrag.sarif'), 'utf8')) as unknown;
    expect([...validateSarifSchema(sarif), ...checkGithubRules(sarif)]).toEqual([]);
    expect(r.summary).toMatch(/^# /);
  });

  it('only-changed on a pull request reports the findings the branch adds', () => {
    const dir = gitRepo(PLATFORM, 'jwtfrag-action-pr-');
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(dir, 'analytics_service', 'analytics', 'late_keys.py'), 'import os\n\nREPORTS_JWT_SECRET = os.getenv("REPORTS_JWT_SECRET")\n');
    commitAll(dir, 'late keys');
    const r = runStep(
      dir,
      { 'only-changed': 'true', 'fail-on': 'warning' },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'feature' },
    );
    expect(r.code).toBe(0);
    expect(r.outputs.findings).toBe('1');
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.stdout).toMatch(/^::warning file=analytics_service\/analytics\/late_keys\.py,line=3,/);
  });

  it('a sub-folder root names files from the repository root, with its own category', () => {
    const dir = gitRepo(undefined, 'jwtfrag-action-sub-');
    mkdirSync(join(dir, 'platform'));
    cpSync(PLATFORM, join(dir, 'platform'), { recursive: true });
    commitAll(dir, 'platform');
    const r = runStep(dir, { root: 'platform', category: 'jwtfrag/platform', sarif: 'out/platform.sarif', 'fail-on': 'none' });
    expect(r.outputs['exit-code']).toBe('0');
    for (const line of r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.includes(' file=')))
      expect(line).toMatch(/ file=platform\//);
    const sarif = JSON.parse(readFileSync(join(dir, 'out', 'platform.sarif'), 'utf8')) as {
      runs: { automationDetails: { id: string }; results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.runs[0].automationDetails.id).toBe('jwtfrag/platform/');
    expect(sarif.runs[0].results.every((res) => res.locations[0].physicalLocation.artifactLocation.uri.startsWith('platform/'))).toBe(true);
  });

  it('a bad input fails the step with one annotation and exit 2', () => {
    const dir = gitRepo(PLATFORM, 'jwtfrag-action-bad-');
    const r = runStep(dir, { 'fail-on': 'sometimes' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("::error title=jwtfrag::input fail-on must be one of error, warning, note, none (got 'sometimes')\n");
    expect(r.outputs['exit-code']).toBe('2');
  });
});
