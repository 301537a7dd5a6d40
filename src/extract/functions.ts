// Function facts on demand: what each named function of a file calls, reads as a token and delegates, computed only for the files a WebSocket auth path is followed into.
import { entryKey, readEntry, writeEntry, type FactCache } from '../cache/index.js';
import { readSource } from '../discover/read.js';
import type { ExtractOptions, FileFacts, FunctionFact, Language } from './facts.js';
import { pruneFunctionFacts } from './prune.js';

/** A file whose function facts may be asked for: where to read it and in which language. */
export interface FunctionSource {
  absPath: string;
  language: Language;
}

export interface FunctionFactSettings {
  /** The analysed files by repository path (no other file is ever extracted). */
  files: Map<string, FunctionSource>;
  extract: ExtractOptions;
  maxBytes: number;
  cache: FactCache | null;
}

/** Reads a file's function facts (the same for every caller); null when there are none to give. */
export type FunctionFactsOf = (path: string) => FunctionFact[] | null;

const KEY_MARK = 'functions\0';

/** Thrown by a cache-only provider for a file whose function facts are not in the cache. */
export class FunctionFactsMissing extends Error {
  constructor(path: string) {
    super(`function facts of ${path} are not cached`);
  }
}

/**
 * Function facts are most of the facts' size and a tenth of extraction's CPU, yet only a repository
 * with WebSocket endpoints uses them, and then only for the files its auth paths lead into. The scan
 * extracts without them; the model calls the function returned here for each file it follows a call
 * into. The front ends needed are loaded before it returns, so the calls are synchronous; each file is
 * extracted once per scan, and the result is kept in the facts cache under a key of its own. A
 * `cache-only` provider loads no front end and throws `FunctionFactsMissing` for a file the cache
 * does not hold (a warm scan then pays for no parser).
 */
export async function functionFactsProvider(settings: FunctionFactSettings, mode: 'extract' | 'cache-only' = 'extract'): Promise<FunctionFactsOf> {
  const languages = mode === 'extract' ? new Set([...settings.files.values()].map((f) => f.language)) : new Set<Language>();
  const options: ExtractOptions = { ...settings.extract, functionFacts: true };
  const ts = languages.has('ts') || languages.has('js') ? await import('./typescript/index.js') : null;
  const py = languages.has('python') ? await import('./python/index.js') : null;
  const parser = py ? await (await import('./python/parser.js')).pythonParser() : null;
  const extract = (path: string, text: string, language: Language): FileFacts | null => {
    if ((language === 'ts' || language === 'js') && ts) return ts.extractTypeScript(path, text, language, options);
    if (language === 'python' && py && parser) return py.extractPythonWith(parser, path, text, options);
    return null;
  };
  const cache = settings.cache;
  const memo = new Map<string, FunctionFact[] | null>();
  return (path) => {
    const known = memo.get(path);
    if (known !== undefined) return known;
    let out: FunctionFact[] | null = null;
    const source = settings.files.get(path);
    const read =
      source && (source.language === 'python' || source.language === 'ts' || source.language === 'js') ? readSource(source.absPath, settings.maxBytes) : null;
    if (source && read?.ok) {
      const key = cache ? entryKey(cache.salt + KEY_MARK, path, source.language, read.text) : null;
      const stored = cache && key ? readEntry(cache.dir, key) : null;
      if (stored !== null) out = JSON.parse(stored) as FunctionFact[] | null;
      else if (mode === 'cache-only') throw new FunctionFactsMissing(path);
      else {
        try {
          const facts = extract(path, read.text, source.language);
          out = facts ? (pruneFunctionFacts(facts).functions ?? null) : null;
        } catch {
          // Input the main pass could extract may still be too deep for this thread's stack: no helpers from it.
          out = null;
        }
        if (cache && key) writeEntry(cache.dir, key, JSON.stringify(out));
      }
    }
    memo.set(path, out);
    return out;
  };
}
