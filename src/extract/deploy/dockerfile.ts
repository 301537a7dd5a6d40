// Dockerfiles, parsed with dockerfile-ast: `ENV A=b`, legacy `ENV A b` and `ARG A[=default]` provisions, and the COPY sources and CMD/ENTRYPOINT that tie the image to a folder.
import { posix } from 'node:path';
import { DockerfileParser, ModifiableInstruction, PropertyInstruction, type Instruction, type Property } from 'dockerfile-ast';
import { LineIndex } from '../../util/lines.js';
import type { DeployContext, ProvidedValue } from './context.js';
import { environmentFromPath, folderHint, normalizeEnvironment } from './environment.js';
import { splitCommands } from './shell-words.js';

const BUILD_KEYWORDS = new Set(['FROM', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT']);
const ENV_FILE_NAME = /^(\.env([._-].*)?|[^/]*\.env|[^/]*\.env\.[^/]+|env\.[A-Za-z]+)$/i;
const FILE_COMMANDS = new Set(['cp', 'mv', 'install', 'ln']);

interface Position {
  line: number;
  character: number;
}

function isEnvFileName(path: string): boolean {
  return ENV_FILE_NAME.test(posix.basename(path));
}

/**
 * Extracts ENV and ARG names from a Dockerfile, and the deploy unit it describes. dockerfile-ast
 * reads the instructions (line continuations, the `# escape=` directive, heredocs, JSON and shell
 * forms); its 0-based line/character positions are turned into offsets with the same line breaks
 * as every other extractor.
 */
export function extractDockerfile(ctx: DeployContext): void {
  const where = { environment: environmentFromPath(ctx.path), serviceHint: dockerfileHint(ctx.path) };
  const index = new LineIndex(ctx.text);
  const offset = (p: Position): number => index.offset(p.line + 1, p.character + 1);
  const copies: string[] = [];
  const envFiles: string[] = [];
  let entry: string[] = [];
  let unitLoc: { start: number; end: number } | null = null;
  for (const ins of DockerfileParser.parse(ctx.text).getInstructions()) {
    const keyword = ins.getKeyword();
    if ((keyword === 'ENV' || keyword === 'ARG') && ins instanceof PropertyInstruction) {
      for (const property of ins.getProperties()) provide(ctx, property, offset, where);
    } else if (BUILD_KEYWORDS.has(keyword)) {
      const range = ins.getInstructionRange();
      unitLoc ??= { start: offset({ line: range.start.line, character: 0 }), end: offset(range.end) };
      const args = instructionArgs(ins);
      if (keyword === 'FROM') entry = [];
      else if (keyword === 'CMD' || keyword === 'ENTRYPOINT') entry = keyword === 'ENTRYPOINT' ? [...args, ...entry] : [...entry, ...args];
      else if (!(ins instanceof ModifiableInstruction && ins.getFlags().some((f) => f.getName().toLowerCase() === 'from'))) {
        const sources = args.filter((a) => !a.startsWith('--') && !a.startsWith('<<')).slice(0, -1);
        copies.push(...sources);
        envFiles.push(...sources.filter(isEnvFileName));
      }
    } else if (keyword === 'RUN') {
      envFiles.push(...copiedEnvFiles(ins.getArgumentsContent() ?? ''));
    }
  }
  if (unitLoc) {
    ctx.facts.deployUnits = [
      { kind: 'dockerfile', name: null, context: null, dockerfile: ctx.path, copies: [...new Set(copies)], entry, loc: ctx.loc(unitLoc.start, unitLoc.end) },
    ];
    if (envFiles.length > 0) ctx.facts.deployUnits[0].envFiles = [...new Set(envFiles)];
  }
}

// Sources of `cp`/`mv`/`install`/`ln` commands in a RUN body (heredocs included) that name env files (`cp src/.example.env dist/.env`).
function copiedEnvFiles(body: string): string[] {
  const out: string[] = [];
  for (const words of splitCommands(body)) {
    const name = words[0]?.value.split('/').pop() ?? '';
    if (!FILE_COMMANDS.has(name)) continue;
    const args = words
      .slice(1)
      .map((w) => w.value)
      .filter((v) => !v.startsWith('-'));
    out.push(...args.slice(0, -1).filter((v) => !v.includes('$') && isEnvFileName(v)));
  }
  return out;
}

/** The arguments of a COPY/ADD/CMD/ENTRYPOINT (flags left out): the JSON exec form's strings, or shell words. */
function instructionArgs(ins: Instruction): string[] {
  // dockerfile-ast's own JSON strings drop the whitespace inside them (`"daemon off;"` → `daemonoff;`), so the form is parsed here.
  const body = (ins.getArgumentsContent() ?? '').trim();
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

function provide(
  ctx: DeployContext,
  property: Property,
  offset: (p: Position) => number,
  where: { environment: string | null; serviceHint: string | null },
): void {
  const nameRange = property.getNameRange();
  const text = property.getValue();
  const range = property.getValueRange();
  let value: ProvidedValue = { state: 'empty' };
  if (text !== null && text !== '' && range !== null) {
    let start = offset(range.start);
    let end = offset(range.end);
    // The span is the value inside its quotes, as for every other deploy format.
    const quote = ctx.text[start];
    if ((quote === '"' || quote === "'") && end - start >= 2 && ctx.text[end - 1] === quote) {
      start++;
      end--;
    }
    value = { state: 'literal', text, start, end };
  }
  ctx.provide({ source: 'dockerfile', ...where, name: property.getName(), nameStart: offset(nameRange.start), nameEnd: offset(nameRange.end), value });
}

// The Dockerfile's folder, or the `api` of a root-level `Dockerfile.api` / `api.dockerfile`.
function dockerfileHint(path: string): string | null {
  const folder = folderHint(path);
  if (folder) return folder;
  const name = posix.basename(path);
  const suffix = /^Dockerfile\.(.+)$/i.exec(name)?.[1] ?? /^(.+)\.dockerfile$/i.exec(name)?.[1] ?? null;
  return suffix && !normalizeEnvironment(suffix) ? suffix : null;
}
