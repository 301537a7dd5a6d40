// Per-file facts: the plain, JSON-serialisable output of extraction (DESIGN §4). No parser types here.
import type { Language, Loc, Notification, TokenSource } from '../vocabulary.js';
import type { LineTokens } from './token-ranges.js';

/** The shared vocabulary the facts are written in, for the extractors. */
export type { Language, Loc, Notification, TokenSource };

/** What extraction is told besides the file: the same for every file of a run (part of the cache key). */
export interface ExtractOptions {
  /** Env accessor call shapes (defaults plus configured ones), per language family. */
  envAccessors: { python: string[]; typescript: string[] };
  /**
   * Also compute `functions` (off in a scan's extraction pass: the model asks for them file by file,
   * only when a WebSocket auth path is followed into helpers; see `extract/functions.ts`).
   */
  functionFacts?: boolean;
  /**
   * With `functionFacts`: the caller reads only `functions` (a function-fact round). Python extraction
   * then stops once it has the scopes and the function facts, which need nothing else; the other facts
   * are left out. TypeScript extracts in full.
   */
  functionsOnly?: boolean;
}

/** How a default value for an env read was given. Never the value itself. */
export type DefaultKind = 'none' | 'literal' | 'expression' | 'env';

/** One read of an environment variable (or config key that maps to one). */
export interface EnvRead {
  /** Index of this read within `FileFacts.envReads`. */
  id: number;
  /** The variable name when it is a literal. */
  name: string | null;
  /** For dynamic names: a glob-like pattern with `*` for the unknown parts (`JWT_SECRET_*`). */
  pattern: string | null;
  /** The form used: `os.getenv`, `os.environ[]`, `os.environ.get`, `process.env`, `configService.get`, `pydantic`, a configured wrapper such as `get_env().get`, … */
  accessor: string;
  defaultKind: DefaultKind;
  /** Length of a literal default (its text is never stored). */
  defaultLength?: number;
  /** Span of a literal default. */
  defaultLoc?: Loc;
  /** Fallback group this read belongs to, if any (index into `FileFacts.fallbackGroups`). */
  group: number | null;
  /** Span of the name argument (or the property name, or the field name). */
  loc: Loc;
  /** Qualified name of the enclosing function/method, or null at module level. */
  scope: string | null;
  /** The value is only tested for presence (`process.env.X !== undefined`, `!!process.env.X`, `os.environ.get("X") is None`). */
  presenceOnly?: boolean;
  /** The code refuses to run when the value equals some literal (`if KEY == "change-me": raise`): a deployed placeholder stops it rather than signing with it. */
  refusesLiteral?: boolean;
  /**
   * The read is a member of an imported binding (`import env from './env'; env.JWT_SECRET`): it reads
   * the environment only if that module exports an env object (`export default withFileSecrets(process.env)`),
   * which the model decides across files; otherwise it is the imported value's attribute. With `call`,
   * the read is a call of an imported function with the name as its first argument
   * (`from app.env import env_str; env_str("JWT_SECRET")`): a read only if that function is an env
   * helper (`FileFacts.envHelpers`) whose first parameter is the name.
   */
  viaImport?: { module: string; name: string; call?: boolean };
  /** The name is looked up in a secret store (`Vault`, `AWS Secrets Manager`, …) through a wrapper, not in the environment: deployments do not provide it. */
  store?: string;
}

/** Reads tried in turn: `a or b`, `a ?? b`, nested defaults, loops over literal name lists. */
export interface FallbackGroup {
  id: number;
  /** Env read ids in the order they are tried (the first that is set wins). */
  reads: number[];
  /** A literal final fallback (value never stored). */
  literalFallback: { length: number; loc: Loc } | null;
  /** Span of the whole chain expression. */
  loc: Loc;
  /** How the chain is written: `or`, `??`, `||`, `nested-default`, `loop`. */
  form: string;
}

/**
 * Where a value comes from, as far as the extractor can tell within one file. Imports are left for
 * the model to resolve across files.
 */
export type ValueSource =
  | { kind: 'env'; read: number }
  | { kind: 'literal'; length: number; loc: Loc }
  /** A key derived only from constants (a hash of a fixed string, `b"x" * 32`, …). */
  | { kind: 'constant-derived'; loc: Loc; description: string }
  /**
   * An imported binding (`from shared.cfg import JWT_SECRET`, `import { secret } from './cfg'`).
   * `module` is the specifier as written (Python relative ones keep their dots); `name` the exported
   * name; `path` any attribute chain after it (`settings.jwt_secret` → name `settings`, path
   * [`jwt_secret`]); `call` when the value is the result of calling it.
   */
  | { kind: 'import'; module: string; name: string; path: string[]; call: boolean; loc: Loc }
  /**
   * A value read from a process-wide registry slot (`getMetadata(serverPlugin.metadata.Secret)`) that
   * services fill at start-up (`setMetadata(serverToken.metadata.Secret, config.secret)`). `key` is the
   * accessor's suffix and the slot path without its root binding: `Metadata:metadata.Secret`.
   */
  | { kind: 'slot'; key: string; loc: Loc }
  /**
   * A value that is neither constant nor secret (`view.slug`, a user's password hash) mixed into the key
   * with a secret (`f"{view.slug}-{settings.SECRET_KEY}"`): every object gets a key of its own, derived
   * from the secret. `text` describes the mixed-in parts.
   */
  | { kind: 'mixed'; text: string; loc: Loc }
  /** The environment object itself (`process.env`, or a wrapper returning it): a member read of it names a variable. */
  | { kind: 'env-object'; accessor: string; loc: Loc }
  /** Anything else (parameters, calls into unknown code); `text` is a short, non-secret description. */
  | { kind: 'unknown'; text: string; loc: Loc };

/** Ordered alternatives for a value: the first that is set wins. */
export interface ValueTrace {
  sources: ValueSource[];
}

export type JwtOpKind = 'sign' | 'verify' | 'decode-unverified' | 'configure';

/**
 * A JWT operation. `configure` is a registration that sets the key for both signing and verifying
 * (`JwtModule.register({secret})`, `@fastify/jwt`, `AuthJWT` settings, flask `JWT_SECRET_KEY`).
 */
export interface JwtOp {
  op: JwtOpKind;
  /** `jsonwebtoken`, `jose`, `jwt-simple`, `fast-jwt`, `@hapi/jwt`, `@nestjs/jwt`, `passport-jwt`, `express-jwt`, `koa-jwt`, `@fastify/jwt`, `jwt-decode`, `livekit-server-sdk`, `pyjwt`, `python-jose`, `authlib`, `fastapi-jwt-auth`, `flask-jwt-extended`, `django-simplejwt`. */
  library: string;
  /** Span of the called function/method name (or the config key). */
  loc: Loc;
  /** The key argument and where it comes from; null when the op takes no key (unverified decode). */
  key: { loc: Loc; trace: ValueTrace } | null;
  /**
   * For `decode-unverified`: the decoded claims are relied on (returned, compared, passed on, stored,
   * turned into an identity). Logging them, reading only `exp`/`iat`/`nbf`, only the header, or only
   * checking that the token decodes is not a use.
   */
  claimsUsed?: boolean;
  /**
   * For `decode-unverified`: the same token is verified — in the same function (decode-then-verify), by
   * every same-file caller of the helper that returns the claims, in another method of the same class
   * when the claims only choose a branch, or the token was carried inside a token verified just before.
   */
  verifiedSameToken?: boolean;
  /**
   * For `decode-unverified`: where the unverified claims carry less risk. `browser`: front-end code (a
   * bundle cannot check a signature); `id-token`: an OpenID Connect id_token from a token-endpoint
   * response (back channel over TLS, OIDC Core 3.1.3.7); `provider-response`: a JWT that is the body of
   * an HTTP response (an `application/jwt` userinfo response); `outbound-url`: the claims only build
   * the URL of an outgoing request.
   */
  decodeContext?: 'browser' | 'id-token' | 'provider-response' | 'outbound-url';
  scope: string | null;
  /**
   * The key is a parameter of the enclosing function (`def sign_token(payload, secret): return
   * jwt.encode(payload, secret)`): its callers choose it. `position` counts the definition's
   * parameters from 0 (`self` included).
   */
  keyParam?: { name: string; position: number };
  /**
   * A settings-only configuration (`SIMPLE_JWT` without a simplejwt backend in the same settings):
   * it configures nothing unless the service imports this module somewhere.
   */
  liveIfImported?: string;
}

/**
 * A call that passes a secret-looking value (`sign_token(payload, GITHUB_APP_KEY)`) to a function of
 * this file or an imported one: where that function's JWT operation takes its key from a parameter,
 * the model makes the call an operation with this argument as key.
 */
export interface KeyCall {
  /** The called function: `module` null for one of this file (`name` its qualified name), else the import's module and name. */
  module: string | null;
  name: string;
  /** The receiver is passed implicitly (`self.sign_token(…)`): positional arguments start at parameter 1. */
  bound: boolean;
  /** Span of the called name. */
  loc: Loc;
  scope: string | null;
  /** The secret-looking arguments, traced. */
  args: { position: number | null; keyword: string | null; value: { loc: Loc; trace: ValueTrace } }[];
}

export type ImportKind = 'static' | 're-export' | 'require' | 'dynamic' | 'import-equals' | 'py-import' | 'py-from' | 'py-importlib';

export interface ImportFact {
  /** As written: `./x`, `@org/api/src/x`, `netra_backend.app.db`, `..models` (Python relative keeps its dots). */
  specifier: string;
  kind: ImportKind;
  /** Names bound locally: `{ local, imported }` (`imported` is `*` for namespace, `default` for default). */
  bindings: { local: string; imported: string }[];
  typeOnly: boolean;
  inFunction: boolean;
  inTypeChecking: boolean;
  inTry: boolean;
  /** Span of the module specifier. */
  loc: Loc;
}

/**
 * A module-level value another file may import: constants, functions that return a value, and
 * attributes of module-level settings objects (`settings.jwt_secret_key`).
 */
export interface ExportedValue {
  /** Dotted for members: `JWT_SECRET`, `get_jwt_secret`, `settings.jwt_secret_key`, `Config.SECRET`. */
  name: string;
  kind: 'const' | 'function' | 'attribute';
  value: ValueTrace;
  loc: Loc;
}

/**
 * A secret used outside a JWT library: an HMAC key, a value compared with what a request carries
 * (a service secret checked against a header or body field), or a value sent in an outgoing
 * request header. Such secrets form service-to-service families.
 */
export interface SecretUse {
  kind: 'hmac' | 'compare' | 'header';
  /** The secret expression and where it comes from. */
  key: { loc: Loc; trace: ValueTrace };
  /** For `header`: the header name as written (`X-Service-Secret`). */
  header?: string;
  scope: string | null;
}

/** A value stored in a registry slot (`setMetadata(serverToken.metadata.Secret, config.secret)`); see the `slot` value source. */
export interface SlotWrite {
  key: string;
  /** Span of the setter's name. */
  loc: Loc;
  value: { loc: Loc; trace: ValueTrace };
  scope: string | null;
}

/** A `jwtfrag-ignore <rule-id>: <reason>` comment. */
export interface SuppressionComment {
  ruleId: string;
  reason: string | null;
  /** Line of the comment; it applies to this line and the next one. */
  line: number;
  loc: Loc;
}

/** A call on a WebSocket connection path: `name` as called (`authenticate`, `auth.verify_token`); `module` the import it comes from. */
export interface WsCall {
  name: string;
  /** The module specifier the callee (or its object) is imported from, as written; null for same-file names. */
  module: string | null;
  loc: Loc;
}

/** A DB session, connection or transaction that lives as long as a socket. */
export interface WsDbSession {
  /** The dependency or opener as written (`get_db`, `SessionLocal`, `dataSource.createQueryRunner`). */
  name: string;
  /** `dependency`: injected into the handler (FastAPI `Depends(get_db)`); `around-loop`: opened before the receive loop. */
  kind: 'dependency' | 'around-loop';
  loc: Loc;
}

/** Module- or class-level mutable state written per connection or per message. */
export interface WsSharedState {
  /** The shared target as written (`connections`, `ConnectionManager.active`, `axios.defaults.headers`). */
  name: string;
  /** How it is written: `append`, `assign`, `item-assign`, `add`, `set`, `push`, … */
  how: string;
  /** The write is keyed by the connection (its id, sid, socket or user) and removed on disconnect. */
  cleaned: boolean;
  /** The target is the headers or defaults of an HTTP client the whole process shares (`axios.defaults.headers`, a module-level `httpx.AsyncClient`). */
  httpClient?: boolean;
  loc: Loc;
}

/** A user id taken from what the client sent instead of the verified token. */
export interface WsClientIdentity {
  source: 'message' | 'path' | 'query';
  /** The field or parameter name (`user_id`, `userId`). */
  name: string;
  loc: Loc;
}

/** A module-level name another file refers to: `module` as written in the import (null: this file). */
export interface NameRef {
  name: string;
  module: string | null;
}

/** A WebSocket endpoint (DESIGN §4) with what lies on its connection path in this file. */
export interface WsEndpoint {
  /** `fastapi`, `starlette`, `nestjs`, `socket.io`, `ws`, `django-channels`, `python-socketio`, `websockets`, `uwebsockets`. */
  framework: string;
  /** The route path or namespace as registered here (router prefixes are added by the model). */
  path: string | null;
  /** The router object the route is registered on (`router`, `app`), for `include_router(prefix=…)` joins. */
  router?: string | null;
  handler: string | null;
  /** Span of the registration (the path literal, or the decorator / gateway name). */
  loc: Loc;
  tokenSources: { source: TokenSource; loc: Loc }[];
  /** Functions called on the connection path (for following verification across files). */
  calls: WsCall[];
  /** Spans of the code on the connection path in this file (handler, middleware, guard bodies). */
  spans?: Loc[];
  /** Calls that hand the credential to another service to check (an auth-service client, an HTTP introspection call). */
  delegations?: Loc[];
  dbSessions?: WsDbSession[];
  /** Dependencies injected into the handler (FastAPI `Depends(get_db)`): rules judge them by name. */
  dependencies?: WsCall[];
  sharedState?: WsSharedState[];
  clientIdentity?: WsClientIdentity[];
  /** For event handlers registered on a socket server object (socket.io, python-socketio): that server. */
  server?: NameRef;
  /** The endpoint refuses every connection (a Channels consumer whose `connect` closes and never accepts). */
  rejectsAll?: boolean;
  details: Record<string, unknown>;
}

/** A socket server object created at module level (`io = new Server(http)`, `sio = socketio.AsyncServer()`). */
export interface WsServerFact {
  framework: string;
  /** The module-level variable that holds it. */
  name: string;
  loc: Loc;
}

/**
 * Connection middleware registered apart from the endpoints it guards: `io.use(fn)` on a server made
 * in another file, or a NestJS IoAdapter whose `createIOServer` adds `server.use(fn)`.
 */
export interface WsMiddlewareFact {
  framework: string;
  /** The server it is registered on; null when it guards every socket server of the service (an IoAdapter). */
  server: NameRef | null;
  namespace: string | null;
  calls: WsCall[];
  tokenSources: { source: TokenSource; loc: Loc }[];
  delegations: Loc[];
  spans: Loc[];
  loc: Loc;
}

/** Django Channels: a `path()` / `re_path()` route to a consumer (`Consumer.as_asgi()`). */
export interface WsRouteFact {
  path: string | null;
  consumer: NameRef;
  /** The module-level variable holding the route list (`websocket_urlpatterns`); null when the list is inline. */
  list: string | null;
  loc: Loc;
}

/** Django Channels: ASGI middleware around a `URLRouter` (`JWTAuthMiddleware(AuthMiddlewareStack(URLRouter(patterns)))`). */
export interface WsRouterStackFact {
  /** The route list the router serves; null when the list is written inline (its routes then have `list: null`). */
  patterns: NameRef | null;
  /** The wrapping calls, outermost first. */
  wrappers: WsCall[];
  loc: Loc;
}

/** A named function or method and what it does that matters for WebSocket auth (followed from endpoints). */
/** A call recorded in a function fact: the callee as written and where it is imported from. */
export type FunctionCall = Pick<WsCall, 'name' | 'module'>;

export interface FunctionFact {
  /** Qualified name (`authenticate_websocket`, `WsAuth.verify`). */
  name: string;
  /** Span of the whole definition. */
  loc: Loc;
  /** Calls that can lead somewhere (imported names, same-file functions), deduplicated; no locations. */
  calls: FunctionCall[];
  tokenSources: { source: TokenSource; loc: Loc }[];
  delegations: Loc[];
  /** Dependencies the function declares itself (FastAPI `Depends(get_db)` parameters), for dependency chains. */
  dependencies?: WsCall[];
}

/** `app.include_router(router, prefix="/api")`: a router mounted under a prefix. */
export interface RouterMount {
  /** The mounted router as written: `router`, `websocket.router`. */
  router: string;
  /** Where the router's first name is imported from (specifier as written), null when defined in this file. */
  module: string | null;
  /** The imported name (`router`, or a module name such as `websocket`). */
  imported: string | null;
  prefix: string;
  /** `include_router(r, dependencies=[Depends(auth)])`: dependencies every route of the router runs. */
  dependencies?: WsCall[];
  loc: Loc;
}

export type ProvisionValueState = 'empty' | 'placeholder' | 'set' | 'reference';

/**
 * What a set value looks like, never the value (`src/extract/deploy/values.ts`): `random` (generated
 * or a known credential format), `words` (typed words and numbers), `default` (a vendor default or a
 * credential made of credential words and the block's own user/database names), `public` (public key
 * material, publishable keys), `path` (a file path), `plain` (a number, boolean, duration, rate,
 * algorithm or environment name).
 */
export type ProvisionValueKind = 'random' | 'words' | 'default' | 'public' | 'path' | 'plain';

/** An env name a deployment file gives to a service (filled in by the deployment work). */
export interface Provision {
  name: string;
  /** `dotenv`, `compose`, `k8s`, `helm`, `cloudrun`, `cloudbuild`, `github-actions`, `gcloud`, `docker-run`, `dockerfile`, `terraform`. */
  source: string;
  environment: string | null;
  /** A service named or implied by the file (compose service, build context, `--source`). */
  serviceHint: string | null;
  valueState: ProvisionValueState;
  /** Length of a set or placeholder value, for redaction in messages; never the value. */
  valueLength?: number;
  /** For a set value: what it looks like. */
  valueKind?: ProvisionValueKind;
  /** The literal is the default of a `${NAME:-default}` reference (compose or shell substitution). */
  valueIsDefault?: boolean;
  /** A GitHub Actions `env:` entry of a job with no deployment environment: the value lives in the CI runner. */
  ciJob?: boolean;
  /** For `env_file:`/`envFrom`-style links: the referenced file (repo-relative posix); `name` is then `*`. */
  envFile?: string;
  loc: Loc;
}

/**
 * Something a deployment file builds or runs (what deploys a folder): a compose service, a `docker build`
 * / kaniko / build-push-action step, a `gcloud run deploy --source`, or a Dockerfile's own COPY and CMD.
 */
export interface DeployUnitFact {
  kind: 'compose' | 'build' | 'cloudrun' | 'dockerfile';
  /** What deployments call it (compose service, image or Cloud Run service name); null for a Dockerfile. */
  name: string | null;
  /** Build context or source folder, repo-relative posix (`''` = the root); null when unknown or built from an image. */
  context: string | null;
  /** The Dockerfile it builds, repo-relative posix; null for the context's default `Dockerfile`. */
  dockerfile: string | null;
  /** For a Dockerfile: COPY/ADD sources as written, relative to the build context (`--from` stage copies left out). */
  copies?: string[];
  /**
   * For a Dockerfile: env files it puts into the image — COPY/ADD sources and `RUN cp|mv|install`
   * sources whose name reads like an env file (`.env*`, `*.env`), as written.
   */
  envFiles?: string[];
  /** For a compose service: its `command:` override, as words. */
  command?: string[];
  /** For a Dockerfile: the CMD and ENTRYPOINT words of its last stage. */
  entry?: string[];
  loc: Loc;
}

/** Where a file starts a server or worker process: `FastAPI()`, `NestFactory.create`, `express()`, `manage.py`'s command line, … */
interface ServerEntryFact {
  /** `fastapi`, `flask`, `django`, `starlette`, `celery`, `nestjs`, `express`, `fastify`, `http`, `socket.io`, `ws`, …; `cli` for a command-line tool's entry (not a server). */
  framework: string;
  loc: Loc;
}

export interface FileFacts {
  path: string;
  language: Language;
  envReads: EnvRead[];
  fallbackGroups: FallbackGroup[];
  jwtOps: JwtOp[];
  /** Secrets used as HMAC keys, compared with request values or sent in request headers. */
  secretUses?: SecretUse[];
  /** Registry slots filled in this file (TS/JS). */
  slotWrites?: SlotWrite[];
  /** Calls that pass a secret-looking value to a function (candidates for key-parameter wrappers). */
  keyCalls?: KeyCall[];
  /**
   * Module-level functions whose parameter names the env variable (or secret-store entry) they read:
   * other files' calls of them with a literal name are reads (see `EnvRead.viaImport`).
   */
  envHelpers?: { name: string; nameParam: number; store?: string }[];
  /**
   * Env files the code loads at start-up (`ConfigModule.forRoot({ envFilePath: `.env.${NODE_ENV}` })`),
   * as patterns relative to the working directory with `*` for the parts chosen at run time.
   */
  envFiles?: { patterns: string[]; loc: Loc }[];
  imports: ImportFact[];
  exports: ExportedValue[];
  wsEndpoints: WsEndpoint[];
  /** Named functions with their calls, token reads and delegations (for following WebSocket auth into helpers). */
  functions?: FunctionFact[];
  /** Routers mounted under a prefix in this file. */
  routerMounts?: RouterMount[];
  /** Socket server objects created here, connection middleware registered here, Channels routes and ASGI stacks. */
  wsServers?: WsServerFact[];
  wsMiddleware?: WsMiddlewareFact[];
  wsRoutes?: WsRouteFact[];
  wsRouterStacks?: WsRouterStackFact[];
  provisions: Provision[];
  /** Deploy files: the units they build or run (service detection). */
  deployUnits?: DeployUnitFact[];
  /**
   * A compose file that only overrides services (one has no `image`, `build` or `extends`): it runs merged
   * onto a base file in its folder (`docker compose -f docker-compose.yml -f docker-compose.dev.yml`).
   * `bases`: the candidate base files, in order; `environment`: the overlay file's own environment.
   */
  composeOverlay?: { bases: string[]; environment: string | null };
  /** Code files: where a server or worker process starts (service detection). */
  serverEntries?: ServerEntryFact[];
  /** Python: the settings module `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "…")` names (a module path, not a value). */
  djangoSettings?: string;
  suppressions: SuppressionComment[];
  /** Spans of string literals that hold secret material; snippets redact them. */
  secretLiterals: Loc[];
  /**
   * TS/JS: the ranges a snippet masks (strings, templates, comments…) on the lines this file's facts
   * are on, so that a finding's snippet needs no second parse (and the main thread no compiler).
   */
  snippetTokens?: LineTokens;
  notifications: Notification[];
}

/**
 * The first line of every location in a file's facts (a location: an object with `line`, `column`,
 * `endLine` and `endColumn`), function facts apart: they are there only when asked for, and the
 * lines must not depend on it. Imports, most of the facts, have theirs at `loc` only.
 */
export function factLines(facts: FileFacts): Set<number> {
  const lines = new Set<number>();
  for (const fact of facts.imports) lines.add(fact.loc.line);
  const stack: object[] = [];
  for (const key in facts) {
    const child: unknown = facts[key as keyof FileFacts];
    if (key !== 'imports' && key !== 'functions' && typeof child === 'object' && child !== null) stack.push(child);
  }
  for (let value = stack.pop(); value !== undefined; value = stack.pop()) {
    if (Array.isArray(value)) {
      for (const child of value as unknown[]) if (typeof child === 'object' && child !== null) stack.push(child);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.column === 'number' && typeof record.endLine === 'number' && typeof record.endColumn === 'number') {
      lines.add(record.line);
    }
    for (const key in record) {
      const child = record[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return lines;
}

/** Whether following a WebSocket auth path starts in this file: it declares an endpoint or creates a socket server. */
export function startsFollow(facts: Pick<FileFacts, 'wsEndpoints' | 'wsServers'>): boolean {
  return facts.wsEndpoints.length > 0 || (facts.wsServers?.length ?? 0) > 0;
}

/** A fresh, empty facts object for a file. */
export function emptyFacts(path: string, language: Language): FileFacts {
  return {
    path,
    language,
    envReads: [],
    fallbackGroups: [],
    jwtOps: [],
    imports: [],
    exports: [],
    wsEndpoints: [],
    provisions: [],
    suppressions: [],
    secretLiterals: [],
    notifications: [],
  };
}
