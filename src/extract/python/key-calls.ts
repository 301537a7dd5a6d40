// Key-parameter wrappers in Python: a JWT operation whose key is its function's parameter, and the calls that pass a secret-looking value to a function.
import type { JwtOp, KeyCall } from '../facts.js';
import { KEY_ARGUMENT } from '../shared-patterns.js';
import { isPlainString } from './names.js';
import { importedCallee, lookupName, textOf, type FileState, type Scope } from './scopes.js';
import { traceValue } from './trace.js';
import { field, namedKids, unparen, type PyNode } from './tree.js';

/** The parameter of `scope` a key expression is, or tries first (`secret or get_secret()`), unless the function rebinds it. */
export function keyParameter(state: FileState, keyNode: PyNode, scope: Scope): JwtOp['keyParam'] {
  let key = unparen(keyNode);
  while (key.type === 'boolean_operator' && field(key, 'operator') !== null && textOf(state, field(key, 'operator') as PyNode) === 'or') {
    const left = field(key, 'left');
    if (!left) break;
    key = unparen(left);
  }
  if (key.type !== 'identifier' || scope.kind !== 'function') return undefined;
  const name = textOf(state, key);
  const found = lookupName(state, name, scope, key.start);
  if (found?.kind !== 'param' || found.scope !== scope || scope.assigns.has(name)) return undefined;
  const position = [...scope.params.keys()].indexOf(name);
  return position < 0 ? undefined : { name, position };
}

export interface KeyCallSite {
  call: PyNode;
  scope: Scope;
}

/** Whether a call passes a secret-looking, non-literal argument (checked during the walk; traced later). */
export function isKeyCallSite(state: FileState, call: PyNode): boolean {
  const args = field(call, 'arguments');
  if (!args || args.type !== 'argument_list') return false;
  for (const kid of namedKids(args)) {
    const value = kid.type === 'keyword_argument' ? field(kid, 'value') : kid;
    if (value && !isPlainString(unparen(value)) && KEY_ARGUMENT.test(textOf(state, kid))) return true;
  }
  return false;
}

/** The function a call names: one of this file (by qualified name) or an imported one. */
function callee(state: FileState, fn: PyNode, scope: Scope): { module: string | null; name: string; bound: boolean } | null {
  if (fn.type === 'identifier') {
    const found = lookupName(state, textOf(state, fn), scope, fn.start);
    if (found?.kind === 'function') return found.scope.qual === null ? null : { module: null, name: found.scope.qual, bound: false };
  } else if (fn.type === 'attribute') {
    const object = field(fn, 'object');
    const attr = field(fn, 'attribute');
    if (!object || !attr || object.type !== 'identifier') return null;
    const receiver = textOf(state, object);
    // `self.sign(…)` in a method: a method of the same class.
    let s: Scope | null = scope;
    while (s && s.kind !== 'function') s = s.parent;
    const cls = s?.parent?.kind === 'class' ? s.parent : null;
    if ((receiver === 'self' || receiver === 'cls') && cls?.qual) return { module: null, name: `${cls.qual}.${textOf(state, attr)}`, bound: true };
  }
  // `sign_token(…)` after `from app.tokens import sign_token`, `tokens.sign_token(…)` after `from app import tokens`.
  const imported = importedCallee(state, fn, scope);
  return imported ? { ...imported, bound: false } : null;
}

/** Turns the walk's key-call sites into `KeyCall`s with their secret-looking arguments traced. */
export function buildKeyCalls(state: FileState, sites: KeyCallSite[]): void {
  for (const { call, scope } of sites) {
    const fn = field(call, 'function');
    const args = field(call, 'arguments');
    const target = fn ? callee(state, fn, scope) : null;
    if (!fn || !args || !target) continue;
    const out: KeyCall['args'] = [];
    let position = 0;
    for (const kid of namedKids(args)) {
      if (kid.type === 'list_splat' || kid.type === 'dictionary_splat') break;
      const keyword = kid.type === 'keyword_argument' ? field(kid, 'name') : null;
      const value = kid.type === 'keyword_argument' ? field(kid, 'value') : kid;
      const at = keyword ? null : position++;
      if (!value || isPlainString(unparen(value)) || !KEY_ARGUMENT.test(textOf(state, kid))) continue;
      out.push({
        position: at,
        keyword: keyword ? textOf(state, keyword) : null,
        value: { loc: state.lines.loc(value.start, value.end), trace: { sources: traceValue(state, value, scope, false) } },
      });
    }
    if (out.length === 0) continue;
    const name = fn.type === 'attribute' ? (field(fn, 'attribute') ?? fn) : fn;
    (state.facts.keyCalls ??= []).push({ ...target, loc: state.lines.loc(name.start, name.end), scope: scope.qual, args: out });
  }
}
