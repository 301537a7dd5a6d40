// Extraction entry point: a pure function (path, text, language, options) → FileFacts, per language.
import { emptyFacts, type ExtractOptions, type FileFacts, type Language } from './facts.js';
import { isStackOverflow } from './overflow.js';
import { pruneFunctionFacts } from './prune.js';

export { isStackOverflow };

export type { ExtractOptions };

// Each front end is loaded on first use, so a worker that only sees Python never loads TypeScript.
// From TypeScript sources (tests, workers under tsx) the modules are `.ts`; built, they are `.js`.
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const load = <T>(path: string): Promise<T> => import(`${path}${EXT}`) as Promise<T>;
let typescript: Promise<typeof import('./typescript/index.js')> | null = null;
let python: Promise<typeof import('./python/index.js')> | null = null;
let deploy: Promise<typeof import('./deploy/index.js')> | null = null;

/**
 * Hands over already-loaded front ends (used by the worker entry that runs from TypeScript sources,
 * where module hooks do not cover dynamic imports inside worker threads).
 */
export function provideExtractors(modules: {
  typescript: typeof import('./typescript/index.js');
  python: typeof import('./python/index.js');
  deploy: typeof import('./deploy/index.js');
}): void {
  typescript = Promise.resolve(modules.typescript);
  python = Promise.resolve(modules.python);
  deploy = Promise.resolve(modules.deploy);
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
  try {
    switch (language) {
      case 'ts':
      case 'js': {
        typescript ??= load<typeof import('./typescript/index.js')>('./typescript/index');
        return pruneFunctionFacts((await typescript).extractTypeScript(path, text, language, options));
      }
      case 'python': {
        python ??= load<typeof import('./python/index.js')>('./python/index');
        return pruneFunctionFacts(await (await python).extractPython(path, text, options));
      }
      case 'dotenv':
      case 'yaml':
      case 'json':
      case 'shell':
      case 'dockerfile':
      case 'hcl': {
        deploy ??= load<typeof import('./deploy/index.js')>('./deploy/index');
        return (await deploy).extractDeployment(path, text, language);
      }
    }
  } catch (error) {
    if (overflow === 'throw' && isStackOverflow(error)) throw error;
    const facts = emptyFacts(path, language);
    facts.notifications.push(droppedFile(path, error));
    return facts;
  }
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

/** The notification for a file whose extraction took longer than the time limit (`fileTimeLimit`, milliseconds here). */
export function timedOutFile(path: string, limit: number): FileFacts['notifications'][number] {
  const seconds = Number((limit / 1000).toPrecision(3));
  return {
    level: 'error',
    id: 'extract-failed',
    message: `not analysed: its extraction took longer than ${seconds} s (fileTimeLimit); findings in this file may be missing`,
    file: path,
  };
}
