// Python extraction through web-tree-sitter (placeholder until the extractor lands).
import { emptyFacts, type FileFacts } from '../../model/facts.js';
import type { ExtractOptions } from '../index.js';

/** Extracts facts from a Python file. */
export async function extractPython(path: string, _text: string, _options: ExtractOptions): Promise<FileFacts> {
  return emptyFacts(path, 'python');
}
