// TS/JS WebSocket endpoints: NestJS gateways, socket.io servers and namespaces, `ws` servers, uWebSockets.js routes.
import { ts } from 'ts-morph';
import type { FunctionFact, Loc, TokenSource, WsCall, WsClientIdentity, WsDbSession, WsEndpoint, WsSharedState } from '../../model/facts.js';
import { AUTH_URL, CREDENTIAL_KEY, DELEGATE_METHOD, DELEGATE_RECEIVER, HTTP_CALL, IDENTITY_KEY } from '../../model/websocket.js';
import { type Ctx, SK, calleeText, enclosingClass, isFunctionLike, lookup, nodeLoc, propName, scopeName, stringValue, unwrap } from './context.js';

const MAX_FOLLOW = 4;
const WRITE_METHODS = new Set(['push', 'set', 'add', 'unshift', 'splice', 'assign']);
const REMOVE_METHODS = new Set(['delete', 'splice', 'pop', 'shift', 'clear', 'remove']);
const DB_RECEIVER = /pool|db|database|datasource|knex|prisma|sequelize|connection|manager|orm|queryrunner|mongo|client/i;
const DB_METHOD = /^(connect|createQueryRunner|getConnection|acquire|startTransaction|transaction|\$transaction|beginTransaction|startSession)$/;
const IGNORED_EVENTS = new Set(['connection', 'connect', 'disconnect', 'disconnecting', 'close', 'error', 'open', 'upgrade', 'headers', 'listening', 'pong', 'ping']);

type Sources = { source: TokenSource; loc: Loc }[];

interface Collect {
  calls: WsCall[];
  tokenSources: Sources;
  delegations: Loc[];
  identity: WsClientIdentity[];
  writes: { name: string; how: string; loc: Loc }[];
  removals: Set<string>;
  sessions: WsDbSession[];
  spans: Loc[];
  seen: Set<ts.Node>;
}

function emptyCollect(): Collect {
  return { calls: [], tokenSources: [], delegations: [], identity: [], writes: [], removals: new Set(), sessions: [], spans: [], seen: new Set() };
}

function pushSource(c: Collect, source: TokenSource, at: Loc): void {
  if (!c.tokenSources.some((s) => s.source === source && s.loc.line === at.line && s.loc.column === at.column)) c.tokenSources.push({ source, loc: at });
}

/** Segments of a property chain: `a.b?.['c'].d` → [a, b, c, d]; null when a part is not static. */
function chain(expr: ts.Expression): string[] | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return [e.text];
  if (e.kind === SK.ThisKeyword) return ['this'];
  if (ts.isPropertyAccessExpression(e)) {
    const base = chain(e.expression);
    return base ? [...base, e.name.text] : null;
  }
  if (ts.isElementAccessExpression(e)) {
    const key = stringValue(unwrap(e.argumentExpression));
    const base = chain(e.expression);
    return base && key !== null ? [...base, key] : null;
  }
  if (ts.isCallExpression(e)) {
    const base = chain(e.expression);
    return base ? [...base.slice(0, -1), `${base[base.length - 1]}()`] : null;
  }
  return null;
}

function nameNodeOf(expr: ts.Node): ts.Node {
  if (ts.isPropertyAccessExpression(expr)) return expr.name;
  if (ts.isElementAccessExpression(expr)) return expr.argumentExpression;
  return expr;
}

function headerSource(key: string): TokenSource | null {
  const k = key.toLowerCase();
  if (k === 'authorization') return 'header';
  if (k === 'sec-websocket-protocol') return 'subprotocol';
  if (k === 'cookie' || k === 'cookies') return 'cookie';
  return CREDENTIAL_KEY.test(k) ? 'header' : null;
}

interface Walker {
  ctx: Ctx;
  c: Collect;
  msgVars: Set<string>;
}

/** Classifies a property access (`handshake.auth`, `headers.authorization`, `query.token`, `msg.userId`). */
function classifyAccess(w: Walker, node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
  const segs = chain(node);
  if (!segs || segs.length < 2) return;
  const { c, ctx } = w;
  const last = segs[segs.length - 1];
  const prev = segs[segs.length - 2];
  const at = nodeLoc(ctx.sf, nameNodeOf(node));
  if (prev === 'handshake' && last === 'auth') pushSource(c, 'auth-payload', at);
  else if (prev === 'query' || prev === 'searchParams') {
    if (CREDENTIAL_KEY.test(last)) pushSource(c, 'query', at);
    else if (IDENTITY_KEY.test(last)) c.identity.push({ source: 'query', name: last, loc: at });
  } else if (prev === 'headers') {
    const source = headerSource(last);
    if (source) pushSource(c, source, at);
  } else if (prev === 'cookies' || last === 'cookies') {
    pushSource(c, 'cookie', at);
  } else if (segs.length === 2 && w.msgVars.has(segs[0])) {
    if (CREDENTIAL_KEY.test(last)) pushSource(c, 'first-message', at);
    else if (IDENTITY_KEY.test(last)) c.identity.push({ source: 'message', name: last, loc: at });
  }
}

/** `params.get('token')` on URLSearchParams-like receivers. */
function classifyGet(w: Walker, call: ts.CallExpression): void {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get') return;
  const key = call.arguments[0] ? stringValue(unwrap(call.arguments[0])) : null;
  if (key === null || !call.arguments[0]) return;
  const receiver = unwrap(callee.expression);
  let queryish = /searchParams|URLSearchParams|query/i.test(receiver.getText(w.ctx.sf));
  if (!queryish && ts.isIdentifier(receiver)) {
    const decl = lookup(w.ctx, receiver);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) queryish = /searchParams|URLSearchParams|query/i.test(decl.initializer.getText(w.ctx.sf));
  }
  const at = nodeLoc(w.ctx.sf, call.arguments[0]);
  if (queryish) {
    if (CREDENTIAL_KEY.test(key)) pushSource(w.c, 'query', at);
    else if (IDENTITY_KEY.test(key)) w.c.identity.push({ source: 'query', name: key, loc: at });
  } else if (/headers/i.test(receiver.getText(w.ctx.sf))) {
    const source = headerSource(key);
    if (source) pushSource(w.c, source, at);
  }
}

/** The call as a `WsCall`: imports give the module, `this.m()` gives `Class.m`. */
function callRef(ctx: Ctx, expr: ts.Expression, at: Loc): WsCall | null {
  const segs = chain(expr)?.map((s) => s.replace(/\(\)$/, ''));
  if (!segs) return null;
  const [head, ...rest] = segs;
  if (head === 'this') {
    const cls = enclosingClass(expr);
    return cls?.name && rest.length > 0 ? { name: `${cls.name.text}.${rest.join('.')}`, module: null, loc: at } : null;
  }
  const binding = ctx.imports.get(head);
  const local = ts.isIdentifier(unwrap(expr)) || rest.length > 0 ? localDecl(ctx, expr) : null;
  if (binding && !local) {
    const imported = binding.imported === '*' || binding.imported === 'default' ? rest : [binding.imported, ...rest];
    return { name: imported.length ? imported.join('.') : head, module: binding.module, loc: at };
  }
  return { name: segs.join('.'), module: null, loc: at };
}

/** Whether the head identifier of an expression is a local (parameter or inner variable) rather than a module-level name. */
function localDecl(ctx: Ctx, expr: ts.Expression): ts.Node | null {
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) e = unwrap(e.expression);
  if (!ts.isIdentifier(e)) return null;
  const decl = lookup(ctx, e);
  if (!decl) return null;
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (isFunctionLike(n)) return decl;
    if (ts.isSourceFile(n)) return null;
  }
  return null;
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

/** The module-level or gateway-field state a write target refers to, or null for locals. */
function writeTarget(ctx: Ctx, expr: ts.Expression, sharedThis: boolean, assign = false): string | null {
  const segs = chain(expr);
  if (!segs) return null;
  const joined = segs.join('.');
  if (/(^|\.)defaults\.headers/.test(joined)) return joined;
  const e = unwrap(expr);
  if (segs[0] === 'this' && segs.length >= 2) {
    const cls = enclosingClass(e);
    return sharedThis && cls?.name ? `${cls.name.text}.${segs[1]}` : null;
  }
  let head = e;
  while (ts.isPropertyAccessExpression(head) || ts.isElementAccessExpression(head)) head = unwrap(head.expression);
  if (!ts.isIdentifier(head)) return null;
  const decl = lookup(ctx, head);
  if (!decl || !ts.isVariableDeclaration(decl)) return null;
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (isFunctionLike(n)) return null;
    if (ts.isSourceFile(n)) break;
  }
  const init = decl.initializer ? unwrap(decl.initializer) : null;
  if (assign && segs.length === 1 && !(decl.parent.flags & ts.NodeFlags.Let)) return null;
  const mutable = !init || ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init) || (ts.isNewExpression(init) && /Map|Set|Array|Object/.test(init.expression.getText(ctx.sf)));
  return mutable ? segs.slice(0, Math.min(segs.length, 1)).join('.') : null;
}

function messageParams(fn: ts.FunctionLikeDeclaration): string[] {
  const out: string[] = [];
  for (const p of fn.parameters) {
    if (ts.isIdentifier(p.name)) out.push(p.name.text);
  }
  return out;
}

function isInside(node: ts.Node, outer: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** Collects what lies on a connection path inside one function (or class), following same-file functions. */
function collectNode(w: Walker, root: ts.Node, sharedThis: boolean, depth: number, connection: ts.Node | null): void {
  const { ctx, c } = w;
  if (c.seen.has(root) || depth > MAX_FOLLOW) return;
  c.seen.add(root);
  c.spans.push(nodeLoc(ctx.sf, root));
  const msgVars = new Set(w.msgVars);
  const inner: Walker = { ...w, msgVars };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = unwrap(n.expression);
      const ref = callRef(ctx, callee, nodeLoc(ctx.sf, ts.isPropertyAccessExpression(callee) ? callee.name : callee));
      if (ref && !(ref.module === null && localDecl(ctx, callee))) c.calls.push(ref);
      if (isDelegation(ctx, n)) c.delegations.push(nodeLoc(ctx.sf, callee));
      classifyGet(inner, n);
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        // `x.on('message', (data) => …)`: the callback's parameters carry what the client sent.
        if (method === 'on' || method === 'once' || method === 'addEventListener') {
          const event = n.arguments[0] ? stringValue(unwrap(n.arguments[0])) : null;
          const cb = n.arguments[1] ? unwrap(n.arguments[1]) : null;
          if (event && !IGNORED_EVENTS.has(event) && cb && isFunctionLike(cb)) for (const p of messageParams(cb)) msgVars.add(p);
        }
        if (WRITE_METHODS.has(method) || REMOVE_METHODS.has(method)) {
          const target = writeTarget(ctx, callee.expression, sharedThis);
          if (target && REMOVE_METHODS.has(method) && method !== 'splice') c.removals.add(target);
          else if (target && method === 'splice' && n.arguments.length <= 2) c.removals.add(target);
          else if (target) c.writes.push({ name: target, how: method, loc: nodeLoc(ctx.sf, callee.name) });
        }
        if (connection && DB_METHOD.test(method) && DB_RECEIVER.test(callee.expression.getText(ctx.sf)) && !insideNestedFunction(n, connection)) {
          c.sessions.push({ name: `${calleeText(callee.expression)}.${method}`, kind: 'around-loop', loc: nodeLoc(ctx.sf, callee.name) });
        }
      }
      if (ts.isIdentifier(callee) && callee.text === 'parse' || (ts.isPropertyAccessExpression(callee) && callee.getText(ctx.sf) === 'JSON.parse')) {
        const parent = n.parent;
        if (parent && ts.isVariableDeclaration(parent)) {
          if (ts.isIdentifier(parent.name)) msgVars.add(parent.name.text);
          else if (ts.isObjectBindingPattern(parent.name)) classifyBinding(inner, parent.name);
        }
      }
      if (ref && ref.module === null && depth < MAX_FOLLOW) {
        const target = sameFileFunction(ctx, callee);
        if (target && !isInside(target, root)) collectNode(inner, target, sharedThis, depth + 1, null);
      }
    } else if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      classifyAccess(inner, n);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === SK.EqualsToken) {
      const left = unwrap(n.left);
      const target = writeTarget(ctx, left, sharedThis, true);
      const right = unwrap(n.right);
      const filtered = ts.isCallExpression(right) && ts.isPropertyAccessExpression(right.expression) && right.expression.name.text === 'filter';
      if (target && filtered) c.removals.add(target);
      else if (target) c.writes.push({ name: target, how: ts.isElementAccessExpression(left) ? 'item-assign' : 'assign', loc: nodeLoc(ctx.sf, left) });
    } else if (ts.isDeleteExpression(n)) {
      const target = writeTarget(ctx, n.expression, sharedThis);
      if (target) c.removals.add(target);
    } else if (ts.isParameter(n) && n.modifiers === undefined) {
      const decorators = ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []) : [];
      if (decorators.some((d) => /MessageBody/.test(d.expression.getText(ctx.sf))) && ts.isIdentifier(n.name)) msgVars.add(n.name.text);
    }
    ts.forEachChild(n, visit);
  };
  if (ts.isClassLike(root) || isFunctionLike(root)) {
    if (isFunctionLike(root)) for (const p of root.parameters) visit(p);
    const body = ts.isClassLike(root) ? root : root.body;
    if (body) ts.forEachChild(body, visit);
    if (ts.isClassLike(root)) return;
  } else {
    visit(root);
  }
}

function insideNestedFunction(node: ts.Node, fn: ts.Node): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) if (isFunctionLike(n)) return true;
  return false;
}

function classifyBinding(w: Walker, pattern: ts.ObjectBindingPattern): void {
  for (const el of pattern.elements) {
    const key = propName(el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined));
    if (!key) continue;
    const at = nodeLoc(w.ctx.sf, el.propertyName ?? el.name);
    if (CREDENTIAL_KEY.test(key)) pushSource(w.c, 'first-message', at);
    else if (IDENTITY_KEY.test(key)) w.c.identity.push({ source: 'message', name: key, loc: at });
  }
}

/** A same-file function a call or reference points at: `fn()`, `this.method()`, `const fn = () => …`. */
function sameFileFunction(ctx: Ctx, expr: ts.Expression): ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const decl = lookup(ctx, e);
    if (!decl) return null;
    if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)) return decl;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = unwrap(decl.initializer);
      if (isFunctionLike(init)) return init;
    }
    return null;
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === SK.ThisKeyword) {
    const cls = enclosingClass(e);
    for (const m of cls?.members ?? []) if (ts.isMethodDeclaration(m) && propName(m.name) === e.name.text) return m;
  }
  return null;
}

interface Registration {
  framework: string;
  path: string | null;
  handler: string | null;
  at: ts.Node;
  /** Code on the connection path: handlers, middleware, guards, verifyClient. */
  roots: ts.Node[];
  /** References to functions or guards defined elsewhere. */
  refs: ts.Expression[];
  /** The function that runs once per connection (DB sessions opened there live as long as the socket). */
  connection: ts.Node | null;
  /** Class fields are shared by every connection (Nest gateways are singletons). */
  sharedThis: boolean;
  extraSources: Sources;
}

function decoratorCall(d: ts.Decorator, name: string): ts.CallExpression | null {
  const e = d.expression;
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === name ? e : null;
}

function objectProp(obj: ts.Expression | undefined, key: string): ts.Expression | null {
  if (!obj) return null;
  const o = unwrap(obj);
  if (!ts.isObjectLiteralExpression(o)) return null;
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
    if (ts.isMethodDeclaration(p) && propName(p.name) === key) return p as unknown as ts.Expression;
  }
  return null;
}

function addHandler(reg: Registration, ctx: Ctx, expr: ts.Expression | null): void {
  if (!expr) return;
  const e = unwrap(expr);
  if (isFunctionLike(e)) {
    reg.roots.push(e);
    return;
  }
  const local = sameFileFunction(ctx, e);
  if (local) reg.roots.push(local);
  else reg.refs.push(e);
}

function nestGateways(ctx: Ctx, out: Registration[]): void {
  const visit = (n: ts.Node): void => {
    if (ts.isClassDeclaration(n)) {
      const decorators = ts.getDecorators(n) ?? [];
      const gateway = decorators.map((d) => decoratorCall(d, 'WebSocketGateway')).find((x) => x !== null);
      if (gateway) {
        const options = gateway.arguments.find((a) => ts.isObjectLiteralExpression(unwrap(a)));
        const ns = objectProp(options, 'namespace') ?? objectProp(options, 'path');
        const reg: Registration = {
          framework: 'nestjs',
          path: ns ? stringValue(unwrap(ns)) : '/',
          handler: n.name?.text ?? null,
          at: gateway.expression,
          roots: [n],
          refs: [],
          connection: n.members.find((m) => ts.isMethodDeclaration(m) && propName(m.name) === 'handleConnection') ?? null,
          sharedThis: true,
          extraSources: [],
        };
        const guarded = [n, ...n.members];
        for (const member of guarded) {
          const decs = ts.canHaveDecorators(member) ? (ts.getDecorators(member) ?? []) : [];
          for (const d of decs) {
            const guards = decoratorCall(d, 'UseGuards');
            if (guards) for (const g of guards.arguments) addHandler(reg, ctx, g);
          }
        }
        out.push(reg);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
}

function imports(ctx: Ctx, module: string): boolean {
  return ctx.importedModules.has(module) || new RegExp(`require\\(['"]${module.replace(/[.]/g, '\\.')}['"]\\)`).test(ctx.sf.text);
}

function namespaceOf(ctx: Ctx, receiver: ts.Expression): string {
  const r = unwrap(receiver);
  const ofCall = (e: ts.Expression): string | null => {
    const x = unwrap(e);
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'of' && x.arguments[0]) return stringValue(unwrap(x.arguments[0]));
    return null;
  };
  const direct = ofCall(r);
  if (direct) return direct;
  if (ts.isIdentifier(r)) {
    const decl = lookup(ctx, r);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return ofCall(decl.initializer) ?? '/';
  }
  return '/';
}

function socketIoAndWs(ctx: Ctx, out: Registration[]): void {
  const socketIo = imports(ctx, 'socket.io');
  const wsLib = imports(ctx, 'ws');
  const uws = imports(ctx, 'uWebSockets.js');
  if (!socketIo && !wsLib && !uws) return;
  const servers = new Map<string, Registration>();
  const uses: { receiver: string; fn: ts.Expression }[] = [];
  const upgrades: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (wsLib && ts.isNewExpression(n) && /^(WebSocketServer|WebSocket\.Server|Server|WSServer)$/.test(n.expression.getText(ctx.sf)) && !socketIo) {
      const options = n.arguments?.[0];
      const path = objectProp(options, 'path');
      const reg: Registration = { framework: 'ws', path: path ? stringValue(unwrap(path)) : null, handler: null, at: n.expression, roots: [], refs: [], connection: null, sharedThis: false, extraSources: [] };
      addHandler(reg, ctx, objectProp(options, 'verifyClient'));
      const protocols = objectProp(options, 'handleProtocols');
      if (protocols) {
        addHandler(reg, ctx, protocols);
        reg.extraSources.push({ source: 'subprotocol', loc: nodeLoc(ctx.sf, protocols) });
      }
      const parent = n.parent;
      const name = parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : `#${n.pos}`;
      servers.set(name, reg);
      out.push(reg);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      const receiver = n.expression.expression;
      const event = n.arguments[0] ? stringValue(unwrap(n.arguments[0])) : null;
      if (method === 'on' && (event === 'connection' || event === 'connect') && n.arguments[1]) {
        const recvText = receiver.getText(ctx.sf);
        const wsServer = servers.get(recvText);
        if (wsServer) {
          addHandler(wsServer, ctx, n.arguments[1]);
          wsServer.connection ??= unwrap(n.arguments[1]);
          wsServer.handler ??= handlerName(n.arguments[1]);
        } else if (socketIo && !/socket|client/i.test(recvText.split('.').pop() ?? '')) {
          const path = namespaceOf(ctx, receiver);
          const key = `io:${path}`;
          let reg = servers.get(key);
          if (!reg) {
            reg = { framework: 'socket.io', path, handler: null, at: n.arguments[0], roots: [], refs: [], connection: null, sharedThis: false, extraSources: [] };
            servers.set(key, reg);
            out.push(reg);
          }
          addHandler(reg, ctx, n.arguments[1]);
          reg.connection ??= unwrap(n.arguments[1]);
          reg.handler ??= handlerName(n.arguments[1]);
        }
      } else if (method === 'use' && socketIo && n.arguments[0]) {
        uses.push({ receiver: `io:${namespaceOf(ctx, receiver)}`, fn: n.arguments[0] });
      } else if (method === 'on' && event === 'upgrade' && n.arguments[1]) {
        upgrades.push(n.arguments[1]);
      } else if (method === 'ws' && uws && n.arguments[0] && n.arguments[1]) {
        const behavior = n.arguments[1];
        const reg: Registration = { framework: 'uwebsockets', path: stringValue(unwrap(n.arguments[0])), handler: null, at: n.arguments[0], roots: [], refs: [], connection: null, sharedThis: false, extraSources: [] };
        for (const key of ['upgrade', 'open', 'message']) addHandler(reg, ctx, objectProp(behavior, key));
        reg.connection = objectProp(behavior, 'open');
        out.push(reg);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  for (const use of uses) {
    const reg = servers.get(use.receiver);
    if (reg) addHandler(reg, ctx, use.fn);
  }
  const wsRegs = [...servers.values()].filter((r) => r.framework === 'ws');
  for (const up of upgrades) {
    const text = unwrap(up).getText(ctx.sf);
    const target = wsRegs.find((r) => [...servers.entries()].some(([name, x]) => x === r && text.includes(`${name}.handleUpgrade`))) ?? (wsRegs.length === 1 ? wsRegs[0] : undefined);
    if (target) addHandler(target, ctx, up);
  }
}

function handlerName(expr: ts.Expression): string | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.getText();
  return null;
}

function dedupeCalls(calls: WsCall[]): WsCall[] {
  const seen = new Set<string>();
  return calls.filter((call) => {
    const key = `${call.module ?? ''}#${call.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function endpointFor(ctx: Ctx, reg: Registration): WsEndpoint {
  const c = emptyCollect();
  const w: Walker = { ctx, c, msgVars: new Set() };
  for (const root of reg.roots) collectNode(w, root, reg.sharedThis, 0, reg.connection);
  for (const ref of reg.refs) {
    const r = callRef(ctx, unwrap(ref), nodeLoc(ctx.sf, ref));
    if (r) c.calls.push(r);
  }
  for (const s of reg.extraSources) pushSource(c, s.source, s.loc);
  const shared = new Map<string, WsSharedState>();
  for (const write of c.writes) {
    if (!shared.has(write.name)) shared.set(write.name, { name: write.name, how: write.how, cleaned: c.removals.has(write.name), loc: write.loc });
  }
  return {
    framework: reg.framework,
    path: reg.path,
    router: null,
    handler: reg.handler,
    loc: nodeLoc(ctx.sf, reg.at),
    tokenSources: c.tokenSources,
    calls: dedupeCalls(c.calls),
    spans: c.spans,
    delegations: c.delegations,
    dbSessions: c.sessions,
    dependencies: [],
    sharedState: [...shared.values()],
    clientIdentity: c.identity,
    details: {},
  };
}

/** Function facts for named functions, methods and classes: calls, token reads, delegations. */
function collectFunctions(ctx: Ctx): FunctionFact[] {
  const out: FunctionFact[] = [];
  const visit = (n: ts.Node): void => {
    if ((isFunctionLike(n) && n.body) || ts.isClassDeclaration(n)) {
      const name = ts.isClassDeclaration(n) ? (n.name?.text ?? null) : n.body ? scopeName(n.body) : null;
      if (name) {
        const c = emptyCollect();
        collectNode({ ctx, c, msgVars: new Set() }, n, false, MAX_FOLLOW, null);
        out.push({ name, loc: nodeLoc(ctx.sf, n), calls: dedupeCalls(c.calls), tokenSources: c.tokenSources, delegations: c.delegations });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return out;
}

/** Adds WebSocket endpoints and function facts to a TS/JS file's facts. */
export function collectWebSockets(ctx: Ctx): void {
  const regs: Registration[] = [];
  const text = ctx.sf.text;
  if (text.includes('WebSocketGateway')) nestGateways(ctx, regs);
  socketIoAndWs(ctx, regs);
  for (const reg of regs) ctx.facts.wsEndpoints.push(endpointFor(ctx, reg));
  if (/\bclass\b|function|=>/.test(text)) ctx.facts.functions = collectFunctions(ctx);
}
