// TS/JS WebSocket endpoint discovery: NestJS gateways and IoAdapters, socket.io servers, namespaces and middleware, `ws` servers, uWebSockets.js routes.
import { ts } from '../compiler.js';
import type { Loc, NameRef, TokenSource, WsServerFact } from '../../facts.js';
import type { EndpointHead } from '../../websocket.js';
import { type Ctx, enclosingClass, isFunctionLike, lookup, nodeLoc, propName, stringValue, unwrap } from '../context.js';
import { handlerName, importsModule, initializerOf, localDecl, nameRef, objectProp, rootIdentifier, sameFileFunction } from './syntax.js';

/** Code on a connection path; `perConnection` is false for setup code (`afterInit`), whose writes happen once. */
interface Root {
  node: ts.Node;
  perConnection: boolean;
}

export interface Registration {
  head: EndpointHead;
  /** Code on the connection path: handlers, middleware, guards, verifyClient. */
  roots: Root[];
  /** References to functions or guards defined in other files. */
  refs: ts.Expression[];
  /** The function that runs once per connection (DB sessions opened there live as long as the socket). */
  connection: ts.Node | null;
  /** Class fields are shared by every connection (Nest gateways are singletons). */
  sharedThis: boolean;
  extraSources: { source: TokenSource; loc: Loc }[];
}

/** Connection middleware whose endpoints are not in this file. */
export interface MiddlewareSite {
  framework: string;
  server: NameRef | null;
  namespace: string | null;
  fn: ts.Expression;
  at: ts.Node;
}

export interface Discovery {
  registrations: Registration[];
  servers: WsServerFact[];
  middleware: MiddlewareSite[];
}

const PER_CONNECTION_METHODS = new Set(['handleConnection', 'handleDisconnect']);

/** Finds every WebSocket endpoint of a file, the socket servers it creates and middleware registered for servers elsewhere. */
export function discoverEndpoints(ctx: Ctx): Discovery {
  const out: Discovery = { registrations: [], servers: [], middleware: [] };
  if (ctx.sf.text.includes('WebSocketGateway')) nestGateways(ctx, out.registrations);
  socketIoAndWs(ctx, out);
  return out;
}

function decoratorCall(d: ts.Decorator, name: string): ts.CallExpression | null {
  const e = d.expression;
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === name ? e : null;
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

function emptyRegistration(head: EndpointHead): Registration {
  return { head, roots: [], refs: [], connection: null, sharedThis: false, extraSources: [] };
}

function addHandler(reg: Registration, ctx: Ctx, expr: ts.Expression | null, perConnection = true): void {
  if (!expr) return;
  const e = unwrap(expr);
  if (isFunctionLike(e)) {
    reg.roots.push({ node: e, perConnection });
    return;
  }
  const local = sameFileFunction(ctx, e);
  if (local) reg.roots.push({ node: local, perConnection });
  else reg.refs.push(e);
}

/**
 * A NestJS gateway: its connection path is `handleConnection`/`handleDisconnect`, the `@SubscribeMessage`
 * handlers and the guards; `afterInit` (where `server.use(…)` middleware is added) is setup, run once.
 * Lifecycle hooks and the constructor are not on the path.
 */
function nestGateways(ctx: Ctx, out: Registration[]): void {
  const visit = (n: ts.Node): void => {
    if (ts.isClassDeclaration(n)) {
      const gateway = decoratorsOf(n)
        .map((d) => decoratorCall(d, 'WebSocketGateway'))
        .find((x) => x !== null);
      if (gateway) {
        const options = gateway.arguments.find((a) => ts.isObjectLiteralExpression(unwrap(a)));
        const ns = objectProp(ctx, options, 'namespace') ?? objectProp(ctx, options, 'path');
        const reg = emptyRegistration({
          framework: 'nestjs',
          path: ns ? stringValue(unwrap(ns)) : '/',
          handler: n.name?.text ?? null,
          loc: nodeLoc(ctx.sf, gateway.expression),
        });
        reg.sharedThis = true;
        for (const member of n.members) {
          if (!ts.isMethodDeclaration(member)) continue;
          const name = propName(member.name) ?? '';
          const handlesMessages = decoratorsOf(member).some((d) => decoratorCall(d, 'SubscribeMessage') !== null);
          if (PER_CONNECTION_METHODS.has(name) || handlesMessages) reg.roots.push({ node: member, perConnection: true });
          else if (name === 'afterInit') reg.roots.push({ node: member, perConnection: false });
          if (name === 'handleConnection') reg.connection = member;
        }
        for (const member of [n, ...n.members]) {
          for (const d of decoratorsOf(member)) {
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

/** Whether a class extends NestJS's `IoAdapter`: its `server.use(…)` guards every gateway of the app. */
function isIoAdapter(cls: ts.ClassLikeDeclaration | undefined): boolean {
  for (const clause of cls?.heritageClauses ?? []) {
    for (const t of clause.types) if (/(^|\.)IoAdapter$/.test(t.expression.getText())) return true;
  }
  return false;
}

/** The identifier an expression imported from `module` starts with. */
function importedFrom(ctx: Ctx, expr: ts.Expression, module: string): boolean {
  const id = rootIdentifier(expr);
  return id !== null && ctx.imports.get(id.text)?.module === module && !localDecl(ctx, id);
}

/** `new WebSocketServer(…)`, `new WebSocket.Server(…)`, `new WSServer(…)` with `WebSocketServer as WSServer` from `ws`. */
function isWsServer(ctx: Ctx, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (!importedFrom(ctx, e, 'ws')) return false;
  if (ts.isPropertyAccessExpression(e)) return /^(WebSocketServer|Server)$/.test(e.name.text);
  const imported = ts.isIdentifier(e) ? ctx.imports.get(e.text)?.imported : undefined;
  return imported === 'WebSocketServer' || imported === 'Server';
}

/** `new Server(http)`, `new io.Server()`, `io(http)`, `require('socket.io')(http)`: a socket.io server. */
function isSocketIoServer(ctx: Ctx, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isNewExpression(e)) return importedFrom(ctx, e.expression, 'socket.io');
  if (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    if (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require')
      return stringValue(callee.arguments[0] ?? callee) === 'socket.io';
    return ts.isIdentifier(callee) && importedFrom(ctx, callee, 'socket.io') && ctx.imports.get(callee.text)?.imported !== 'Socket';
  }
  return false;
}

/** The namespace a receiver stands for: `io.of('/chat')`, a variable bound to one, or `/`. */
function namespaceOf(ctx: Ctx, receiver: ts.Expression): string {
  const ofCall = (e: ts.Expression): string | null => {
    const x = unwrap(e);
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'of' && x.arguments[0])
      return stringValue(unwrap(x.arguments[0]));
    return null;
  };
  const r = unwrap(receiver);
  const init = ts.isIdentifier(r) ? initializerOf(ctx, r) : null;
  return ofCall(r) ?? (init ? ofCall(init) : null) ?? '/';
}

/** The server variable a receiver is, through `.of(…)`, `.sockets` and a local bound to `io.of(…)`. */
function serverIdentifier(ctx: Ctx, receiver: ts.Expression): ts.Identifier | null {
  let r = unwrap(receiver);
  if (ts.isIdentifier(r)) {
    const init = initializerOf(ctx, r);
    if (init && ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'of')
      r = unwrap(init.expression.expression);
  }
  return rootIdentifier(r);
}

/** Whether the text holds `<name><suffix>` for an imported name (`io.use(`): one search for the suffix, not one per import. */
function usesImportedName(ctx: Ctx, suffix: string): boolean {
  const text = ctx.sf.text;
  for (let at = text.indexOf(suffix); at >= 0; at = text.indexOf(suffix, at + 1)) {
    for (const name of ctx.imports.keys()) if (at >= name.length && text.startsWith(name, at - name.length)) return true;
  }
  return false;
}

function socketIoAndWs(ctx: Ctx, out: Discovery): void {
  const socketIo = importsModule(ctx, 'socket.io');
  const wsLib = importsModule(ctx, 'ws');
  const uws = importsModule(ctx, 'uWebSockets.js');
  const imported = usesImportedName(ctx, '.use(');
  if (!socketIo && !wsLib && !uws && !imported) return;
  const wsServers = new Map<string, Registration>();
  const ioServers = new Set<string>();
  const ioRegs = new Map<string, Registration>();
  const uses: { key: string; server: ts.Identifier | null; namespace: string; fn: ts.Expression; at: ts.Node }[] = [];
  const upgrades: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (wsLib && ts.isNewExpression(n) && isWsServer(ctx, n.expression)) {
      const options = n.arguments?.[0];
      const path = objectProp(ctx, options, 'path');
      const reg = emptyRegistration({ framework: 'ws', path: path ? stringValue(unwrap(path)) : null, handler: null, loc: nodeLoc(ctx.sf, n.expression) });
      addHandler(reg, ctx, objectProp(ctx, options, 'verifyClient'));
      const protocols = objectProp(ctx, options, 'handleProtocols');
      if (protocols) {
        addHandler(reg, ctx, protocols);
        reg.extraSources.push({ source: 'subprotocol', loc: nodeLoc(ctx.sf, protocols) });
      }
      const parent = n.parent;
      const name = parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : `#${n.pos}`;
      wsServers.set(name, reg);
      out.registrations.push(reg);
    }
    if (socketIo && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && isSocketIoServer(ctx, n.initializer)) {
      ioServers.add(n.name.text);
      if (!localDecl(ctx, n.name)) out.servers.push({ framework: 'socket.io', name: n.name.text, loc: nodeLoc(ctx.sf, n.name) });
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      const receiver = n.expression.expression;
      const event = n.arguments[0] ? stringValue(unwrap(n.arguments[0])) : null;
      const adapter = isIoAdapter(enclosingClass(n));
      if (method === 'on' && (event === 'connection' || event === 'connect') && n.arguments[1]) {
        const recvText = receiver.getText(ctx.sf);
        const wsServer = wsServers.get(recvText);
        if (wsServer) {
          addHandler(wsServer, ctx, n.arguments[1]);
          wsServer.connection ??= unwrap(n.arguments[1]);
          wsServer.head.handler ??= handlerName(ctx, n.arguments[1]);
        } else if (socketIo && !adapter && !/socket|client/i.test(recvText.split('.').pop() ?? '')) {
          const server = serverIdentifier(ctx, receiver);
          const namespace = namespaceOf(ctx, receiver);
          const key = `${server?.text ?? recvText}:${namespace}`;
          let reg = ioRegs.get(key);
          if (!reg) {
            reg = emptyRegistration({ framework: 'socket.io', path: namespace, handler: null, loc: nodeLoc(ctx.sf, n.arguments[0]) });
            const ref = server ? serverRef(ctx, server, ioServers) : null;
            if (ref) reg.head.server = ref;
            ioRegs.set(key, reg);
            out.registrations.push(reg);
          }
          addHandler(reg, ctx, n.arguments[1]);
          reg.connection ??= unwrap(n.arguments[1]);
          reg.head.handler ??= handlerName(ctx, n.arguments[1]);
        }
      } else if (method === 'use' && (socketIo || imported) && n.arguments[0]) {
        if (adapter) out.middleware.push({ framework: 'nestjs', server: null, namespace: null, fn: n.arguments[0], at: n.expression.name });
        else {
          const server = serverIdentifier(ctx, receiver);
          const namespace = namespaceOf(ctx, receiver);
          uses.push({ key: `${server?.text ?? receiver.getText(ctx.sf)}:${namespace}`, server, namespace, fn: n.arguments[0], at: n.expression.name });
        }
      } else if (method === 'on' && event === 'upgrade' && n.arguments[1]) {
        upgrades.push(n.arguments[1]);
      } else if (method === 'ws' && uws && n.arguments[0] && n.arguments[1]) {
        const behavior = n.arguments[1];
        const reg = emptyRegistration({
          framework: 'uwebsockets',
          path: stringValue(unwrap(n.arguments[0])),
          handler: null,
          loc: nodeLoc(ctx.sf, n.arguments[0]),
        });
        for (const key of ['upgrade', 'open', 'message']) addHandler(reg, ctx, objectProp(ctx, behavior, key));
        reg.connection = objectProp(ctx, behavior, 'open');
        out.registrations.push(reg);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  for (const use of uses) {
    const reg = ioRegs.get(use.key);
    if (reg) {
      addHandler(reg, ctx, use.fn);
      continue;
    }
    // Registered on a server whose connection handlers live in another file (or nowhere): the model joins it
    // (only to a socket.io server it knows, so `app.use(…)` on an imported Express app attaches to nothing).
    const server = use.server ? serverRef(ctx, use.server, ioServers) : null;
    if (server) out.middleware.push({ framework: 'socket.io', server, namespace: use.namespace, fn: use.fn, at: use.at });
  }
  const wsRegs = [...wsServers.entries()];
  for (const up of upgrades) {
    const text = unwrap(up).getText(ctx.sf);
    const target = wsRegs.find(([name]) => text.includes(`${name}.handleUpgrade`))?.[1] ?? (wsRegs.length === 1 ? wsRegs[0][1] : undefined);
    if (target) addHandler(target, ctx, up);
  }
}

/** A socket.io server as the model finds it: a module-level server of this file, or an imported name. */
function serverRef(ctx: Ctx, id: ts.Identifier, local: Set<string>): NameRef | null {
  if (local.has(id.text)) return lookup(ctx, id) && !localDecl(ctx, id) ? { name: id.text, module: null } : null;
  const ref = nameRef(ctx, id);
  return ref?.module ? ref : null;
}
