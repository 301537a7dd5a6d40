// TypeScript/JavaScript extraction over compiler nodes (placeholder until the extractor lands).
import { emptyFacts, type FileFacts } from '../../model/facts.js';
import type { ExtractOptions } from '../index.js';

/** Extracts facts from a TypeScript or JavaScript file. */
export function extractTypeScript(path: string, _text: string, language: 'ts' | 'js', _options: ExtractOptions): FileFacts {
  return emptyFacts(path, language);
}
