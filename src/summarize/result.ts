// The JSON result (`RunResult`), described once: zod schemas that validate saved results, the TypeScript types inferred from them; schema/result.schema.json is generated from it.
import { z } from 'zod';
import { FindingSchema, LANGUAGES, LocSchema, NotificationSchema, ServiceSchema, SeveritySchema, TOKEN_SOURCES } from '../vocabulary.js';

const count = z.number().int().min(0);
const roles = z.array(z.enum(['sign', 'verify']));
/** A place in the repository: a file and a span in it. */
const site = () => z.object({ file: z.string(), loc: LocSchema });

const InventoryReadSchema = z.object({
  file: z.string(),
  loc: LocSchema,
  service: z.string().nullable(),
  accessor: z.string(),
  roles,
  /** Names of the fallback chain this read belongs to, in order. */
  chain: z.array(z.string()).nullable(),
  hasDefault: z.boolean(),
});
export type InventoryRead = z.infer<typeof InventoryReadSchema>;

const InventoryEntrySchema = z.object({
  family: z.string(),
  /** The env name, or the dynamic pattern. */
  name: z.string(),
  dynamic: z.boolean(),
  canonical: z.boolean(),
  familyBy: z.enum(['dataflow', 'name']),
  services: z.array(z.string()),
  roles,
  reads: z.array(InventoryReadSchema),
});
export type InventoryEntry = z.infer<typeof InventoryEntrySchema>;

const JwtOpSummarySchema = z.object({
  file: z.string(),
  loc: LocSchema,
  service: z.string().nullable(),
  op: z.string(),
  library: z.string(),
  names: z.array(z.string()),
  patterns: z.array(z.string()),
  literal: z.boolean(),
  unknown: z.array(z.string()),
});
export type JwtOpSummary = z.infer<typeof JwtOpSummarySchema>;

/** One JWT operation counted in the cross-validation matrix, with what its key resolves to. */
const MatrixOpRefSchema = z.object({
  file: z.string(),
  loc: LocSchema,
  op: z.string(),
  /** Display tokens tried in order (env names, patterns, `«literal»`, `«derived»`, `?` when unknown). */
  chain: z.array(z.string()),
});

/** A component of the matrix: a service, or a service's WebSocket path when it verifies separately. */
const MatrixComponentSchema = z.object({
  id: z.string(),
  service: z.string().nullable(),
  channel: z.enum(['http', 'websocket']),
  /** The distinct primary (first-tried) names of its operations, sorted. */
  primaries: z.array(z.string()),
  ops: z.array(MatrixOpRefSchema),
  /** What could not be traced in operations whose key is unknown (short, non-secret descriptions). */
  unknown: z.array(z.string()).optional(),
});
export type MatrixComponent = z.infer<typeof MatrixComponentSchema>;

const MatrixVerdictSchema = z.enum(['agree', 'partial', 'mismatch', 'unknown']);
export type MatrixVerdict = z.infer<typeof MatrixVerdictSchema>;

const MatrixCellSchema = z.object({
  signer: z.string(),
  verifier: z.string(),
  verdict: MatrixVerdictSchema,
  /** Why, in a few words: `both use X`, `agree only if A = B`, `A ≠ B`, `unknown: …`. */
  why: z.string().optional(),
});
export type MatrixCell = z.infer<typeof MatrixCellSchema>;

/** Every component that signs × every component that verifies: do they resolve the same secret? */
const MatrixSchema = z.object({
  signers: z.array(MatrixComponentSchema),
  verifiers: z.array(MatrixComponentSchema),
  cells: z.array(MatrixCellSchema),
  agree: count,
  pairs: count,
});
export type CrossValidationMatrix = z.infer<typeof MatrixSchema>;

const FamilyPlanSchema = z.object({
  family: z.string(),
  canonical: z.string().nullable(),
  reason: z.string().nullable(),
  why: z.string(),
  /** Names to retire, sorted. */
  retire: z.array(z.string()),
});
export type FamilyPlan = z.infer<typeof FamilyPlanSchema>;

const PlanStepKindSchema = z.enum(['chain', 'read', 'dynamic', 'deployment', 'import', 'manual']);
export type PlanStepKind = z.infer<typeof PlanStepKindSchema>;

/**
 * The phase of a migration step: 1 every environment provides the canonical name, 2 verifiers switch
 * to it, 3 signers switch to it, 4 old names and fallbacks are retired. Imports to cut have no phase.
 */
const PlanPhaseSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type PlanPhase = z.infer<typeof PlanPhaseSchema>;

/** What a step can break when done out of order: low (additive or dead), medium (a verifier or reader changes), high (signers change). */
const PlanRiskSchema = z.enum(['low', 'medium', 'high']);
export type PlanRisk = z.infer<typeof PlanRiskSchema>;

const PlanStepSchema = z.object({
  kind: PlanStepKindSchema,
  /** What to do, in words (names and paths only, never a value). */
  action: z.string(),
  file: z.string(),
  loc: LocSchema,
  /** The edit that performs the step (index into `MigrationPlan.edits`), or null for a manual step. */
  edit: count.nullable(),
  /** The phase (null for an import to cut: a track of its own). */
  phase: PlanPhaseSchema.nullable().optional(),
  risk: PlanRiskSchema.optional(),
  /** The family the step migrates (null for an import to cut). */
  family: z.string().nullable().optional(),
  /** The change without its place: steps with the same change are one edit made in several files. */
  change: z.string().optional(),
  /** The environment of a deployment step, when its file names one. */
  environment: z.string().nullable().optional(),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/** One precise source edit of the migration plan: replace the text at `loc` by `replacement`. */
const PlanEditSchema = z.object({
  id: count,
  file: z.string(),
  loc: LocSchema,
  replacement: z.string(),
  kind: z.enum(['rename-read', 'collapse-chain', 'replace-dynamic-name']),
  family: z.string(),
});
export type PlanEdit = z.infer<typeof PlanEditSchema>;

/** The ordered migration to one secret name per family and clean service boundaries. */
const PlanSchema = z.object({
  families: z.array(FamilyPlanSchema),
  services: z.array(z.object({ service: z.string().nullable(), steps: z.array(PlanStepSchema) })),
  edits: z.array(PlanEditSchema),
});
export type MigrationPlan = z.infer<typeof PlanSchema>;

const ServiceImportSiteSchema = z.object({
  file: z.string(),
  loc: LocSchema,
  /** The module as written. */
  specifier: z.string(),
  /** The file it resolves to. */
  target: z.string(),
  typeOnly: z.boolean(),
  inFunction: z.boolean(),
  inTry: z.boolean(),
});

/** Imports from one service into another, aggregated (the report's service graph). */
const ServiceImportEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  count,
  /** Of those, imports that vanish at run time (type-only, or under `TYPE_CHECKING`). */
  typeOnlyCount: count,
  /** A boundary rule reported at least one of them. */
  forbidden: z.boolean(),
  /** The first import site. */
  file: z.string(),
  loc: LocSchema,
  /** Every import statement behind the edge. */
  sites: z.array(ServiceImportSiteSchema),
});
export type ServiceImportEdge = z.infer<typeof ServiceImportEdgeSchema>;

/** One provision-matrix cell: a secret name for a service in an environment. */
const ProvisionMatrixRowSchema = z.object({
  name: z.string(),
  family: z.string().nullable(),
  service: z.string().nullable(),
  environment: z.string(),
  /** `both` provided and read; `provided` never read; `read` read while another name of its chain is provided; `missing` nothing the code tries is provided. */
  state: z.enum(['provided', 'read', 'both', 'missing']),
  provided: z.array(z.object({ file: z.string(), loc: LocSchema, source: z.string() })),
  read: z.array(site()),
});
export type ProvisionMatrixRow = z.infer<typeof ProvisionMatrixRowSchema>;

/** One row of the WebSocket endpoints table: where, how the token arrives, how it is checked, the verdict. */
const WsEndpointRowSchema = z.object({
  service: z.string().nullable(),
  file: z.string(),
  loc: LocSchema,
  framework: z.string(),
  /** The full path (router prefixes included) or namespace; null when not statically known. */
  path: z.string().nullable(),
  handler: z.string().nullable(),
  tokenSources: z.array(z.enum(TOKEN_SOURCES)),
  verification: z.enum(['none', 'verified', 'unverified', 'delegated', 'unknown']),
  verifiedAt: z.array(site()),
  verdict: z.enum(['ok', 'no-auth', 'unverified', 'token-in-query', 'unknown']),
});
export type WsEndpointRow = z.infer<typeof WsEndpointRowSchema>;

/** A finding as the progress delta lists it (matched across results by rule id + semantic key). */
const DeltaFindingSchema = z.object({
  ruleId: z.string(),
  key: z.string(),
  severity: SeveritySchema,
  message: z.string(),
  file: z.string(),
  loc: LocSchema,
});
export type DeltaFinding = z.infer<typeof DeltaFindingSchema>;

/** Names of one secret family added and removed between two results. */
const FamilyDeltaSchema = z.object({
  family: z.string(),
  /** Env names and dynamic patterns read now but not before, sorted. */
  added: z.array(z.string()),
  /** Env names and dynamic patterns read before but not now, sorted. */
  removed: z.array(z.string()),
  canonical: z.object({ before: z.string().nullable(), after: z.string().nullable() }),
});
export type FamilyDelta = z.infer<typeof FamilyDeltaSchema>;

const agreement = z.object({ agree: count, pairs: count });

/** Progress since a previous result (`scan --compare previous.json`): the measure of a refactor. */
const DeltaSchema = z.object({
  /** The previous result as named on the command line. */
  since: z.string(),
  /** The jwtfrag version that wrote the previous result. */
  previousVersion: z.string(),
  /** Every family of either result, sorted by id. */
  families: z.array(FamilyDeltaSchema),
  /** Findings not silenced inline: totals, and those that appeared or disappeared (by rule id + key, like the baseline). */
  findings: z.object({ before: count, after: count, new: z.array(DeltaFindingSchema), fixed: z.array(DeltaFindingSchema) }),
  /** Signer × verifier agreement before → after; null unless both results have a matrix. */
  matrix: z.object({ before: agreement, after: agreement }).nullable(),
});
export type ResultDelta = z.infer<typeof DeltaSchema>;

/**
 * The JSON result, schemaVersion 1, documented in `docs/result.md`; new fields are optional. Unknown
 * keys are accepted (and dropped from the parsed value): a newer jwtfrag may add optional fields
 * without bumping the version.
 */
export const RunResultSchema = z.object({
  schemaVersion: z.literal(1, { error: 'expected schemaVersion 1 (this jwtfrag reads version 1 results)' }),
  tool: z.object({ name: z.literal('jwtfrag'), version: z.string() }),
  services: z.array(ServiceSchema),
  files: z.object({
    scanned: count,
    byLanguage: z.partialRecord(z.enum(LANGUAGES), count),
    tests: count,
    skipped: z.record(z.string(), count),
    /**
     * Files (and folders, ending in `/`) that were not analysed, or only in part, although they
     * should have been: findings in them may be missing. Absent when every file was analysed.
     */
    notAnalysed: z.array(z.string()).optional(),
  }),
  families: z.array(
    z.object({
      id: z.string(),
      canonical: z.string().nullable(),
      canonicalReason: z.string().nullable(),
      /** One sentence: why the canonical name is the one to converge on. */
      canonicalWhy: z.string().optional(),
      /** `token` (a JWT signing key) or `service` (a secret services share to trust each other). */
      kind: z.enum(['token', 'service']).optional(),
      names: z.array(z.string()),
      patterns: z.array(z.string()),
    }),
  ),
  inventory: z.array(InventoryEntrySchema),
  jwtOps: z.array(JwtOpSummarySchema),
  findings: z.array(FindingSchema),
  notifications: z.array(NotificationSchema),
  /** Present when a baseline was used: how many findings it matched and which entries matched nothing. */
  baseline: z
    .object({
      known: count,
      stale: z.array(z.object({ ruleId: z.string(), key: z.string(), count, message: z.string() })),
    })
    .optional(),
  /** Counts of findings per rule (unsuppressed). */
  counts: z.record(z.string(), count),
  /** The cross-validation matrix of signers × verifiers (report section). */
  matrix: MatrixSchema.optional(),
  /** The migration plan with precise code edits (report section). */
  plan: PlanSchema.optional(),
  /** Cross-service import edges (report graph). */
  serviceImports: z.array(ServiceImportEdgeSchema).optional(),
  /** Folders service detection left out, and why (tooling, tests, builds it could not tie to code). */
  excludedFolders: z.array(z.object({ folder: z.string(), reason: z.string() })).optional(),
  /** Secret-family names × service × environment: provided / read / both / missing. */
  provisionMatrix: z.array(ProvisionMatrixRowSchema).optional(),
  /** WebSocket endpoints with token source, verification and verdict (report section). */
  wsEndpoints: z.array(WsEndpointRowSchema).optional(),
  /** Progress since a previous result (`scan --compare`). */
  delta: DeltaSchema.optional(),
  timestamp: z.string().optional(),
});
export type RunResult = z.infer<typeof RunResultSchema>;

/** Validates a parsed JSON value as a result; returns the value itself (unknown keys kept) or the zod error. */
export function validateResult(value: unknown): { ok: true; result: RunResult } | { ok: false; error: z.ZodError } {
  const parsed = RunResultSchema.safeParse(value);
  if (!parsed.success) return { ok: false, error: parsed.error };
  return { ok: true, result: value as RunResult };
}

/**
 * Notification ids that mean a file or folder was not analysed, or only in part: `extract-failed`
 * (the analyser gave up on the file), `analysis-limit` (a part exceeds a size or expansion limit),
 * `unreadable` / `unreadable-folder` (could not be read), `skipped-encoding` (not UTF-8 text).
 */
const NOT_ANALYSED_IDS: readonly string[] = ['extract-failed', 'analysis-limit', 'unreadable', 'unreadable-folder', 'skipped-encoding'];

/** The sorted paths the notifications say were not analysed (folders end in `/`). */
export function notAnalysedPaths(notifications: readonly { id: string; file: string | null }[]): string[] {
  const out = new Set<string>();
  for (const n of notifications) {
    if (n.file === null || !NOT_ANALYSED_IDS.includes(n.id)) continue;
    out.add(n.id === 'unreadable-folder' ? `${n.file}/` : n.file);
  }
  return [...out].sort();
}
