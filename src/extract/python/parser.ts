// Loads the tree-sitter Python grammar once and turns a parse into a plain `PyNode` tree.
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { PyNode } from './tree.js';

export interface ParsedPython {
  root: PyNode;
  /** The first ERROR or MISSING node, when the text does not parse cleanly. */
  firstError: PyNode | null;
  comments: PyNode[];
}

/**
 * The cursor entry points of the tree-sitter runtime, called directly. The public `TreeCursor`
 * copies its four-word state in and out of the runtime's transfer buffer around every call (eight
 * generic memory accesses per step); the runtime itself reads the state from that buffer and writes
 * it back, so a walk that leaves the state there pays only for the calls.
 */
interface CursorApi {
  heap(): Int32Array;
  transfer: number;
  firstChild(tree: number): number;
  nextSibling(tree: number): number;
  parent(tree: number): number;
  typeId(tree: number): number;
  fieldId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
  isMissing(tree: number): number;
  remove(tree: number): void;
}

type RuntimeFn = (...args: number[]) => number;

let parserPromise: Promise<Parser> | null = null;
/** The parser once `parserPromise` has resolved: what the synchronous entry points use. */
let ready: Parser | null = null;
let direct: CursorApi | null = null;
const namedCache: boolean[] = [];
const dropCache: boolean[] = [];
/**
 * Punctuation tokens no extractor reads: they get no node (a quarter of all nodes), only their
 * offsets, which widen their parent's span. A token with a field name, or one tree-sitter inserted
 * as missing, keeps its node.
 */
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '->', '@']);
/**
 * A string's content, and the escapes inside it, get no node either (7 % of all nodes): the content's
 * text is what lies between the string's quotes and its interpolations (`staticText`). tree-sitter's
 * content node also hides the plain runs of text between its escapes, so a span built from its
 * visible children would miss them.
 */
const CONTENT = new Set(['string_content', 'escape_sequence', 'escape_interpolation']);
/** The children of every leaf: one array, never written to. */
const NO_CHILDREN: PyNode[] = [];

/** The runtime's cursor functions when `Parser.init` handed us its module object, else null (then the public API is used). */
function cursorApi(runtime: Record<string, unknown>): CursorApi | null {
  const fn = (name: string): RuntimeFn | null => {
    const value = runtime[`_ts_tree_cursor_${name}_wasm`];
    return typeof value === 'function' ? (value as RuntimeFn) : null;
  };
  const init = runtime._ts_init;
  const names = [
    'goto_first_child',
    'goto_next_sibling',
    'goto_parent',
    'current_node_type_id',
    'current_field_id',
    'start_index',
    'end_index',
    'current_node_is_missing',
    'delete',
  ];
  const found = names.map(fn);
  if (typeof init !== 'function' || !(runtime.HEAP32 instanceof Int32Array) || found.some((f) => f === null)) return null;
  const [firstChild, nextSibling, parent, typeId, fieldId, startIndex, endIndex, isMissing, remove] = found as RuntimeFn[];
  return {
    heap: () => runtime.HEAP32 as Int32Array,
    transfer: (init as () => number)(),
    firstChild,
    nextSibling,
    parent,
    typeId,
    fieldId,
    startIndex,
    endIndex,
    isMissing,
    remove,
  };
}

async function createParser(): Promise<Parser> {
  // Emscripten makes the options object the module itself, so it receives the runtime's exports.
  // When another caller initialised the runtime first, the object stays empty and the public API is used.
  const runtime: Record<string, unknown> = {};
  await Parser.init(runtime);
  direct = cursorApi(runtime);
  const require = createRequire(import.meta.url);
  const language = await Language.load(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The process-wide Python parser (initialised on first use). */
function pythonParser(): Promise<Parser> {
  parserPromise ??= createParser().then((parser) => (ready = parser));
  return parserPromise;
}

/**
 * Initialises the Python parser; after it, `parsePythonLoaded` can run. Called through the front end
 * module that `src/extract/index.ts` imports dynamically, where knip cannot see it.
 * @public
 */
export async function loadPythonParser(): Promise<void> {
  await pythonParser();
}

/**
 * The tree of the parse under way. Code stopped by the time limit per file runs no `finally` block,
 * so a walk stopped half way leaves its tree here for `resetPythonParser` to free. (Its cursor is
 * left alone: the walk may have been stopped inside a cursor step, with the cursor's state half
 * written, and freeing it then could free memory twice; it is a few hundred bytes.)
 */
let inFlight: Tree | null = null;

/**
 * Forgets any parse left half done: after a parse was interrupted (the time limit per file ended the
 * code running it), the next one must start afresh rather than resume it, and the tree of a walk
 * stopped half way is freed. Called like `loadPythonParser`.
 * @public
 */
export function resetPythonParser(): void {
  const left = inFlight;
  inFlight = null;
  left?.delete();
  ready?.reset();
}

/**
 * A lone CR ends a line for Python and for jwtfrag's line index, but tree-sitter's Python scanner
 * treats it as blank space, so a CR-only file would parse as one broken line. Turning each lone CR
 * into LF keeps every offset (one code unit for one) and makes the tree match the lines.
 */
function withLineFeeds(text: string): string {
  if (!text.includes('\r')) return text;
  return text.replace(/\r(?!\n)/g, '\n');
}

/** What a node walk reads at the cursor: one implementation over the runtime, one over the public API. */
interface Steps {
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  typeId(): number;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  isMissing(): boolean;
  done(): void;
}

function directSteps(api: CursorApi, tree: Tree): Steps {
  const cursor = tree.walk() as unknown as Record<0 | 1 | 2 | 3, number>;
  const handle = (tree as unknown as Record<0, number>)[0];
  // The cursor's state moves into the transfer buffer once and stays there for the whole walk.
  const at = api.transfer >> 2;
  const heap = api.heap();
  heap[at] = cursor[0];
  heap[at + 1] = cursor[1];
  heap[at + 2] = cursor[2];
  heap[at + 3] = cursor[3];
  return {
    firstChild: () => api.firstChild(handle) === 1,
    nextSibling: () => api.nextSibling(handle) === 1,
    parent: () => api.parent(handle) === 1,
    typeId: () => api.typeId(handle),
    fieldId: () => api.fieldId(handle),
    startIndex: () => api.startIndex(handle),
    endIndex: () => api.endIndex(handle),
    isMissing: () => api.isMissing(handle) === 1,
    done: () => api.remove(handle),
  };
}

function publicSteps(tree: Tree): Steps {
  const cursor = tree.walk();
  return {
    firstChild: () => cursor.gotoFirstChild(),
    nextSibling: () => cursor.gotoNextSibling(),
    parent: () => cursor.gotoParent(),
    typeId: () => cursor.nodeTypeId,
    fieldId: () => cursor.currentFieldId,
    startIndex: () => cursor.startIndex,
    endIndex: () => cursor.endIndex,
    isMissing: () => cursor.nodeIsMissing,
    done: () => cursor.delete(),
  };
}

/** Parses Python text into a plain tree; the tree-sitter tree is freed before returning. */
export async function parsePython(text: string): Promise<ParsedPython> {
  await pythonParser();
  return parsePythonLoaded(text);
}

/** `parsePython`, synchronously, once the parser is initialised (`loadPythonParser`). */
export function parsePythonLoaded(text: string): ParsedPython {
  const parser = ready;
  if (parser === null) throw new Error('the Python parser is not initialised');
  const tree = parser.parse(withLineFeeds(text));
  if (!tree) throw new Error('tree-sitter returned no tree');
  inFlight = tree;
  try {
    const language = parser.language;
    if (!language) throw new Error('tree-sitter parser has no language');
    const types = language.types;
    const fields = language.fields;
    const hasError = tree.rootNode.hasError;
    const step = direct ? directSteps(direct, tree) : publicSteps(tree);
    const comments: PyNode[] = [];
    let firstError: PyNode | null = null;
    /** Whether the node at the cursor is a punctuation token or string content with no field: it gets no node of its own. */
    const dropped = (typeId: number): boolean => {
      let drop = dropCache[typeId];
      if (drop === undefined) {
        const type = types[typeId] ?? '';
        drop = language.nodeTypeIsNamed(typeId) ? CONTENT.has(type) : PUNCTUATION.has(type);
        dropCache[typeId] = drop;
      }
      return drop && step.fieldId() === 0 && !(hasError && step.isMissing());
    };
    // Children are gathered on one stack as they finish, and a node that finishes takes its own off it
    // as an array of their exact length: no array grows, and a leaf shares one empty array.
    const kids: PyNode[] = [];
    let top = 0;
    const marks: number[] = [];
    let depth = 0;
    // `make` opens a node: its children will start at the stack's top then, kept in `marks`; `close` finishes it.
    const close = (node: PyNode): void => {
      const mark = marks[--depth] ?? 0;
      if (top > mark) {
        node.children = kids.slice(mark, top);
        top = mark;
      }
      kids[top++] = node;
    };
    const make = (parent: PyNode | null, typeId: number): PyNode => {
      let named = namedCache[typeId];
      if (named === undefined) {
        named = language.nodeTypeIsNamed(typeId);
        namedCache[typeId] = named;
      }
      const node: PyNode = {
        type: types[typeId] ?? 'ERROR',
        start: -1,
        end: -1,
        field: fields[step.fieldId()] ?? null,
        named,
        children: NO_CHILDREN,
        parent,
      };
      if (node.type === 'comment') comments.push(node);
      else if (hasError && firstError === null && (node.type === 'ERROR' || step.isMissing())) firstError = node;
      marks[depth++] = top;
      return node;
    };
    // A node spans from its first child's start to its last child's end, so only leaves ask the cursor
    // for offsets; children finish in order, and each one that finishes (a dropped token too) extends its parent.
    const finished = (parent: PyNode | null, start: number, end: number): void => {
      if (parent === null) return;
      if (parent.start < 0) parent.start = start;
      parent.end = end;
    };
    try {
      const root = make(null, step.typeId());
      let current = root;
      let parent: PyNode | null = null;
      walk: for (;;) {
        // The cursor is on `current`, whose children are not visited yet.
        if (step.firstChild()) {
          const typeId = step.typeId();
          if (!dropped(typeId)) {
            current = make(current, typeId);
            continue;
          }
          finished(current, step.startIndex(), step.endIndex());
          parent = current;
        } else {
          current.start = step.startIndex();
          current.end = step.endIndex();
          finished(current.parent, current.start, current.end);
          close(current);
          parent = current.parent;
        }
        // The cursor is on a finished child of `parent`: on to its next sibling, climbing while there is none.
        while (parent !== null) {
          if (step.nextSibling()) {
            const typeId = step.typeId();
            if (dropped(typeId)) {
              finished(parent, step.startIndex(), step.endIndex());
              continue;
            }
            current = make(parent, typeId);
            continue walk;
          }
          if (!step.parent()) break;
          finished(parent.parent, parent.start, parent.end);
          close(parent);
          parent = parent.parent;
        }
        break;
      }
      // The cursor climbs back to the root; should it ever fail to, the nodes still open take their finished children.
      for (let open = parent; open !== null && depth > 0; open = open.parent) close(open);
      root.start = 0;
      root.end = text.length;
      return { root, firstError, comments };
    } finally {
      step.done();
    }
  } finally {
    // Cleared first: a stop inside `delete` must not leave the tree to be freed twice.
    inFlight = null;
    tree.delete();
  }
}
