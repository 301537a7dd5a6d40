// Static string values of env-name expressions (literal names and `*` patterns) and callee normalisation.
import { lookupName, stringContent, textOf, type FileState, type Scope } from './scopes.js';
import { field, firstNamedKid, namedKids, unparen, type PyNode } from './tree.js';

const MAX_DEPTH = 8;

/** Whether a node is a plain (non-f) string literal or an implicit concatenation of them. */
export function isPlainString(node: PyNode): boolean {
  if (node.type === 'string') return !node.children.some((kid) => kid.type === 'interpolation');
  if (node.type === 'concatenated_string') return namedKids(node).every((kid) => isPlainString(kid));
  return false;
}

/** Raw content length of a plain string literal (its text is never kept). */
export function literalLength(state: FileState, node: PyNode): number {
  if (node.type === 'concatenated_string') {
    let total = 0;
    for (const kid of namedKids(node)) total += literalLength(state, kid);
    return total;
  }
  if (node.type === 'string') return stringContent(state, node).length;
  return node.end - node.start;
}

/** Static text of an expression with `*` for each unknown part. */
function staticText(state: FileState, node: PyNode, scope: Scope, depth: number): string {
  if (depth > MAX_DEPTH) return '*';
  const n = unparen(node);
  switch (n.type) {
    case 'string': {
      // The text between the quotes as written (escapes included), each interpolation replaced by its
      // static text; the content itself has no node (`src/extract/python/parser.ts`).
      const kids = n.children;
      const open = kids[0]?.type === 'string_start' ? kids[0] : null;
      const last = kids[kids.length - 1];
      const close = last !== open && last?.type === 'string_end' ? last : null;
      const end = close ? close.start : n.end;
      let at = open ? open.end : n.start;
      let out = '';
      for (const kid of kids) {
        if (kid === open || kid === close) continue;
        out += state.text.slice(at, kid.start);
        at = kid.end;
        if (kid.type === 'interpolation') {
          const expression = field(kid, 'expression') ?? firstNamedKid(kid);
          out += expression ? staticText(state, expression, scope, depth + 1) : '*';
        }
      }
      return out + state.text.slice(at, end);
    }
    case 'concatenated_string': {
      let out = '';
      for (const kid of namedKids(n)) out += staticText(state, kid, scope, depth + 1);
      return out;
    }
    case 'binary_operator': {
      const left = field(n, 'left');
      const right = field(n, 'right');
      const operator = field(n, 'operator');
      if (!left || !right || !operator) return '*';
      const op = textOf(state, operator);
      if (op === '+') return staticText(state, left, scope, depth + 1) + staticText(state, right, scope, depth + 1);
      if (op === '%') {
        return staticText(state, left, scope, depth + 1).replace(/%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXoeEgGca]/g, '*');
      }
      return '*';
    }
    case 'call': {
      const fn = field(n, 'function');
      if (fn?.type === 'attribute') {
        const object = field(fn, 'object');
        const attr = field(fn, 'attribute');
        const method = attr ? textOf(state, attr) : '';
        if (object && method === 'format') return staticText(state, object, scope, depth + 1).replace(/\{[^{}]*\}/g, '*');
        if (object && method === 'upper') return staticText(state, object, scope, depth + 1).toUpperCase();
        if (object && (method === 'strip' || method === 'lower')) {
          const inner = staticText(state, object, scope, depth + 1);
          return method === 'lower' ? inner.toLowerCase() : inner.trim();
        }
      }
      return '*';
    }
    case 'identifier': {
      const found = lookupName(state, textOf(state, n), scope, n.start);
      if (found?.kind === 'assign') return staticText(state, found.assign.value, found.assign.scope, depth + 1);
      return '*';
    }
    default:
      return '*';
  }
}

export type StaticName = { name: string; pattern: null } | { name: null; pattern: string };

/** The env name (literal) or pattern (dynamic) an expression evaluates to; null when wholly unknown. */
export function resolveEnvName(state: FileState, node: PyNode, scope: Scope): StaticName | null {
  const value = staticText(state, node, scope, 0);
  if (!value.includes('*')) return value.length > 0 ? { name: value, pattern: null } : null;
  const pattern = value.replace(/\*+/g, '*');
  if (pattern === '*' || !/[A-Za-z0-9]/.test(pattern)) return null;
  return { name: null, pattern };
}

/**
 * Normalises a callee to a dotted string per EXTRACTION.md: identifiers joined by `.`, calls as
 * `name()`, a leading `self.`/`cls.` dropped, and variables (or `self.x` attributes) assigned from a
 * call replaced by that call.
 */
export function normaliseCallee(state: FileState, node: PyNode, scope: Scope, depth = 0): string | null {
  if (depth > MAX_DEPTH) return null;
  const n = unparen(node);
  if (n.type === 'identifier') {
    const name = textOf(state, n);
    const found = lookupName(state, name, scope, n.start);
    if (found?.kind === 'assign') {
      const value = unparen(found.assign.value);
      if (value.type === 'call') return normaliseCallee(state, value, found.assign.scope, depth + 1);
    }
    return name;
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!object || !attr) return null;
    const attrName = textOf(state, attr);
    const obj = unparen(object);
    if (obj.type === 'identifier' && scope.cls) {
      const objName = textOf(state, obj);
      if (objName === 'self' || objName === 'cls') {
        const assigns = scope.cls.selfAttrs.get(attrName) ?? scope.cls.scope.assigns.get(attrName);
        const value = assigns && assigns.length > 0 ? unparen(assigns[0].value) : null;
        if (value && value.type === 'call' && assigns) return normaliseCallee(state, value, assigns[0].scope, depth + 1);
        return attrName;
      }
    }
    const base = normaliseCallee(state, obj, scope, depth + 1);
    return base === null ? null : `${base}.${attrName}`;
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const via = fn ? returnedCall(state, fn, scope) : null;
    if (via) return normaliseCallee(state, via.call, via.scope, depth + 1);
    const base = fn ? normaliseCallee(state, fn, scope, depth + 1) : null;
    return base === null ? null : `${base}()`;
  }
  return null;
}

/**
 * A same-file helper whose every return is the same call (`def _get_env(self): return get_env()`):
 * calling it stands for that call, so `self._get_env().get` normalises like `get_env().get`.
 */
function returnedCall(state: FileState, fn: PyNode, scope: Scope): { call: PyNode; scope: Scope } | null {
  const f = unparen(fn);
  let method: Scope | undefined;
  if (f.type === 'attribute' && scope.cls) {
    const object = field(f, 'object');
    const attr = field(f, 'attribute');
    if (object && attr && ['self', 'cls'].includes(textOf(state, unparen(object)))) method = scope.cls.scope.functions.get(textOf(state, attr));
  } else if (f.type === 'identifier') {
    const found = lookupName(state, textOf(state, f), scope, f.start);
    if (found?.kind === 'function') method = found.scope;
  }
  if (!method || method.returns.length === 0) return null;
  const calls = method.returns.map(unparen);
  const first = calls[0];
  if (!first || first.type !== 'call' || calls.some((c) => c.type !== 'call' || textOf(state, c) !== textOf(state, first))) return null;
  return { call: first, scope: method };
}

/** Whether a normalised callee matches an accessor string (equal, or ends with `.` + it). */
export function matchesAccessor(callee: string, accessor: string): boolean {
  // Compared in place: it runs for every accessor on every call, and a `.${accessor}` string each was a tenth of what the file's walk allocated.
  const at = callee.length - accessor.length - 1;
  return callee === accessor || (at >= 0 && callee.charCodeAt(at) === 46 && callee.endsWith(accessor));
}

/**
 * The callee with `os` import aliases undone: `import os as o` → `os…`, `from os import getenv as g` → `getenv`.
 * Returns null when the root is not bound to `os`.
 */
export function osCallee(state: FileState, node: PyNode): string | null {
  const root = chainRoot(node);
  const binding = root === null ? undefined : state.bindings.get(textOf(state, root));
  if (!binding || binding.module !== 'os') return null;
  return [binding.imported ?? 'os', ...chainAttributes(state, node)].join('.');
}

/**
 * The identifier an attribute chain starts from (`a` of `a.b.c`, parentheses skipped), or null when
 * it starts with anything else or a link is broken. It allocates nothing: callee recognisers run on
 * every call, and most roots are bound to nothing they look for.
 */
export function chainRoot(node: PyNode): PyNode | null {
  let n = unparen(node);
  while (n.type === 'attribute') {
    const object = field(n, 'object');
    if (!object || !field(n, 'attribute')) return null;
    n = unparen(object);
  }
  return n.type === 'identifier' ? n : null;
}

/** The attribute names after a chain's root, in source order (`['b', 'c']` of `a.b.c`); for a chain `chainRoot` accepts. */
export function chainAttributes(state: FileState, node: PyNode): string[] {
  const parts: string[] = [];
  let n = unparen(node);
  while (n.type === 'attribute') {
    const attr = field(n, 'attribute');
    const object = field(n, 'object');
    if (!attr || !object) break;
    parts.push(textOf(state, attr));
    n = unparen(object);
  }
  return parts.reverse();
}
