// The language-neutral half of WebSocket extraction: the names that matter, what one walk over a connection path collects, and the facts it becomes.
import type { FunctionFact, Loc, TokenSource, WsCall, WsClientIdentity, WsDbSession, WsEndpoint, WsSharedState } from './facts.js';

/** A field, parameter or query key that carries a credential (`token`, `access_token`, `jwt`, `authorization`). */
export const CREDENTIAL_KEY = /token|jwt|auth|bearer|ticket|credential|api_?key|apikey|password|session_?id/i;

/**
 * A query parameter that carries a long-lived credential. Left out on purpose: short-lived single-use
 * tickets (the remedy the query rule recommends) and session or connection ids used to resume a
 * connection (`sessionId`), which identify a session but do not authenticate it.
 */
export const QUERY_CREDENTIAL_KEY = /^(?!.*ticket).*(token|jwt|auth(?!or)|bearer|credential|api_?key|apikey|password|passwd|secret|session_?(api_?)?key)/i;

/** A query parameter holding a single-use ticket (the safe way to authenticate a browser socket). */
export const TICKET_KEY = /ticket/i;

/** A field, parameter or query key that names the user (`user_id`, `userId`, `uid`, a player id `pid`). */
export const IDENTITY_KEY =
  /^(user_?id|userid|uid|user|username|account_?id|member_?id|owner_?id|player_?id|pid|customer_?id|sender_?id|author_?id|from_?user(_?id)?|client_?id)$/i;

/** Dependency / opener names that give a DB session, connection or transaction. */
export const DB_SESSION_NAME =
  /(^|[._])(get_?db|get_?session|get_?async_?session|get_?db_?session|get_?database|get_?connection|get_?conn|session_?local|async_?session(_?local|_?maker)?|sessionmaker|create_?session|begin|transaction|start_?transaction|create_?query_?runner|acquire|connect)($|[._(])/i;

/** The receiver of a `connect()` / `acquire()` / `begin()` call that opens a database connection (not a socket registry or an API client). */
export const DB_RECEIVER =
  /(^|[._])(engine|async_?engine|pool|db|database|db_?pool|conn_?pool|asyncpg|psycopg2?|aiosqlite|sqlite3|pymysql|aiomysql|aiopg|motor|mongo(_?client)?|session_?factory|sessionmaker|datasource|data_?source|knex|prisma|sequelize|query_?runner|orm|mongoose|connection|pg_?pool|sql)$/i;

/** A call that hands a credential to another service: an auth client's verify/validate/introspect. */
export const DELEGATE_METHOD = /^(verify|validate|introspect|check|authenticate)(_?(token|jwt|session|credentials?|access_?token))?$/i;

/** The receiver of a delegating call looks like a client of another service. */
export const DELEGATE_RECEIVER = /auth|identity|session|sso|oauth|client|service|api/i;

/** An HTTP client call (the URL is checked separately). */
export const HTTP_CALL =
  /^(httpx|requests|aiohttp|client|session|http|axios|got|fetch|ky|this\.http(Service)?|this\.httpService|httpService|http_client|auth_client|self\.client|self\.http)(\.|$)|^fetch$/i;

/** A URL or path that looks like an auth service's verification endpoint. */
export const AUTH_URL = /auth|verify|validate|introspect|token|whoami|userinfo|session/i;

/** A write to shared state found on a connection path. */
export interface StateWrite {
  name: string;
  how: string;
  loc: Loc;
  httpClient?: boolean;
}

/** What one walk over a connection path collects, in either language. */
export interface Collect {
  calls: WsCall[];
  tokenSources: { source: TokenSource; loc: Loc }[];
  delegations: Loc[];
  identity: WsClientIdentity[];
  writes: StateWrite[];
  /** Shared targets something on the path removes entries from (`discard`, `pop`, `delete`, …). */
  removals: Set<string>;
  sessions: WsDbSession[];
  dependencies: WsCall[];
  spans: Loc[];
}

export function emptyCollect(): Collect {
  return { calls: [], tokenSources: [], delegations: [], identity: [], writes: [], removals: new Set(), sessions: [], dependencies: [], spans: [] };
}

function sameStart(a: Loc, b: Loc): boolean {
  return a.line === b.line && a.column === b.column;
}

/** Records where a credential is read (once per place and kind). */
export function pushSource(c: Collect, source: TokenSource, at: Loc): void {
  if (!c.tokenSources.some((s) => s.source === source && sameStart(s.loc, at))) c.tokenSources.push({ source, loc: at });
}

/** Records a user id taken from the client (once per place). */
export function pushIdentity(c: Collect, source: WsClientIdentity['source'], name: string, at: Loc): void {
  if (!c.identity.some((i) => sameStart(i.loc, at))) c.identity.push({ source, name, loc: at });
}

/** Records a write to shared state (once per place). */
export function pushWrite(c: Collect, write: StateWrite): void {
  if (!c.writes.some((w) => w.name === write.name && sameStart(w.loc, write.loc))) c.writes.push(write);
}

/** Calls without repeats (by module and name), first occurrence kept. */
export function dedupeCalls(calls: WsCall[]): WsCall[] {
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

/** One shared-state entry per target: its first write, and whether something on the path removes entries. */
function sharedStateOf(c: Collect): WsSharedState[] {
  const shared = new Map<string, WsSharedState>();
  for (const write of c.writes) {
    if (shared.has(write.name)) continue;
    const state: WsSharedState = { name: write.name, how: write.how, cleaned: c.removals.has(write.name), loc: write.loc };
    if (write.httpClient) state.httpClient = true;
    shared.set(write.name, state);
  }
  return [...shared.values()];
}

/** What endpoint discovery knows about an endpoint before its handlers are analysed. */
export type EndpointHead = Pick<WsEndpoint, 'framework' | 'path' | 'handler' | 'loc'> & Partial<Pick<WsEndpoint, 'router' | 'server' | 'rejectsAll'>>;

/** The endpoint fact: discovery's head plus what the walk over its handlers collected. */
export function endpointFrom(head: EndpointHead, c: Collect): WsEndpoint {
  const endpoint: WsEndpoint = {
    framework: head.framework,
    path: head.path,
    router: head.router ?? null,
    handler: head.handler,
    loc: head.loc,
    tokenSources: c.tokenSources,
    calls: dedupeCalls(c.calls),
    spans: c.spans,
    delegations: c.delegations,
    dbSessions: c.sessions,
    dependencies: c.dependencies,
    sharedState: sharedStateOf(c),
    clientIdentity: c.identity,
    details: {},
  };
  if (head.server) endpoint.server = head.server;
  if (head.rejectsAll) endpoint.rejectsAll = true;
  return endpoint;
}

/** The function fact of a named function or class: what the model needs to follow a connection path through it. */
export function functionFactFrom(name: string, loc: Loc, c: Collect): FunctionFact {
  const fact: FunctionFact = { name, loc, calls: dedupeCalls(c.calls), tokenSources: c.tokenSources, delegations: c.delegations };
  if (c.dependencies.length > 0) fact.dependencies = dedupeCalls(c.dependencies);
  return fact;
}
