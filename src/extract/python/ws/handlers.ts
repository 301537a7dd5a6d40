// Python WebSocket handler analysis: walks a connection path (handler, helpers in the file) and collects credentials, calls, identities, shared writes and DB sessions.
import type { FunctionFact, TokenSource, WsCall } from '../../facts.js';
import {
  CREDENTIAL_KEY,
  DB_RECEIVER,
  DB_SESSION_NAME,
  DELEGATE_METHOD,
  DELEGATE_RECEIVER,
  HTTP_CALL,
  AUTH_URL,
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
import { textOf, type FileState, type Scope } from '../scopes.js';
import { field, firstNamedKid, namedKids, unparen, type PyNode } from '../tree.js';
import { awaited, callRef, calleeOf, dotted, hasLocal, loc, moduleClassOf, paramNames, plainString, positional, walk } from './syntax.js';

const RECEIVE = /^(receive_json|receive_text|receive_bytes|receive|recv|iter_json|iter_text|iter_bytes)$/;
const WRITE_METHODS = new Set(['append', 'add', 'update', 'setdefault', 'extend', 'insert', 'appendleft', '__setitem__']);
const REMOVE_METHODS = new Set(['remove', 'discard', 'pop', 'popitem', 'clear']);
const MUTABLE_CTORS = /^(dict|list|set|defaultdict|OrderedDict|deque|WeakSet|WeakValueDictionary|Counter|collections\.\w+)$/;
const QUERY_PARSERS = /^(parse_qs|parse_qsl|QueryParams|MultiDict|ImmutableMultiDict)$/;
const HTTP_CLIENT_CTOR = /^(httpx\.(Async)?Client|requests\.Session|aiohttp\.ClientSession|(Async)?Client|Session|ClientSession)$/;
const DB_OPENER_VERBS = /^(connect|acquire|begin|transaction|start_transaction)$/;
const MAX_FOLLOW = 4;

/** Names of variables that hold something of interest, as seeds for a function (by parameter name). */
export interface Seeds {
  msg: string[];
  auth: string[];
  query: string[];
}

export const NO_SEEDS: Seeds = { msg: [], auth: [], query: [] };

/** One walk over a connection path. */
export interface PathWalk {
  state: FileState;
  c: Collect;
  /** Function-fact mode: only calls, token reads, delegations and dependencies. */
  light: boolean;
  /** `self.x` is shared by every connection (a python-socketio namespace instance is one per server). */
  sharedSelf: boolean;
  seen: Set<Scope>;
}

/** Variables of one function body: message payloads, query containers, loop names and aliases of shared targets. */
interface Locals {
  msg: Set<string>;
  auth: Set<string>;
  query: Set<string>;
  /** `for name in ["a", "b"]`: the literal elements a loop variable takes. */
  loops: Map<string, PyNode[]>;
  /** Locals that stand for an entry of a shared target (`for conns in shared.values()`, `q = shared[k]`). */
  aliases: Map<string, string>;
}

export function newWalk(state: FileState, c: Collect, opts: { light?: boolean; sharedSelf?: boolean } = {}): PathWalk {
  return { state, c, light: opts.light ?? false, sharedSelf: opts.sharedSelf ?? false, seen: new Set() };
}

function headerSource(key: string): TokenSource | null {
  const k = key
    .toLowerCase()
    .replace(/^http_/, '')
    .replace(/_/g, '-');
  if (k === 'authorization') return 'header';
  if (k === 'sec-websocket-protocol') return 'subprotocol';
  if (k === 'cookie') return 'cookie';
  if (k === 'query-string') return null;
  return CREDENTIAL_KEY.test(k) ? 'header' : null;
}

function isGetCall(state: FileState, node: PyNode): boolean {
  const fn = field(node, 'function');
  const attr = fn?.type === 'attribute' ? field(fn, 'attribute') : null;
  return attr !== null && (textOf(state, attr) === 'get' || textOf(state, attr) === 'getlist');
}

/** `x[key]` / `x.get(key)`: the object and the key node (a literal or a name). */
function keyedAccess(state: FileState, node: PyNode): { object: PyNode; keyNode: PyNode } | null {
  if (node.type === 'subscript') {
    const object = field(node, 'value');
    const sub = field(node, 'subscript');
    return object && sub ? { object, keyNode: sub } : null;
  }
  if (node.type === 'call' && isGetCall(state, node)) {
    const fn = field(node, 'function');
    const object = fn ? field(fn, 'object') : null;
    const first = positional(node)[0];
    return object && first ? { object, keyNode: first } : null;
  }
  return null;
}

/** The literal keys an access uses: the key itself, or the literal list a loop variable runs over. */
function keysOf(state: FileState, keyNode: PyNode, locals: Locals): { key: string; node: PyNode }[] {
  const literal = plainString(state, keyNode);
  if (literal !== null) return [{ key: literal, node: keyNode }];
  const k = unparen(keyNode);
  if (k.type === 'identifier') {
    const list = locals.loops.get(textOf(state, k)) ?? [];
    const out: { key: string; node: PyNode }[] = [];
    for (const el of list) {
      const value = plainString(state, el);
      if (value !== null) out.push({ key: value, node: el });
    }
    return out;
  }
  return [];
}

/** Whether an expression holds query-string data: `websocket.query_params`, `parse_qs(scope["query_string"])`, `QueryParams(url.query)`. */
function isQueryExpr(state: FileState, node: PyNode, locals: Locals): boolean {
  const v = awaited(node);
  if (v.type === 'identifier') return locals.query.has(textOf(state, v));
  if (v.type === 'attribute') {
    const attr = field(v, 'attribute');
    const object = field(v, 'object');
    const name = attr ? textOf(state, attr) : '';
    if (name === 'query_params' || name === 'query_string') return true;
    if (name === 'query' && object) {
      const o = awaited(object);
      const objName = dotted(state, o) ?? '';
      return /(^|\.)url$/.test(objName) || (o.type === 'call' && /(^|\.)(urlparse|urlsplit)$/.test(calleeOf(state, o)));
    }
    return false;
  }
  if (v.type === 'call') {
    const callee = calleeOf(state, v);
    const last = callee.split('.').pop() ?? '';
    if (last === 'parse_qs' || last === 'parse_qsl') return true;
    if (QUERY_PARSERS.test(last) || last === 'dict' || last === 'decode') {
      const fn = field(v, 'function');
      const object = last === 'decode' && fn?.type === 'attribute' ? field(fn, 'object') : null;
      if (object) return isQueryExpr(state, object, locals);
      return positional(v).some((a) => isQueryExpr(state, a, locals));
    }
    if (isGetCall(state, v)) return queryStringKey(state, v);
    return false;
  }
  if (v.type === 'subscript') return queryStringKey(state, v);
  return false;
}

/** `scope["query_string"]`, `environ.get("QUERY_STRING")`: the raw query string. */
function queryStringKey(state: FileState, node: PyNode): boolean {
  const access = keyedAccess(state, node);
  const key = access ? plainString(state, access.keyNode) : null;
  return key !== null && key.toLowerCase() === 'query_string';
}

/** The name a value is finally assigned to, through `[0]`, `.get(…)[0]`, `or` defaults and `await`. */
function assignedName(state: FileState, node: PyNode): string | null {
  let n = node;
  for (let p = n.parent; p; n = p, p = p.parent) {
    if (p.type === 'parenthesized_expression' || p.type === 'await') continue;
    if (p.type === 'subscript' && field(p, 'value') === n) continue;
    if (p.type === 'boolean_operator') continue;
    if (p.type === 'assignment' && field(p, 'right') === n) {
      const left = field(p, 'left');
      return left?.type === 'identifier' ? textOf(state, left) : null;
    }
    if (p.type === 'named_expression' && field(p, 'value') === n) {
      const name = field(p, 'name');
      return name ? textOf(state, name) : null;
    }
    return null;
  }
  return null;
}

function isAssignmentTarget(node: PyNode): boolean {
  let n = node;
  for (let p = n.parent; p; n = p, p = p.parent) {
    if (p.type === 'pattern_list' || p.type === 'tuple_pattern' || p.type === 'parenthesized_expression') continue;
    return (p.type === 'assignment' || p.type === 'augmented_assignment') && field(p, 'left') === n;
  }
  return false;
}

function classifyAccess(w: PathWalk, node: PyNode, locals: Locals): void {
  const { state, c } = w;
  const access = keyedAccess(state, node);
  if (!access || isAssignmentTarget(node)) return;
  const objText = dotted(state, access.object);
  const last = objText?.split('.').pop() ?? '';
  const head = objText?.split('.')[0] ?? '';
  if (isQueryExpr(state, access.object, locals)) {
    const keys = keysOf(state, access.keyNode, locals);
    const credential = keys.find((k) => QUERY_CREDENTIAL_KEY.test(k.key));
    const ticket = keys.find((k) => TICKET_KEY.test(k.key));
    const target = assignedName(state, node);
    if (credential) pushSource(c, 'query', loc(state, credential.node));
    else if (ticket) pushSource(c, 'ticket', loc(state, ticket.node));
    else if (keys.length > 0 && target !== null && QUERY_CREDENTIAL_KEY.test(target)) pushSource(c, 'query', loc(state, keys[0].node));
    else {
      const identity = keys.find((k) => IDENTITY_KEY.test(k.key));
      if (identity) pushIdentity(c, 'query', identity.key, loc(state, identity.node));
    }
    return;
  }
  const key = plainString(state, access.keyNode);
  if (key === null || objText === null) return;
  const at = loc(state, access.keyNode);
  const processEnv = objText === 'os.environ' || (objText === 'environ' && state.bindings.get('environ')?.module === 'os');
  if (processEnv) return;
  if (last === 'headers' || last === 'request_headers' || last === 'environ') {
    const source = headerSource(key);
    if (source) pushSource(c, source, at);
  } else if (last === 'cookies') {
    pushSource(c, 'cookie', at);
  } else if (last === 'scope') {
    if (key === 'subprotocols') pushSource(c, 'subprotocol', at);
    else if (key === 'headers') pushSource(c, 'header', at);
    else if (key === 'cookies' || key === 'session' || key === 'user') pushSource(c, 'cookie', at);
  } else if (locals.auth.has(head)) {
    pushSource(c, 'auth-payload', at);
  } else if (locals.msg.has(head)) {
    if (CREDENTIAL_KEY.test(key)) pushSource(c, 'first-message', at);
    else if (IDENTITY_KEY.test(key)) pushIdentity(c, 'message', key, at);
  }
}

/** Whether a value comes from what the client sent (a received message, a parsed one, a field of one). */
function fromMessage(state: FileState, value: PyNode, msg: Set<string>): boolean {
  const v = awaited(value);
  if (v.type === 'call') {
    const callee = calleeOf(state, v);
    const last = callee.split('.').pop() ?? '';
    if (RECEIVE.test(last)) return true;
    if (/(^|\.)(loads|parse_obj|model_validate|model_validate_json|parse_raw)$/.test(callee)) return positional(v).some((a) => fromMessage(state, a, msg));
    if (last === 'get') {
      const f = field(v, 'function');
      const obj = f ? field(f, 'object') : null;
      return obj ? fromMessage(state, obj, msg) : false;
    }
    if (last === 'wait_for') return positional(v).some((a) => fromMessage(state, a, msg));
    return false;
  }
  if (v.type === 'identifier') return msg.has(textOf(state, v));
  if (v.type === 'subscript' || v.type === 'attribute') {
    const obj = field(v, v.type === 'subscript' ? 'value' : 'object');
    return obj ? fromMessage(state, obj, msg) : false;
  }
  if (v.type === 'boolean_operator') return namedKids(v).some((k) => fromMessage(state, k, msg));
  return false;
}

function isAsyncFor(node: PyNode): boolean {
  return node.children.some((k) => k.type === 'async');
}

/** One pass over a function body to a fixpoint: which locals hold messages, query data, loop names and aliases. */
function localsOf(w: PathWalk, body: PyNode, scope: Scope, seeds: Seeds, viaInstance: boolean): Locals {
  const { state } = w;
  const locals: Locals = { msg: new Set(seeds.msg), auth: new Set(seeds.auth), query: new Set(seeds.query), loops: new Map(), aliases: new Map() };
  const aliasOf = (value: PyNode): string | null => {
    const v = awaited(value);
    if (v.type === 'subscript') return sharedTarget(w, field(v, 'value') ?? v, scope, viaInstance, locals);
    if (v.type === 'call') {
      const fn = field(v, 'function');
      const method = fn?.type === 'attribute' ? field(fn, 'attribute') : null;
      const object = fn?.type === 'attribute' ? field(fn, 'object') : null;
      if (!method || !object) return null;
      const name = textOf(state, method);
      if (name === 'get' || name === 'setdefault') return sharedTarget(w, object, scope, viaInstance, locals);
      if (name === 'values' || name === 'items' || name === 'copy') return sharedTarget(w, object, scope, viaInstance, locals);
      return null;
    }
    return sharedTarget(w, v, scope, viaInstance, locals);
  };
  for (let round = 0; round < 3; round++) {
    walk(body, (n) => {
      if (n.type === 'assignment') {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (left?.type !== 'identifier' || !right) return;
        const name = textOf(state, left);
        if (!w.light && fromMessage(state, right, locals.msg)) locals.msg.add(name);
        if (isQueryExpr(state, right, locals)) locals.query.add(name);
        if (!w.light && awaited(right).type !== 'identifier') {
          const target = aliasOf(right);
          if (target) locals.aliases.set(name, target);
        }
      } else if (n.type === 'for_statement') {
        const left = field(n, 'left');
        const right = field(n, 'right');
        if (!left || !right) return;
        const r = unparen(right);
        if (left.type === 'identifier') {
          const name = textOf(state, left);
          if (r.type === 'list' || r.type === 'tuple') locals.loops.set(name, namedKids(r));
          if (!w.light && (fromMessage(state, r, locals.msg) || (isAsyncFor(n) && r.type === 'identifier' && /socket|ws|conn/i.test(textOf(state, r)))))
            locals.msg.add(name);
        }
        if (!w.light) {
          const target = aliasOf(r);
          const names = left.type === 'identifier' ? [left] : namedKids(left).filter((k) => k.type === 'identifier');
          if (target) for (const id of names.slice(-1)) locals.aliases.set(textOf(state, id), target);
        }
      }
    });
  }
  return locals;
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
    const callee = calleeOf(state, v);
    if (MUTABLE_CTORS.test(callee)) return true;
    return state.module.classes.has(callee);
  }
  return false;
}

/** The module- or class-level target a write goes to (`connections`, `Manager.active`), or null for connection-local state. */
function sharedTarget(w: PathWalk, node: PyNode, scope: Scope, viaInstance: boolean, locals: Locals | null): string | null {
  const { state } = w;
  const n = unparen(node);
  if (n.type === 'identifier') {
    const name = textOf(state, n);
    const alias = locals?.aliases.get(name);
    if (alias) return alias;
    if (hasLocal(scope, name) && !globalIn(state, scope, name)) return null;
    const assigns = state.module.assigns.get(name);
    if (!assigns) return null;
    return isMutable(state, assigns[0].value) ? name : null;
  }
  if (n.type === 'subscript') return sharedTarget(w, field(n, 'value') ?? n, scope, viaInstance, locals);
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!object || !attr) return null;
    const objName = object.type === 'identifier' ? textOf(state, object) : null;
    const attrName = textOf(state, attr);
    if ((objName === 'self' || objName === 'cls') && scope.cls) {
      const classLevel = scope.cls.scope.assigns.get(attrName);
      if (classLevel && isMutable(state, classLevel[0].value)) return `${scope.cls.name}.${attrName}`;
      return viaInstance || w.sharedSelf ? `${scope.cls.name}.${attrName}` : null;
    }
    if (objName && state.module.classes.has(objName)) return `${objName}.${attrName}`;
    if (objName && moduleClassOf(state, objName)) return `${objName}.${attrName}`;
    if (objName && attrName === 'headers' && !hasLocal(scope, objName) && sharedHttpClient(state, objName)) return `${objName}.headers`;
  }
  return null;
}

/** `client.headers` of a module-level HTTP client: a write there reaches every request of the process. */
function httpClientHeaders(state: FileState, node: PyNode | null, scope: Scope): { httpClient?: true } {
  const n = node ? unparen(node) : null;
  if (n?.type !== 'attribute') return {};
  const object = field(n, 'object');
  const attr = field(n, 'attribute');
  if (object?.type !== 'identifier' || !attr || textOf(state, attr) !== 'headers') return {};
  const name = textOf(state, object);
  return !hasLocal(scope, name) && sharedHttpClient(state, name) ? { httpClient: true } : {};
}

/** A module-level HTTP client every request shares (`client = httpx.AsyncClient()`, `session = requests.Session()`). */
function sharedHttpClient(state: FileState, name: string): boolean {
  const value = state.module.assigns.get(name)?.[0]?.value;
  const v = value ? unparen(value) : null;
  return v?.type === 'call' && HTTP_CLIENT_CTOR.test(calleeOf(state, v));
}

/** `if _x is None: _x = make()`: a lazily created process singleton, written once, not per connection. */
function getOrCreate(state: FileState, assignment: PyNode, name: string): boolean {
  const pattern = new RegExp(`(^|[^\\w.])${name}\\s+is\\s+None\\b|\\bnot\\s+${name}\\b`);
  for (let p = assignment.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const condition = field(p, 'condition');
    if (condition && pattern.test(textOf(state, condition))) return true;
  }
  return false;
}

/** `{"user": verified, **payload}`: a client payload spread after an identity key replaces it. */
function spreadOverIdentity(w: PathWalk, node: PyNode, locals: Locals): void {
  const { state } = w;
  let identity: string | null = null;
  const items = node.type === 'dictionary' ? namedKids(node) : namedKids(field(node, 'arguments') ?? node);
  for (const item of items) {
    if (item.type === 'pair') {
      const key = plainString(state, field(item, 'key'));
      if (key !== null && IDENTITY_KEY.test(key)) identity = key;
    } else if (item.type === 'keyword_argument') {
      const name = field(item, 'name');
      if (name && IDENTITY_KEY.test(textOf(state, name))) identity = textOf(state, name);
    } else if (item.type === 'dictionary_splat' && identity !== null) {
      const inner = firstNamedKid(item);
      if (inner && fromMessage(state, inner, locals.msg)) pushIdentity(w.c, 'message', identity, loc(state, item));
    }
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

/** Whether a call opens a database session or connection (`SessionLocal()`, `engine.connect()`, `pool.acquire()`). */
function isDbOpener(callee: string): boolean {
  const name = callee.replace(/\(\)/g, '');
  const parts = name.split('.');
  const last = parts[parts.length - 1] ?? '';
  if (DB_OPENER_VERBS.test(last)) return parts.length > 1 && DB_RECEIVER.test(parts.slice(0, -1).join('.'));
  return DB_SESSION_NAME.test(name);
}

/** `Depends(fn)` / `Security(fn)` parameter defaults and `Annotated[T, Depends(fn)]` types of a function. */
function dependencyNodes(state: FileState, fn: Scope): { param: PyNode; dep: PyNode; call: PyNode }[] {
  const params = field(fn.node, 'parameters');
  if (!params) return [];
  const out: { param: PyNode; dep: PyNode; call: PyNode }[] = [];
  for (const param of namedKids(params)) {
    const candidates: PyNode[] = [];
    const value = field(param, 'value');
    if (value) candidates.push(unparen(value));
    const type = field(param, 'type');
    if (type)
      walk(type, (n) => {
        if (n.type === 'call') candidates.push(n);
      });
    for (const cand of candidates) {
      if (cand.type !== 'call' || !/(^|\.)(Depends|Security)$/.test(calleeOf(state, cand))) continue;
      const dep = positional(cand)[0];
      if (dep) out.push({ param, dep, call: cand });
    }
  }
  return out;
}

/** Maps the arguments of a same-file call onto the callee's parameters, carrying message, auth and query variables. */
function seedsFor(state: FileState, call: PyNode, target: Scope, locals: Locals): Seeds {
  const seeds: Seeds = { msg: [], auth: [], query: [] };
  const params = paramNames(state, target);
  const offset = params[0] === 'self' || params[0] === 'cls' ? 1 : 0;
  const list = field(call, 'arguments');
  let index = 0;
  for (const arg of list ? namedKids(list) : []) {
    let name: string | null;
    let value: PyNode | null = arg;
    if (arg.type === 'keyword_argument') {
      const key = field(arg, 'name');
      name = key ? textOf(state, key) : null;
      value = field(arg, 'value');
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      continue;
    } else {
      name = params[offset + index] ?? null;
      index++;
    }
    if (!name || !value) continue;
    if (isQueryExpr(state, value, locals)) seeds.query.push(name);
    const v = awaited(value);
    if (v.type === 'identifier') {
      const id = textOf(state, v);
      if (locals.msg.has(id)) seeds.msg.push(name);
      if (locals.auth.has(id)) seeds.auth.push(name);
    }
  }
  return seeds;
}

function sameFileFunction(state: FileState, name: string): Scope | null {
  const parts = name.split('.');
  if (parts.length === 1) return state.module.functions.get(parts[0]) ?? null;
  if (parts.length === 2) return state.module.classes.get(parts[0])?.scope.functions.get(parts[1]) ?? null;
  return null;
}

/** Walks one function body (and the same-file functions it calls), collecting what lies on the connection path. */
export function walkFunction(w: PathWalk, fn: Scope, seeds: Seeds, viaInstance = false, depth = 0): void {
  if (w.seen.has(fn) || depth > MAX_FOLLOW) return;
  w.seen.add(fn);
  const { state, c } = w;
  c.spans.push(loc(state, fn.node));
  for (const { dep } of dependencyNodes(state, fn)) {
    const name = dotted(state, dep);
    if (!name) continue;
    const ref = callRef(state, name, fn, loc(state, dep));
    c.calls.push(ref);
    c.dependencies.push(ref);
  }
  const body = field(fn.node, 'body') ?? fn.node;
  const locals = localsOf(w, body, fn, seeds, viaInstance);
  walk(body, (n) => {
    switch (n.type) {
      case 'call':
        visitCall(w, n, fn, locals, viaInstance, depth);
        return;
      case 'subscript':
        classifyAccess(w, n, locals);
        return;
      case 'attribute': {
        const attr = field(n, 'attribute');
        const object = field(n, 'object');
        if (attr && textOf(state, attr) === 'subprotocols' && n.parent?.type !== 'call') pushSource(c, 'subprotocol', loc(state, attr));
        if (object?.type === 'identifier' && textOf(state, object) === 'current_user' && state.bindings.get('current_user')?.module === 'flask_login')
          pushSource(c, 'cookie', loc(state, n));
        return;
      }
      case 'assignment':
        visitAssignment(w, n, fn, locals, viaInstance);
        return;
      case 'augmented_assignment':
        if (!w.light) visitAssignment(w, n, fn, locals, viaInstance);
        return;
      case 'delete_statement':
        if (w.light) return;
        for (const kid of namedKids(n)) {
          const target = unparen(kid).type === 'subscript' ? sharedTarget(w, field(unparen(kid), 'value') ?? kid, fn, viaInstance, locals) : null;
          if (target) c.removals.add(target);
        }
        return;
      case 'dictionary':
        if (!w.light) spreadOverIdentity(w, n, locals);
        return;
      default:
        return;
    }
  });
  if (!w.light) collectSessions(state, body, c);
}

function visitCall(w: PathWalk, n: PyNode, fn: Scope, locals: Locals, viaInstance: boolean, depth: number): void {
  const { state, c } = w;
  const fnNode = field(n, 'function');
  const callee = fnNode ? dotted(state, fnNode) : null;
  classifyAccess(w, n, locals);
  if (!callee || !fnNode) return;
  const ref = callRef(state, callee.replace(/\(\)/g, ''), fn, loc(state, fnNode));
  c.calls.push(ref);
  if (isDelegation(state, n, callee)) c.delegations.push(loc(state, fnNode));
  const parts = callee.split('.');
  const method = parts.pop() ?? '';
  if (!w.light) {
    if (fnNode.type === 'attribute' && (WRITE_METHODS.has(method) || REMOVE_METHODS.has(method))) {
      const object = field(fnNode, 'object');
      // Removing through a local that stands for an entry (`for conns in shared.values(): conns.discard(ws)`) cleans the shared target;
      // writing into such an entry adds nothing to it.
      const target = object ? sharedTarget(w, object, fn, viaInstance, REMOVE_METHODS.has(method) ? locals : null) : null;
      if (target && REMOVE_METHODS.has(method)) c.removals.add(target);
      else if (target) pushWrite(c, { name: target, how: method, loc: loc(state, fnNode), ...httpClientHeaders(state, field(fnNode, 'object'), fn) });
    }
    if (callee === 'dict') spreadOverIdentity(w, n, locals);
  }
  if (ref.module === null) {
    const target = sameFileFunction(state, ref.name);
    const instance = parts.length > 0 && (moduleClassOf(state, parts[0]) !== null || parts[0] === 'self');
    if (target) walkFunction(w, target, seedsFor(state, n, target, locals), viaInstance || instance, depth + 1);
  }
}

function visitAssignment(w: PathWalk, n: PyNode, fn: Scope, locals: Locals, viaInstance: boolean): void {
  const { state, c } = w;
  const left = field(n, 'left');
  const right = field(n, 'right');
  if (!left) return;
  const l = unparen(left);
  if (
    l.type === 'identifier' &&
    right &&
    QUERY_CREDENTIAL_KEY.test(textOf(state, l)) &&
    awaited(right).type !== 'identifier' &&
    isQueryExpr(state, right, locals)
  ) {
    pushSource(c, 'query', loc(state, right));
  }
  if (w.light) return;
  let target: string | null = null;
  if (l.type === 'subscript') target = sharedTarget(w, field(l, 'value') ?? l, fn, viaInstance, null);
  else if (l.type === 'identifier' && globalIn(state, fn, textOf(state, l)) && !getOrCreate(state, n, textOf(state, l))) target = textOf(state, l);
  const container = l.type === 'subscript' ? field(l, 'value') : null;
  if (target)
    pushWrite(c, { name: target, how: l.type === 'subscript' ? 'item-assign' : 'assign', loc: loc(state, l), ...httpClientHeaders(state, container, fn) });
}

function containsReceiveLoop(state: FileState, node: PyNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'while_statement' || n.type === 'for_statement') {
      walk(n, (m) => {
        if (m.type === 'call' && RECEIVE.test(calleeOf(state, m).split('.').pop() ?? '')) found = true;
      });
      if (n.type === 'for_statement' && isAsyncFor(n)) found = true;
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
        const expr = value?.type === 'as_pattern' ? firstNamedKid(value) : value;
        const opener = expr ? dotted(state, awaited(expr)) : null;
        if (opener && isDbOpener(opener) && inner && containsReceiveLoop(state, inner)) {
          c.sessions.push({ name: opener.replace(/\(\)$/, ''), kind: 'around-loop', loc: loc(state, expr ?? n) });
        }
      }
    }
    if (n.type === 'assignment' && !insideLoop(n, body) && n.parent?.parent === body) {
      const right = field(n, 'right');
      const r = right ? awaited(right) : null;
      if (r?.type === 'call') {
        let callee = calleeOf(state, r);
        if (callee === 'next' || callee === 'anext') callee = dotted(state, positional(r)[0] ?? r) ?? '';
        const block = n.parent?.parent;
        const after = block ? block.children.filter((k) => k.start > n.end) : [];
        if (isDbOpener(callee) && after.some((k) => containsReceiveLoop(state, k))) {
          c.sessions.push({ name: callee.replace(/\(\)$/, ''), kind: 'around-loop', loc: loc(state, r) });
        }
      }
    }
  });
}

/** FastAPI / Starlette handler parameters: `Query()`, `Header()`, `Cookie()`, path parameters. */
export function collectParams(state: FileState, fn: Scope, path: string | null, c: Collect): void {
  const params = field(fn.node, 'parameters');
  if (!params) return;
  const pathParams = new Set([...(path ?? '').matchAll(/\{(\w+)(?::[^}]*)?\}/g)].map((m) => m[1]));
  const depends = new Set(dependencyNodes(state, fn).map((d) => d.param));
  for (const param of namedKids(params)) {
    if (depends.has(param)) continue;
    const nameNode = param.type === 'identifier' ? param : (field(param, 'name') ?? namedKids(param).find((k) => k.type === 'identifier'));
    if (!nameNode) continue;
    const name = textOf(state, nameNode);
    if (name === 'self' || name === 'cls') continue;
    const type = field(param, 'type');
    const typeText = type ? textOf(state, type) : '';
    if (/WebSocket|Request/.test(typeText)) continue;
    const value = field(param, 'value');
    const v = value ? unparen(value) : null;
    const ctor = v?.type === 'call' ? calleeOf(state, v) : /Annotated\[/.test(typeText) ? (/(Query|Header|Cookie|Path)\(/.exec(typeText)?.[1] ?? '') : '';
    const alias = v?.type === 'call' ? plainString(state, argumentKeyword(state, v, 'alias')) : null;
    const key = alias ?? name;
    const at = loc(state, nameNode);
    const kind: TokenSource | null = /(^|\.)Query$/.test(ctor)
      ? 'query'
      : /(^|\.)Header$/.test(ctor)
        ? 'header'
        : /(^|\.)Cookie$/.test(ctor)
          ? 'cookie'
          : /(^|\.)Path$/.test(ctor) || pathParams.has(name)
            ? 'path'
            : ctor === ''
              ? 'query'
              : null;
    if (!kind) continue;
    if (kind === 'query' || kind === 'path') {
      if (QUERY_CREDENTIAL_KEY.test(key)) pushSource(c, kind, at);
      else if (kind === 'query' && TICKET_KEY.test(key)) pushSource(c, 'ticket', at);
      else if (IDENTITY_KEY.test(key)) pushIdentity(c, kind, key, at);
    } else if (CREDENTIAL_KEY.test(key)) {
      pushSource(c, kind, at);
    }
  }
}

function argumentKeyword(state: FileState, call: PyNode, name: string): PyNode | null {
  const list = field(call, 'arguments');
  for (const a of list ? namedKids(list) : []) {
    if (a.type !== 'keyword_argument') continue;
    const key = field(a, 'name');
    if (key && textOf(state, key) === name) return field(a, 'value');
  }
  return null;
}

/** Function facts for every named function and method: calls, token reads, delegations, declared dependencies. */
export function functionFacts(state: FileState): FunctionFact[] {
  const out: FunctionFact[] = [];
  for (const scope of state.scopeOf.values()) {
    if (scope.kind !== 'function' || !scope.qual) continue;
    const c = emptyCollect();
    const w = newWalk(state, c, { light: true });
    walkFunction(w, scope, NO_SEEDS, false, MAX_FOLLOW);
    out.push(functionFactFrom(scope.qual, loc(state, scope.node), c));
  }
  return out;
}

/** The calls a list of `Depends(fn)` entries makes (`dependencies=[Depends(auth)]`). */
export function dependencyList(state: FileState, list: PyNode | null, scope: Scope): WsCall[] {
  if (!list) return [];
  const out: WsCall[] = [];
  walk(list, (n) => {
    if (n.type !== 'call' || !/(^|\.)(Depends|Security)$/.test(calleeOf(state, n))) return;
    const dep = positional(n)[0];
    const name = dep ? dotted(state, dep) : null;
    if (dep && name) out.push(callRef(state, name, scope, loc(state, dep)));
  });
  return out;
}
