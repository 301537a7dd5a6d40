// Dockerfiles: `ENV A=b`, legacy `ENV A b` and `ARG A[=default]` provisions, and the COPY sources and CMD/ENTRYPOINT that tie the image to a folder.
import { posix } from 'node:path';
import type { DeployContext, ProvidedValue } from './context.js';
import { environmentFromPath, folderHint, normalizeEnvironment } from './environment.js';
import { splitCommands, type Word } from './shell-words.js';

const INSTRUCTION = /^[ \t]*(ENV|ARG)[ \t]+/i;
const BUILD_INSTRUCTION = /^[ \t]*(FROM|COPY|ADD|CMD|ENTRYPOINT)[ \t]+/i;
const RUN_INSTRUCTION = /^[ \t]*RUN[ \t]+/i;
const ENV_FILE_NAME = /^(\.env([._-].*)?|[^/]*\.env|[^/]*\.env\.[^/]+|env\.[A-Za-z]+)$/i;
const FILE_COMMANDS = new Set(['cp', 'mv', 'install', 'ln']);

function isEnvFileName(path: string): boolean {
  return ENV_FILE_NAME.test(posix.basename(path));
}

/** Extracts ENV and ARG names from a Dockerfile. */
export function extractDockerfile(ctx: DeployContext): void {
  const environment = environmentFromPath(ctx.path);
  const serviceHint = dockerfileHint(ctx.path);
  const text = ctx.text;
  const copies: string[] = [];
  const envFiles: string[] = [];
  let entry: string[] = [];
  let unitLoc: { start: number; end: number } | null = null;
  let lineStart = 0;
  while (lineStart < text.length) {
    let end = lineStart;
    // A logical line runs on while a physical line ends with a backslash.
    for (;;) {
      let next = text.indexOf('\n', end);
      if (next < 0) next = text.length;
      const physical = text.slice(end, next).replace(/\r$/, '');
      end = next;
      if (!physical.endsWith('\\') || next >= text.length) break;
      end = next + 1;
    }
    const logical = text.slice(lineStart, end);
    const match = INSTRUCTION.exec(logical);
    if (match) {
      const words = splitCommands(logical.slice(match[0].length), lineStart + match[0].length)[0] ?? [];
      instruction(ctx, match[1].toUpperCase(), words, { environment, serviceHint });
    }
    const build = BUILD_INSTRUCTION.exec(logical);
    if (build) {
      const keyword = build[1].toUpperCase();
      const args = instructionArgs(logical.slice(build[0].length));
      unitLoc ??= { start: lineStart, end: lineStart + build[0].trimEnd().length };
      if (keyword === 'FROM') entry = [];
      else if (keyword === 'CMD' || keyword === 'ENTRYPOINT') entry = keyword === 'ENTRYPOINT' ? [...args, ...entry] : [...entry, ...args];
      else if (!args.some((a) => /^--from=/i.test(a))) {
        const sources = args.filter((a) => !a.startsWith('--')).slice(0, -1);
        copies.push(...sources);
        envFiles.push(...sources.filter(isEnvFileName));
      }
    }
    const run = RUN_INSTRUCTION.exec(logical);
    if (run) envFiles.push(...copiedEnvFiles(logical.slice(run[0].length)));
    lineStart = end + 1;
  }
  if (unitLoc) {
    ctx.facts.deployUnits = [
      { kind: 'dockerfile', name: null, context: null, dockerfile: ctx.path, copies: [...new Set(copies)], entry, loc: ctx.loc(unitLoc.start, unitLoc.end) },
    ];
    if (envFiles.length > 0) ctx.facts.deployUnits[0].envFiles = [...new Set(envFiles)];
  }
}

// Sources of `cp`/`mv`/`install`/`ln` commands in a RUN line that name env files (`cp src/.example.env dist/.env`).
function copiedEnvFiles(rest: string): string[] {
  const out: string[] = [];
  for (const words of splitCommands(rest.replace(/\\\r?\n/g, ' '))) {
    const name = words[0]?.value.split('/').pop() ?? '';
    if (!FILE_COMMANDS.has(name)) continue;
    const args = words.slice(1).map((w) => w.value).filter((v) => !v.startsWith('-'));
    out.push(...args.slice(0, -1).filter((v) => !v.includes('$') && isEnvFileName(v)));
  }
  return out;
}

/** The arguments of a COPY/ADD/CMD/ENTRYPOINT: the JSON exec form (`["a", "b"]`) or shell words. */
function instructionArgs(rest: string): string[] {
  const body = rest.replace(/\\\r?\n/g, ' ').trim();
  if (body.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(body);
      if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    } catch {
      // not JSON: read as shell words
    }
  }
  return (splitCommands(body)[0] ?? []).map((w) => w.value);
}

function instruction(ctx: DeployContext, keyword: string, words: Word[], where: { environment: string | null; serviceHint: string | null }): void {
  if (words.length === 0) return;
  const base = { source: 'dockerfile', ...where };
  if (keyword === 'ENV' && !words[0].value.includes('=')) {
    const rest = words.slice(1);
    const value: ProvidedValue =
      rest.length === 0
        ? { state: 'empty' }
        : { state: 'literal', text: rest.map((w) => w.value).join(' '), start: rest[0].start, end: rest[rest.length - 1].end };
    ctx.provide({ ...base, name: words[0].value, nameStart: words[0].start, nameEnd: words[0].end, value });
    return;
  }
  for (const word of words) {
    const eq = word.value.indexOf('=');
    const nameLength = eq < 0 ? word.value.length : eq;
    let value: ProvidedValue = { state: 'empty' };
    if (eq >= 0 && eq + 1 < word.value.length) {
      value = { state: 'literal', text: word.value.slice(eq + 1), start: word.offsets[eq + 1], end: word.offsets[word.value.length - 1] + 1 };
    }
    ctx.provide({
      ...base,
      name: word.value.slice(0, nameLength),
      nameStart: word.offsets[0],
      nameEnd: word.offsets[nameLength - 1] + 1,
      value,
    });
  }
}

// The Dockerfile's folder, or the `api` of a root-level `Dockerfile.api` / `api.dockerfile`.
function dockerfileHint(path: string): string | null {
  const folder = folderHint(path);
  if (folder) return folder;
  const name = posix.basename(path);
  const suffix = /^Dockerfile\.(.+)$/i.exec(name)?.[1] ?? /^(.+)\.dockerfile$/i.exec(name)?.[1] ?? null;
  return suffix && !normalizeEnvironment(suffix) ? suffix : null;
}
