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
const namedCache: boolean[] = [];

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
    const language = parser.language;
    if (!language) throw new Error('tree-sitter parser has no language');
    const types = language.types;
    const fields = language.fields;
    const hasError = tree.rootNode.hasError;
    const cursor = tree.walk();
    const comments: PyNode[] = [];
    let firstError: PyNode | null = null;
    // Only leaves ask the cursor for offsets: an inner node spans from its first child's start to its last child's end.
    const make = (parent: PyNode | null): PyNode => {
      const typeId = cursor.nodeTypeId;
      let named = namedCache[typeId];
      if (named === undefined) {
        named = language.nodeTypeIsNamed(typeId);
        namedCache[typeId] = named;
      }
      const node: PyNode = {
        type: types[typeId] ?? 'ERROR',
        start: -1,
        end: -1,
        field: fields[cursor.currentFieldId] ?? null,
        named,
        children: [],
        parent,
      };
      if (node.type === 'comment') comments.push(node);
      else if (hasError && firstError === null && (node.type === 'ERROR' || cursor.nodeIsMissing)) firstError = node;
      if (parent) parent.children.push(node);
      return node;
    };
    const leaf = (node: PyNode): void => {
      node.start = cursor.startIndex;
      node.end = cursor.endIndex;
    };
    const close = (node: PyNode): void => {
      const kids = node.children;
      if (kids.length > 0) {
        node.start = kids[0].start;
        node.end = kids[kids.length - 1].end;
      }
    };
    const root = make(null);
    let current = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        current = make(current);
        continue;
      }
      leaf(current);
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || current.parent === null) {
          done = true;
          break;
        }
        current = current.parent;
        close(current);
      }
      if (done || current.parent === null) break;
      current = make(current.parent);
    }
    cursor.delete();
    root.start = 0;
    root.end = text.length;
    return { root, firstError, comments };
  } finally {
    tree.delete();
  }
}
