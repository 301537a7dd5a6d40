// Loads the tree-sitter Python grammar once and turns a parse into a plain `PyNode` tree.
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import type { PyNode } from './tree.js';

export interface ParsedPython {
  root: PyNode;
  /** The first ERROR or MISSING node, when the text does not parse cleanly. */
  firstError: PyNode | null;
  comments: PyNode[];
}

let parserPromise: Promise<Parser> | null = null;

async function createParser(): Promise<Parser> {
  await Parser.init();
  const require = createRequire(import.meta.url);
  const language = await Language.load(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The process-wide Python parser (initialised on first use). */
export function pythonParser(): Promise<Parser> {
  parserPromise ??= createParser();
  return parserPromise;
}

/** Parses Python text into a plain tree; the tree-sitter tree is freed before returning. */
export async function parsePython(text: string): Promise<ParsedPython> {
  const parser = await pythonParser();
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const cursor = tree.walk();
    const comments: PyNode[] = [];
    let firstError: PyNode | null = null;
    const make = (parent: PyNode | null): PyNode => {
      const node: PyNode = {
        type: cursor.nodeType,
        start: cursor.startIndex,
        end: cursor.endIndex,
        field: cursor.currentFieldName,
        named: cursor.nodeIsNamed,
        children: [],
        parent,
      };
      if (node.type === 'comment') comments.push(node);
      else if (firstError === null && (node.type === 'ERROR' || cursor.nodeIsMissing)) firstError = node;
      if (parent) parent.children.push(node);
      return node;
    };
    const root = make(null);
    let current = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        current = make(current);
        continue;
      }
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || current.parent === null) {
          done = true;
          break;
        }
        current = current.parent;
      }
      if (done || current.parent === null) break;
      current = make(current.parent);
    }
    cursor.delete();
    return { root, firstError, comments };
  } finally {
    tree.delete();
  }
}
