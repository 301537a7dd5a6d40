// Read helpers over a parsed `yaml` document: alias/merge-aware lookups and source spans of scalars; alias expansion is bounded.
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { EnvEntry, ProvidedValue } from './context.js';
import { plainChars, type Chars } from './shell-words.js';

export interface MapEntry {
  key: string;
  keyNode: Scalar;
  value: Node | null;
}

/** More nodes than this added by aliases (merge keys included) make a document too large to analyse. */
const MAX_ALIAS_EXPANSION = 100_000;

/** Why a document's aliases cannot be expanded safely, or null: a cycle, or more nodes than the limit. */
export function aliasProblem(doc: Document, limit = MAX_ALIAS_EXPANSION): string | null {
  const targets = aliasTargets(doc);
  if (targets.size === 0) return null;
  // Expanded size per node, children first (iterative: deep documents must not exhaust the stack).
  const size = new Map<unknown, number>();
  const onPath = new Set<unknown>();
  let own = 0;
  const stack: { node: unknown; children: unknown[] | null }[] = [{ node: doc.contents, children: null }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.children === null) {
      if (size.has(frame.node)) {
        stack.pop();
        continue;
      }
      if (onPath.has(frame.node)) return 'an alias refers to a node that contains it';
      onPath.add(frame.node);
      frame.children = childrenOf(frame.node, targets);
      for (const child of frame.children) if (!size.has(child)) stack.push({ node: child, children: null });
      continue;
    }
    stack.pop();
    onPath.delete(frame.node);
    let total = 1;
    for (const child of frame.children) total += size.get(child) ?? 0;
    if (!isAlias(frame.node)) own++;
    if (total > limit + own) return `aliases expand to more than ${limit} nodes`;
    size.set(frame.node, total);
  }
  return null;
}

function childrenOf(node: unknown, targets: Map<Alias, Node>): unknown[] {
  if (isAlias(node)) {
    const target = targets.get(node);
    return target ? [target] : [];
  }
  if (isMap(node) || isSeq(node)) {
    const out: unknown[] = [];
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        if (item.key !== null && typeof item.key === 'object') out.push(item.key);
        if (item.value !== null && typeof item.value === 'object') out.push(item.value);
      } else if (item !== null && typeof item === 'object') {
        out.push(item);
      }
    }
    return out;
  }
  return [];
}

/**
 * What each alias of a document points at: the last node before it (in document order) with that
 * anchor, as the `yaml` library resolves it. One pass, instead of a document walk per alias.
 */
function aliasTargets(doc: Document): Map<Alias, Node> {
  const out = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) out.set(node, target);
      continue;
    }
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
    }
    if (isMap(node) || isSeq(node)) {
      const children: unknown[] = [];
      for (const item of node.items as unknown[]) {
        if (isPair(item)) children.push(item.key, item.value);
        else children.push(item);
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return out;
}

export class YamlView {
  private readonly targets: Map<Alias, Node>;
  private readonly entryCache = new WeakMap<YAMLMap, MapEntry[]>();

  constructor(
    readonly doc: Document,
    readonly text: string,
  ) {
    this.targets = aliasTargets(doc);
  }

  /** The node itself, or what an alias points at. */
  deref(node: unknown): Node | null {
    if (isAlias(node)) return this.targets.get(node) ?? null;
    if (isScalar(node) || isMap(node) || isSeq(node)) return node;
    return null;
  }

  /**
   * Entries of a mapping with scalar keys, `<<` merge keys expanded (own keys first). Callers check
   * `aliasProblem` first, so merges neither cycle nor explode; the result is cached per mapping.
   */
  entries(node: unknown): MapEntry[] {
    const map = this.deref(node);
    if (!isMap(map)) return [];
    const cached = this.entryCache.get(map);
    if (cached) return cached;
    const own: MapEntry[] = [];
    const merged: MapEntry[] = [];
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (key === '<<') {
        const target = this.deref(pair.value);
        const sources = isSeq(target) ? target.items : [target];
        for (const source of sources) merged.push(...this.entries(source));
        continue;
      }
      own.push({ key, keyNode: pair.key, value: this.deref(pair.value) });
    }
    const seen = new Set(own.map((e) => e.key));
    const out = [...own, ...merged.filter((e) => !seen.has(e.key))];
    this.entryCache.set(map, out);
    return out;
  }

  get(node: unknown, key: string): Node | null {
    for (const entry of this.entries(node)) if (entry.key === key) return entry.value;
    return null;
  }

  /** Items of a sequence, aliases followed; [] for anything else. */
  items(node: unknown): Node[] {
    const seq = this.deref(node);
    if (!isSeq(seq)) return [];
    const out: Node[] = [];
    for (const item of seq.items) {
      const resolved = this.deref(item);
      if (resolved) out.push(resolved);
    }
    return out;
  }

  /** A scalar's value as text (numbers and booleans as written); null for non-scalars and nulls. */
  str(node: unknown): string | null {
    const scalar = this.deref(node);
    if (!isScalar(scalar) || scalar.value === null || scalar.value === undefined) return null;
    if (typeof scalar.value === 'string') return scalar.value;
    const range = scalar.range;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a YAML scalar holds a number, boolean or null here
    return range ? this.text.slice(range[0], range[1]) : String(scalar.value);
  }

  /** Source span of a scalar's content: quotes stripped, a block scalar's header line dropped. */
  span(node: unknown): { start: number; end: number } | null {
    const scalar = isScalar(node) ? node : this.deref(node);
    if (!isScalar(scalar) || !scalar.range) return null;
    let [start, end] = scalar.range;
    if (scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE) {
      start += 1;
      end = Math.max(start, end - 1);
    } else if (scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED) {
      const newline = this.text.indexOf('\n', start);
      start = newline < 0 || newline >= end ? end : newline + 1;
      while (end > start && /\s/.test(this.text[end - 1])) end--;
    }
    return { start, end };
  }

  /** The scalar's source content as characters with offsets (raw text: escapes are not undone). */
  raw(node: unknown): Chars | null {
    const span = this.span(node);
    return span ? plainChars(this.text.slice(span.start, span.end), span.start) : null;
  }

  /** A provided value from a scalar node: null → `nullState`, else a literal with its span. */
  value(node: Node | null, nullState: 'empty' | 'reference'): ProvidedValue {
    const text = this.str(node);
    const span = this.span(node);
    if (text === null || !span) return isMap(node) || isSeq(node) ? { state: 'reference' } : { state: nullState };
    return { state: 'literal', text, start: span.start, end: span.end };
  }

  /** `NAME: value` pairs of a mapping as env entries; a null value counts as `nullState`. */
  envEntries(node: unknown, nullState: 'empty' | 'reference'): EnvEntry[] {
    const out: EnvEntry[] = [];
    for (const entry of this.entries(node)) {
      const span = this.span(entry.keyNode);
      if (span) out.push({ name: entry.key, nameStart: span.start, nameEnd: span.end, value: this.value(entry.value, nullState) });
    }
    return out;
  }

  /** Whether the original source of a node contains a template action (`{{ … }}`). */
  templated(node: Node | null, original: string): boolean {
    const range = node?.range;
    return !!range && original.slice(range[0], range[1]).includes('{{');
  }
}
