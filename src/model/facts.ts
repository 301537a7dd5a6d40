// Per-file facts: the plain, JSON-serialisable output of extraction (DESIGN §4). No parser types here.

/**
 * A source span. Lines and columns are 1-based and counted in UTF-16 code units (what JavaScript
 * strings and SARIF `utf16CodeUnits` use); `endColumn` is exclusive (the column after the last
 * character), as in SARIF regions.
 */
export interface Loc {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Language = 'ts' | 'js' | 'python' | 'dotenv' | 'yaml' | 'json' | 'shell' | 'dockerfile' | 'hcl';

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
  /** `jsonwebtoken`, `jose`, `@nestjs/jwt`, `passport-jwt`, `express-jwt`, `@fastify/jwt`, `jwt-decode`, `pyjwt`, `python-jose`, `authlib`, `fastapi-jwt-auth`, `flask-jwt-extended`, `django-simplejwt`. */
  library: string;
  /** Span of the called function/method name (or the config key). */
  loc: Loc;
  /** The key argument and where it comes from; null when the op takes no key (unverified decode). */
  key: { loc: Loc; trace: ValueTrace } | null;
  /** For `decode-unverified`: the decoded claims are used (returned, compared, read, turned into an identity). */
  claimsUsed?: boolean;
  /** For `decode-unverified`: the same token is verified in the same function (decode-then-verify). */
  verifiedSameToken?: boolean;
  scope: string | null;
}

export type ImportKind =
  | 'static'
  | 're-export'
  | 'require'
  | 'dynamic'
  | 'import-equals'
  | 'py-import'
  | 'py-from'
  | 'py-importlib';

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

/** A `jwtfrag-ignore <rule-id>: <reason>` comment. */
export interface SuppressionComment {
  ruleId: string;
  reason: string | null;
  /** Line of the comment; it applies to this line and the next one. */
  line: number;
  loc: Loc;
}

export type TokenSource = 'header' | 'subprotocol' | 'query' | 'cookie' | 'first-message' | 'path' | 'auth-payload' | 'unknown';

/** A WebSocket endpoint (filled in by the WebSocket work; the shape is shared). */
export interface WsEndpoint {
  framework: string;
  path: string | null;
  handler: string | null;
  loc: Loc;
  tokenSources: { source: TokenSource; loc: Loc }[];
  /** Functions called on the connection path (for following verification across files). */
  calls: { name: string; module: string | null; loc: Loc }[];
  details: Record<string, unknown>;
}

export type ProvisionValueState = 'empty' | 'placeholder' | 'set' | 'reference';

/** An env name a deployment file gives to a service (filled in by the deployment work). */
export interface Provision {
  name: string;
  /** `dotenv`, `compose`, `k8s`, `helm`, `cloudrun`, `cloudbuild`, `github-actions`, `gcloud`, `docker-run`, `dockerfile`, `terraform`. */
  source: string;
  environment: string | null;
  /** A service named or implied by the file (compose service, build context, `--source`). */
  serviceHint: string | null;
  valueState: ProvisionValueState;
  /** Length of a set value, for redaction in messages; never the value. */
  valueLength?: number;
  /** For `env_file:`/`envFrom`-style links: the referenced file (repo-relative posix); `name` is then `*`. */
  envFile?: string;
  loc: Loc;
}

export interface Notification {
  level: 'error' | 'warning' | 'note';
  /** Stable id: `parse-error`, `skipped-binary`, `skipped-large`, `skipped-encoding`, `unreadable`, `symlink-loop`, … */
  id: string;
  message: string;
  file: string | null;
  loc?: Loc;
}

export interface FileFacts {
  path: string;
  language: Language;
  envReads: EnvRead[];
  fallbackGroups: FallbackGroup[];
  jwtOps: JwtOp[];
  imports: ImportFact[];
  exports: ExportedValue[];
  wsEndpoints: WsEndpoint[];
  provisions: Provision[];
  suppressions: SuppressionComment[];
  /** Spans of string literals that hold secret material; snippets redact them. */
  secretLiterals: Loc[];
  notifications: Notification[];
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
