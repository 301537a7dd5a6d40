// TS/JS WebSocket handler analysis: walks a connection path (handlers, middleware, guards, same-file helpers) and collects credentials, calls, identities, shared writes and DB sessions.
import { ts } from '../compiler.js';
import type { FunctionFact, Loc, TokenSource, WsCall, WsClientIdentity } from '../../facts.js';
import {
  AUTH_URL,
  CREDENTIAL_KEY,
  DB_RECEIVER,
  DELEGATE_METHOD,
  DELEGATE_RECEIVER,
  HTTP_CALL,
  IDENTITY_KEY,
  QUERY_CREDENTIAL_KEY,
  TICKET_KEY,
  emptyCollect,
  functionFactFrom,
  pushIdentity,
  pushSource,
  pushWrite,
  type Collect,
} from '../../websocket.js';
import { type Ctx, SK, calleeText, enclosingClass, isFunctionLike, lookup, nodeLoc, propName, scopeName, stringValue, unwrap } from '../context.js';
import {
  callRef,
  chain,
  initializerOf,
  insideNestedFunction,
  isInside,
  localDecl,
  nameNodeOf,
  objectProp,
  rootIdentifier,
  sameFileFunction,
} from './syntax.js';

const MAX_FOLLOW = 4;
const WRITE_METHODS = new Set(['push', 'set', 'add', 'unshift', 'splice', 'assign']);
const REMOVE_METHODS = new Set(['delete', 'splice', 'pop', 'shift', 'clear', 'remove']);
const DB_METHOD = /^(connect|createQueryRunner|getConnection|acquire|startTransaction|transaction|\$transaction|beginTransaction|startSession)$/;
const IGNORED_EVENTS = new Set([
  'connection',
  'connect',
  'disconnect',
  'disconnecting',
  'close',
  'error',
  'open',
  'upgrade',
  'headers',
  'listening',
  'pong',
  'ping',
]);
const HOCUSPOCUS = '@hocuspocus/server';

/** One walk over a connection path. */
export interface PathWalk {
  ctx: Ctx;
  c: Collect;
  /** Variables holding what the client sent. */
  msgVars: Set<string>;
  /** Class fields are shared by every connection (a NestJS gateway is a singleton). */
  sharedThis: boolean;
  /** Writes count only in code that runs per connection or per message (not in setup and lifecycle hooks). */
  perConnection: boolean;
  /** The function that runs once per connection: DB sessions opened directly in it live as long as the socket. */
  connection: ts.Node | null;
  seen: Set<ts.Node>;
}

export function newWalk(ctx: Ctx, c: Collect, opts: Partial<Pick<PathWalk, 'sharedThis' | 'perConnection' | 'connection'>> = {}): PathWalk {
  return {
    ctx,
    c,
    msgVars: new Set(),
    sharedThis: opts.sharedThis ?? false,
    perConnection: opts.perConnection ?? true,
    connection: opts.connection ?? null,
    seen: new Set(),
  };
}

function headerSource(key: string): TokenSource | null {
  const k = key.toLowerCase();
  if (k === 'authorization') return 'header';
  if (k === 'sec-websocket-protocol') return 'subprotocol';
  if (k === 'cookie' || k === 'cookies') return 'cookie';
  return CREDENTIAL_KEY.test(k) ? 'header' : null;
}

/** Whether an expression is the target of an assignment (`msg.userId = x` writes, it does not read). */
function isAssignTarget(node: ts.Node): boolean {
  let n = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent))) n = n.parent;
  const p = n.parent;
  return p !== undefined && ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind >= SK.FirstAssignment && p.operatorToken.kind <= SK.LastAssignment;
}

/** What a property access shows: a credential or client identity, or (`msg.token`) a key of a variable that may hold what the client sent. */
type AccessKind =
  | { kind: 'source'; source: TokenSource; at: Loc }
  | { kind: 'identity'; source: WsClientIdentity['source']; name: string; at: Loc }
  | { kind: 'message'; head: string; key: string; at: Loc };

function accessKind(ctx: Ctx, node: ts.PropertyAccessExpression | ts.ElementAccessExpression): AccessKind | null {
  const segs = chain(node);
  if (!segs || segs.length < 2 || isAssignTarget(node)) return null;
  const last = segs[segs.length - 1];
  const prev = segs[segs.length - 2];
  const at = nodeLoc(ctx.sf, nameNodeOf(node));
  if (prev === 'handshake' && last === 'auth') return { kind: 'source', source: 'auth-payload', at };
  if (prev === 'query' || prev === 'searchParams') {
    if (QUERY_CREDENTIAL_KEY.test(last)) return { kind: 'source', source: 'query', at };
    if (TICKET_KEY.test(last)) return { kind: 'source', source: 'ticket', at };
    return IDENTITY_KEY.test(last) ? { kind: 'identity', source: 'query', name: last, at } : null;
  }
  if (prev === 'params' && segs.length >= 3 && /^(req|request|ctx|context)$/.test(segs[segs.length - 3])) {
    if (QUERY_CREDENTIAL_KEY.test(last)) return { kind: 'source', source: 'path', at };
    return IDENTITY_KEY.test(last) ? { kind: 'identity', source: 'path', name: last, at } : null;
  }
  if (prev === 'headers') {
    const source = headerSource(last);
    return source ? { kind: 'source', source, at } : null;
  }
  if (prev === 'cookies' || last === 'cookies') return { kind: 'source', source: 'cookie', at };
  return segs.length === 2 ? { kind: 'message', head: segs[0], key: last, at } : null;
}

/** Applies what an access shows to a walk (a message key counts when its variable holds what the client sent). */
function applyAccess(w: PathWalk, access: AccessKind | null): void {
  if (access === null) return;
  if (access.kind === 'source') pushSource(w.c, access.source, access.at);
  else if (access.kind === 'identity') pushIdentity(w.c, access.source, access.name, access.at);
  else if (w.msgVars.has(access.head)) {
    if (CREDENTIAL_KEY.test(access.key)) pushSource(w.c, 'first-message', access.at);
    else if (IDENTITY_KEY.test(access.key)) pushIdentity(w.c, 'message', access.key, access.at);
  }
}

/** Classifies a property access (`handshake.auth`, `headers.authorization`, `query.token`, `params.token`, `msg.userId`). */
function classifyAccess(w: PathWalk, node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
  applyAccess(w, accessKind(w.ctx, node));
}

/** The variable a call's value is declared into (`const token = params.get('t')`). */
function declaredName(node: ts.Node): string | null {
  let n = node;
  while (
    n.parent &&
    (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isAsExpression(n.parent))
  )
    n = n.parent;
  const p = n.parent;
  if (p && ts.isBinaryExpression(p) && (p.operatorToken.kind === SK.BarBarToken || p.operatorToken.kind === SK.QuestionQuestionToken)) return declaredName(p);
  return p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) ? p.name.text : null;
}

/** `params.get('token')` on URLSearchParams-like receivers, `headers.get('authorization')`. */
function classifyGet(w: PathWalk, call: ts.CallExpression): void {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get') return;
  const arg = call.arguments[0];
  const key = arg ? stringValue(unwrap(arg)) : null;
  if (key === null || !arg) return;
  const receiver = unwrap(callee.expression);
  const receiverText = receiver.getText(w.ctx.sf);
  let queryish = /searchParams|URLSearchParams|query/i.test(receiverText);
  if (!queryish && ts.isIdentifier(receiver)) queryish = /searchParams|URLSearchParams|query/i.test(initializerOf(w.ctx, receiver)?.getText(w.ctx.sf) ?? '');
  const at = nodeLoc(w.ctx.sf, arg);
  if (queryish) {
    const target = declaredName(call);
    if (QUERY_CREDENTIAL_KEY.test(key) || (target !== null && QUERY_CREDENTIAL_KEY.test(target))) pushSource(w.c, 'query', at);
    else if (TICKET_KEY.test(key)) pushSource(w.c, 'ticket', at);
    else if (IDENTITY_KEY.test(key)) pushIdentity(w.c, 'query', key, at);
  } else if (/headers/i.test(receiverText)) {
    const source = headerSource(key);
    if (source) pushSource(w.c, source, at);
  }
}

/** `const token = url.pathname.slice(1)`: a credential taken from the URL path. */
function classifyPathToken(w: PathWalk, decl: ts.VariableDeclaration): void {
  if (!ts.isIdentifier(decl.name) || !decl.initializer || !QUERY_CREDENTIAL_KEY.test(decl.name.text)) return;
  let found: ts.Node | null = null;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'pathname') found = n.name;
    else if (ts.isPropertyAccessExpression(n) && n.name.text === 'url' && /^(req|request|upgradeReq|incoming)$/.test(n.expression.getText(w.ctx.sf))) {
      const parent = n.parent;
      if (ts.isPropertyAccessExpression(parent) && /^(split|substring|substr|slice|match|replace)$/.test(parent.name.text)) found = n.name;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(decl.initializer);
  if (found) pushSource(w.c, 'path', nodeLoc(w.ctx.sf, found));
}

function classifyBinding(w: PathWalk, pattern: ts.ObjectBindingPattern): void {
  for (const el of pattern.elements) {
    const key = propName(el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined));
    if (!key) continue;
    const at = nodeLoc(w.ctx.sf, el.propertyName ?? el.name);
    if (CREDENTIAL_KEY.test(key)) pushSource(w.c, 'first-message', at);
    else if (IDENTITY_KEY.test(key)) pushIdentity(w.c, 'message', key, at);
  }
}

/** The variables whose holding what the client sent makes an expression (a field of) it: `msg`, `JSON.parse(raw)`. */
function messageVariables(ctx: Ctx, expr: ts.Expression, out: string[] = []): string[] {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) out.push(e.text);
  else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) messageVariables(ctx, e.expression, out);
  else if (ts.isCallExpression(e) && /^(JSON\.parse|parse)$/.test(e.expression.getText(ctx.sf))) for (const a of e.arguments) messageVariables(ctx, a, out);
  return out;
}

/** Whether an expression is (a field of) what the client sent. */
function fromMessage(w: PathWalk, expr: ts.Expression): boolean {
  return messageVariables(w.ctx, expr).some((name) => w.msgVars.has(name));
}

/** `{ user: verified, ...payload }`: a client payload spread after the identity replaces it. */
function spreadOverIdentity(w: PathWalk, obj: ts.ObjectLiteralExpression): void {
  let identity: string | null = null;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) {
      const key = propName(p.name);
      if (key !== null && IDENTITY_KEY.test(key)) identity = key;
    } else if (ts.isSpreadAssignment(p) && identity !== null && fromMessage(w, p.expression)) {
      pushIdentity(w.c, 'message', identity, nodeLoc(w.ctx.sf, p));
    }
  }
}

function isDelegation(ctx: Ctx, call: ts.CallExpression): boolean {
  const segs = chain(call.expression)?.map((s) => s.replace(/\(\)$/, ''));
  if (!segs) return false;
  const method = segs[segs.length - 1];
  const receiver = segs.slice(0, -1).join('.');
  if (receiver && DELEGATE_METHOD.test(method) && DELEGATE_RECEIVER.test(receiver) && !/jwt|jose/i.test(receiver)) return true;
  const callee = segs.join('.');
  if (!HTTP_CALL.test(callee) || !(segs.length === 1 || /^(get|post|request|put|fetch)$/.test(method))) return false;
  const first = call.arguments[0];
  return first !== undefined && AUTH_URL.test(first.getText(ctx.sf));
}

/** A module-level variable declaration an identifier names (not a parameter or a local). */
function moduleVariable(ctx: Ctx, id: ts.Identifier): ts.VariableDeclaration | null {
  const decl = lookup(ctx, id);
  if (!decl || !ts.isVariableDeclaration(decl) || localDecl(ctx, id)) return null;
  return decl;
}

/** `if (!x) x = …`, `x ??= …`: a lazily created singleton, written once, not per connection. */
function getOrCreate(ctx: Ctx, assignment: ts.BinaryExpression, name: string): boolean {
  if (assignment.operatorToken.kind === SK.QuestionQuestionEqualsToken || assignment.operatorToken.kind === SK.BarBarEqualsToken) return true;
  const pattern = new RegExp(`(^|[^\\w.])!\\s*${name}\\b|\\b${name}\\s*={2,3}\\s*(null|undefined)\\b`);
  for (let p: ts.Node | undefined = assignment.parent; p && !isFunctionLike(p); p = p.parent) {
    if (ts.isIfStatement(p) && pattern.test(p.expression.getText(ctx.sf))) return true;
  }
  return false;
}

/** `axios.defaults.headers…`: the defaults of an HTTP client (writeTarget only returns such names for imported or module-level clients). */
function httpClientDefaults(target: string): { httpClient?: true } {
  return /(^|\.)defaults\.headers/.test(target) ? { httpClient: true } : {};
}

/** The module-level or gateway-field state a write target refers to, or null for connection-local state. */
function writeTarget(w: PathWalk, expr: ts.Expression, assign: ts.BinaryExpression | null = null): string | null {
  const { ctx } = w;
  const segs = chain(expr);
  if (!segs) return null;
  const e = unwrap(expr);
  if (segs[0] === 'this' && segs.length >= 2) {
    const cls = enclosingClass(e);
    return w.sharedThis && cls?.name ? `${cls.name.text}.${segs[1]}` : null;
  }
  const head = rootIdentifier(e);
  if (!head) return null;
  if (/(^|\.)defaults\.headers/.test(segs.join('.'))) {
    // An HTTP client's defaults: shared when the client is imported or module-level.
    return (ctx.imports.has(head.text) && !localDecl(ctx, head)) || moduleVariable(ctx, head) ? segs.join('.') : null;
  }
  const decl = moduleVariable(ctx, head);
  if (!decl) return null;
  const init = decl.initializer ? unwrap(decl.initializer) : null;
  if (assign && segs.length === 1) {
    const isLet = (decl.parent.flags & ts.NodeFlags.Let) !== 0 || (decl.parent.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) === 0;
    return isLet && !getOrCreate(ctx, assign, head.text) ? head.text : null;
  }
  const mutable =
    !init ||
    ts.isArrayLiteralExpression(init) ||
    ts.isObjectLiteralExpression(init) ||
    (ts.isNewExpression(init) && /Map|Set|Array|Object/.test(init.expression.getText(ctx.sf)));
  return mutable ? head.text : null;
}

function messageParams(w: PathWalk, fn: ts.FunctionLikeDeclaration, into: Set<string>): void {
  for (const p of fn.parameters) {
    if (ts.isIdentifier(p.name)) into.add(p.name.text);
    else if (ts.isObjectBindingPattern(p.name)) classifyBinding(w, p.name);
  }
}

/** A Hocuspocus server a socket is handed to (`hocuspocus.handleConnection(ws, req)`): its `onAuthenticate` and extensions are on the path. */
function hocuspocusHandoff(w: PathWalk, call: ts.CallExpression, depth: number): void {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'handleConnection') return;
  const init = initializerOf(w.ctx, callee.expression);
  if (!init) return;
  const fromHocuspocus = (expr: ts.Expression): boolean => {
    const id = rootIdentifier(expr);
    return id !== null && w.ctx.imports.get(id.text)?.module === HOCUSPOCUS;
  };
  let options: ts.Expression | undefined;
  if (ts.isNewExpression(init) && fromHocuspocus(init.expression)) options = init.arguments?.[0];
  else if (
    ts.isCallExpression(init) &&
    ts.isPropertyAccessExpression(init.expression) &&
    init.expression.name.text === 'configure' &&
    fromHocuspocus(init.expression)
  )
    options = init.arguments[0];
  if (!options) return;
  const follow = (expr: ts.Expression): void => {
    const e = unwrap(expr);
    const local = isFunctionLike(e) ? e : sameFileFunction(w.ctx, e);
    if (local) walkNode(w, local, depth + 1);
    else {
      const ref = callRef(w.ctx, e, nodeLoc(w.ctx.sf, e));
      if (ref) w.c.calls.push(ref);
    }
  };
  const hook = objectProp(w.ctx, options, 'onAuthenticate');
  if (hook) follow(hook);
  const extensions = objectProp(w.ctx, options, 'extensions');
  const list = extensions ? unwrap(extensions) : null;
  if (list && ts.isArrayLiteralExpression(list)) {
    for (const el of list.elements) {
      const item = unwrap(el);
      if (ts.isNewExpression(item)) follow(item.expression);
    }
  }
}

function visitCall(w: PathWalk, n: ts.CallExpression, depth: number, root: ts.Node, msgVars: Set<string>): void {
  const { ctx, c } = w;
  const callee = unwrap(n.expression);
  const ref = callRef(ctx, callee, nodeLoc(ctx.sf, ts.isPropertyAccessExpression(callee) ? callee.name : callee));
  if (ref && !(ref.module === null && localDecl(ctx, callee))) c.calls.push(ref);
  if (isDelegation(ctx, n)) c.delegations.push(nodeLoc(ctx.sf, callee));
  classifyGet(w, n);
  hocuspocusHandoff(w, n, depth);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    // `x.on('message', (data) => …)`: the callback's parameters carry what the client sent.
    if (method === 'on' || method === 'once' || method === 'addEventListener') {
      const event = n.arguments[0] ? stringValue(unwrap(n.arguments[0])) : null;
      const cb = n.arguments[1] ? unwrap(n.arguments[1]) : null;
      if (event && !IGNORED_EVENTS.has(event) && cb && isFunctionLike(cb)) messageParams(w, cb, msgVars);
    }
    if (w.perConnection && (WRITE_METHODS.has(method) || REMOVE_METHODS.has(method))) {
      const target = writeTarget(w, callee.expression);
      if (target && REMOVE_METHODS.has(method) && method !== 'splice') c.removals.add(target);
      else if (target && method === 'splice' && n.arguments.length <= 2) c.removals.add(target);
      else if (target) pushWrite(c, { name: target, how: method, loc: nodeLoc(ctx.sf, callee.name), ...httpClientDefaults(target) });
    }
    const receiver = chain(callee.expression);
    const receiverName = receiver?.[receiver.length - 1]?.replace(/\(\)$/, '') ?? '';
    if (w.connection && DB_METHOD.test(method) && DB_RECEIVER.test(receiverName) && !insideNestedFunction(n, w.connection)) {
      c.sessions.push({ name: `${calleeText(callee.expression)}.${method}`, kind: 'around-loop', loc: nodeLoc(ctx.sf, callee.name) });
    }
  }
  if (ref && ref.module === null && depth < MAX_FOLLOW) {
    const target = sameFileFunction(ctx, callee);
    if (target && !isInside(target, root)) walkNode(w, target, depth + 1);
  }
}

/** Collects what lies on a connection path inside one function or class, following same-file functions. */
export function walkNode(w: PathWalk, root: ts.Node, depth = 0): void {
  const { ctx, c } = w;
  if (w.seen.has(root) || depth > MAX_FOLLOW) return;
  w.seen.add(root);
  c.spans.push(nodeLoc(ctx.sf, root));
  const msgVars = w.msgVars;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      visitCall(w, n, depth, root, msgVars);
    } else if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      classifyAccess(w, n);
    } else if (ts.isVariableDeclaration(n) && n.initializer) {
      classifyPathToken(w, n);
      const init = unwrap(n.initializer);
      const parsed = ts.isCallExpression(init) && /^(JSON\.parse|parse)$/.test(init.expression.getText(ctx.sf));
      if (parsed || fromMessage(w, init)) {
        if (ts.isIdentifier(n.name)) msgVars.add(n.name.text);
        else if (ts.isObjectBindingPattern(n.name)) classifyBinding(w, n.name);
      }
    } else if (ts.isObjectLiteralExpression(n)) {
      spreadOverIdentity(w, n);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= SK.FirstAssignment && n.operatorToken.kind <= SK.LastAssignment && w.perConnection) {
      const left = unwrap(n.left);
      const target = writeTarget(w, left, n);
      const right = unwrap(n.right);
      const filtered = ts.isCallExpression(right) && ts.isPropertyAccessExpression(right.expression) && right.expression.name.text === 'filter';
      if (target && filtered) c.removals.add(target);
      else if (target)
        pushWrite(c, {
          name: target,
          how: ts.isElementAccessExpression(left) ? 'item-assign' : 'assign',
          loc: nodeLoc(ctx.sf, left),
          ...httpClientDefaults(target),
        });
    } else if (ts.isDeleteExpression(n)) {
      const target = writeTarget(w, n.expression);
      if (target) c.removals.add(target);
    } else if (ts.isParameter(n)) {
      const decorators = ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []) : [];
      if (decorators.some((d) => /MessageBody/.test(d.expression.getText(ctx.sf)))) {
        if (ts.isIdentifier(n.name)) msgVars.add(n.name.text);
        else if (ts.isObjectBindingPattern(n.name)) classifyBinding(w, n.name);
      }
    }
    ts.forEachChild(n, visit);
  };
  if (ts.isClassLike(root)) {
    ts.forEachChild(root, visit);
  } else if (isFunctionLike(root)) {
    for (const p of root.parameters) visit(p);
    if (root.body && ts.isBlock(root.body)) ts.forEachChild(root.body, visit);
    else if (root.body) visit(root.body);
  } else {
    visit(root);
  }
}

/**
 * What one node adds to a function fact — a function fact is a connection-path walk (`walkNode`)
 * with nothing followed, no writes and no sessions, of which only calls, token sources and
 * delegations are kept. Computed once per node and replayed for every function around it; what
 * depends on the walk (`msg.token` counts only where `msg` holds what the client sent) is kept as a
 * condition on the walk's message variables.
 */
interface FactEvents {
  calls: WsCall[];
  delegations: Loc[];
  sources: { source: TokenSource; loc: Loc }[];
  /** Variables that hold what the client sent from here on (callback parameters, `@MessageBody()`). */
  adds: string[];
  access?: AccessKind;
  /** `const x = <expr>`: when `parsed` or one of `when` holds what the client sent, `adds` `name` or pushes `binding`. */
  decl?: { parsed: boolean; when: string[]; name: string | null; binding: { source: TokenSource; loc: Loc }[] };
}

function factEvents(ctx: Ctx, n: ts.Node): FactEvents | null {
  if (ts.isCallExpression(n)) {
    const tmp = newWalk(ctx, emptyCollect(), { perConnection: false });
    visitCall(tmp, n, MAX_FOLLOW, n, tmp.msgVars);
    return { calls: tmp.c.calls, delegations: tmp.c.delegations, sources: tmp.c.tokenSources, adds: [...tmp.msgVars] };
  }
  if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
    const access = accessKind(ctx, n);
    return access && access.kind !== 'identity' ? { calls: [], delegations: [], sources: [], adds: [], access } : null;
  }
  if (ts.isVariableDeclaration(n) && n.initializer) {
    const tmp = newWalk(ctx, emptyCollect(), { perConnection: false });
    classifyPathToken(tmp, n);
    const sources = tmp.c.tokenSources;
    const init = unwrap(n.initializer);
    const parsed = ts.isCallExpression(init) && /^(JSON\.parse|parse)$/.test(init.expression.getText(ctx.sf));
    let binding: { source: TokenSource; loc: Loc }[] = [];
    if (ts.isObjectBindingPattern(n.name)) {
      const b = newWalk(ctx, emptyCollect(), { perConnection: false });
      classifyBinding(b, n.name);
      binding = b.c.tokenSources;
    }
    const name = ts.isIdentifier(n.name) ? n.name.text : null;
    return { calls: [], delegations: [], sources, adds: [], decl: { parsed, when: parsed ? [] : messageVariables(ctx, init), name, binding } };
  }
  if (ts.isParameter(n)) {
    const decorators = ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []) : [];
    if (!decorators.some((d) => /MessageBody/.test(d.expression.getText(ctx.sf)))) return null;
    const tmp = newWalk(ctx, emptyCollect(), { perConnection: false });
    if (ts.isIdentifier(n.name)) tmp.msgVars.add(n.name.text);
    else if (ts.isObjectBindingPattern(n.name)) classifyBinding(tmp, n.name);
    return { calls: [], delegations: [], sources: tmp.c.tokenSources, adds: [...tmp.msgVars] };
  }
  return null;
}

const FACT_KINDS = new Set<ts.SyntaxKind>([SK.CallExpression, SK.PropertyAccessExpression, SK.ElementAccessExpression, SK.VariableDeclaration, SK.Parameter]);

/** Function facts for named functions, methods and classes: calls, token reads, delegations. */
export function functionFacts(ctx: Ctx): FunctionFact[] {
  const out: FunctionFact[] = [];
  const memo = new Map<ts.Node, FactEvents | null>();
  const eventsOf = (n: ts.Node): FactEvents | null => {
    let ev = memo.get(n);
    if (ev === undefined) {
      ev = factEvents(ctx, n);
      memo.set(n, ev);
    }
    return ev;
  };
  // The nodes `walkNode` visits, in its order: a class's children, or a function's parameters and body.
  const region = (root: ts.Node): ts.Node[] => {
    if (ts.isClassLike(root)) {
      const kids: ts.Node[] = [];
      ts.forEachChild(root, (k) => void kids.push(k));
      return kids;
    }
    if (isFunctionLike(root)) {
      const kids: ts.Node[] = [...root.parameters];
      if (root.body && ts.isBlock(root.body)) ts.forEachChild(root.body, (k) => void kids.push(k));
      else if (root.body) kids.push(root.body);
      return kids;
    }
    return [root];
  };
  const factOf = (root: ts.Node): Collect => {
    const c = emptyCollect();
    const msgVars = new Set<string>();
    const stack = region(root).reverse();
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      const ev = FACT_KINDS.has(n.kind) ? eventsOf(n) : null;
      if (ev) {
        c.calls.push(...ev.calls);
        c.delegations.push(...ev.delegations);
        for (const s of ev.sources) pushSource(c, s.source, s.loc);
        for (const name of ev.adds) msgVars.add(name);
        const access = ev.access;
        if (access?.kind === 'source') pushSource(c, access.source, access.at);
        else if (access?.kind === 'message' && msgVars.has(access.head) && CREDENTIAL_KEY.test(access.key)) pushSource(c, 'first-message', access.at);
        const decl = ev.decl;
        if (decl && (decl.parsed || decl.when.some((v) => msgVars.has(v)))) {
          if (decl.name !== null) msgVars.add(decl.name);
          else for (const s of decl.binding) pushSource(c, s.source, s.loc);
        }
      }
      const kids: ts.Node[] = [];
      ts.forEachChild(n, (k) => void kids.push(k));
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
    return c;
  };
  const stack: ts.Node[] = [ctx.sf];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if ((isFunctionLike(n) && n.body) || ts.isClassDeclaration(n)) {
      const name = ts.isClassDeclaration(n) ? (n.name?.text ?? null) : n.body ? scopeName(n.body) : null;
      if (name) out.push(functionFactFrom(name, nodeLoc(ctx.sf, n), factOf(n)));
    }
    const kids: ts.Node[] = [];
    ts.forEachChild(n, (k) => void kids.push(k));
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
}
