// WebSocket endpoints across files: the shared vocabulary of both extractors, and the join into the model (prefixes, auth path, verdict).

import type { FileFacts, FunctionCall, FunctionFact, Loc } from './facts.js';
import type { WsEndpointRow } from '../result.js';
import type { ModuleResolver } from './resolve.js';
import type { ModelFile, ModelJwtOp, ModelWsEndpoint, Site, WsSourceSite, WsVerdict, WsVerification } from './types.js';
import { compareText } from '../util/order.js';

/** A field, parameter or query key that carries a credential (`token`, `access_token`, `jwt`, `authorization`). */
export const CREDENTIAL_KEY = /token|jwt|auth|bearer|ticket|credential|api_?key|apikey|password|session_?id/i;

/** A field, parameter or query key that names the user (`user_id`, `userId`, `uid`). */
export const IDENTITY_KEY = /^(user_?id|userid|uid|user|username|account_?id|member_?id|owner_?id|player_?id|customer_?id|sender_?id|client_?id)$/i;

/** Dependency / opener names that give a DB session, connection or transaction. */
export const DB_SESSION_NAME = /(^|[._])(get_?db|get_?session|get_?async_?session|get_?db_?session|get_?connection|get_?conn|session_?local|async_?session(_?local|_?maker)?|sessionmaker|create_?session|begin|transaction|start_?transaction|create_?query_?runner|acquire|connect)($|[._(])/i;

/** A call that hands a credential to another service: an auth client's verify/validate/introspect. */
export const DELEGATE_METHOD = /^(verify|validate|introspect|check|authenticate)(_?(token|jwt|session|credentials?|access_?token))?$/i;

/** The receiver of a delegating call looks like a client of another service. */
export const DELEGATE_RECEIVER = /auth|identity|session|sso|oauth|client|service|api/i;

/** An HTTP client call (the URL is checked separately). */
export const HTTP_CALL = /^(httpx|requests|aiohttp|client|session|http|axios|got|fetch|ky|this\.http(Service)?|this\.httpService|httpService|http_client|auth_client|self\.client|self\.http)(\.|$)|^fetch$/i;

/** A URL or path that looks like an auth service's verification endpoint. */
export const AUTH_URL = /auth|verify|validate|introspect|token|whoami|userinfo|session/i;

/** Unresolved calls whose names suggest they check a credential (the endpoint is then not judged "no auth"). */
const AUTH_CALL = /auth|verify|token|jwt|current_?user|guard|login|session|credential|identity|principal/i;

const MAX_HOPS = 8;

export interface WsModelInput {
  facts: FileFacts[];
  files: Map<string, ModelFile>;
  resolver: ModuleResolver;
  jwtOps: ModelJwtOp[];
}

function within(inner: Loc, outer: Loc): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}

function languageOf(facts: FileFacts | undefined): 'ts' | 'js' | 'python' {
  return facts?.language === 'python' ? 'python' : facts?.language === 'js' ? 'js' : 'ts';
}

class PathFollower {
  private readonly byPath = new Map<string, FileFacts>();

  constructor(private readonly input: WsModelInput) {
    for (const f of input.facts) this.byPath.set(f.path, f);
  }

  facts(path: string): FileFacts | undefined {
    return this.byPath.get(path);
  }

  /** The functions a call reaches: same-file names, imported names, Python submodules. */
  targets(file: string, call: FunctionCall): { file: string; fn: FunctionFact }[] {
    const facts = this.byPath.get(file);
    const language = languageOf(facts);
    const candidates: { file: string; name: string }[] = [];
    if (call.module === null) candidates.push({ file, name: call.name });
    else {
      const target = this.input.resolver.resolve(file, call.module, language);
      if (target) candidates.push({ file: target, name: call.name });
      if (language === 'python' && call.name.includes('.')) {
        const [head, ...rest] = call.name.split('.');
        const sub = this.input.resolver.resolve(file, `${call.module}${call.module.endsWith('.') ? '' : '.'}${head}`, language);
        if (sub) candidates.push({ file: sub, name: rest.join('.') });
      }
    }
    const out: { file: string; fn: FunctionFact }[] = [];
    for (const cand of candidates) {
      for (const fn of this.byPath.get(cand.file)?.functions ?? []) {
        if (fn.name === cand.name || fn.name.startsWith(`${cand.name}.`)) out.push({ file: cand.file, fn });
      }
      if (out.length > 0) break;
    }
    return out;
  }
}

function mountPrefix(input: WsModelInput, file: string, router: string | null): string {
  if (!router) return '';
  for (const f of input.facts) {
    for (const mount of f.routerMounts ?? []) {
      const language = languageOf(f);
      const parts = mount.router.split('.');
      let target: string | null = null;
      let attr: string | null = null;
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
      if (target === file && attr === router) return mount.prefix;
    }
  }
  return '';
}

/** Joins WebSocket endpoints across files: full paths, the auth path followed into helpers, the verification kind and the verdict. */
export function buildWsEndpoints(input: WsModelInput): ModelWsEndpoint[] {
  const follower = new PathFollower(input);
  const opsByFile = new Map<string, ModelJwtOp[]>();
  for (const op of input.jwtOps) {
    const list = opsByFile.get(op.file) ?? [];
    list.push(op);
    opsByFile.set(op.file, list);
  }
  const out: ModelWsEndpoint[] = [];
  for (const f of input.facts) {
    for (const endpoint of f.wsEndpoints) {
      const spans: Site[] = (endpoint.spans ?? [endpoint.loc]).map((loc) => ({ file: f.path, loc }));
      const sources: WsSourceSite[] = endpoint.tokenSources.map((s) => ({ ...s, file: f.path }));
      const delegations: Site[] = (endpoint.delegations ?? []).map((loc) => ({ file: f.path, loc }));
      const unresolved: string[] = [];
      const seen = new Set<string>();
      const queue: { file: string; call: FunctionCall; hops: number }[] = endpoint.calls.map((call) => ({ file: f.path, call, hops: 0 }));
      while (queue.length > 0) {
        const next = queue.shift();
        if (!next) break;
        const targets = follower.targets(next.file, next.call);
        if (targets.length === 0) {
          if (next.call.module !== null && AUTH_CALL.test(next.call.name || next.call.module) && !isLibrary(next.call.module)) unresolved.push(next.call.name || next.call.module);
          continue;
        }
        for (const { file, fn } of targets) {
          const key = `${file}#${fn.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          spans.push({ file, loc: fn.loc });
          for (const s of fn.tokenSources) sources.push({ ...s, file });
          for (const d of fn.delegations) delegations.push({ file, loc: d });
          if (next.hops < MAX_HOPS) for (const call of fn.calls) queue.push({ file, call, hops: next.hops + 1 });
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
      const prefix = mountPrefix(input, f.path, endpoint.router ?? null);
      const fullPath = endpoint.path === null ? null : joinPath(prefix, endpoint.path);
      out.push({
        ...endpoint,
        file: f.path,
        service: input.files.get(f.path)?.service ?? null,
        fullPath,
        verification,
        verifyOps,
        decodeOps,
        delegatedAt: delegations,
        credentialSources: uniqueSources,
        reached: spans,
        unresolvedAuthCalls: [...new Set(unresolved)].sort(),
        verdict: verdictOf(verification, uniqueSources),
      });
    }
  }
  return out.sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
}

function isLibrary(module: string): boolean {
  return /^(fastapi|starlette|@nestjs\/|socket\.io|ws$|jsonwebtoken|jose|jwt$|typing|pydantic)/.test(module);
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

function verdictOf(verification: WsVerification, sources: WsSourceSite[]): WsVerdict {
  if (verification === 'none' && sources.length === 0) return 'no-auth';
  if (verification === 'unverified') return 'unverified';
  if (verification === 'none') return 'unknown';
  if (sources.some((s) => s.source === 'query')) return 'token-in-query';
  return verification === 'unknown' ? 'unknown' : 'ok';
}

/** The report's table rows, one per endpoint (sorted by file and line). */
export function wsEndpointRows(endpoints: readonly ModelWsEndpoint[]): WsEndpointRow[] {
  return endpoints.map((e) => ({
    service: e.service,
    file: e.file,
    loc: e.loc,
    framework: e.framework,
    path: e.fullPath,
    handler: e.handler,
    tokenSources: [...new Set(e.credentialSources.map((s) => s.source))].sort(),
    verification: e.verification,
    verifiedAt: e.verifyOps.map((op) => ({ file: op.file, loc: op.loc })),
    verdict: e.verdict,
  }));
}
