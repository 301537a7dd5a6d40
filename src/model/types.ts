// The cross-file model that rules query: services, resolved secret reads, JWT operations and families.
import type { EnvRead, FallbackGroup, FileFacts, JwtOp, Language, Loc } from './facts.js';

export type ServiceKind = 'service' | 'shared';

export interface Service {
  name: string;
  kind: ServiceKind;
  /** Folder prefixes (repo-relative posix, no trailing slash; '' for the root) or globs from config. */
  roots: string[];
  /** Why it is a service: `config`, `package.json`, `pyproject.toml`, `Dockerfile`, `shared-name`, … */
  detectedBy: string;
}

export interface ModelFile {
  path: string;
  language: Language;
  service: string | null;
  isTest: boolean;
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
}

export interface ModelFallbackGroup extends FallbackGroup {
  file: string;
  service: string | null;
}

export interface ModelJwtOp extends JwtOp {
  file: string;
  service: string | null;
  secret: ResolvedSecret | null;
}

export interface ModelFamily {
  id: string;
  /** Every distinct literal env name in the family, sorted. */
  names: string[];
  /** Dynamic patterns seen in the family, sorted. */
  patterns: string[];
  canonical: string | null;
  canonicalReason: 'configured' | 'signer' | 'most-read' | null;
  /** Names that belong only by their name (lower precision). */
  nameOnly: string[];
}

export interface Model {
  services: Service[];
  files: ModelFile[];
  facts: FileFacts[];
  envReads: ModelEnvRead[];
  fallbackGroups: ModelFallbackGroup[];
  jwtOps: ModelJwtOp[];
  families: ModelFamily[];
}
