// Small syntax helpers shared by Python WebSocket endpoint discovery and handler analysis.
import type { Loc, NameRef, WsCall } from '../../facts.js';
import { argument } from '../env.js';
import { isPlainString } from '../names.js';
import { lookupName, stringContent, textOf, type ClassInfo, type FileState, type Scope } from '../scopes.js';
import { field, firstNamedKid, namedKids, unparen, type PyNode } from '../tree.js';

export function loc(state: FileState, node: PyNode): Loc {
  return state.lines.loc(node.start, node.end);
}

/** `a.b.c` for identifier/attribute chains (a call written `f()`), null otherwise. */
export function dotted(state: FileState, node: PyNode): string | null {
  const n = unparen(node);
  if (n.type === 'identifier') return textOf(state, n);
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!object || !attr) return null;
    const base = dotted(state, object);
    return base === null ? null : `${base}.${textOf(state, attr)}`;
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const base = fn ? dotted(state, fn) : null;
    return base === null ? null : `${base}()`;
  }
  return null;
}

/** The dotted callee of a call node (`self.auth.verify`), or ''. */
export function calleeOf(state: FileState, call: PyNode): string {
  const fn = field(call, 'function');
  return fn ? (dotted(state, fn) ?? '') : '';
}

/** The value of a plain (non-f) string literal. */
export function plainString(state: FileState, node: PyNode | null | undefined): string | null {
  if (!node) return null;
  const n = unparen(node);
  return n.type === 'string' && isPlainString(n) ? stringContent(state, n) : null;
}

/** Positional arguments (splats left out). */
export function positional(call: PyNode): PyNode[] {
  const list = field(call, 'arguments');
  return list ? namedKids(list).filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') : [];
}

/** The value of keyword argument `name`. */
export function keyword(state: FileState, call: PyNode, name: string): PyNode | null {
  return argument(field(call, 'arguments'), -1, [name], state);
}

/** Pre-order walk (explicit stack, any depth); returning false from `visit` skips a node's children. */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a visitor with no return statement visits the children
export function walk(node: PyNode, visit: (n: PyNode) => boolean | void): void {
  const stack = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (visit(n) === false) continue;
    const kids = n.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** The expression under `await`. */
export function awaited(node: PyNode): PyNode {
  const n = unparen(node);
  return n.type === 'await' ? unparen(firstNamedKid(n) ?? n) : n;
}

/** Whether `name` is bound in a function scope between `scope` and the module (a parameter or local). */
export function hasLocal(scope: Scope, name: string): boolean {
  for (let s: Scope | null = scope; s && s.kind !== 'module'; s = s.parent) if (s.params.has(name) || s.assigns.has(name)) return true;
  return false;
}

/** The same-file class a module-level variable is an instance of (`manager = Manager()`). */
export function moduleClassOf(state: FileState, name: string): ClassInfo | null {
  const assigns = state.module.assigns.get(name);
  const value = assigns?.[0] ? unparen(assigns[0].value) : null;
  if (value?.type !== 'call') return null;
  const fn = field(value, 'function');
  return fn && fn.type === 'identifier' ? (state.module.classes.get(textOf(state, fn)) ?? null) : null;
}

/**
 * The object a local or `self.x` holds when it is built by an imported class or factory
 * (`svc = AuthService()`, `self.auth = get_auth_service()`): the call it is made with, as a name.
 */
function builtBy(state: FileState, values: PyNode[]): { name: string; module: string } | null {
  for (const value of values) {
    const v = awaited(value);
    if (v.type !== 'call') continue;
    const fn = field(v, 'function');
    const name = fn ? dotted(state, fn) : null;
    const binding = name ? state.bindings.get(name.split('.')[0]) : undefined;
    if (!name || !binding || name.includes('(')) continue;
    const imported = binding.imported !== null ? [binding.imported, ...name.split('.').slice(1)].join('.') : name.split('.').slice(1).join('.');
    if (!imported) continue;
    // A class is called for an instance; a factory function returns one of the classes its module defines.
    const last = imported.split('.').pop() ?? '';
    return { name: /^[A-Z]/.test(last) ? imported : `${imported}()`, module: binding.module };
  }
  return null;
}

/** The call as a `WsCall`: imports give the module, `self.m` / module instances give `Class.m`, objects built by an imported class or factory give `Class.m` / `factory().m` there. */
export function callRef(state: FileState, callee: string, scope: Scope, at: Loc): WsCall {
  const parts = callee.split('.');
  const head = parts[0];
  const rest = parts.slice(1);
  if ((head === 'self' || head === 'cls') && scope.cls && rest.length > 1) {
    const built = builtBy(
      state,
      (scope.cls.selfAttrs.get(rest[0]) ?? []).map((a) => a.value),
    );
    if (built) return { name: `${built.name}.${rest.slice(1).join('.')}`, module: built.module, loc: at };
  }
  if ((head === 'self' || head === 'cls') && scope.cls && rest.length > 0) return { name: `${scope.cls.name}.${rest.join('.')}`, module: null, loc: at };
  if (rest.length > 0 && hasLocal(scope, head)) {
    const local = lookupName(state, head, scope, Number.MAX_SAFE_INTEGER);
    const built = local?.kind === 'assign' ? builtBy(state, [local.assign.value]) : null;
    if (built) return { name: `${built.name}.${rest.join('.')}`, module: built.module, loc: at };
  }
  const binding = state.bindings.get(head);
  if (binding && !hasLocal(scope, head)) {
    if (binding.imported !== null) return { name: [binding.imported, ...rest].join('.'), module: binding.module, loc: at };
    return { name: rest.length ? rest.join('.') : head, module: binding.module, loc: at };
  }
  const cls = rest.length > 0 ? moduleClassOf(state, head) : null;
  if (cls) return { name: `${cls.name}.${rest.join('.')}`, module: null, loc: at };
  return { name: callee, module: null, loc: at };
}

/** A module-level name as another file would import it: an import binding gives its module. */
export function nameRef(state: FileState, name: string): NameRef {
  const [head, ...rest] = name.split('.');
  const binding = state.bindings.get(head);
  if (!binding) return { name, module: null };
  if (binding.imported !== null) return { name: [binding.imported, ...rest].join('.'), module: binding.module };
  return { name: rest.length ? rest.join('.') : head, module: binding.module };
}

/** Parameter names of a function, in order (`self` included). */
export function paramNames(state: FileState, fn: Scope): string[] {
  const params = field(fn.node, 'parameters');
  if (!params) return [];
  const out: string[] = [];
  for (const p of namedKids(params)) {
    const id = p.type === 'identifier' ? p : (field(p, 'name') ?? namedKids(p).find((k) => k.type === 'identifier'));
    if (id && id.type === 'identifier') out.push(textOf(state, id));
  }
  return out;
}

/** The innermost function scope around a node (null at module or class level). */
export function enclosingFunction(state: FileState, node: PyNode): Scope | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return state.scopeOf.get(p) ?? null;
  }
  return null;
}

/** The method `name` of a same-file class, looked up through same-file base classes. */
export function methodOf(state: FileState, cls: ClassInfo, name: string, depth = 0): Scope | null {
  const own = cls.scope.functions.get(name);
  if (own || depth > 4) return own ?? null;
  for (const base of cls.bases) {
    const local = base.type === 'identifier' ? state.module.classes.get(textOf(state, base)) : undefined;
    const found = local ? methodOf(state, local, name, depth + 1) : null;
    if (found) return found;
  }
  return null;
}
