// Findings and the run result: the versioned, JSON-serialisable hand-over from the pipeline to every reporter.
import type { Language, Loc, Notification, TokenSource } from './model/facts.js';
import type { Service } from './model/types.js';

export type Severity = 'error' | 'warning' | 'note';
export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

export interface RelatedLocation {
  file: string;
  loc: Loc;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  precision: Precision;
  messageId: string;
  /** Placeholder values of the message (names, services, counts — never secret values). */
  data: Record<string, string | number>;
  message: string;
  file: string;
  loc: Loc;
  related: RelatedLocation[];
  /** The semantic identity of the finding (service, names, edge…), stable when code moves. */
  key: string;
  service: string | null;
  /**
   * The span's first source line as shown: every string, value and comment token not proven
   * harmless is masked («redacted, N chars»), and a long line is cut to a window around the span.
   */
  snippet?: string;
  /** 1-based columns of the span within `snippet` (`endColumn` exclusive), for the caret. */
  snippetSpan?: { column: number; endColumn: number };
  suppression?: { kind: 'inline' | 'baseline'; reason: string | null };
  /** GitHub's `primaryLocationLineHash` of the primary location, computed from the file at scan time. */
  fingerprints?: { primaryLocationLineHash: string };
}

export interface InventoryRead {
  file: string;
  loc: Loc;
  service: string | null;
  accessor: string;
  roles: ('sign' | 'verify')[];
  /** Names of the fallback chain this read belongs to, in order. */
  chain: string[] | null;
  hasDefault: boolean;
}

export interface InventoryEntry {
  family: string;
  /** The env name, or the dynamic pattern. */
  name: string;
  dynamic: boolean;
  canonical: boolean;
  familyBy: 'dataflow' | 'name';
  services: string[];
  roles: ('sign' | 'verify')[];
  reads: InventoryRead[];
}

export interface JwtOpSummary {
  file: string;
  loc: Loc;
  service: string | null;
  op: string;
  library: string;
  names: string[];
  patterns: string[];
  literal: boolean;
  unknown: string[];
}

/** One JWT operation counted in the cross-validation matrix, with what its key resolves to. */
export interface MatrixOpRef {
  file: string;
  loc: Loc;
  op: string;
  /** Display tokens tried in order (env names, patterns, `«literal»`, `«derived»`, `?` when unknown). */
  chain: string[];
}

/** A component of the matrix: a service, or a service's WebSocket path when it verifies separately. */
export interface MatrixComponent {
  id: string;
  service: string | null;
  channel: 'http' | 'websocket';
  /** The distinct primary (first-tried) names of its operations, sorted. */
  primaries: string[];
  ops: MatrixOpRef[];
}

export type MatrixVerdict = 'agree' | 'partial' | 'mismatch' | 'unknown';

export interface MatrixCell {
  signer: string;
  verifier: string;
  verdict: MatrixVerdict;
}

/** Every component that signs × every component that verifies: do they resolve the same secret? */
export interface CrossValidationMatrix {
  signers: MatrixComponent[];
  verifiers: MatrixComponent[];
  cells: MatrixCell[];
  agree: number;
  pairs: number;
}

/** One precise source edit of the migration plan: replace the text at `loc` by `replacement`. */
export interface PlanEdit {
  id: number;
  file: string;
  loc: Loc;
  replacement: string;
  kind: 'rename-read' | 'collapse-chain' | 'replace-dynamic-name';
  family: string;
}

export type PlanStepKind = 'chain' | 'read' | 'dynamic' | 'deployment' | 'import' | 'manual';

/**
 * The phase of a migration step: 1 every environment provides the canonical name, 2 verifiers switch
 * to it, 3 signers switch to it, 4 old names and fallbacks are retired. Imports to cut have no phase.
 */
export type PlanPhase = 1 | 2 | 3 | 4;

/** What a step can break when done out of order: low (additive or dead), medium (a verifier or reader changes), high (signers change). */
export type PlanRisk = 'low' | 'medium' | 'high';

export interface PlanStep {
  kind: PlanStepKind;
  /** What to do, in words (names and paths only, never a value). */
  action: string;
  file: string;
  loc: Loc;
  /** The edit that performs the step (index into `MigrationPlan.edits`), or null for a manual step. */
  edit: number | null;
  /** The phase (null for an import to cut: a track of its own). */
  phase?: PlanPhase | null;
  risk?: PlanRisk;
  /** The family the step migrates (null for an import to cut). */
  family?: string | null;
  /** The change without its place: steps with the same change are one edit made in several files. */
  change?: string;
  /** The environment of a deployment step, when its file names one. */
  environment?: string | null;
}

export interface FamilyPlan {
  family: string;
  canonical: string | null;
  reason: string | null;
  why: string;
  /** Names to retire, sorted. */
  retire: string[];
}

/** Imports from one service into another, aggregated (the report's service graph). */
export interface ServiceImportEdge {
  from: string;
  to: string;
  count: number;
  /** Of those, imports that vanish at run time (type-only, or under `TYPE_CHECKING`). */
  typeOnlyCount: number;
  /** A boundary rule reported at least one of them. */
  forbidden: boolean;
  /** The first import site. */
  file: string;
  loc: Loc;
  /** Every import statement behind the edge. */
  sites: ServiceImportSite[];
}

export interface ServiceImportSite {
  file: string;
  loc: Loc;
  /** The module as written. */
  specifier: string;
  /** The file it resolves to. */
  target: string;
  typeOnly: boolean;
  inFunction: boolean;
  inTry: boolean;
}

/** One provision-matrix cell: a secret name for a service in an environment. */
export interface ProvisionMatrixRow {
  name: string;
  family: string | null;
  service: string | null;
  environment: string;
  /** `both` provided and read; `provided` never read; `read` read while another name of its chain is provided; `missing` nothing the code tries is provided. */
  state: 'provided' | 'read' | 'both' | 'missing';
  provided: { file: string; loc: Loc; source: string }[];
  read: { file: string; loc: Loc }[];
}

/** The ordered migration to one secret name per family and clean service boundaries. */
export interface MigrationPlan {
  families: FamilyPlan[];
  services: { service: string | null; steps: PlanStep[] }[];
  edits: PlanEdit[];
}

/** A finding as the progress delta lists it (matched across results by rule id + semantic key). */
export interface DeltaFinding {
  ruleId: string;
  key: string;
  severity: Severity;
  message: string;
  file: string;
  loc: Loc;
}

/** Names of one secret family added and removed between two results. */
export interface FamilyDelta {
  family: string;
  /** Env names and dynamic patterns read now but not before, sorted. */
  added: string[];
  /** Env names and dynamic patterns read before but not now, sorted. */
  removed: string[];
  canonical: { before: string | null; after: string | null };
}

/** Progress since a previous result (`scan --compare previous.json`): the measure of a refactor. */
export interface ResultDelta {
  /** The previous result as named on the command line. */
  since: string;
  /** The jwtfrag version that wrote the previous result. */
  previousVersion: string;
  /** Every family of either result, sorted by id. */
  families: FamilyDelta[];
  /** Findings not silenced inline: totals, and those that appeared or disappeared (by rule id + key, like the baseline). */
  findings: { before: number; after: number; new: DeltaFinding[]; fixed: DeltaFinding[] };
  /** Signer × verifier agreement before → after; null unless both results have a matrix. */
  matrix: { before: { agree: number; pairs: number }; after: { agree: number; pairs: number } } | null;
}

/** One row of the WebSocket endpoints table: where, how the token arrives, how it is checked, the verdict. */
export interface WsEndpointRow {
  service: string | null;
  file: string;
  loc: Loc;
  framework: string;
  /** The full path (router prefixes included) or namespace; null when not statically known. */
  path: string | null;
  handler: string | null;
  tokenSources: TokenSource[];
  verification: 'none' | 'verified' | 'unverified' | 'delegated' | 'unknown';
  verifiedAt: { file: string; loc: Loc }[];
  verdict: 'ok' | 'no-auth' | 'unverified' | 'token-in-query' | 'unknown';
}

/**
 * The JSON result (schemaVersion 1). Every field is mirrored in `src/result-schema.ts` (a compile-time
 * check fails when they drift) and documented in `docs/result.md`; new fields are optional.
 */
export interface RunResult {
  schemaVersion: 1;
  tool: { name: 'jwtfrag'; version: string };
  services: Service[];
  files: {
    scanned: number;
    byLanguage: Partial<Record<Language, number>>;
    tests: number;
    skipped: Record<string, number>;
  };
  families: {
    id: string;
    canonical: string | null;
    canonicalReason: string | null;
    /** One sentence: why the canonical name is the one to converge on. */
    canonicalWhy?: string;
    /** `token` (a JWT signing key) or `service` (a secret services share to trust each other). */
    kind?: 'token' | 'service';
    names: string[];
    patterns: string[];
  }[];
  inventory: InventoryEntry[];
  jwtOps: JwtOpSummary[];
  findings: Finding[];
  notifications: Notification[];
  /** Present when a baseline was used: how many findings it matched and which entries matched nothing. */
  baseline?: { known: number; stale: { ruleId: string; key: string; count: number; message: string }[] };
  /** Counts of findings per rule (unsuppressed). */
  counts: Record<string, number>;
  /** The cross-validation matrix of signers × verifiers (report section). */
  matrix?: CrossValidationMatrix;
  /** The migration plan with precise code edits (report section). */
  plan?: MigrationPlan;
  /** Cross-service import edges (report graph). */
  serviceImports?: ServiceImportEdge[];
  /** Folders service detection left out, and why (tooling, tests, builds it could not tie to code). */
  excludedFolders?: { folder: string; reason: string }[];
  /** WebSocket endpoints with token source, verification and verdict (report section). */
  wsEndpoints?: WsEndpointRow[];
  /** Secret-family names × service × environment: provided / read / both / missing. */
  provisionMatrix?: ProvisionMatrixRow[];
  /** Progress since a previous result (`scan --compare`). */
  delta?: ResultDelta;
  timestamp?: string;
}
