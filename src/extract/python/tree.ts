// A plain JavaScript copy of the tree-sitter syntax tree (punctuation left out), plus span helpers; no parser types leave here.
import { LineIndex } from '../../util/lines.js';

/** One syntax node; `start`/`end` are UTF-16 offsets into the file text. */
export interface PyNode {
  type: string;
  start: number;
  end: number;
  /** The field name this node has in its parent (`function`, `arguments`, `left`, …). */
  field: string | null;
  named: boolean;
  /** In order; punctuation tokens without a field name (`(`, `,`, `:`, `.`, `=` …) are left out, but count in every span. */
  children: PyNode[];
  parent: PyNode | null;
}

/** Maps UTF-16 offsets to 1-based lines and columns; lines end at LF, CRLF or CR (`src/util/lines.ts`). */
export class LineMap extends LineIndex {}

/** The first child with the given field name. */
export function field(node: PyNode, name: string): PyNode | null {
  for (const child of node.children) if (child.field === name) return child;
  return null;
}

/** Named children, leaving out comments. */
export function namedKids(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (const child of node.children) if (child.named && child.type !== 'comment') out.push(child);
  return out;
}

/** The first named child that is not a comment (`namedKids(node)[0]` without the array). */
export function firstNamedKid(node: PyNode): PyNode | undefined {
  for (const child of node.children) if (child.named && child.type !== 'comment') return child;
  return undefined;
}

/** Skips parentheses around an expression. */
export function unparen(node: PyNode): PyNode {
  let current = node;
  while (current.type === 'parenthesized_expression') {
    const inner = firstNamedKid(current);
    if (!inner) break;
    current = inner;
  }
  return current;
}
