// The cross-file model that rules query: services, resolved secret reads, JWT operations and families.
import type { DeploymentIndex } from './deployment-types.js';
import type { EnvRead, FallbackGroup, FileFacts, ImportKind, JwtOp, Provision, SecretUse, WsCall, WsEndpoint } from '../extract/facts.js';
import type { Language, Loc, Service, TokenSource } from '../vocabulary.js';

export interface ModelFile {
  path: string;
  language: Language;
  service: string | null;
  isTest: boolean;
  /** In a tooling folder (scripts, docs, examples, infrastructure): belongs to no service and defines no family. */
  tooling?: boolean;
}

/** A place in the repository. */
export interface Site {
  file: string;
  loc: Loc;
}

/** What a secret expression resolves to once imports are followed. */
export interface ResolvedSecret {
  /**
   * Everything tried, in order, as display tokens: env names, dynamic patterns (contain `*`),
   * `«literal»` and `«derived»`. The first is the primary (what wins when everything is set).
   */
  chain: string[];
  /** Env names in the order they are tried (first set wins). */
  names: string[];
  /** Dynamic name patterns (`JWT_SECRET_*`). */
  patterns: string[];
  /** A literal key or literal final fallback (length only). */
  literal: { length: number; site: Site } | null;
  /** A key derived only from constants. */
  constantDerived: { description: string; site: Site } | null;
  /** Parts that could not be traced (short descriptions). */
  unknown: string[];
  /** The env read sites the value comes from. */
  readSites: Site[];
  /** Every literal tried, in order (`literal` is the first). */
  literals?: { length: number; site: Site }[];
  /** Every constant-derived key tried, in order (`constantDerived` is the first). */
  derivations?: { description: string; site: Site }[];
  /** Registry slots the value is read from (`Metadata:metadata.Secret`); the model adds an operation per slot write. */
  slots?: string[];
  /** Per-object data mixed into the key with the secret (see the `mixed` value source): a key per object, a token of its own. */
  mixed?: string;
}

export interface ModelEnvRead extends EnvRead {
  file: string;
  service: string | null;
  /** Secret family this read belongs to, if any. */
  family: string | null;
  /** `dataflow`: the value reaches a JWT key; `name`: only the name matches the family's patterns. */
  familyBy: 'dataflow' | 'name' | null;
  /** Roles of the JWT operations this read's value reaches. */
  roles: ('sign' | 'verify')[];
  /** In a tooling folder: secret rules leave it alone. */
  tooling: boolean;
  /** The read sets Django's own `SECRET_KEY` setting: the module-level `SECRET_KEY` of a Python module, in a project that names a settings module or imports Django. */
  djangoSecretKey?: true;
}

export interface ModelFallbackGroup extends FallbackGroup {
  file: string;
  service: string | null;
}

export interface ModelJwtOp extends JwtOp {
  file: string;
  service: string | null;
  secret: ResolvedSecret | null;
  /** In a tooling folder: defines no family; secret rules leave it alone. */
  tooling: boolean;
  /**
   * Set when the operation is a library's, acting with the value this service stores in the registry slot the
   * library reads its key from: the slot and the library operation's site. Located at the slot write.
   */
  via?: { slot: string; file: string; loc: Loc };
  /** The key comes from a registry slot services fill: the operations at the slot writes (`via`) stand for this one in families. */
  slotted?: boolean;
  /**
   * Set when the operation is a wrapper's (`sign_token(payload, secret)`), acting with the key this call
   * passes: the wrapper's operation site and the key parameter. Located at the call.
   */
  wrapper?: { file: string; loc: Loc; param: string };
  /** The key is a parameter its callers fill: the operations at the calls (`wrapper`) stand for this one in families and the matrix. */
  wrapped?: boolean;
  /** A settings-only configuration of a library the service never imports: dead configuration, outside families and the matrix. */
  inert?: boolean;
}

/** A service secret use resolved across files (`src/model/build.ts`). */
export interface ModelSecretUse extends SecretUse {
  file: string;
  service: string | null;
  secret: ResolvedSecret | null;
  tooling: boolean;
}

export interface ModelFamily {
  id: string;
  /** Every distinct literal env name in the family, sorted. */
  names: string[];
  /** Dynamic patterns seen in the family, sorted. */
  patterns: string[];
  canonical: string | null;
  canonicalReason: 'configured' | 'signer' | 'deployments' | 'most-read' | null;
  /** One sentence: why the canonical name is the one to converge on. */
  canonicalWhy: string;
  /** Names that belong only by their name (lower precision). */
  nameOnly: string[];
  /** `token`: a JWT signing key; `service`: a secret services share to trust each other (HMAC key, header secret). */
  kind: 'token' | 'service';
  /** Operations that sign this token (sign, configure), outside tooling. */
  signers: ModelJwtOp[];
  /** Operations that verify it (verify, configure), outside tooling; literal-key verifiers of the only signing family included. */
  verifiers: ModelJwtOp[];
  /** Service-secret uses (HMAC keys, request comparisons, credential headers), outside tooling. */
  uses: ModelSecretUse[];
}

/** An import that resolves to a file inside the repository. */
export interface ImportEdge {
  /** The importing file and the span of its module specifier. */
  file: string;
  loc: Loc;
  specifier: string;
  kind: ImportKind;
  /** The file it resolves to (repo-relative posix). */
  target: string;
  fromService: string | null;
  toService: string | null;
  typeOnly: boolean;
  inFunction: boolean;
  inTypeChecking: boolean;
  inTry: boolean;
  /** The boundary policy's verdict on this import (`src/model/boundaries.ts`). */
  boundary: BoundaryVerdict;
}

/** A `{from, to}` boundary policy entry: service names or globs over service names. */
export interface BoundaryRule {
  from: string;
  to: string;
}

/** Whether the boundary policy lets one component import another, and why. */
export interface BoundaryVerdict {
  allowed: boolean;
  /**
   * `same-service`: within one component; `shared`: the target is a shared library; `allow` /
   * `forbid`: a config entry decided (forbid wins); `declared`: the importer's manifest declares the
   * target's package as a dependency; `default`: a service or shared library reaching
   * into a service; `outside`: one end belongs to no service (not judged).
   */
  reason: 'same-service' | 'shared' | 'declared' | 'allow' | 'forbid' | 'default' | 'outside';
  /** The config entry that decided, for `allow` and `forbid`. */
  entry: BoundaryRule | null;
  /** For forbidden edges: a shared library reaching into a service, or any other cross-component import. */
  violation: 'shared-to-service' | 'cross-service' | null;
}

/** A deployment provision attributed to a service and an environment. */
export interface ModelProvision extends Provision {
  file: string;
  /** The service that receives it (from the hint, the file's folder, or config); null when unknown. */
  service: string | null;
  /** The service's code loads this env file itself (`ConfigModule.forRoot({ envFilePath })`); often one file shared by several services. */
  loaded?: boolean;
}

/** How a WebSocket endpoint's credential is checked: a verify reached on its path, an auth service, only an unverified decode, nothing, or a call that could not be followed. */
export type WsVerification = 'none' | 'verified' | 'unverified' | 'delegated' | 'unknown';

/** Where a credential is read on a connection path. */
export interface WsSourceSite {
  source: TokenSource;
  file: string;
  loc: Loc;
}

/** A WebSocket endpoint joined across files (`src/model/websocket.ts`). */
export interface ModelWsEndpoint extends WsEndpoint {
  file: string;
  service: string | null;
  /** The path with router prefixes (`include_router(prefix=…)`) where statically known. */
  fullPath: string | null;
  verification: WsVerification;
  /** Verifying JWT operations reached from the handler, its middleware or guards (across files). */
  verifyOps: ModelJwtOp[];
  /** Unverified decodes whose claims are used, reached on the path. */
  decodeOps: ModelJwtOp[];
  /** Calls that delegate the check to another service. */
  delegatedAt: Site[];
  /** Token sources on the whole path (the endpoint and every function it reaches). */
  credentialSources: WsSourceSite[];
  /** Spans of the code on the connection path (endpoint spans and reached functions). */
  reached: Site[];
  /** Auth-looking calls into repository code that could not be followed. */
  unresolvedAuthCalls: string[];
  /** Dependencies reached through other dependencies (`Depends(get_service)` whose function has `Depends(get_db)`): the chain of names. */
  dependencyChains: { dependency: WsCall; chain: string[] }[];
  /** Where middleware registered apart from the endpoint guards it (Channels ASGI stacks, socket.io `use`, a Nest IoAdapter). */
  middlewareAt: Site[];
}

/**
 * A file's facts as the rules see them. Imports and exports are not kept: the model has resolved them
 * (`Model.imports`, the secrets traced through them), and at 20,000 files they are 90 % of the facts.
 */
export type ModelFileFacts = Omit<FileFacts, 'imports' | 'exports'>;

export interface Model {
  services: Service[];
  files: ModelFile[];
  facts: ModelFileFacts[];
  envReads: ModelEnvRead[];
  fallbackGroups: ModelFallbackGroup[];
  jwtOps: ModelJwtOp[];
  secretUses: ModelSecretUse[];
  families: ModelFamily[];
  /**
   * Imports from one component into another (both known, different), in file order: the only ones
   * the boundary rules, the service graph and loaded env files look at.
   */
  imports: ImportEdge[];
  /** Boundary policy overrides from the config. */
  boundaries: { allow: BoundaryRule[]; forbid: BoundaryRule[] };
  /** Deployment provisions attributed to services. */
  provisions: ModelProvision[];
  /** Per service: the environments it is deployed to, what each provides, and the secret reads of its code. */
  deployment: DeploymentIndex;
  /** WebSocket endpoints with their auth path and verification. */
  wsEndpoints: ModelWsEndpoint[];
}
