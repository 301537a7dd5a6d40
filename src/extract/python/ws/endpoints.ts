// Python WebSocket endpoint discovery: FastAPI/Starlette routes and endpoint classes, python-socketio and Flask-SocketIO handlers and namespaces, Channels consumers, routes and ASGI stacks, websockets.serve.
import type { NameRef, RouterMount, WsCall, WsRouteFact, WsRouterStackFact, WsServerFact } from '../../facts.js';
import type { EndpointHead } from '../../websocket.js';
import { textOf, type ClassInfo, type FileState, type Scope } from '../scopes.js';
import { field, firstNamedKid, unparen, type PyNode } from '../tree.js';
import { dependencyList } from './handlers.js';
import { callRef, calleeOf, dotted, enclosingFunction, keyword, loc, methodOf, nameRef, paramNames, plainString, positional, walk } from './syntax.js';

const CHANNELS_BASES = /(^|\.)(Async)?(Json)?WebsocketConsumer$/;
const NAMESPACE_BASES = /(^|\.)(Async)?Namespace$/;

/** How a registration's handler is analysed. */
type HandlerKind = 'function' | 'class' | 'socketio-connect' | 'socketio-namespace';

export interface Registration {
  head: EndpointHead;
  kind: HandlerKind;
  /** The handler function (for a namespace: its `on_connect`), or the consumer / endpoint class. */
  handler: Scope | ClassInfo | null;
  /** A namespace's class (its instance is shared by every connection). */
  cls?: ClassInfo;
  /** Calls the registration adds: route and router dependencies, handlers inherited from classes in other files. */
  calls: WsCall[];
  /** python-socketio / Flask-SocketIO: the other event handlers of the same server and namespace in this file. */
  events: Scope[];
  /** Parameter positions of the connect handler: the auth payload (and for events, the first message argument). */
  authParam: number | null;
  messageFrom: number;
}

export interface Discovery {
  registrations: Registration[];
  servers: WsServerFact[];
  routes: WsRouteFact[];
  stacks: WsRouterStackFact[];
  mounts: RouterMount[];
}

/** Finds every WebSocket endpoint of a file and the pieces the model joins across files, in one walk over the module. */
export function discoverEndpoints(state: FileState): Discovery {
  const registrations: Registration[] = [];
  const framework = importsModule(state, 'fastapi') ? 'fastapi' : 'starlette';
  const prefixes = routerPrefixes(state);
  const route = (path: PyNode | undefined, router: string | null, handler: Scope | ClassInfo | null, at: PyNode, fw: string, deps: WsCall[]): void => {
    const literal = plainString(state, path);
    const prefix = router ? (prefixes.get(router) ?? '') : '';
    const calls = [...deps, ...(router ? routerDependencies(state, router, at) : [])];
    const kind: HandlerKind = handler && 'bases' in handler ? 'class' : 'function';
    const name = handler ? ('bases' in handler ? handler.name : handler.qual) : null;
    const head: EndpointHead = { framework: fw, path: literal === null ? null : prefix + literal, router, handler: name, loc: loc(state, path ?? at) };
    registrations.push({ head, kind, handler, calls, events: [], authParam: null, messageFrom: 1 });
  };
  // Every route form names a websocket (`.websocket(…)`, `add_api_websocket_route`, `WebSocketRoute`, `websockets.serve`).
  const routes = /websocket/i.test(state.text);
  const flask = importsModule(state, 'flask_socketio');
  const handlers: EventHandler[] = [];
  const registered = new Map<ClassInfo, { path: string | null; server: NameRef }>();
  const channels: { routes: WsRouteFact[]; stacks: WsRouterStackFact[] } = { routes: [], stacks: [] };
  const mounts: RouterMount[] = [];
  walk(state.module.node, (n) => {
    if (n.type === 'decorated_definition') {
      if (routes) fastapiDecorators(state, n, framework, route);
      eventHandlersAt(state, n, flask, handlers);
    } else if (n.type === 'call') {
      if (routes) routeCall(state, n, framework, route);
      // The callee once for the three checks below: each looks only at its last name first.
      const callee = calleeOf(state, n);
      registeredNamespaceAt(state, n, callee, registered);
      channelsRoutingAt(state, n, callee, channels);
      mountAt(state, n, callee, mounts);
    }
  });
  registrations.push(...socketIo(state, flask, handlers, registered));
  for (const cls of state.module.classes.values()) {
    if (registrations.some((r) => r.handler === cls)) continue;
    const bases = cls.bases.map((b) => dotted(state, b) ?? '');
    const fw = bases.some((b) => /(^|\.)WebSocketEndpoint$/.test(b)) ? 'starlette' : isConsumer(state, cls) ? 'django-channels' : null;
    if (!fw) continue;
    const head: EndpointHead = { framework: fw, path: null, handler: cls.name, loc: loc(state, field(cls.node, 'name') ?? cls.node) };
    if (fw === 'django-channels' && rejectsAll(state, cls)) head.rejectsAll = true;
    registrations.push({ head, kind: 'class', handler: cls, calls: [], events: [], authParam: null, messageFrom: 1 });
  }
  return { registrations, servers: socketServers(state), ...channels, mounts };
}

type RouteSink = (path: PyNode | undefined, router: string | null, handler: Scope | ClassInfo | null, at: PyNode, framework: string, deps: WsCall[]) => void;

function fastapiDecorators(state: FileState, n: PyNode, framework: string, route: RouteSink): void {
  const def = field(n, 'definition');
  const scope = def ? state.scopeOf.get(def) : undefined;
  if (!scope || scope.kind !== 'function') return;
  for (const dec of n.children.filter((k) => k.type === 'decorator')) {
    const kid = firstNamedKid(dec);
    const e = kid ? unparen(kid) : null;
    if (e?.type !== 'call') continue;
    const parts = calleeOf(state, e).split('.');
    const method = parts.pop() ?? '';
    if ((method === 'websocket' || method === 'websocket_route') && parts.length > 0) {
      route(positional(e)[0], parts.join('.'), scope, e, framework, dependencyList(state, keyword(state, e, 'dependencies'), scope));
    }
  }
}

function routeCall(state: FileState, n: PyNode, framework: string, route: RouteSink): void {
  const fn = field(n, 'function');
  if (!fn) return;
  const f = unparen(fn);
  const scope = enclosingFunction(state, n) ?? state.module;
  if (f.type === 'call') {
    // `router.websocket("/ws")(handler)`, also with a bound method: `self.router.websocket("/ws")(self.handle)`.
    const parts = calleeOf(state, f).split('.');
    const method = parts.pop() ?? '';
    if (parts.length > 0 && (method === 'websocket' || method === 'websocket_route')) {
      route(
        positional(f)[0],
        parts.join('.'),
        handlerOf(state, positional(n)[0], n),
        f,
        framework,
        dependencyList(state, keyword(state, f, 'dependencies'), scope),
      );
    }
    return;
  }
  const parts = calleeOf(state, n).split('.');
  const method = parts[parts.length - 1];
  if ((method === 'add_api_websocket_route' || method === 'add_websocket_route') && parts.length > 1) {
    const [first, second] = positional(n);
    const handler = handlerOf(state, second ?? keyword(state, n, 'endpoint') ?? undefined, n);
    route(first, parts.slice(0, -1).join('.'), handler, n, framework, dependencyList(state, keyword(state, n, 'dependencies'), scope));
  } else if (method === 'WebSocketRoute') {
    const [first, second] = positional(n);
    route(first, null, handlerOf(state, second ?? keyword(state, n, 'endpoint') ?? undefined, n), n, 'starlette', []);
  } else if (method === 'serve' && state.bindings.get(parts[0])?.module.startsWith('websockets')) {
    const handler = handlerOf(state, positional(n)[0], n);
    route(undefined, null, handler, f, 'websockets', []);
  }
}

/** The handler a registration names: a module function or class, `Consumer.as_asgi()`, or `self.method` of the enclosing class. */
function handlerOf(state: FileState, node: PyNode | undefined, at: PyNode): Scope | ClassInfo | null {
  if (!node) return null;
  const name = dotted(state, unparen(node));
  if (!name) return null;
  const plain = name.replace(/\.as_asgi\(\)$/, '');
  const [head, ...rest] = plain.split('.');
  if ((head === 'self' || head === 'cls') && rest.length === 1) {
    const cls = enclosingFunction(state, at)?.cls;
    return cls ? methodOf(state, cls, rest[0]) : null;
  }
  return state.module.functions.get(plain) ?? state.module.classes.get(plain) ?? null;
}

function importsModule(state: FileState, prefix: string): boolean {
  for (const b of state.bindings.values()) if (b.module === prefix || b.module.startsWith(`${prefix}.`)) return true;
  return false;
}

/** In-file router prefixes: `router = APIRouter(prefix="/x")`. */
function routerPrefixes(state: FileState): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, assigns] of state.module.assigns) {
    const value = unparen(assigns[0].value);
    if (value.type !== 'call' || !/(^|\.)(APIRouter|FastAPI|Router|Starlette)$/.test(calleeOf(state, value))) continue;
    const prefix = plainString(state, keyword(state, value, 'prefix'));
    if (prefix) out.set(name, prefix);
  }
  return out;
}

/** `router = APIRouter(dependencies=[Depends(auth)])`, also `self.router = …` in the registering class. */
function routerDependencies(state: FileState, router: string, at: PyNode): WsCall[] {
  const [head, ...rest] = router.split('.');
  let value: PyNode | null = null;
  let scope: Scope = state.module;
  if ((head === 'self' || head === 'cls') && rest.length === 1) {
    const fn = enclosingFunction(state, at);
    const assign = fn?.cls?.selfAttrs.get(rest[0])?.[0];
    if (assign) {
      value = assign.value;
      scope = assign.scope;
    }
  } else if (rest.length === 0) {
    value = state.module.assigns.get(head)?.[0]?.value ?? null;
  }
  const v = value ? unparen(value) : null;
  if (v?.type !== 'call' || !/(^|\.)(APIRouter|FastAPI|Router)$/.test(calleeOf(state, v))) return [];
  return dependencyList(state, keyword(state, v, 'dependencies'), scope);
}

/** `app.include_router(router, prefix=…, dependencies=[…])`. */
function mountAt(state: FileState, n: PyNode, callee: string, out: RouterMount[]): void {
  if (!callee.endsWith('.include_router')) return;
  const first = positional(n)[0];
  const router = first ? dotted(state, first) : null;
  if (!router || !first) return;
  const head = router.split('.')[0];
  const binding = state.bindings.get(head);
  const mount: RouterMount = {
    router,
    module: binding?.module ?? null,
    imported: binding ? (binding.imported ?? head) : null,
    prefix: plainString(state, keyword(state, n, 'prefix')) ?? '',
    loc: loc(state, first),
  };
  const deps = dependencyList(state, keyword(state, n, 'dependencies'), enclosingFunction(state, n) ?? state.module);
  if (deps.length > 0) mount.dependencies = deps;
  out.push(mount);
}

// --- python-socketio and Flask-SocketIO ---

function isServerCall(state: FileState, value: PyNode): boolean {
  const v = unparen(value);
  if (v.type !== 'call') return false;
  const callee = calleeOf(state, v);
  const head = callee.split('.')[0];
  const binding = state.bindings.get(head);
  return /(^|\.)(Async)?Server$/.test(callee) && binding !== undefined && (binding.module === 'socketio' || binding.module.startsWith('socketio.'));
}

function socketServers(state: FileState): WsServerFact[] {
  const out: WsServerFact[] = [];
  for (const [name, assigns] of state.module.assigns) {
    const first = assigns[0];
    if (first && isServerCall(state, first.value)) out.push({ framework: 'python-socketio', name, loc: loc(state, first.target) });
  }
  return out;
}

interface EventHandler {
  fn: Scope;
  event: string;
  namespace: string;
  receiver: string;
  at: PyNode;
}

/** `@sio.event def connect(…)`, `@sio.on("message", namespace="/x")`: the socket.io event handlers of a decorated definition. */
function eventHandlersAt(state: FileState, n: PyNode, flask: boolean, out: EventHandler[]): void {
  const def = field(n, 'definition');
  const fn = def ? state.scopeOf.get(def) : undefined;
  if (!fn || fn.kind !== 'function') return;
  for (const dec of n.children.filter((k) => k.type === 'decorator')) {
    const kid = firstNamedKid(dec);
    const e = kid ? unparen(kid) : null;
    if (!e) continue;
    const callee = e.type === 'call' ? calleeOf(state, e) : (dotted(state, e) ?? '');
    const parts = callee.split('.');
    const method = parts.pop() ?? '';
    const receiver = parts.join('.');
    if (!receiver || (method !== 'event' && method !== 'on')) continue;
    if (!socketReceiver(state, receiver, fn, flask)) continue;
    const event = method === 'event' ? (fn.qual?.split('.').pop() ?? '') : e.type === 'call' ? (plainString(state, positional(e)[0]) ?? '') : '';
    const ns = e.type === 'call' ? plainString(state, keyword(state, e, 'namespace')) : null;
    out.push({ fn, event, namespace: ns ?? '/', receiver, at: dec });
  }
}

/** Whether a decorator receiver is a socket.io server: a local `socketio.AsyncServer()`, an imported server, or (Flask-SocketIO) any `SocketIO`. */
function socketReceiver(state: FileState, receiver: string, fn: Scope, flask: boolean): boolean {
  const head = receiver.split('.')[0];
  const assigns = state.module.assigns.get(head);
  if (assigns?.[0] && isServerCall(state, assigns[0].value)) return true;
  if (flask) return true;
  // An imported server: the file uses socketio, or the handler has socket.io's signature (`sid, environ[, auth]`).
  if (!state.bindings.has(head)) return false;
  return importsModule(state, 'socketio') || paramNames(state, fn).length >= 2;
}

function socketIo(
  state: FileState,
  flask: boolean,
  handlers: EventHandler[],
  registered: Map<ClassInfo, { path: string | null; server: NameRef }>,
): Registration[] {
  const framework = flask ? 'flask-socketio' : 'python-socketio';
  const out: Registration[] = [];
  const groups = new Map<string, EventHandler[]>();
  for (const h of handlers) {
    const key = `${h.receiver}\u0000${h.namespace}`;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  for (const group of groups.values()) {
    const connect = group.find((h) => h.event === 'connect');
    if (!connect) continue;
    const events = group.filter((h) => h !== connect).map((h) => h.fn);
    const head: EndpointHead = { framework, path: connect.namespace, handler: connect.fn.qual, loc: loc(state, connect.at) };
    if (!flask) head.server = nameRef(state, connect.receiver);
    out.push({ head, kind: 'socketio-connect', handler: connect.fn, calls: [], events, authParam: flask ? 0 : 2, messageFrom: flask ? 0 : 1 });
  }
  out.push(...namespaces(state, framework, registered));
  return out;
}

/** `sio.register_namespace(C("/ns"))`: a namespace class registered on a server. */
function registeredNamespaceAt(state: FileState, n: PyNode, callee: string, registered: Map<ClassInfo, { path: string | null; server: NameRef }>): void {
  const parts = callee.split('.');
  if (parts.pop() !== 'register_namespace' || parts.length === 0) return;
  const arg = positional(n)[0] ? unparen(positional(n)[0]) : null;
  if (arg?.type !== 'call') return;
  const cls = state.module.classes.get(calleeOf(state, arg));
  if (!cls) return;
  const path = plainString(state, positional(arg)[0]) ?? plainString(state, keyword(state, arg, 'namespace'));
  registered.set(cls, { path, server: nameRef(state, parts.join('.')) });
}

/** Namespace classes: subclasses of `socketio.AsyncNamespace` and classes registered with `sio.register_namespace(C("/ns"))`. */
function namespaces(state: FileState, framework: string, registered: Map<ClassInfo, { path: string | null; server: NameRef }>): Registration[] {
  const out: Registration[] = [];
  for (const cls of state.module.classes.values()) {
    const reg = registered.get(cls);
    if (!reg && !cls.bases.some((b) => NAMESPACE_BASES.test(dotted(state, b) ?? ''))) continue;
    const connect = methodOf(state, cls, 'on_connect');
    const calls: WsCall[] = [];
    if (!connect) {
      // Inherited from a namespace class in another file: follow its `on_connect` there.
      for (const base of cls.bases) {
        const name = dotted(state, base);
        if (!name || NAMESPACE_BASES.test(name) || state.module.classes.has(name)) continue;
        calls.push(callRef(state, `${name}.on_connect`, state.module, loc(state, base)));
      }
    }
    const events: Scope[] = [];
    for (const c of withLocalBases(state, cls)) {
      for (const [name, method] of c.scope.functions)
        if (name.startsWith('on_') && name !== 'on_connect' && !events.some((e) => e.qual?.endsWith(`.${name}`))) events.push(method);
    }
    // The finding goes on the class's own `on_connect` (what accepts the socket), else on the class that inherits one.
    const own = cls.scope.functions.get('on_connect');
    const anchor = own ? field(own.node, 'name') : field(cls.node, 'name');
    const head: EndpointHead = { framework, path: reg?.path ?? null, handler: cls.name, loc: loc(state, anchor ?? cls.node) };
    if (reg) head.server = reg.server;
    out.push({ head, kind: 'socketio-namespace', handler: connect, cls, calls, events, authParam: 3, messageFrom: 2 });
  }
  return out;
}

/** A class followed by its same-file base classes, nearest first. */
function withLocalBases(state: FileState, cls: ClassInfo): ClassInfo[] {
  const out: ClassInfo[] = [];
  const queue = [cls];
  while (queue.length > 0 && out.length < 6) {
    const next = queue.shift();
    if (!next || out.includes(next)) continue;
    out.push(next);
    for (const b of next.bases)
      if (b.type === 'identifier') queue.push(...[state.module.classes.get(textOf(state, b))].filter((x): x is ClassInfo => x !== undefined));
  }
  return out;
}

// --- Django Channels ---

function isConsumer(state: FileState, cls: ClassInfo, depth = 0): boolean {
  for (const base of cls.bases) {
    const name = dotted(state, base) ?? '';
    if (CHANNELS_BASES.test(name)) return true;
    const local = state.module.classes.get(name);
    if (local && depth < 5 && isConsumer(state, local, depth + 1)) return true;
  }
  return false;
}

/** A consumer whose `connect` closes and never accepts (nor defers to the base class) refuses every connection. */
function rejectsAll(state: FileState, cls: ClassInfo): boolean {
  const connect = methodOf(state, cls, 'connect') ?? methodOf(state, cls, 'websocket_connect');
  if (!connect) return false;
  let accepts = false;
  let closes = false;
  walk(connect.node, (n) => {
    if (n.type !== 'call') return;
    const callee = calleeOf(state, n);
    if (/(^|\.)accept$/.test(callee) || /^super\(\)\.(websocket_)?connect$/.test(callee)) accepts = true;
    if (/(^|\.)close$/.test(callee)) closes = true;
  });
  return closes && !accepts;
}

/** `path("ws/x/", Consumer.as_asgi())` routes and the middleware wrapping each `URLRouter`. */
function channelsRoutingAt(state: FileState, n: PyNode, callee: string, out: { routes: WsRouteFact[]; stacks: WsRouterStackFact[] }): void {
  const method = callee.split('.').pop() ?? '';
  if ((method === 'path' || method === 're_path' || method === 'url') && positional(n)[1]) {
    const [first, second] = positional(n);
    const consumer = dotted(state, unparen(second)) ?? '';
    if (!/\.as_asgi\(\)$/.test(consumer)) return;
    out.routes.push({
      path: plainString(state, first),
      consumer: nameRef(state, consumer.replace(/\.as_asgi\(\)$/, '')),
      list: listName(state, n),
      loc: loc(state, first ?? n),
    });
  } else if (method === 'URLRouter') {
    const arg = positional(n)[0];
    const a = arg ? unparen(arg) : null;
    const patterns = a && (a.type === 'identifier' || a.type === 'attribute') ? nameRef(state, dotted(state, a) ?? '') : null;
    const wrappers: WsCall[] = [];
    let inner = n;
    for (let p = n.parent; p?.type === 'argument_list' && p.parent?.type === 'call' && positional(p.parent)[0] === inner; p = inner.parent) {
      inner = p.parent;
      const name = calleeOf(state, inner);
      if (name) wrappers.unshift(callRef(state, name, state.module, loc(state, field(inner, 'function') ?? inner)));
    }
    out.stacks.push({ patterns, wrappers, loc: loc(state, n) });
  }
}

/** The module-level variable a route list is assigned to (`websocket_urlpatterns = [ … ]`). */
function listName(state: FileState, route: PyNode): string | null {
  for (let p = route.parent; p; p = p.parent) {
    if (p.type === 'call') return null;
    if (p.type === 'assignment' || p.type === 'augmented_assignment') {
      const left = field(p, 'left');
      return left?.type === 'identifier' ? textOf(state, left) : null;
    }
  }
  return null;
}
