// Python WebSocket endpoints: FastAPI/Starlette routes and endpoint classes, python-socketio, websockets.serve, Channels consumers.
import type {
  FunctionFact,
  Loc,
  RouterMount,
  TokenSource,
  WsCall,
  WsClientIdentity,
  WsDbSession,
  WsEndpoint,
  WsSharedState,
} from '../../model/facts.js';
import { CREDENTIAL_KEY, DB_SESSION_NAME, DELEGATE_METHOD, DELEGATE_RECEIVER, HTTP_CALL, AUTH_URL, IDENTITY_KEY } from '../../model/websocket.js';
import { stringContent, textOf, type ClassInfo, type FileState, type Scope } from './scopes.js';
import { field, namedKids, unparen, type PyNode } from './tree.js';

const RECEIVE = /^(receive_json|receive_text|receive_bytes|receive|recv|iter_json|iter_text|iter_bytes)$/;
const WRITE_METHODS = new Set(['append', 'add', 'update', 'setdefault', 'extend', 'insert', 'appendleft', '__setitem__']);
const REMOVE_METHODS = new Set(['remove', 'discard', 'pop', 'popitem', 'clear']);
const MUTABLE_CTORS = /^(dict|list|set|defaultdict|OrderedDict|deque|WeakSet|WeakValueDictionary|Counter|collections\.\w+)$/;
const CHANNELS_BASES = /(^|\.)(Async)?(Json)?WebsocketConsumer$/;
const MAX_FOLLOW = 4;

type Sources = { source: TokenSource; loc: Loc }[];

/** What one walk over a connection path collects. */
interface Collect {
  calls: WsCall[];
  tokenSources: Sources;
  delegations: Loc[];
  identity: WsClientIdentity[];
  writes: { name: string; how: string; loc: Loc }[];
  removals: Set<string>;
  sessions: WsDbSession[];
  dependencies: WsCall[];
  spans: Loc[];
}

function emptyCollect(): Collect {
  return { calls: [], tokenSources: [], delegations: [], identity: [], writes: [], removals: new Set(), sessions: [], dependencies: [], spans: [] };
}

function loc(state: FileState, node: PyNode): Loc {
  return state.lines.loc(node.start, node.end);
}

/** `a.b.c` for identifier/attribute chains, null otherwise. */
function dotted(state: FileState, node: PyNode): string | null {
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

function plainString(state: FileState, node: PyNode | null | undefined): string | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type !== 'string' || n.children.some((kid) => kid.type === 'interpolation')) return null;
  return stringContent(state, n);
}

function args(call: PyNode): PyNode[] {
  const list = field(call, 'arguments');
  return list ? namedKids(list) : [];
}

function positional(call: PyNode): PyNode[] {
  return args(call).filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
}

function keyword(state: FileState, call: PyNode, name: string): PyNode | null {
  for (const a of args(call)) {
    if (a.type !== 'keyword_argument') continue;
    const key = field(a, 'name');
    if (key && textOf(state, key) === name) return field(a, 'value');
  }
  return null;
}

function walk(node: PyNode, visit: (n: PyNode) => boolean | void): void {
  if (visit(node) === false) return;
  for (const kid of node.children) walk(kid, visit);
}

function moduleClassOf(state: FileState, name: string): ClassInfo | null {
  const assigns = state.module.assigns.get(name);
  const value = assigns?.[0] ? unparen(assigns[0].value) : null;
  if (value?.type !== 'call') return null;
  const fn = field(value, 'function');
  return fn && fn.type === 'identifier' ? (state.module.classes.get(textOf(state, fn)) ?? null) : null;
}

/** The call as a `WsCall`: imports give the module, `self.m`/module instances give `Class.m`. */
function callRef(state: FileState, callee: string, scope: Scope, at: Loc): WsCall {
  const parts = callee.split('.');
  const head = parts[0];
  const rest = parts.slice(1);
  if ((head === 'self' || head === 'cls') && scope.cls && rest.length > 0) return { name: `${scope.cls.name}.${rest.join('.')}`, module: null, loc: at };
  const binding = state.bindings.get(head);
  if (binding && !hasLocal(scope, head)) {
    if (binding.imported !== null) return { name: [binding.imported, ...rest].join('.'), module: binding.module, loc: at };
    return { name: rest.length ? rest.join('.') : head, module: binding.module, loc: at };
  }
  const cls = rest.length > 0 ? moduleClassOf(state, head) : null;
  if (cls) return { name: `${cls.name}.${rest.join('.')}`, module: null, loc: at };
  return { name: callee, module: null, loc: at };
}

function hasLocal(scope: Scope, name: string): boolean {
  for (let s: Scope | null = scope; s && s.kind !== 'module'; s = s.parent) if (s.params.has(name) || s.assigns.has(name)) return true;
  return false;
}

function headerSource(key: string): TokenSource | null {
  const k = key.toLowerCase().replace(/^http_/, '').replace(/_/g, '-');
  if (k === 'authorization') return 'header';
  if (k === 'sec-websocket-protocol') return 'subprotocol';
  if (k === 'cookie') return 'cookie';
  if (k === 'query-string') return 'query';
  return CREDENTIAL_KEY.test(k) ? 'header' : null;
}

/** The object and key of `x[key]` / `x.get(key)`. */
function keyedAccess(state: FileState, node: PyNode): { object: PyNode; key: string; keyNode: PyNode } | null {
  if (node.type === 'subscript') {
    const object = field(node, 'value');
    const sub = field(node, 'subscript');
    const key = plainString(state, sub);
    return object && sub && key !== null ? { object, key, keyNode: sub } : null;
  }
  if (node.type === 'call') {
    const fn = field(node, 'function');
    if (fn?.type !== 'attribute') return null;
    const attr = field(fn, 'attribute');
    const object = field(fn, 'object');
    if (!attr || !object || textOf(state, attr) !== 'get') return null;
    const first = positional(node)[0];
    const key = plainString(state, first);
    return key !== null && first ? { object, key, keyNode: first } : null;
  }
  return null;
}

/** Variables holding what the client sent (messages, parsed messages) within a function body. */
function messageVars(state: FileState, fn: PyNode, seed: string[]): Set<string> {
  const vars = new Set(seed);
  const fromMessage = (value: PyNode): boolean => {
    const v = unparen(value.type === 'await' ? (namedKids(value)[0] ?? value) : value);
    if (v.type === 'call') {
      const callee = dotted(state, field(v, 'function') ?? v) ?? '';
      const last = callee.split('.').pop() ?? '';
      if (RECEIVE.test(last)) return true;
      if (/(^|\.)(loads|parse_obj|model_validate|model_validate_json|parse_raw)$/.test(callee)) return positional(v).some((a) => fromMessage(a));
      if (last === 'get') {
        const f = field(v, 'function');
        const obj = f ? field(f, 'object') : null;
        return obj ? fromMessage(obj) : false;
      }
      return false;
    }
    if (v.type === 'identifier') return vars.has(textOf(state, v));
    if (v.type === 'subscript' || v.type === 'attribute') {
      const obj = field(v, v.type === 'subscript' ? 'value' : 'object');
      return obj ? fromMessage(obj) : false;
    }
    return false;
  };
  for (let round = 0; round < 3; round++) {
    walk(fn, (n) => {
      if (n.type === 'assignment') {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (left?.type === 'identifier' && right && fromMessage(right)) vars.add(textOf(state, left));
      } else if (n.type === 'for_statement') {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (left?.type === 'identifier' && right) {
          const r = unparen(right);
          const async = n.children.some((k) => k.type === 'async');
          if (fromMessage(r) || (async && r.type === 'identifier' && /socket|ws|conn/i.test(textOf(state, r)))) vars.add(textOf(state, left));
        }
      }
    });
  }
  return vars;
}

function pushSource(c: Collect, source: TokenSource, at: Loc): void {
  if (!c.tokenSources.some((s) => s.source === source && s.loc.line === at.line && s.loc.column === at.column)) c.tokenSources.push({ source, loc: at });
}

interface Walker {
  state: FileState;
  c: Collect;
  msgVars: Set<string>;
  queryVars: Set<string>;
  authVars: Set<string>;
}

function classifyAccess(w: Walker, node: PyNode): void {
  const { state, c } = w;
  const access = keyedAccess(state, node);
  if (!access) return;
  const objText = dotted(state, access.object);
  if (objText === null) return;
  const head = objText.split('.')[0];
  const last = objText.split('.').pop() ?? '';
  const at = loc(state, access.keyNode);
  const credential = CREDENTIAL_KEY.test(access.key);
  const identity = IDENTITY_KEY.test(access.key);
  if (last === 'query_params' || w.queryVars.has(objText)) {
    if (credential) pushSource(c, 'query', at);
    else if (identity) c.identity.push({ source: 'query', name: access.key, loc: at });
  } else if (last === 'headers' || last === 'request_headers' || last === 'environ' || objText === 'environ') {
    const source = headerSource(access.key);
    if (source) pushSource(c, source, at);
  } else if (last === 'cookies') {
    pushSource(c, 'cookie', at);
  } else if (last === 'scope') {
    if (access.key === 'subprotocols') pushSource(c, 'subprotocol', at);
    else if (access.key === 'query_string') pushSource(c, 'query', at);
    else if (access.key === 'headers') pushSource(c, 'header', at);
    else if (access.key === 'cookies' || access.key === 'session') pushSource(c, 'cookie', at);
    else if (access.key === 'user') pushSource(c, 'cookie', at);
  } else if (w.authVars.has(head)) {
    pushSource(c, 'auth-payload', at);
  } else if (w.msgVars.has(head)) {
    if (credential) pushSource(c, 'first-message', at);
    else if (identity) c.identity.push({ source: 'message', name: access.key, loc: at });
  }
}

function isDelegation(state: FileState, call: PyNode, callee: string): boolean {
  const parts = callee.replace(/\(\)/g, '').split('.');
  const method = parts[parts.length - 1] ?? '';
  const receiver = parts.slice(0, -1).join('.');
  if (receiver && DELEGATE_METHOD.test(method) && DELEGATE_RECEIVER.test(receiver) && !/jwt|jose/i.test(receiver)) return true;
  if (!HTTP_CALL.test(callee) || !/^(get|post|request|put|fetch)$/.test(method)) return false;
  const first = positional(call)[0];
  return first !== undefined && AUTH_URL.test(textOf(state, first));
}

function writeTarget(state: FileState, node: PyNode, scope: Scope, viaInstance: boolean): string | null {
  const n = unparen(node);
  if (n.type === 'identifier') {
    const name = textOf(state, n);
    if (hasLocal(scope, name) && !globalIn(state, scope, name)) return null;
    const assigns = state.module.assigns.get(name);
    if (!assigns) return null;
    return isMutable(state, assigns[0].value) ? name : null;
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!object || !attr) return null;
    const objName = object.type === 'identifier' ? textOf(state, object) : null;
    const attrName = textOf(state, attr);
    if ((objName === 'self' || objName === 'cls') && scope.cls) {
      const classLevel = scope.cls.scope.assigns.get(attrName);
      if (classLevel && isMutable(state, classLevel[0].value)) return `${scope.cls.name}.${attrName}`;
      return viaInstance ? `${scope.cls.name}.${attrName}` : null;
    }
    if (objName && state.module.classes.has(objName)) return `${objName}.${attrName}`;
    if (objName && moduleClassOf(state, objName)) return `${objName}.${attrName}`;
  }
  return null;
}

function globalIn(state: FileState, scope: Scope, name: string): boolean {
  let found = false;
  walk(scope.node, (n) => {
    if (n.type === 'global_statement' && namedKids(n).some((k) => textOf(state, k) === name)) found = true;
  });
  return found;
}

function isMutable(state: FileState, value: PyNode): boolean {
  const v = unparen(value);
  if (v.type === 'list' || v.type === 'dictionary' || v.type === 'set' || v.type === 'list_comprehension' || v.type === 'dictionary_comprehension') return true;
  if (v.type === 'call') {
    const callee = dotted(state, field(v, 'function') ?? v) ?? '';
    if (MUTABLE_CTORS.test(callee)) return true;
    const cls = state.module.classes.get(callee);
    return cls !== undefined;
  }
  return false;
}

/** Walks one function body (and same-file functions it calls) collecting what lies on the connection path. */
function collectFunction(w: Walker, fn: Scope, viaInstance: boolean, depth: number, seen: Set<Scope>, light = false): void {
  if (seen.has(fn) || depth > MAX_FOLLOW) return;
  seen.add(fn);
  const { state, c } = w;
  c.spans.push(loc(state, fn.node));
  const body = field(fn.node, 'body') ?? fn.node;
  const innerMsg = light ? w.msgVars : messageVars(state, body, [...w.msgVars]);
  const inner: Walker = { ...w, msgVars: innerMsg };
  walk(body, (n) => {
    if (n.type === 'call') {
      const fnNode = field(n, 'function');
      const callee = fnNode ? dotted(state, fnNode) : null;
      classifyAccess(inner, n);
      if (callee) {
        const ref = callRef(state, callee.replace(/\(\)/g, ''), fn, loc(state, fnNode ?? n));
        c.calls.push(ref);
        if (isDelegation(state, n, callee)) c.delegations.push(loc(state, fnNode ?? n));
        const parts = callee.split('.');
        const method = parts.pop() ?? '';
        if (!light && fnNode?.type === 'attribute' && (WRITE_METHODS.has(method) || REMOVE_METHODS.has(method))) {
          const object = field(fnNode, 'object');
          const target = object ? writeTarget(state, object, fn, viaInstance) : null;
          if (target && REMOVE_METHODS.has(method)) c.removals.add(target);
          else if (target) c.writes.push({ name: target, how: method, loc: loc(state, fnNode) });
        }
        if (/^(parse_qs|parse_qsl)$/.test(method) || callee.endsWith('urlparse')) markQueryVar(inner, n);
        if (ref.module === null) {
          const target = sameFileFunction(state, ref.name);
          const instance = parts.length > 0 && (moduleClassOf(state, parts[0]) !== null || parts[0] === 'self');
          if (target) collectFunction(inner, target, viaInstance || instance, depth + 1, seen);
        }
      }
    } else if (n.type === 'subscript') {
      classifyAccess(inner, n);
    } else if (light) {
      return;
    } else if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = field(n, 'left');
      if (left) {
        const l = unparen(left);
        const target = l.type === 'subscript' ? writeTarget(state, field(l, 'value') ?? l, fn, viaInstance) : l.type === 'identifier' && globalIn(state, fn, textOf(state, l)) ? textOf(state, l) : null;
        if (target) c.writes.push({ name: target, how: l.type === 'subscript' ? 'item-assign' : 'assign', loc: loc(state, l) });
      }
    } else if (n.type === 'delete_statement') {
      for (const kid of namedKids(n)) {
        const k = unparen(kid);
        const target = k.type === 'subscript' ? writeTarget(state, field(k, 'value') ?? k, fn, viaInstance) : null;
        if (target) c.removals.add(target);
      }
    } else if (n.type === 'attribute' && n.parent?.type !== 'call') {
      const attr = field(n, 'attribute');
      if (attr && textOf(state, attr) === 'subprotocols') pushSource(c, 'subprotocol', loc(state, attr));
    }
  });
  if (!light) collectSessions(state, body, c);
}

function markQueryVar(w: Walker, call: PyNode): void {
  const parent = call.parent;
  if (parent?.type === 'assignment') {
    const left = field(parent, 'left');
    if (left?.type === 'identifier') w.queryVars.add(textOf(w.state, left));
  }
}

function sameFileFunction(state: FileState, name: string): Scope | null {
  const parts = name.split('.');
  if (parts.length === 1) return state.module.functions.get(parts[0]) ?? null;
  if (parts.length === 2) return state.module.classes.get(parts[0])?.scope.functions.get(parts[1]) ?? null;
  return null;
}

function containsReceiveLoop(state: FileState, node: PyNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'while_statement' || n.type === 'for_statement') {
      walk(n, (m) => {
        if (m.type === 'call') {
          const callee = dotted(state, field(m, 'function') ?? m) ?? '';
          if (RECEIVE.test(callee.split('.').pop() ?? '')) found = true;
        }
      });
      if (n.type === 'for_statement' && n.children.some((k) => k.type === 'async')) found = true;
    }
  });
  return found;
}

function insideLoop(node: PyNode, stop: PyNode): boolean {
  for (let p = node.parent; p && p !== stop; p = p.parent) if (p.type === 'while_statement' || p.type === 'for_statement') return true;
  return false;
}

/** DB sessions opened before the receive loop and living around it (`with SessionLocal() as db:` wrapping `while True`). */
function collectSessions(state: FileState, body: PyNode, c: Collect): void {
  walk(body, (n) => {
    if (n.type === 'function_definition') return n === body.parent ? undefined : false;
    if (n.type === 'with_statement' && !insideLoop(n, body)) {
      const inner = field(n, 'body');
      for (const item of namedKids(n.children.find((k) => k.type === 'with_clause') ?? n).filter((k) => k.type === 'with_item')) {
        const value = field(item, 'value');
        const expr = value?.type === 'as_pattern' ? namedKids(value)[0] : value;
        const opener = expr ? dotted(state, unparen(expr.type === 'await' ? (namedKids(expr)[0] ?? expr) : expr)) : null;
        if (opener && DB_SESSION_NAME.test(opener.replace(/\(\)/g, '')) && inner && containsReceiveLoop(state, inner)) {
          c.sessions.push({ name: opener.replace(/\(\)$/, ''), kind: 'around-loop', loc: loc(state, expr ?? n) });
        }
      }
    }
    if (n.type === 'assignment' && !insideLoop(n, body) && n.parent?.parent === body) {
      const right = field(n, 'right');
      const r = right ? unparen(right.type === 'await' ? (namedKids(right)[0] ?? right) : right) : null;
      if (r?.type === 'call') {
        let callee = dotted(state, field(r, 'function') ?? r) ?? '';
        if (callee === 'next' || callee === 'anext') callee = dotted(state, positional(r)[0] ?? r) ?? '';
        const block = n.parent?.parent;
        const after = block ? block.children.filter((k) => k.start > n.end) : [];
        if (DB_SESSION_NAME.test(callee.replace(/\(\)/g, '')) && after.some((k) => containsReceiveLoop(state, k))) {
          c.sessions.push({ name: callee.replace(/\(\)$/, ''), kind: 'around-loop', loc: loc(state, r) });
        }
      }
    }
  });
}

interface Registration {
  framework: string;
  path: string | null;
  pathNode: PyNode | null;
  router: string | null;
  handler: Scope | ClassInfo | null;
  at: PyNode;
}

function isClassInfo(h: Scope | ClassInfo): h is ClassInfo {
  return 'bases' in h;
}

function handlerOf(state: FileState, node: PyNode | undefined): Scope | ClassInfo | null {
  if (!node) return null;
  const n = unparen(node);
  const name = dotted(state, n);
  if (!name) return null;
  const asAsgi = name.replace(/\.as_asgi\(\)$/, '');
  return state.module.functions.get(asAsgi) ?? state.module.classes.get(asAsgi) ?? null;
}

function fastapiFramework(state: FileState): string {
  for (const b of state.bindings.values()) if (b.module === 'fastapi' || b.module.startsWith('fastapi.')) return 'fastapi';
  return 'starlette';
}

function registrations(state: FileState): Registration[] {
  const out: Registration[] = [];
  const framework = fastapiFramework(state);
  walk(state.module.node, (n) => {
    if (n.type === 'decorated_definition') {
      const def = field(n, 'definition');
      const scope = def ? state.scopeOf.get(def) : undefined;
      for (const dec of n.children.filter((k) => k.type === 'decorator')) {
        const expr = namedKids(dec)[0];
        const e = expr ? unparen(expr) : null;
        const callee = e?.type === 'call' ? dotted(state, field(e, 'function') ?? e) : e ? dotted(state, e) : null;
        if (!callee || !scope || !e) continue;
        const parts = callee.split('.');
        const method = parts.pop() ?? '';
        if (e.type === 'call' && (method === 'websocket' || method === 'websocket_route') && parts.length > 0) {
          const first = positional(e)[0];
          out.push({ framework, path: plainString(state, first), pathNode: first ?? null, router: parts.join('.'), handler: scope, at: first ?? e });
        } else if (scope.kind === 'function' && (method === 'event' || method === 'on') && isSocketIo(state, parts[0] ?? '')) {
          const event = e.type === 'call' ? plainString(state, positional(e)[0]) : null;
          const fnName = scope.qual?.split('.').pop();
          if ((method === 'event' && fnName === 'connect') || (method === 'on' && event === 'connect')) {
            const ns = e.type === 'call' ? keyword(state, e, 'namespace') : null;
            out.push({ framework: 'python-socketio', path: plainString(state, ns) ?? '/', pathNode: null, router: null, handler: scope, at: dec });
          }
        }
      }
    } else if (n.type === 'call') {
      const fn = field(n, 'function');
      if (!fn) return;
      const f = unparen(fn);
      if (f.type === 'call') {
        const inner = dotted(state, field(f, 'function') ?? f);
        const parts = inner?.split('.') ?? [];
        if (parts.length > 1 && (parts[parts.length - 1] === 'websocket' || parts[parts.length - 1] === 'websocket_route')) {
          const first = positional(f)[0];
          out.push({ framework, path: plainString(state, first), pathNode: first ?? null, router: parts.slice(0, -1).join('.'), handler: handlerOf(state, positional(n)[0]), at: first ?? f });
        }
        return;
      }
      const callee = dotted(state, f) ?? '';
      const parts = callee.split('.');
      const method = parts[parts.length - 1];
      if ((method === 'add_api_websocket_route' || method === 'add_websocket_route') && parts.length > 1) {
        const [first, second] = positional(n);
        out.push({ framework, path: plainString(state, first), pathNode: first ?? null, router: parts.slice(0, -1).join('.'), handler: handlerOf(state, second ?? keyword(state, n, 'endpoint') ?? undefined), at: first ?? n });
      } else if (method === 'WebSocketRoute') {
        const [first, second] = positional(n);
        out.push({ framework: 'starlette', path: plainString(state, first), pathNode: first ?? null, router: null, handler: handlerOf(state, second ?? keyword(state, n, 'endpoint') ?? undefined), at: first ?? n });
      } else if ((method === 'path' || method === 're_path') && positional(n)[1] && /\.as_asgi\(\)$/.test(dotted(state, positional(n)[1]) ?? '')) {
        const [first, second] = positional(n);
        const handler = handlerOf(state, second);
        if (handler) out.push({ framework: 'django-channels', path: plainString(state, first), pathNode: first ?? null, router: null, handler, at: first ?? n });
      } else if ((callee === 'websockets.serve' || callee === 'serve' || callee.endsWith('websockets.server.serve')) && isWebsockets(state, parts[0])) {
        const first = positional(n)[0];
        out.push({ framework: 'websockets', path: null, pathNode: null, router: null, handler: handlerOf(state, first), at: f });
      }
    }
  });
  for (const cls of allClasses(state)) {
    const bases = cls.bases.map((b) => dotted(state, b) ?? '');
    const framework = bases.some((b) => /(^|\.)WebSocketEndpoint$/.test(b)) ? 'starlette' : bases.some((b) => CHANNELS_BASES.test(b)) ? 'django-channels' : null;
    if (!framework || out.some((r) => r.handler === cls)) continue;
    const nameNode = field(cls.node, 'name') ?? cls.node;
    out.push({ framework, path: null, pathNode: null, router: null, handler: cls, at: nameNode });
  }
  return out;
}

function allClasses(state: FileState): ClassInfo[] {
  return [...state.module.classes.values()];
}

function isSocketIo(state: FileState, name: string): boolean {
  const assigns = state.module.assigns.get(name);
  const value = assigns?.[0] ? unparen(assigns[0].value) : null;
  return value?.type === 'call' && /(^|\.)(Async)?Server$/.test(dotted(state, field(value, 'function') ?? value) ?? '') && [...state.bindings.values()].some((b) => b.module === 'socketio');
}

function isWebsockets(state: FileState, head: string | undefined): boolean {
  const binding = head ? state.bindings.get(head) : undefined;
  return binding !== undefined && binding.module.startsWith('websockets');
}

/** Parameter sources of a FastAPI handler: `Query()`, `Header()`, `Cookie()`, path parameters, `Depends(fn)`. */
function collectParams(state: FileState, fn: Scope, path: string | null, c: Collect, framework: string): void {
  const params = field(fn.node, 'parameters');
  if (!params) return;
  const pathParams = new Set([...(path ?? '').matchAll(/\{(\w+)(?::[^}]*)?\}/g)].map((m) => m[1]));
  for (const param of namedKids(params)) {
    const nameNode = param.type === 'identifier' ? param : (field(param, 'name') ?? namedKids(param).find((k) => k.type === 'identifier'));
    if (!nameNode) continue;
    const name = textOf(state, nameNode);
    if (name === 'self' || name === 'cls') continue;
    const type = field(param, 'type');
    const typeText = type ? textOf(state, type) : '';
    const value = field(param, 'value');
    const v = value ? unparen(value) : null;
    const ctor = v?.type === 'call' ? (dotted(state, field(v, 'function') ?? v) ?? '') : '';
    const at = loc(state, nameNode);
    if (/(^|\.)Depends$|(^|\.)Security$/.test(ctor) && v) {
      const dep = positional(v)[0];
      const depName = dep ? dotted(state, dep) : null;
      if (depName) {
        const ref = callRef(state, depName, fn, loc(state, dep ?? v));
        c.calls.push(ref);
        c.dependencies.push(ref);
      }
      continue;
    }
    if (framework !== 'fastapi' && framework !== 'starlette') continue;
    if (/WebSocket|Request/.test(typeText)) continue;
    const kind: TokenSource | null = /(^|\.)Query$/.test(ctor) ? 'query' : /(^|\.)Header$/.test(ctor) ? 'header' : /(^|\.)Cookie$/.test(ctor) ? 'cookie' : /(^|\.)Path$/.test(ctor) || pathParams.has(name) ? 'path' : ctor === '' ? 'query' : null;
    if (!kind) continue;
    if (CREDENTIAL_KEY.test(name) || (kind === 'header' && /authorization/i.test(name))) pushSource(c, kind === 'header' ? 'header' : kind, at);
    else if (IDENTITY_KEY.test(name) && (kind === 'query' || kind === 'path')) c.identity.push({ source: kind, name, loc: at });
  }
}

function paramNames(state: FileState, fn: Scope): string[] {
  const params = field(fn.node, 'parameters');
  return params ? namedKids(params).map((p) => textOf(state, p.type === 'identifier' ? p : (field(p, 'name') ?? namedKids(p)[0] ?? p))) : [];
}

function endpointFor(state: FileState, reg: Registration, prefixes: Map<string, string>): WsEndpoint {
  const c = emptyCollect();
  const handler = reg.handler;
  let handlerName: string | null = null;
  const seen = new Set<Scope>();
  const base = (msg: string[] = [], auth: string[] = []): Walker => ({ state, c, msgVars: new Set(msg), queryVars: new Set(), authVars: new Set(auth) });
  if (handler && isClassInfo(handler)) {
    handlerName = handler.name;
    c.spans.push(loc(state, handler.node));
    for (const [name, method] of handler.scope.functions) {
      const params = paramNames(state, method);
      const msg = /^(receive|receive_json|on_receive|websocket_receive)$/.test(name) ? params.slice(1) : [];
      collectFunction(base(msg), method, false, 0, seen);
    }
  } else if (handler) {
    handlerName = handler.qual;
    const params = paramNames(state, handler);
    const auth = reg.framework === 'python-socketio' ? params.slice(2) : [];
    collectParams(state, handler, reg.path, c, reg.framework);
    collectFunction(base([], auth), handler, false, 0, seen);
  }
  const prefix = reg.router ? (prefixes.get(reg.router) ?? '') : '';
  const shared = new Map<string, WsSharedState>();
  for (const write of c.writes) {
    if (!shared.has(write.name)) shared.set(write.name, { name: write.name, how: write.how, cleaned: c.removals.has(write.name), loc: write.loc });
  }
  return {
    framework: reg.framework,
    path: reg.path === null ? null : prefix + reg.path,
    router: reg.router,
    handler: handlerName,
    loc: loc(state, reg.pathNode ?? reg.at),
    tokenSources: c.tokenSources,
    calls: dedupeCalls(c.calls),
    spans: c.spans,
    delegations: c.delegations,
    dbSessions: c.sessions,
    dependencies: c.dependencies,
    sharedState: [...shared.values()],
    clientIdentity: c.identity,
    details: {},
  };
}

function dedupeCalls(calls: WsCall[]): WsCall[] {
  const seen = new Set<string>();
  const out: WsCall[] = [];
  for (const call of calls) {
    const key = `${call.module ?? ''}#${call.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(call);
  }
  return out;
}

/** In-file router prefixes: `router = APIRouter(prefix="/x")`. */
function routerPrefixes(state: FileState): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, assigns] of state.module.assigns) {
    const value = unparen(assigns[0].value);
    if (value.type !== 'call') continue;
    const callee = dotted(state, field(value, 'function') ?? value) ?? '';
    if (!/(^|\.)(APIRouter|FastAPI|Router|Starlette)$/.test(callee)) continue;
    const prefix = plainString(state, keyword(state, value, 'prefix'));
    if (prefix) out.set(name, prefix);
  }
  return out;
}

function collectMounts(state: FileState): RouterMount[] {
  const out: RouterMount[] = [];
  walk(state.module.node, (n) => {
    if (n.type !== 'call') return;
    const callee = dotted(state, field(n, 'function') ?? n) ?? '';
    if (!callee.endsWith('.include_router')) return;
    const first = positional(n)[0];
    const router = first ? dotted(state, first) : null;
    if (!router || !first) return;
    const prefix = plainString(state, keyword(state, n, 'prefix')) ?? '';
    const head = router.split('.')[0];
    const binding = state.bindings.get(head);
    out.push({ router, module: binding?.module ?? null, imported: binding ? (binding.imported ?? head) : null, prefix, loc: loc(state, first) });
  });
  return out;
}

/** Function facts for every named function and method: calls, token reads, delegations. */
function collectFunctions(state: FileState): FunctionFact[] {
  const out: FunctionFact[] = [];
  for (const scope of state.scopeOf.values()) {
    if (scope.kind !== 'function' || !scope.qual) continue;
    const c = emptyCollect();
    const w: Walker = { state, c, msgVars: new Set(), queryVars: new Set(), authVars: new Set() };
    collectFunction(w, scope, false, MAX_FOLLOW, new Set(), true);
    out.push({ name: scope.qual, loc: loc(state, scope.node), calls: dedupeCalls(c.calls), tokenSources: c.tokenSources, delegations: c.delegations });
  }
  return out;
}

/** Adds WebSocket endpoints, function facts and router mounts to a Python file's facts. */
export function collectWebSockets(state: FileState): void {
  const regs = registrations(state);
  const mounts = collectMounts(state);
  if (mounts.length > 0) state.facts.routerMounts = mounts;
  const prefixes = routerPrefixes(state);
  for (const reg of regs) state.facts.wsEndpoints.push(endpointFor(state, reg, prefixes));
  if (state.facts.functions === undefined && mightMatter(state)) state.facts.functions = collectFunctions(state);
}

/** Function facts are only worth keeping in files that could be on a connection path (they define functions). */
function mightMatter(state: FileState): boolean {
  for (const scope of state.scopeOf.values()) if (scope.kind === 'function') return true;
  return false;
}
