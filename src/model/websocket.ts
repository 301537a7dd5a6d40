// WebSocket endpoints across files: router prefixes, Channels routing and ASGI middleware, socket servers and middleware registered elsewhere, the auth path followed into helpers and the verification.

import type { FileFacts, FunctionCall, FunctionFact, Loc, NameRef, WsCall, WsEndpoint } from '../extract/facts.js';
import type { ModuleResolver } from './resolve.js';
import type { ModelFile, ModelJwtOp, ModelWsEndpoint, Site, WsSourceSite, WsVerification } from './types.js';
import { compareText } from '../util/order.js';

/**
 * Unresolved calls whose names suggest they check a credential: an endpoint that makes one (itself or in
 * a helper it calls directly) is judged "unknown", not "no auth".
 */
const AUTH_CALL = /auth|verify|jwt|current_?user|guard|login|credential|principal|(decode|validate|check|parse|read|extract)_?token|get_?user|permission/i;

/** Libraries whose calls are never an unfollowed credential check (JWT libraries are seen as JWT operations instead). */
const LIBRARY =
  /^(fastapi|starlette|@nestjs\/|socket\.io|socketio|ws$|jsonwebtoken|jose|jwt$|typing|pydantic|channels(\.|$)|django(\.|$)|secrets$|sqlalchemy|asyncio|logging$|json$|os$|uuid$|datetime$|@hocuspocus\/)/;

const MAX_HOPS = 8;
/** How deep an unresolved auth-looking call still counts: the handler and the helpers it calls directly. */
const UNRESOLVED_HOPS = 1;
const MAX_DEPENDENCY_DEPTH = 4;

export interface WsModelInput {
  facts: FileFacts[];
  files: Map<string, ModelFile>;
  resolver: ModuleResolver;
  jwtOps: ModelJwtOp[];
  /** Function facts of a file the scan extracted without them (asked for only as auth paths are followed). */
  functionsOf?: (path: string) => FunctionFact[] | null;
}

function within(inner: Loc, outer: Loc): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}

function languageOf(facts: FileFacts | undefined): 'ts' | 'js' | 'python' {
  return facts?.language === 'python' ? 'python' : facts?.language === 'js' ? 'js' : 'ts';
}

/** A file's functions by each dotted prefix of their names (`Auth.verify` under `Auth` and `Auth.verify`), in their order. */
const functionIndex = new WeakMap<FunctionFact[], Map<string, FunctionFact[]>>();

function byName(functions: FunctionFact[]): Map<string, FunctionFact[]> {
  let index = functionIndex.get(functions);
  if (index === undefined) {
    index = new Map();
    for (const fn of functions) {
      for (let end = fn.name.indexOf('.'); ; end = fn.name.indexOf('.', end + 1)) {
        const prefix = end < 0 ? fn.name : fn.name.slice(0, end);
        const list = index.get(prefix);
        if (list) list.push(fn);
        else index.set(prefix, [fn]);
        if (end < 0) break;
      }
    }
    functionIndex.set(functions, index);
  }
  return index;
}

/** Resolves calls and module-level names across files. */
class PathFollower {
  private readonly byPath = new Map<string, FileFacts>();

  constructor(private readonly input: WsModelInput) {
    for (const f of input.facts) this.byPath.set(f.path, f);
  }

  /**
   * The functions a call reaches: same-file names, imported names, Python submodules. A method of an
   * object a factory built (`get_auth_service().verify`) is the method of that name of the one class in
   * the factory's module that has it.
   */
  targets(file: string, call: FunctionCall): { file: string; fn: FunctionFact }[] {
    const out: { file: string; fn: FunctionFact }[] = [];
    const factory = /^[\w.]+\(\)\.(\w+)$/.exec(call.name);
    for (const cand of this.candidates(file, call)) {
      const functions = this.functionsOf(cand.file);
      if (factory) {
        const methods = functions.filter((fn) => fn.name.split('.').length === 2 && fn.name.endsWith(`.${factory[1]}`));
        if (methods.length === 1) out.push({ file: cand.file, fn: methods[0] });
      }
      for (const fn of byName(functions).get(cand.name) ?? []) out.push({ file: cand.file, fn });
      if (out.length > 0) break;
    }
    return out;
  }

  private functionsOf(file: string): FunctionFact[] {
    const facts = this.byPath.get(file);
    if (!facts) return [];
    return facts.functions ?? this.input.functionsOf?.(file) ?? [];
  }

  /** Where a module-level name lives: `file#name` (the first candidate file that resolves). */
  key(file: string, ref: NameRef): string | null {
    const cand = this.candidates(file, ref)[0];
    return cand ? `${cand.file}#${cand.name}` : null;
  }

  private candidates(file: string, ref: NameRef): { file: string; name: string }[] {
    const language = languageOf(this.byPath.get(file));
    if (ref.module === null) return [{ file, name: ref.name }];
    const out: { file: string; name: string }[] = [];
    const target = this.input.resolver.resolve(file, ref.module, language);
    if (target) out.push({ file: target, name: ref.name });
    if (language === 'python' && ref.name.includes('.')) {
      const [head, ...rest] = ref.name.split('.');
      const sub = this.input.resolver.resolve(file, `${ref.module}${ref.module.endsWith('.') ? '' : '.'}${head}`, language);
      if (sub) out.push({ file: sub, name: rest.join('.') });
    }
    return out;
  }
}

/** The `include_router` that mounts a router: its prefix, and its `dependencies=[…]` to follow from the mounting file. */
function mountOf(input: WsModelInput, file: string, router: string | null): { prefix: string; dependencies: { file: string; call: FunctionCall }[] } {
  if (!router) return { prefix: '', dependencies: [] };
  for (const f of input.facts) {
    for (const mount of f.routerMounts ?? []) {
      const language = languageOf(f);
      const parts = mount.router.split('.');
      let target: string | null;
      let attr: string | null;
      if (mount.module === null) {
        target = f.path;
        attr = mount.router;
      } else if (parts.length === 1) {
        target = input.resolver.resolve(f.path, mount.module, language);
        attr = mount.imported;
      } else {
        target = input.resolver.resolve(f.path, `${mount.module}${mount.module.endsWith('.') ? '' : '.'}${mount.imported ?? parts[0]}`, language);
        attr = parts.slice(1).join('.');
      }
      if (target === file && attr === router) return { prefix: mount.prefix, dependencies: (mount.dependencies ?? []).map((call) => ({ file: f.path, call })) };
    }
  }
  return { prefix: '', dependencies: [] };
}

/** What the join adds to an endpoint from other files: calls to follow, sources, middleware sites, a routed path. */
interface Extra {
  calls: { file: string; call: FunctionCall }[];
  sources: WsSourceSite[];
  delegations: Site[];
  spans: Site[];
  middlewareAt: Site[];
  path: string | null;
}

function emptyExtra(): Extra {
  return { calls: [], sources: [], delegations: [], spans: [], middlewareAt: [], path: null };
}

/** Channels routes and ASGI stacks, socket servers and connection middleware of the whole repository, keyed for the join. */
class JoinIndex {
  readonly servers: { file: string; key: string; framework: string; loc: Loc }[] = [];
  private readonly routes: { file: string; consumer: string | null; list: string; path: string | null }[] = [];
  private readonly stacks: { file: string; patterns: string; wrappers: WsCall[]; loc: Loc }[] = [];
  private readonly middleware: {
    file: string;
    server: string | null;
    framework: string;
    namespace: string | null;
    m: NonNullable<FileFacts['wsMiddleware']>[number];
  }[] = [];

  constructor(input: WsModelInput, follower: PathFollower) {
    for (const f of input.facts) {
      for (const s of f.wsServers ?? []) this.servers.push({ file: f.path, key: `${f.path}#${s.name}`, framework: s.framework, loc: s.loc });
      for (const r of f.wsRoutes ?? [])
        this.routes.push({ file: f.path, consumer: follower.key(f.path, r.consumer), list: `${f.path}#${r.list ?? ''}`, path: r.path });
      for (const s of f.wsRouterStacks ?? []) {
        const patterns = s.patterns ? follower.key(f.path, s.patterns) : `${f.path}#`;
        if (patterns) this.stacks.push({ file: f.path, patterns, wrappers: s.wrappers, loc: s.loc });
      }
      for (const m of f.wsMiddleware ?? [])
        this.middleware.push({ file: f.path, server: m.server ? follower.key(f.path, m.server) : null, framework: m.framework, namespace: m.namespace, m });
    }
  }

  /** Channels: the routes to a consumer class and the middleware wrapping the routers that serve them. */
  channels(endpoint: WsEndpoint, file: string, extra: Extra): void {
    if (endpoint.framework !== 'django-channels' || !endpoint.handler) return;
    const key = `${file}#${endpoint.handler}`;
    for (const route of this.routes) {
      if (route.consumer !== key) continue;
      extra.path ??= route.path;
      for (const stack of this.stacks) {
        if (stack.patterns !== route.list) continue;
        extra.middlewareAt.push({ file: stack.file, loc: stack.loc });
        for (const call of stack.wrappers) extra.calls.push({ file: stack.file, call });
      }
    }
  }

  /** socket.io: middleware registered in other files on this endpoint's server; NestJS: an IoAdapter of the same service. */
  socketMiddleware(endpoint: WsEndpoint, serverKey: string | null, service: string | null, files: Map<string, ModelFile>, extra: Extra): void {
    for (const entry of this.middleware) {
      const applies =
        entry.server === null
          ? endpoint.framework === 'nestjs' && entry.framework === 'nestjs' && service !== null && files.get(entry.file)?.service === service
          : entry.server === serverKey && (entry.namespace ?? '/') === (endpoint.path ?? '/');
      if (!applies) continue;
      extra.middlewareAt.push({ file: entry.file, loc: entry.m.loc });
      for (const call of entry.m.calls) extra.calls.push({ file: entry.file, call });
      for (const s of entry.m.tokenSources) extra.sources.push({ ...s, file: entry.file });
      for (const d of entry.m.delegations) extra.delegations.push({ file: entry.file, loc: d });
      for (const span of entry.m.spans) extra.spans.push({ file: entry.file, loc: span });
    }
  }
}

/** Joins WebSocket endpoints across files: full paths, the auth path followed into helpers and the verification kind. */
export function buildWsEndpoints(input: WsModelInput): ModelWsEndpoint[] {
  const follower = new PathFollower(input);
  const index = new JoinIndex(input, follower);
  const opsByFile = new Map<string, ModelJwtOp[]>();
  for (const op of input.jwtOps) {
    const list = opsByFile.get(op.file) ?? [];
    list.push(op);
    opsByFile.set(op.file, list);
  }
  const out: ModelWsEndpoint[] = [];
  const attachedServers = new Set<string>();
  const unattachedServices = new Set<string | null>();
  for (const f of input.facts) {
    const service = input.files.get(f.path)?.service ?? null;
    for (const endpoint of f.wsEndpoints) {
      const serverKey = endpoint.server ? follower.key(f.path, endpoint.server) : null;
      if (serverKey) attachedServers.add(serverKey);
      else if (endpoint.framework === 'socket.io' || endpoint.framework === 'python-socketio') unattachedServices.add(service);
      out.push(joinEndpoint(input, follower, index, opsByFile, f.path, endpoint, serverKey, service));
    }
  }
  // A socket server nothing registers a connection handler on (in any file) accepts every connection.
  for (const server of index.servers) {
    const service = input.files.get(server.file)?.service ?? null;
    if (attachedServers.has(server.key) || unattachedServices.has(service)) continue;
    const endpoint: WsEndpoint = { framework: server.framework, path: '/', handler: null, loc: server.loc, tokenSources: [], calls: [], details: {} };
    out.push(joinEndpoint(input, follower, index, opsByFile, server.file, endpoint, server.key, service));
  }
  return out.sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
}

function joinEndpoint(
  input: WsModelInput,
  follower: PathFollower,
  index: JoinIndex,
  opsByFile: Map<string, ModelJwtOp[]>,
  file: string,
  endpoint: WsEndpoint,
  serverKey: string | null,
  service: string | null,
): ModelWsEndpoint {
  const extra = emptyExtra();
  index.channels(endpoint, file, extra);
  index.socketMiddleware(endpoint, serverKey, service, input.files, extra);
  const mount = mountOf(input, file, endpoint.router ?? null);
  const spans: Site[] = [...(endpoint.spans ?? [endpoint.loc]).map((loc) => ({ file, loc })), ...extra.spans];
  const sources: WsSourceSite[] = [...endpoint.tokenSources.map((s) => ({ ...s, file })), ...extra.sources];
  const delegations: Site[] = [...(endpoint.delegations ?? []).map((loc) => ({ file, loc })), ...extra.delegations];
  const unresolved: string[] = [];
  const seen = new Set<string>();
  const queue: { file: string; call: FunctionCall; hops: number }[] = [
    ...endpoint.calls.map((call) => ({ file, call, hops: 0 })),
    ...extra.calls.map((c) => ({ ...c, hops: 0 })),
    ...mount.dependencies.map((c) => ({ ...c, hops: 0 })),
  ];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    const targets = follower.targets(next.file, next.call);
    if (targets.length === 0) {
      const name = next.call.name || next.call.module || '';
      if (next.call.module !== null && next.hops <= UNRESOLVED_HOPS && AUTH_CALL.test(name) && !LIBRARY.test(next.call.module)) unresolved.push(name);
      continue;
    }
    for (const { file: target, fn } of targets) {
      const key = `${target}#${fn.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      spans.push({ file: target, loc: fn.loc });
      for (const s of fn.tokenSources) sources.push({ ...s, file: target });
      for (const d of fn.delegations) delegations.push({ file: target, loc: d });
      if (next.hops < MAX_HOPS) for (const call of fn.calls) queue.push({ file: target, call, hops: next.hops + 1 });
    }
  }
  const ops: ModelJwtOp[] = [];
  for (const span of spans) {
    for (const op of opsByFile.get(span.file) ?? []) if (within(op.loc, span.loc) && !ops.includes(op)) ops.push(op);
  }
  const verifyOps = ops.filter((op) => op.op === 'verify');
  const decodeOps = ops.filter((op) => op.op === 'decode-unverified' && op.claimsUsed && !op.verifiedSameToken);
  const verification: WsVerification =
    verifyOps.length > 0 ? 'verified' : delegations.length > 0 ? 'delegated' : decodeOps.length > 0 ? 'unverified' : unresolved.length > 0 ? 'unknown' : 'none';
  const uniqueSources = dedupeSources(sources);
  const path = endpoint.path ?? extra.path;
  return {
    ...endpoint,
    file,
    service,
    fullPath: path === null ? null : joinPath(mount.prefix, path),
    verification,
    verifyOps,
    decodeOps,
    delegatedAt: delegations,
    credentialSources: uniqueSources,
    reached: spans,
    unresolvedAuthCalls: [...new Set(unresolved)].sort(),
    dependencyChains: dependencyChains(follower, file, endpoint.dependencies ?? []),
    middlewareAt: extra.middlewareAt,
  };
}

/** Dependencies reached through the endpoint's own dependencies (`get_service` → `get_db`), as name chains. */
function dependencyChains(follower: PathFollower, file: string, dependencies: WsCall[]): { dependency: WsCall; chain: string[] }[] {
  const out: { dependency: WsCall; chain: string[] }[] = [];
  const walk = (dependency: WsCall, at: string, call: FunctionCall, chain: string[], depth: number, seen: Set<string>): void => {
    if (depth > MAX_DEPENDENCY_DEPTH) return;
    for (const { file: target, fn } of follower.targets(at, call)) {
      if (fn.name !== call.name && !fn.name.endsWith(`.${call.name.split('.').pop() ?? ''}`)) continue;
      const key = `${target}#${fn.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const inner of fn.dependencies ?? []) {
        const next = [...chain, inner.name];
        out.push({ dependency, chain: next });
        walk(dependency, target, inner, next, depth + 1, seen);
      }
    }
  };
  for (const dep of dependencies) walk(dep, file, dep, [dep.name], 1, new Set());
  return out;
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function dedupeSources(sources: WsSourceSite[]): WsSourceSite[] {
  const seen = new Set<string>();
  const out: WsSourceSite[] = [];
  for (const s of sources) {
    const key = `${s.file}:${s.loc.line}:${s.loc.column}:${s.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}
