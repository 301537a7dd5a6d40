// Extraction entry point: a pure function (path, text, language, options) → FileFacts, per language.
import { emptyFacts, type ExtractOptions, type FileFacts, type Language } from './facts.js';
import { isStackOverflow } from './overflow.js';
import { pruneFunctionFacts } from './prune.js';

export { isStackOverflow };

export type { ExtractOptions };

// Each front end is loaded on first use, so a worker that only sees Python never loads TypeScript.
// The specifiers are literal, so that the bundle (scripts/bundle.ts) makes each front end a chunk of
// its own; from TypeScript sources (tests, tsx) the loader maps `.js` to the `.ts` file.
type TypeScriptFrontEnd = typeof import('./typescript/index.js');
type PythonFrontEnd = typeof import('./python/index.js');
type DeployFrontEnd = typeof import('./deploy/index.js');
/** Each front end once loaded (and, for Python, its parser initialised): what the synchronous entry point uses. */
const loaded: { typescript: TypeScriptFrontEnd | null; python: PythonFrontEnd | null; deploy: DeployFrontEnd | null } = {
  typescript: null,
  python: null,
  deploy: null,
};
let loading: { typescript?: Promise<TypeScriptFrontEnd>; python?: Promise<PythonFrontEnd>; deploy?: Promise<DeployFrontEnd> } = {};

type FrontEnd = keyof typeof loaded;
/** Why a front end could not be loaded: each of its files reports it (`extractLoaded`). */
const loadErrors: Partial<Record<FrontEnd, unknown>> = {};

function frontEndOf(language: Language): FrontEnd {
  return language === 'ts' || language === 'js' ? 'typescript' : language === 'python' ? 'python' : 'deploy';
}

/**
 * Hands over already-loaded front ends (used by the worker entry that runs from TypeScript sources,
 * where module hooks do not cover dynamic imports inside worker threads).
 */
export function provideExtractors(modules: { typescript: TypeScriptFrontEnd; python: PythonFrontEnd; deploy: DeployFrontEnd }): void {
  loaded.typescript = modules.typescript;
  loaded.deploy = modules.deploy;
  loaded.python = null;
  loading = {
    typescript: Promise.resolve(modules.typescript),
    python: modules.python.loadPythonParser().then(() => modules.python),
    deploy: Promise.resolve(modules.deploy),
  };
}

/** Whether `extractLoaded` can run for `language` now (its front end is loaded). */
export function frontEndLoaded(language: Language): boolean {
  return loaded[frontEndOf(language)] !== null;
}

/**
 * Loads the front end `language` needs (a no-op once it is). Never throws: a front end that cannot be
 * loaded is kept as its error, which every file it would extract then reports (`extract-failed`).
 */
export async function loadFrontEnd(language: Language): Promise<void> {
  const name = frontEndOf(language);
  try {
    switch (name) {
      case 'typescript':
        loaded.typescript ??= await (loading.typescript ??= import('./typescript/index.js'));
        return;
      case 'python':
        loaded.python ??= await (loading.python ??= import('./python/index.js').then(async (m) => {
          await m.loadPythonParser();
          return m;
        }));
        return;
      case 'deploy':
        loaded.deploy ??= await (loading.deploy ??= import('./deploy/index.js'));
    }
  } catch (error) {
    loadErrors[name] = error;
  }
}

/**
 * After code extracting a file was interrupted (the time limit per file), makes the front ends start
 * their next file afresh: a parse left half done is not resumed.
 */
export function afterInterruption(): void {
  loaded.python?.resetPythonParser();
}

/**
 * Extracts the facts of one file. Never throws on bad input: problems become notifications — except
 * with `overflow: 'throw'`, when input nested too deep for this thread's stack throws, so the pool
 * can retry the file on a thread with a larger one.
 */
export async function extractFile(
  path: string,
  text: string,
  language: Language,
  options: ExtractOptions,
  overflow: 'notify' | 'throw' = 'notify',
): Promise<FileFacts> {
  if (!frontEndLoaded(language)) await loadFrontEnd(language);
  return extractLoaded(path, text, language, options, overflow);
}

/** `extractFile`, synchronously, once the language's front end is loaded (`loadFrontEnd`). */
export function extractLoaded(path: string, text: string, language: Language, options: ExtractOptions, overflow: 'notify' | 'throw' = 'notify'): FileFacts {
  try {
    switch (language) {
      case 'ts':
      case 'js':
        return pruneFunctionFacts(frontEnd(loaded.typescript, 'typescript').extractTypeScript(path, text, language, options));
      case 'python':
        return pruneFunctionFacts(frontEnd(loaded.python, 'python').extractPythonLoaded(path, text, options));
      case 'dotenv':
      case 'yaml':
      case 'json':
      case 'shell':
      case 'dockerfile':
      case 'hcl':
        return frontEnd(loaded.deploy, 'deploy').extractDeployment(path, text, language);
    }
  } catch (error) {
    if (overflow === 'throw' && isStackOverflow(error)) throw error;
    const facts = emptyFacts(path, language);
    facts.notifications.push(droppedFile(path, error));
    return facts;
  }
}

/** A loaded front end, or the error its load failed with (`loadFrontEnd` first). */
function frontEnd<T>(module: T | null, name: FrontEnd): T {
  if (module !== null) return module;
  const error = loadErrors[name];
  throw error instanceof Error ? error : new Error(`the ${name} front end could not be loaded`);
}

/**
 * The notification for a file the analyser gave up on (`extract-failed`): the run counts it as not
 * analysed, so its summary never says "no findings" and `--strict` fails.
 */
export function droppedFile(path: string, error: unknown): FileFacts['notifications'][number] {
  const text = error instanceof Error ? error.message : String(error);
  const reason = error instanceof RangeError && /call stack/i.test(text) ? 'it is nested too deeply for the analyser' : text.slice(0, 200);
  return { level: 'error', id: 'extract-failed', message: `not analysed: ${reason}; findings in this file may be missing`, file: path };
}

/**
 * The notification for a file whose function facts (gathered for a WebSocket endpoint's auth path) took
 * longer than the time limit: the file was analysed, but a follow that reaches it stops there, so the
 * findings of the endpoints whose auth path leads into it may be missing (`analysis-limit`).
 */
export function timedOutFollow(path: string, limit: number): FileFacts['notifications'][number] {
  return {
    level: 'warning',
    id: 'analysis-limit',
    message: `the functions of this file were not followed from a WebSocket endpoint: extracting them took longer than ${seconds(limit)} s (fileTimeLimit); findings of endpoints whose auth path leads here may be missing`,
    file: path,
  };
}

function seconds(limit: number): number {
  return Number((limit / 1000).toPrecision(3));
}

/** The notification for a file whose extraction took longer than the time limit (`fileTimeLimit`, milliseconds here). */
export function timedOutFile(path: string, limit: number): FileFacts['notifications'][number] {
  return {
    level: 'error',
    id: 'extract-failed',
    message: `not analysed: its extraction took longer than ${seconds(limit)} s (fileTimeLimit); findings in this file may be missing`,
    file: path,
  };
}
