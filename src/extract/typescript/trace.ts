// Traces a value (a JWT key, an exported constant) to env reads, literals, constant-derived keys, imports or unknowns within one file.
import { ts } from './compiler.js';
import type { ValueSource } from '../facts.js';
import {
  type Ctx,
  SK,
  calleeText,
  classMember,
  enclosingClass,
  isFunctionLike,
  localFunction,
  lookup,
  nodeLoc,
  propName,
  returnExprs,
  slotKey,
  stringValue,
  unwrap,
} from './context.js';
import { envObjectAccessor, markSecretLiteral, tracedRead } from './env.js';
import { isJwtModule } from './jwt.js';

const MAX_DEPTH = 8;
/** Methods that return the same key material: a PEM key with its escaped newlines restored is still that key. */
const PASSTHROUGH_METHODS = new Set(['toString', 'trim', 'valueOf', 'normalize', 'replace', 'replaceAll']);
const HASH_FACTORIES = new Set(['createHash', 'createHmac']);
/** Calls that turn key material into a key object (node:crypto, jose): the key is the material's. */
const KEY_OBJECTS = new Set(['createSecretKey', 'createPublicKey', 'createPrivateKey', 'importSPKI', 'importPKCS8', 'importX509', 'importJWK']);

interface Walk {
  depth: number;
  seen: Set<ts.Node>;
  /** Whether literals reached are secret material (a key argument, a secret-named export). */
  mark: boolean;
  /** Arguments of the same-file calls being traced through: a parameter stands for what the caller passed. */
  args?: Map<ts.Node, { expr: ts.Expression; w: Walk }>;
}

function unknown(ctx: Ctx, text: string, node: ts.Node): ValueSource {
  return { kind: 'unknown', text: text.length > 80 ? `${text.slice(0, 77)}…` : text, loc: nodeLoc(ctx.sf, node) };
}

function isConstant(sources: ValueSource[]): boolean {
  return sources.length > 0 && sources.every((s) => s.kind === 'literal' || s.kind === 'constant-derived');
}

function requireSpecifier(expr: ts.Expression): string | null {
  const e = unwrap(expr);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1) {
    return stringValue(e.arguments[0]);
  }
  return null;
}

/**
 * Traces an expression to the ordered sources of its value. With `secret` (the default), string
 * literals reached are recorded in `secretLiterals`.
 */
export function traceValue(ctx: Ctx, expr: ts.Expression, secret = true): ValueSource[] {
  return trace(ctx, expr, { depth: 0, seen: new Set(), mark: secret });
}

function enter(w: Walk, node: ts.Node): Walk | null {
  if (w.depth >= MAX_DEPTH || w.seen.has(node)) return null;
  const seen = new Set(w.seen);
  seen.add(node);
  return { depth: w.depth + 1, seen, mark: w.mark, args: w.args };
}

/** The walk with a same-file function's parameters bound to a call's arguments (positional, no spreads). */
function bindArgs(fn: ts.FunctionLikeDeclaration, call: ts.Node, w: Walk, caller: Walk): Walk {
  if (!ts.isCallExpression(call) || call.arguments.length === 0) return w;
  const args = new Map(w.args);
  fn.parameters.forEach((p, i) => {
    const a = call.arguments[i] as ts.Expression | undefined;
    if (a && !p.dotDotDotToken && !ts.isSpreadElement(a)) args.set(p, { expr: a, w: caller });
  });
  return { ...w, args };
}

function trace(ctx: Ctx, expr: ts.Expression, w: Walk): ValueSource[] {
  const e = unwrap(expr);
  const read = ctx.readByNode.get(e);
  if (read !== undefined) return [{ kind: 'env', read }];
  const loop = ctx.loopReads.get(e);
  if (loop) return loop.map((id): ValueSource => ({ kind: 'env', read: id }));
  const envObject = envObjectAccessor(e);
  if (envObject !== null) return [{ kind: 'env-object', accessor: envObject, loc: nodeLoc(ctx.sf, e) }];
  const literal = stringValue(e);
  if (literal !== null) {
    if (w.mark) markSecretLiteral(ctx, e);
    return [{ kind: 'literal', length: literal.length, loc: nodeLoc(ctx.sf, e) }];
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === SK.QuestionQuestionToken || op === SK.BarBarToken) return [...trace(ctx, e.left, w), ...trace(ctx, e.right, w)];
    if (op === SK.PlusToken) return combine(ctx, e, [e.left, e.right], 'concatenation of literals', w);
    return [unknown(ctx, 'expression', e)];
  }
  if (ts.isTemplateExpression(e))
    return combine(
      ctx,
      e,
      e.templateSpans.map((s) => s.expression),
      'template of literals',
      w,
    );
  if (ts.isConditionalExpression(e)) return [...trace(ctx, e.whenTrue, w), ...trace(ctx, e.whenFalse, w)];
  if (ts.isIdentifier(e)) return traceIdentifier(ctx, e, w);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return traceMember(ctx, e, false, w);
  if (ts.isCallExpression(e)) return traceCall(ctx, e, w);
  if (ts.isObjectLiteralExpression(e)) return [unknown(ctx, 'object literal', e)];
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return [unknown(ctx, 'function', e)];
  if (ts.isNewExpression(e)) {
    const target = proxyTarget(e);
    return target ? trace(ctx, target, w) : [unknown(ctx, `new ${calleeText(e.expression)}()`, e)];
  }
  return [unknown(ctx, ts.SyntaxKind[e.kind] ?? 'expression', e)];
}

/** `new Proxy(target, handler)`: reads through it are reads of the target (the handler only adds fallbacks). */
function proxyTarget(e: ts.NewExpression): ts.Expression | null {
  const target = e.arguments?.[0];
  return ts.isIdentifier(e.expression) && e.expression.text === 'Proxy' && e.arguments?.length === 2 && target ? target : null;
}

function combine(ctx: Ctx, whole: ts.Expression, parts: ts.Expression[], description: string, w: Walk): ValueSource[] {
  const traced = parts.map((p) => trace(ctx, p, w));
  if (traced.every(isConstant)) return [{ kind: 'constant-derived', loc: nodeLoc(ctx.sf, whole), description }];
  const out: ValueSource[] = [];
  for (const t of traced) if (!isConstant(t)) out.push(...t);
  // `${view.slug}-${SECRET}`: a secret with per-object data mixed in is a key per object.
  const secret = (t: ValueSource[]): boolean => t.some((s) => s.kind === 'env' || s.kind === 'import');
  const other = parts.filter((_, i) => !isConstant(traced[i]) && !secret(traced[i]));
  if (traced.some(secret) && other.length > 0) {
    return [...out.filter((s) => s.kind !== 'unknown'), { kind: 'mixed', text: other.map((p) => calleeText(p)).join(', '), loc: nodeLoc(ctx.sf, whole) }];
  }
  return out;
}

function traceIdentifier(ctx: Ctx, id: ts.Identifier, w: Walk): ValueSource[] {
  if (id.text === 'undefined') return [unknown(ctx, 'undefined', id)];
  const decl = lookup(ctx, id);
  if (!decl) return [unknown(ctx, `global ${id.text}`, id)];
  return traceDeclaration(ctx, decl, id, [], false, w);
}

function bindingLabel(name: ts.BindingName): string {
  return ts.isIdentifier(name) ? name.text : '(destructured)';
}

function importSource(ctx: Ctx, decl: ts.Node, at: ts.Node, path: string[], call: boolean): ValueSource | null {
  let module: string | null = null;
  let name: string | null = null;
  let namespace = false;
  if (ts.isImportSpecifier(decl)) {
    module = stringValue(decl.parent.parent.parent.moduleSpecifier);
    name = (decl.propertyName ?? decl.name).text;
  } else if (ts.isImportClause(decl)) {
    module = stringValue(decl.parent.moduleSpecifier);
    name = 'default';
  } else if (ts.isNamespaceImport(decl)) {
    module = stringValue(decl.parent.parent.moduleSpecifier);
    namespace = true;
  } else if (ts.isImportEqualsDeclaration(decl) && ts.isExternalModuleReference(decl.moduleReference)) {
    module = stringValue(decl.moduleReference.expression);
    namespace = true;
  } else if (ts.isVariableDeclaration(decl) && decl.initializer) {
    module = requireSpecifier(decl.initializer);
    namespace = true;
  }
  if (module === null) return null;
  if (namespace) {
    name = path[0] ?? '*';
    path = path.slice(1);
  }
  return { kind: 'import', module, name: name ?? '*', path, call, loc: nodeLoc(ctx.sf, at) };
}

function traceDeclaration(ctx: Ctx, decl: ts.Node, at: ts.Node, path: string[], call: boolean, w0: Walk): ValueSource[] {
  const imported = importSource(ctx, decl, at, path, call);
  if (imported?.kind === 'import' && isJwtModule(imported.module)) {
    return [unknown(ctx, `result of ${imported.module}${[imported.name, ...imported.path].map((p) => `.${p}`).join('')}${call ? '()' : ''}`, at)];
  }
  if (imported) return [imported];
  const w = enter(w0, decl);
  if (!w) return [unknown(ctx, 'recursive or too deep', at)];
  if (ts.isVariableDeclaration(decl)) {
    if (!decl.initializer) return [unknown(ctx, `variable ${bindingLabel(decl.name)}`, at)];
    return tracePath(ctx, decl.initializer, path, call, at, w);
  }
  if (ts.isBindingElement(decl)) {
    const read = ctx.readByNode.get(decl);
    if (read !== undefined && path.length === 0 && !call) return [{ kind: 'env', read }];
    const fromRoot: string[] = [];
    let node: ts.Node = decl;
    while (ts.isBindingElement(node)) {
      const key = node.propertyName ? propName(node.propertyName) : ts.isIdentifier(node.name) ? node.name.text : null;
      if (key === null || node.dotDotDotToken) return [unknown(ctx, 'destructured value', at)];
      fromRoot.unshift(key);
      node = node.parent.parent;
    }
    const sources: ValueSource[] = [];
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node)) && node.initializer) {
      sources.push(...tracePath(ctx, node.initializer, [...fromRoot, ...path], call, at, w));
    } else {
      sources.push(unknown(ctx, `destructured ${ts.isParameter(node) ? 'parameter' : 'value'}`, at));
    }
    if (decl.initializer && !sources.some((s) => s.kind !== 'unknown')) sources.push(...trace(ctx, decl.initializer, w));
    return sources;
  }
  if (ts.isParameter(decl)) {
    const bound = w0.args?.get(decl);
    if (bound) return tracePath(ctx, bound.expr, path, call, at, bound.w);
    if (decl.initializer && path.length === 0 && !call) return trace(ctx, decl.initializer, w);
    return [unknown(ctx, `parameter ${bindingLabel(decl.name)}`, at)];
  }
  if (isFunctionLike(decl)) {
    if (!call || path.length > 0) return [unknown(ctx, 'function', at)];
    return traceReturns(ctx, decl, at, bindArgs(decl, at, w, w0));
  }
  if (ts.isClassDeclaration(decl) && path.length > 0) {
    return traceClassMember(ctx, decl, path, call, at, w, true);
  }
  if (ts.isEnumDeclaration(decl) && path.length === 1) {
    for (const m of decl.members) if (propName(m.name) === path[0] && m.initializer) return trace(ctx, m.initializer, w);
  }
  return [unknown(ctx, 'declaration', at)];
}

/** What a function returns, or with `path` the member of it (`getConfig().privateKey`). */
function traceReturns(ctx: Ctx, fn: ts.FunctionLikeDeclaration, at: ts.Node, w: Walk, path: string[] = []): ValueSource[] {
  const out: ValueSource[] = [];
  for (const r of returnExprs(ctx, fn)) out.push(...(path.length > 0 ? tracePath(ctx, r, path, false, at, w) : trace(ctx, r, w)));
  return out.length > 0 ? out : [unknown(ctx, 'function without a traceable return', at)];
}

function isStaticValue(value: ts.Node): boolean {
  const member = ts.isPropertyDeclaration(value.parent) && value.parent.initializer === value ? value.parent : value;
  if (!ts.isPropertyDeclaration(member) && !ts.isGetAccessorDeclaration(member) && !ts.isMethodDeclaration(member)) return false;
  return ts.getModifiers(member)?.some((m) => m.kind === SK.StaticKeyword) ?? false;
}

function traceClassMember(ctx: Ctx, cls: ts.ClassLikeDeclaration, path: string[], call: boolean, at: ts.Node, w: Walk, staticOnly: boolean): ValueSource[] {
  const [name, ...rest] = path;
  const out: ValueSource[] = [];
  for (const value of classMember(ctx, cls, name)) {
    if (staticOnly && !isStaticValue(value)) continue;
    // A member assigned from itself (`this.node = this.node.next` in a loop) would be followed forever.
    const inner = enter(w, value);
    if (!inner) continue;
    if (ts.isParameter(value)) {
      out.push(unknown(ctx, `constructor parameter ${name}`, at));
    } else if (ts.isGetAccessorDeclaration(value) || ts.isMethodDeclaration(value)) {
      const isGetter = ts.isGetAccessorDeclaration(value);
      if (isGetter && rest.length === 0 && !call) out.push(...traceReturns(ctx, value, at, inner));
      else if (!isGetter && call && rest.length === 0) out.push(...traceReturns(ctx, value, at, inner));
      else if (isGetter) for (const r of returnExprs(ctx, value)) out.push(...tracePath(ctx, r, rest, call, at, inner));
    } else if (ts.isPropertyDeclaration(value)) {
      if (classMember(ctx, cls, name).length === 1) out.push(unknown(ctx, `field ${name}`, at));
    } else if (ts.isExpression(value)) {
      out.push(...tracePath(ctx, value, rest, call, at, inner));
    }
  }
  return out.length > 0 ? out : [unknown(ctx, `member ${name}`, at)];
}

function memberChain(expr: ts.Expression): { root: ts.Expression; path: string[] } | null {
  const path: string[] = [];
  let e = unwrap(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      path.unshift(e.name.text);
      e = unwrap(e.expression);
    } else if (ts.isElementAccessExpression(e)) {
      const key = stringValue(unwrap(e.argumentExpression));
      if (key === null) return null;
      path.unshift(key);
      e = unwrap(e.expression);
    } else {
      return { root: e, path };
    }
  }
}

function objectValues(ctx: Ctx, expr: ts.Expression, depth: number): ts.Expression[] | null {
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) {
    const out: ts.Expression[] = [];
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) out.push(p.initializer);
      else if (ts.isShorthandPropertyAssignment(p)) out.push(p.name);
    }
    return out;
  }
  if (ts.isIdentifier(e) && depth < 3) {
    const decl = lookup(ctx, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return objectValues(ctx, decl.initializer, depth + 1);
  }
  return null;
}

function traceMember(ctx: Ctx, e: ts.PropertyAccessExpression | ts.ElementAccessExpression, call: boolean, w: Walk): ValueSource[] {
  const chain = memberChain(e);
  if (!chain && ts.isElementAccessExpression(e) && !call) {
    const values = objectValues(ctx, e.expression, 0);
    if (values && values.length > 0) return values.flatMap((v) => trace(ctx, v, w));
  }
  if (!chain) return [unknown(ctx, `${calleeText(e)} (computed)`, e)];
  return tracePath(ctx, chain.root, chain.path, call, e, w);
}

function tracePath(ctx: Ctx, rootExpr: ts.Expression, path: string[], call: boolean, at: ts.Node, w: Walk): ValueSource[] {
  const root = unwrap(rootExpr);
  if (path.length === 0 && !call) return trace(ctx, root, w);
  if (path.length === 0 && call) {
    if (ts.isArrowFunction(root) || ts.isFunctionExpression(root)) return traceReturns(ctx, root, at, bindArgs(root, at, w, w));
    const sources = trace(ctx, root, w);
    return sources.map((s) => (s.kind === 'import' && !s.call ? { ...s, call: true } : s));
  }
  const schema = ctx.schemaReads.get(root);
  if (schema) {
    const [key, ...rest] = path[0] === 'data' && path.length > 1 ? path.slice(1) : path;
    const read = schema.get(key);
    if (read !== undefined && rest.length === 0 && !call) return [{ kind: 'env', read }];
  }
  const envObject = envObjectAccessor(root);
  const member = ts.isPropertyAccessExpression(at) ? at.name.text : ts.isElementAccessExpression(at) ? stringValue(unwrap(at.argumentExpression)) : null;
  if (envObject !== null && path.length === 1 && !call && member === path[0] && (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at))) {
    // `env.X` where `env` is a parameter a same-file caller passed `process.env` to.
    const read = tracedRead(ctx, at, path[0], envObject);
    if (read >= 0) return [{ kind: 'env', read }];
  }
  if (ts.isCallExpression(root) && !call) {
    // `getConfig().privateKey`: the member of what a same-file function returns.
    const callee = unwrap(root.expression);
    const fn = ts.isIdentifier(callee) ? localFunction(ctx, callee) : null;
    const inner = fn ? enter(w, fn) : null;
    if (fn && inner) return traceReturns(ctx, fn, at, bindArgs(fn, root, inner, w), path);
  }
  const spec = requireSpecifier(root);
  if (spec !== null) return [{ kind: 'import', module: spec, name: path[0], path: path.slice(1), call, loc: nodeLoc(ctx.sf, at) }];
  if (ts.isIdentifier(root)) {
    const decl = lookup(ctx, root);
    if (!decl) return [unknown(ctx, `global ${calleeText(root)}.${path.join('.')}${call ? '()' : ''}`, at)];
    return traceDeclaration(ctx, decl, at, path, call, w);
  }
  if (root.kind === SK.ThisKeyword) {
    const cls = enclosingClass(root);
    if (cls) return traceClassMember(ctx, cls, path, call, at, w, false);
  }
  if (ts.isObjectLiteralExpression(root)) {
    const [name, ...rest] = path;
    for (const p of root.properties) {
      if (propName(p.name) !== name) continue;
      if (ts.isPropertyAssignment(p)) return tracePath(ctx, p.initializer, rest, call, at, w);
      if (ts.isShorthandPropertyAssignment(p)) return tracePath(ctx, p.name, rest, call, at, w);
      if ((ts.isMethodDeclaration(p) && call) || ts.isGetAccessorDeclaration(p)) {
        return rest.length === 0 ? traceReturns(ctx, p, at, w) : [unknown(ctx, `member ${name}`, at)];
      }
    }
    return [unknown(ctx, `property ${name}`, at)];
  }
  if (ts.isNewExpression(root) && ts.isIdentifier(root.expression)) {
    const decl = lookup(ctx, root.expression);
    if (decl && ts.isClassDeclaration(decl)) return traceClassMember(ctx, decl, path, call, at, w, false);
  }
  if (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) {
    const chain = memberChain(root);
    if (chain) return tracePath(ctx, chain.root, [...chain.path, ...path], call, at, w);
  }
  return [unknown(ctx, `${calleeText(root)}.${path.join('.')}${call ? '()' : ''}`, at)];
}

function derive(ctx: Ctx, whole: ts.Expression, args: ts.Expression[], description: string, w: Walk): ValueSource[] {
  const sources: ValueSource[] = [];
  for (const a of args) sources.push(...trace(ctx, a, w));
  if (isConstant(sources)) return [{ kind: 'constant-derived', loc: nodeLoc(ctx.sf, whole), description }];
  return sources;
}

function hashChain(call: ts.CallExpression): { inputs: ts.Expression[]; algorithmCall: ts.CallExpression } | null {
  const inputs: ts.Expression[] = [];
  let e: ts.Expression = unwrap(call.expression);
  while (ts.isPropertyAccessExpression(e)) {
    const inner = unwrap(e.expression);
    if (!ts.isCallExpression(inner)) return null;
    const callee = unwrap(inner.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (HASH_FACTORIES.has(name)) {
      if (name === 'createHmac' && inner.arguments[1]) inputs.push(inner.arguments[1]);
      return { inputs, algorithmCall: inner };
    }
    if (name === 'update' && inner.arguments[0]) inputs.push(inner.arguments[0]);
    e = callee;
  }
  return null;
}

function traceCall(ctx: Ctx, call: ts.CallExpression, w: Walk): ValueSource[] {
  const callee = unwrap(call.expression);
  const args = [...call.arguments];
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'String' && args[0]) return trace(ctx, args[0], w);
    if (KEY_OBJECTS.has(callee.text) && args[0]) return derive(ctx, call, [args[0]], 'key object from constants', w);
    if (callee.text === 'require') return [unknown(ctx, 'require()', call)];
    const decl = lookup(ctx, callee);
    const slot = slotKey(call, 'get');
    // A registry getter not written in this file: the value is whatever start-up code stored in the slot.
    if (slot !== null && (!decl || importSource(ctx, decl, call, [], true) !== null)) return [{ kind: 'slot', key: slot, loc: nodeLoc(ctx.sf, call) }];
    if (!decl) return [unknown(ctx, `call to ${callee.text}()`, call)];
    return traceDeclaration(ctx, decl, call, [], true, w);
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const recv = unwrap(callee.expression);
    const recvText = calleeText(recv);
    if (PASSTHROUGH_METHODS.has(method)) return trace(ctx, recv, w);
    if (method === 'repeat' && stringValue(recv) !== null) return derive(ctx, call, [recv], 'repeated literal', w);
    if ((recvText === 'Buffer' && method === 'from') || (recvText === 'Uint8Array' && method === 'from')) {
      return args[0] ? derive(ctx, call, [args[0]], `${recvText}.from of a literal`, w) : [unknown(ctx, `${recvText}.from()`, call)];
    }
    if (method === 'encode' && ts.isNewExpression(recv) && calleeText(recv.expression) === 'TextEncoder' && args[0]) {
      return derive(ctx, call, [args[0]], 'TextEncoder of a literal', w);
    }
    if (KEY_OBJECTS.has(method) && args[0]) return derive(ctx, call, [args[0]], 'key object from constants', w);
    if (method === 'digest') {
      const chain = hashChain(call);
      if (chain && chain.inputs.length > 0) return derive(ctx, call, chain.inputs, 'hash of a literal', w);
    }
    const slot = slotKey(call, 'get');
    if (slot !== null && ts.isIdentifier(recv)) {
      const decl = lookup(ctx, recv);
      if (decl && importSource(ctx, decl, call, [], true) !== null) return [{ kind: 'slot', key: slot, loc: nodeLoc(ctx.sf, call) }];
    }
    const chain = memberChain(callee);
    if (chain) return tracePath(ctx, chain.root, chain.path, true, call, w);
  }
  return [unknown(ctx, `call to ${calleeText(callee)}()`, call)];
}
