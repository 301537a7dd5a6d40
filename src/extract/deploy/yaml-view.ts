// Read helpers over a parsed `yaml` document: alias/merge-aware lookups and source spans of scalars.
import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import type { EnvEntry, ProvidedValue } from './context.js';
import { plainChars, type Chars } from './shell-words.js';

export interface MapEntry {
  key: string;
  keyNode: Scalar;
  value: Node | null;
}

export class YamlView {
  constructor(
    readonly doc: Document,
    readonly text: string,
  ) {}

  /** The node itself, or what an alias points at. */
  deref(node: unknown): Node | null {
    if (isAlias(node)) return node.resolve(this.doc) ?? null;
    if (isScalar(node) || isMap(node) || isSeq(node)) return node;
    return null;
  }

  /** Entries of a mapping with scalar keys, `<<` merge keys expanded (own keys first). */
  entries(node: unknown): MapEntry[] {
    const map = this.deref(node);
    if (!isMap(map)) return [];
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
    return [...own, ...merged.filter((e) => !seen.has(e.key))];
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
