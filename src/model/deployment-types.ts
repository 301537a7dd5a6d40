// Types of the precomputed deployment index: what each service is given per environment and what its code reads.
import type { Loc, ProvisionValueState } from '../extract/facts.js';

/** Environment label used where a provision names no environment. */
export const DEFAULT_ENVIRONMENT = 'default';

/** One provision seen from a deploy target: the name, where it is written, and how. */
export interface TargetProvision {
  name: string;
  file: string;
  loc: Loc;
  source: string;
  /** Secret family of the name (by the family's names, dynamic patterns or name patterns), if any. */
  family: string | null;
  /** Whether the service's code reads the name (literally, or through a dynamic name pattern). */
  read: boolean;
  /** Whether a value is set (not empty, a placeholder or a reference). */
  valueState: ProvisionValueState;
  /** From an env file the service's code loads (often shared by several services). */
  loaded?: boolean;
}

/** A service in one environment with at least one provision source. */
export interface DeployTarget {
  environment: string;
  /** Deploy files that provide this environment to the service, sorted. */
  files: string[];
  /** Every name provided here, including image-level (Dockerfile) ones, sorted and unique. */
  names: string[];
  provisions: TargetProvision[];
  /** Indexes into the service's `secretReads` of the reads none of whose names (or patterns) is provided here. */
  uncovered: number[];
  /** Env files this target links that the repository does not hold: their names are unknown, so nothing counts as uncovered. */
  opaqueFiles?: string[];
  /** Every source is a dotenv file (defaults an app loads, not an orchestrator's configuration). */
  dotenvOnly: boolean;
}

/** A secret read as the code tries it: one fallback chain or one lone read. */
export interface SecretReadUnit {
  family: string;
  /** Literal env names in the order they are tried. */
  names: string[];
  /** Dynamic name patterns (`JWT_SECRET_*`) among them. */
  patterns: string[];
  /** The first read of the unit (where a finding goes). */
  file: string;
  loc: Loc;
  /** Every read site of the unit. */
  sites: { file: string; loc: Loc; name: string | null; pattern: string | null }[];
  /** Length of a literal default or literal final fallback, when the chain has one. */
  literalFallbackLength: number | null;
  familyBy: 'dataflow' | 'name';
  /** When the read sits in shared code: the service's JWT operation whose key reaches it. */
  via: { file: string; loc: Loc } | null;
}

export interface ServiceDeployment {
  service: string;
  /** Environments with at least one provision source (image-level Dockerfile entries and `.env.example`-style templates do not make one). */
  targets: DeployTarget[];
  /** Env names the service's code reads (its own files and shared reads its JWT operations reach), sorted. */
  readNames: string[];
  /** Dynamic name patterns the service's code reads, sorted. */
  readPatterns: string[];
  secretReads: SecretReadUnit[];
}

/** What deployment files give each service, joined with what its code reads (`src/model/deployment.ts`). */
export interface DeploymentIndex {
  services: ServiceDeployment[];
  /** Family of every provided name that belongs to one (name → family id). */
  familyOfName: Record<string, string>;
}
