// Recognises `gcloud run deploy … --set-env-vars/--set-secrets`, `docker run -e`, and the image builds (`docker build`, kaniko, `gcloud run deploy --source`) that tie a deployment to a folder.
import type { DeployUnitFact } from '../facts.js';
import { blockHints, entriesEnvironment, type DeployContext, type EnvEntry, type ProvidedValue } from './context.js';
import { environmentFromWords, resolveRepoPath } from './environment.js';
import { charsSpan, sliceChars, type Chars, type Word } from './shell-words.js';

export interface CommandScope {
  ctx: DeployContext;
  /** Source label for gcloud provisions: `gcloud` in scripts, `cloudbuild` in Cloud Build steps. */
  gcloudSource: string;
  /** The environment implied by where the command sits (file, job…), used when the command names none. */
  environment: string | null;
  /** Expands build substitutions (`$_SERVICE`) in service names and environment values. */
  substitute?: (text: string) => string;
}

/** Value spans of the provisions a command produced, so callers can tell which references were consumed. */
export interface CommandResult {
  valueSpans: { start: number; end: number }[];
}

const GCLOUD_BOOLEAN_FLAGS = new Set([
  '--allow-unauthenticated',
  '--no-allow-unauthenticated',
  '--quiet',
  '-q',
  '--async',
  '--no-traffic',
  '--clear-env-vars',
  '--clear-secrets',
  '--use-http2',
  '--no-use-http2',
  '--cpu-boost',
  '--no-cpu-boost',
  '--cpu-throttling',
  '--no-cpu-throttling',
  '--default-url',
  '--no-default-url',
  '--session-affinity',
  '--no-session-affinity',
]);
const DOCKER_BOOLEAN_FLAGS = new Set([
  '--rm',
  '--detach',
  '--init',
  '--privileged',
  '--read-only',
  '--interactive',
  '--tty',
  '--publish-all',
  '--no-healthcheck',
  '--oom-kill-disable',
]);

const DOCKER_BUILD_BOOLEAN_FLAGS = new Set(['--no-cache', '--pull', '--push', '--load', '-q', '--quiet', '--rm', '--squash']);

const base = (word: Word): string =>
  word.value
    .replace(/^[@-]+/, '')
    .split('/')
    .pop() ?? '';

/** Scans every command for gcloud and docker deployments; returns the consumed value spans. */
export function scanCommands(commands: Word[][], scope: CommandScope): CommandResult {
  const result: CommandResult = { valueSpans: [] };
  for (const words of commands) {
    if (words.some((w) => /^--dockerfile(=|$)/.test(w.value))) {
      kanikoBuild(words, scope);
      continue;
    }
    for (let i = 0; i < words.length; i++) {
      const name = base(words[i]);
      if (name === 'gcloud') {
        const at = gcloudRunDeploy(words, i + 1);
        if (at > 0) {
          scanGcloud(words.slice(at), scope, result);
          break;
        }
      } else if (name === 'docker' || name === 'podman') {
        let j = i + 1;
        if (words[j]?.value === 'container') j++;
        if (words[j]?.value === 'buildx' || words[j]?.value === 'image') j++;
        if (words[j]?.value === 'run') {
          scanDockerRun(words.slice(j + 1), scope, result);
          break;
        }
        if (words[j]?.value === 'build') {
          dockerBuild(words.slice(j + 1), scope, words[i]);
          break;
        }
      }
    }
  }
  return result;
}

// Index just after `run deploy` when words from `from` read `[flags|beta|alpha] run deploy`, else -1.
function gcloudRunDeploy(words: Word[], from: number): number {
  let j = from;
  while (j < words.length && (words[j].value.startsWith('-') || words[j].value === 'beta' || words[j].value === 'alpha')) j++;
  if (words[j]?.value === 'run' && words[j + 1]?.value === 'deploy') return j + 2;
  return -1;
}

interface ListItem {
  nameFrom: number;
  nameTo: number;
  /** -1 when the item has no `=`. */
  valueFrom: number;
  valueTo: number;
}

/** Splits `A=1,B=2` (or gcloud's `^DELIM^A=1DELIMB=2`) from character `from` of a run, as index ranges. */
export function envList(chars: Chars, from: number): ListItem[] {
  let delimiter = ',';
  let at = from;
  const custom = /^\^([^^]+)\^/.exec(chars.value.slice(from));
  if (custom) {
    delimiter = custom[1];
    at += custom[0].length;
  }
  const items: ListItem[] = [];
  while (at <= chars.value.length) {
    let next = chars.value.indexOf(delimiter, at);
    if (next < 0) next = chars.value.length;
    const piece = chars.value.slice(at, next);
    const eq = piece.indexOf('=');
    if (piece.trim().length > 0) {
      const lead = piece.length - piece.trimStart().length;
      items.push({
        nameFrom: at + lead,
        nameTo: eq < 0 ? at + piece.trimEnd().length : at + eq,
        valueFrom: eq < 0 ? -1 : at + eq + 1,
        valueTo: eq < 0 ? next : at + piece.trimEnd().length,
      });
    }
    at = next + delimiter.length;
  }
  return items;
}

function literalOf(chars: Chars, from: number, to: number): ProvidedValue {
  const span = charsSpan(chars, from, to);
  return { state: 'literal', text: chars.value.slice(from, to), start: span.start, end: span.end };
}

function scanGcloud(words: Word[], scope: CommandScope, result: CommandResult): void {
  const entries: EnvEntry[] = [];
  const files: Word[] = [];
  let service: string | null = null;
  let sourceDir: string | null = null;
  const addList = (word: Word, from: number, secrets: boolean): void => {
    for (const item of envList(word, from)) {
      const name = word.value.slice(item.nameFrom, item.nameTo);
      if (name.length === 0 || name.startsWith('/')) continue;
      const span = charsSpan(word, item.nameFrom, item.nameTo);
      let value: ProvidedValue = { state: 'reference' };
      if (!secrets) {
        value = item.valueFrom < 0 ? { state: 'empty' } : literalOf(word, item.valueFrom, item.valueTo);
        if (value.state === 'literal') result.valueSpans.push({ start: value.start, end: value.end });
      }
      entries.push({ name, nameStart: span.start, nameEnd: span.end, value });
    }
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (!word.value.startsWith('-')) {
      if (service === null) service = word.value;
      continue;
    }
    const eq = word.value.indexOf('=');
    const flag = eq < 0 ? word.value : word.value.slice(0, eq);
    let valueWord: Word | null = null;
    let valueFrom = 0;
    if (eq >= 0) {
      valueWord = word;
      valueFrom = eq + 1;
    } else if (!GCLOUD_BOOLEAN_FLAGS.has(flag) && i + 1 < words.length && !words[i + 1].value.startsWith('-')) {
      valueWord = words[++i];
    }
    if (!valueWord) continue;
    if (flag === '--set-env-vars' || flag === '--update-env-vars') addList(valueWord, valueFrom, false);
    else if (flag === '--set-secrets' || flag === '--update-secrets') addList(valueWord, valueFrom, true);
    else if (flag === '--source') sourceDir = valueWord.value.slice(valueFrom);
    else if (flag === '--service') service = valueWord.value.slice(valueFrom);
    else if (flag === '--env-vars-file') files.push({ ...sliceWord(valueWord, valueFrom) });
  }
  const substitute = scope.substitute ?? ((text: string) => text);
  const serviceName = service === null ? null : substitute(service);
  const environment = entriesEnvironment(entries, substitute) ?? environmentFromWords(serviceName) ?? scope.environment;
  const dir = sourceDir === null ? '' : resolveRepoPath('x', sourceDir);
  const serviceHint = dir.length > 0 ? dir : serviceName;
  if (sourceDir !== null && !dir.includes('$') && words[0]) {
    addUnit(scope, { kind: 'cloudrun', name: serviceName, context: dir, dockerfile: null }, words[0]);
  }
  emit(scope.ctx, entries, files, { source: scope.gcloudSource, environment, serviceHint });
}

function addUnit(scope: CommandScope, unit: Omit<DeployUnitFact, 'loc'>, at: Word): void {
  if (unit.context !== null && (unit.context.includes('$') || unit.context.startsWith('/'))) return;
  if (unit.dockerfile !== null && (unit.dockerfile.includes('$') || unit.dockerfile.startsWith('/'))) return;
  (scope.ctx.facts.deployUnits ??= []).push({ ...unit, loc: scope.ctx.loc(at.start, at.end) });
}

// `docker build [-f Dockerfile] [-t image] CONTEXT`: paths are taken relative to the repository root.
function dockerBuild(words: Word[], scope: CommandScope, at: Word): void {
  let dockerfile: string | null = null;
  let tag: string | null = null;
  let context: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    const flagValue = (long: string, short: string): string | null | undefined => {
      if (v === long || v === short) return words[++i]?.value ?? null;
      return v.startsWith(`${long}=`) ? v.slice(long.length + 1) : undefined;
    };
    const file = flagValue('--file', '-f');
    const image = file === undefined ? flagValue('--tag', '-t') : undefined;
    if (file !== undefined) dockerfile = file;
    else if (image !== undefined) tag = image;
    else if (v.startsWith('-')) {
      if (!v.includes('=') && !DOCKER_BUILD_BOOLEAN_FLAGS.has(v)) i++;
    } else context ??= v;
  }
  const ctxDir = context === null ? null : resolveRepoPath('x', context);
  addUnit(
    scope,
    { kind: 'build', name: substituteName(scope, imageHint(tag)), context: ctxDir, dockerfile: dockerfile === null ? null : resolveRepoPath('x', dockerfile) },
    at,
  );
}

// Kaniko (`--dockerfile=… --context=dir://… --destination=image`), as run by Cloud Build steps.
function kanikoBuild(words: Word[], scope: CommandScope): void {
  let dockerfile: string | null = null;
  let context: string | null = null;
  let image: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const v = words[i].value;
    const eq = v.indexOf('=');
    const flag = eq < 0 ? v : v.slice(0, eq);
    const value = eq < 0 ? (words[i + 1]?.value ?? null) : v.slice(eq + 1);
    if (flag === '--dockerfile' || flag === '-f') dockerfile = value;
    else if (flag === '--context' || flag === '-c') context = value?.replace(/^dir:\/\//, '') ?? null;
    else if (flag === '--destination' || flag === '-d') image ??= value;
    else continue;
    if (eq < 0) i++;
  }
  const at = words.find((w) => /^--dockerfile/.test(w.value)) ?? words[0];
  addUnit(
    scope,
    {
      kind: 'build',
      name: substituteName(scope, imageHint(image)),
      context: resolveRepoPath('x', context ?? '.'),
      dockerfile: dockerfile === null ? null : resolveRepoPath('x', dockerfile),
    },
    at,
  );
}

function substituteName(scope: CommandScope, name: string | null): string | null {
  if (name === null) return null;
  const out = scope.substitute ? scope.substitute(name) : name;
  return out.includes('$') ? null : out;
}

// Records a command's env entries and its env-file links (`name: '*'`, span = the path).
function emit(ctx: DeployContext, entries: EnvEntry[], files: Word[], where: { source: string; environment: string | null; serviceHint: string | null }): void {
  const hints = blockHints(entries);
  for (const entry of entries) ctx.provide({ ...entry, ...where, hints });
  for (const file of files) {
    ctx.provide({
      ...where,
      name: '*',
      nameStart: file.start,
      nameEnd: file.end,
      value: { state: 'reference' },
      envFile: resolveRepoPath('x', file.value),
    });
  }
}

function sliceWord(word: Word, from: number): Word {
  const chars = sliceChars(word, from, word.value.length);
  const span = charsSpan(word, from, word.value.length);
  return { ...chars, start: span.start, end: span.end };
}

function scanDockerRun(words: Word[], scope: CommandScope, result: CommandResult): void {
  const entries: EnvEntry[] = [];
  const files: Word[] = [];
  let image: string | null = null;
  const addEnv = (word: Word, from: number): void => {
    const text = word.value.slice(from);
    const eq = text.indexOf('=');
    const nameLength = eq < 0 ? text.length : eq;
    const span = charsSpan(word, from, from + nameLength);
    let value: ProvidedValue = { state: 'reference' };
    if (eq >= 0) {
      const span = charsSpan(word, from + eq + 1, word.value.length);
      value = { state: 'literal', text: word.value.slice(from + eq + 1), start: span.start, end: span.end };
      result.valueSpans.push(span);
    }
    entries.push({ name: text.slice(0, nameLength), nameStart: span.start, nameEnd: span.end, value });
  };
  for (let i = 0; i < words.length && image === null; i++) {
    const word = words[i];
    const v = word.value;
    if (!v.startsWith('-')) {
      image = v;
      break;
    }
    if (v === '-e' || v === '--env') {
      if (i + 1 < words.length) addEnv(words[++i], 0);
    } else if (v.startsWith('--env=')) addEnv(word, 6);
    else if (v.startsWith('-e') && !v.startsWith('--')) addEnv(word, 2);
    else if (v === '--env-file') {
      if (i + 1 < words.length) files.push(words[++i]);
    } else if (v.startsWith('--env-file=')) files.push(sliceWord(word, 11));
    else if (v.startsWith('--')) {
      if (!v.includes('=') && !DOCKER_BOOLEAN_FLAGS.has(v)) i++;
    } else if (!/^-[ditP]+$/.test(v)) {
      if (v.length === 2) i++;
    }
  }
  const environment = entriesEnvironment(entries) ?? scope.environment;
  const serviceHint = imageHint(image);
  emit(scope.ctx, entries, files, { source: 'docker-run', environment, serviceHint });
}

/** `gcr.io/proj/api:1.2` → `api`; null for images built from variables. */
export function imageHint(image: string | null): string | null {
  if (!image || image.includes('$')) return null;
  const withoutDigest = image.split('@')[0];
  const last = withoutDigest.split('/').pop() ?? '';
  const name = last.split(':')[0];
  return name.length > 0 ? name : null;
}
