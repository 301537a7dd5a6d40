// Extraction entry point: a pure function (path, text, language, options) → FileFacts, per language.
import { emptyFacts, type FileFacts, type Language } from '../model/facts.js';
import { extractDeployment } from './deploy/index.js';
import { extractPython } from './python/index.js';
import { extractTypeScript } from './typescript/index.js';

export interface ExtractOptions {
  /** Env accessor call shapes (defaults plus configured ones), per language family. */
  envAccessors: { python: string[]; typescript: string[] };
}

/** Extracts the facts of one file. Never throws on bad input: problems become notifications. */
export async function extractFile(
  path: string,
  text: string,
  language: Language,
  options: ExtractOptions,
): Promise<FileFacts> {
  try {
    switch (language) {
      case 'ts':
      case 'js':
        return extractTypeScript(path, text, language, options);
      case 'python':
        return await extractPython(path, text, options);
      case 'dotenv':
      case 'yaml':
      case 'json':
      case 'shell':
      case 'dockerfile':
      case 'hcl':
        return extractDeployment(path, text, language);
    }
  } catch (error) {
    const facts = emptyFacts(path, language);
    facts.notifications.push({
      level: 'error',
      id: 'extract-failed',
      message: `could not analyse this file: ${error instanceof Error ? error.message : String(error)}`,
      file: path,
    });
    return facts;
  }
}
