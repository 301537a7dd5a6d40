// GitHub Actions workflows: `env:` at workflow/job/step level, `run:` deploy commands, deploy-cloudrun inputs, `secrets.*` references.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { envList, imageHint, scanCommands } from './commands.js';
import { entriesEnvironment, type DeployContext, type EnvEntry, type ProvidedValue } from './context.js';
import { environmentFromEntries, environmentFromWords, resolveRepoPath } from './environment.js';
import { charsSpan, sliceChars, splitCommands } from './shell-words.js';
import type { YamlView } from './yaml-view.js';

interface Span {
  start: number;
  end: number;
}

const SECRET_REF = /\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Extracts provisions from one workflow document. */
export function extractWorkflow(ctx: DeployContext, view: YamlView, root: Node, fileEnvironment: string | null): void {
  const consumed: Span[] = [];
  const envMap = (node: Node | null, environment: string | null, serviceHint: string | null, ciJob: boolean): string | null => {
    for (const entry of view.entries(node)) {
      if (entry.value?.range) consumed.push({ start: entry.value.range[0], end: entry.value.range[1] });
    }
    const entries = view.envEntries(node, 'empty');
    const blockEnvironment = entriesEnvironment(entries);
    for (const entry of entries) {
      ctx.provide({ ...entry, source: 'github-actions', environment: blockEnvironment ?? environment, serviceHint, ciJob });
    }
    return blockEnvironment;
  };
  const secretRefs = (node: Node | null, environment: string | null, serviceHint: string | null, skip: string): void => {
    const visit = (current: Node | null, depth: number): void => {
      if (!current || depth > 40) return;
      if (isScalar(current) && typeof current.value === 'string' && current.range) {
        const [start, end] = current.range;
        for (const match of ctx.text.slice(start, end).matchAll(SECRET_REF)) {
          const nameStart = start + (match.index ?? 0) + match[0].indexOf(match[1], 3);
          const name = match[1];
          if (name === 'GITHUB_TOKEN' || consumed.some((s) => nameStart >= s.start && nameStart < s.end)) continue;
          ctx.provide({
            name,
            nameStart,
            nameEnd: nameStart + name.length,
            source: 'github-actions',
            environment,
            serviceHint,
            value: { state: 'reference' },
          });
        }
      } else if (isMap(current)) {
        for (const pair of current.items) {
          if (isScalar(pair.key) && depth === 0 && pair.key.value === skip) continue;
          visit(view.deref(pair.value), depth + 1);
        }
      } else if (isSeq(current)) {
        for (const item of current.items) visit(view.deref(item), depth + 1);
      }
    };
    visit(node, 0);
  };

  const workflowEnvNode = view.get(root, 'env');
  const workflowEnvironment = blockEnvironmentOf(view, workflowEnvNode) ?? environmentFromWords(view.str(view.get(root, 'name'))) ?? fileEnvironment;
  const jobs = view.entries(view.get(root, 'jobs'));
  envMap(workflowEnvNode, workflowEnvironment, null, !jobs.some((job) => deploys(view, job.value)));
  for (const job of jobs) {
    // A call of a reusable workflow (`jobs.<id>.uses`): its `with:` and `secrets:` go to that workflow, which is scanned on its own or lives elsewhere.
    if (view.get(job.value, 'uses') !== null) continue;
    const ciJob = !deploys(view, job.value);
    const envNode = view.get(job.value, 'environment');
    const jobEnvironment =
      environmentFromWords(view.str(envNode) ?? view.str(view.get(envNode, 'name'))) ??
      blockEnvironmentOf(view, view.get(job.value, 'env')) ??
      environmentFromWords(view.str(view.get(job.value, 'name'))) ??
      environmentFromWords(job.key) ??
      workflowEnvironment;
    const jobDir = view.str(view.get(view.get(view.get(job.value, 'defaults'), 'run'), 'working-directory'));
    envMap(view.get(job.value, 'env'), jobEnvironment, jobDir, ciJob);
    envMap(view.get(view.get(job.value, 'container'), 'env'), jobEnvironment, jobDir, ciJob);
    for (const step of view.items(view.get(job.value, 'steps'))) {
      const stepDir = view.str(view.get(step, 'working-directory')) ?? jobDir;
      const stepEnvironment = envMap(view.get(step, 'env'), jobEnvironment, stepDir, ciJob) ?? jobEnvironment;
      const run = view.raw(view.get(step, 'run'));
      if (run) {
        const result = scanCommands(splitCommands(run.value, run.offsets[0] ?? 0), {
          ctx,
          gcloudSource: 'gcloud',
          environment: stepEnvironment,
        });
        consumed.push(...result.valueSpans);
      }
      const uses = view.str(view.get(step, 'uses')) ?? '';
      if (/docker\/build-push-action/.test(uses)) buildPushUnit(ctx, view, view.get(step, 'with'), view.get(step, 'uses'));
      if (/deploy-cloudrun/.test(uses)) {
        consumed.push(...deployCloudRun(ctx, view, view.get(step, 'with'), stepEnvironment));
      }
      secretRefs(step, stepEnvironment, stepDir, '');
    }
    secretRefs(job.value, jobEnvironment, jobDir, 'steps');
  }
  secretRefs(root, workflowEnvironment, null, 'jobs');
}

const DEPLOY_USES = /deploy|cloudrun|kubectl|helm|k8s|kubernetes|ecs|lambda|webapps|functions-action|ssh-action|serverless|terraform/i;
const DEPLOY_RUN = /\b(deploy|kubectl|helm|docker\s+push|terraform\s+apply|flyctl|serverless)\b/;

// Whether a job releases something (a deployment `environment:`, a deploy action or command): its env then reaches a deployment, not only the CI runner.
function deploys(view: YamlView, job: Node | null): boolean {
  if (view.get(job, 'environment') !== null) return true;
  for (const step of view.items(view.get(job, 'steps'))) {
    if (DEPLOY_USES.test(view.str(view.get(step, 'uses')) ?? '')) return true;
    if (DEPLOY_RUN.test(view.str(view.get(step, 'run')) ?? '')) return true;
  }
  return false;
}

function blockEnvironmentOf(view: YamlView, node: Node | null): string | null {
  return environmentFromEntries(view.entries(node).map((e) => ({ name: e.key, literal: view.str(e.value) })));
}

// `google-github-actions/deploy-cloudrun` inputs: `env_vars` and `secrets` lists (newline or comma separated).
function deployCloudRun(ctx: DeployContext, view: YamlView, inputs: Node | null, environment: string | null): Span[] {
  const consumed: Span[] = [];
  const service = view.str(view.get(inputs, 'service'));
  const sourceDir = view.str(view.get(inputs, 'source'));
  const dir = sourceDir === null ? '' : resolveRepoPath('x', sourceDir);
  const serviceHint = dir.length > 0 ? dir : service;
  const sourceSpan = view.span(view.get(inputs, 'source'));
  if (sourceDir !== null && sourceSpan && !dir.includes('$')) {
    (ctx.facts.deployUnits ??= []).push({ kind: 'cloudrun', name: service, context: dir, dockerfile: null, loc: ctx.loc(sourceSpan.start, sourceSpan.end) });
  }
  const entries: EnvEntry[] = [];
  const lists: [string, boolean][] = [
    ['env_vars', false],
    ['secrets', true],
  ];
  for (const [key, secrets] of lists) {
    const raw = view.raw(view.get(inputs, key));
    if (!raw) continue;
    let lineFrom = 0;
    while (lineFrom <= raw.value.length) {
      let lineTo = raw.value.indexOf('\n', lineFrom);
      if (lineTo < 0) lineTo = raw.value.length;
      const line = sliceChars(raw, lineFrom, lineTo);
      for (const item of envList(line, 0)) {
        const name = line.value.slice(item.nameFrom, item.nameTo);
        if (name.startsWith('/')) continue;
        const span = charsSpan(line, item.nameFrom, item.nameTo);
        let value: ProvidedValue = { state: 'reference' };
        if (!secrets) {
          const valueSpan = charsSpan(line, item.valueFrom, item.valueTo);
          value =
            item.valueFrom < 0
              ? { state: 'empty' }
              : { state: 'literal', text: line.value.slice(item.valueFrom, item.valueTo), start: valueSpan.start, end: valueSpan.end };
          consumed.push(valueSpan);
        }
        entries.push({ name, nameStart: span.start, nameEnd: span.end, value });
      }
      lineFrom = lineTo + 1;
    }
  }
  const env = entriesEnvironment(entries) ?? environmentFromWords(service) ?? environment;
  for (const entry of entries) ctx.provide({ ...entry, source: 'github-actions', environment: env, serviceHint });
  return consumed;
}

// `docker/build-push-action` inputs: `context` (default the repository root) and `file`.
function buildPushUnit(ctx: DeployContext, view: YamlView, inputs: Node | null, usesNode: Node | null): void {
  const context = view.str(view.get(inputs, 'context'));
  const file = view.str(view.get(inputs, 'file'));
  const dir = context === null ? '' : resolveRepoPath('x', context);
  const dockerfile = file === null ? null : resolveRepoPath('x', file);
  const span = view.span(usesNode);
  if (!span || dir.includes('$') || dockerfile?.includes('$')) return;
  const tags = view.str(view.get(inputs, 'tags'));
  const name = tags === null ? null : imageHint(tags.split(/[\s,]+/)[0] ?? null);
  (ctx.facts.deployUnits ??= []).push({ kind: 'build', name, context: dir, dockerfile, loc: ctx.loc(span.start, span.end) });
}
