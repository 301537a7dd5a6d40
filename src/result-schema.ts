// The zod schema of the JSON result (`RunResult`): validates saved results; schema/result.schema.json is generated from it.
import { z } from 'zod';
import type { Language, Notification, TokenSource } from './model/facts.js';
import type { Service } from './model/types.js';
import type {
  CrossValidationMatrix,
  DeltaFinding,
  Finding,
  InventoryEntry,
  JwtOpSummary,
  MigrationPlan,
  ResultDelta,
  RunResult,
  ServiceImportEdge,
  ProvisionMatrixRow,
  WsEndpointRow,
} from './result.js';

const position = z.number().int().min(1);
const count = z.number().int().min(0);

/** A source span: 1-based lines and columns (UTF-16 code units), `endColumn` exclusive. */
export const LocSchema = z.object({ line: position, column: position, endLine: position, endColumn: position });

const LANGUAGES = ['ts', 'js', 'python', 'dotenv', 'yaml', 'json', 'shell', 'dockerfile', 'hcl'] as const satisfies readonly Language[];
const language = z.enum(LANGUAGES);
const severity = z.enum(['error', 'warning', 'note']);
const precision = z.enum(['very-high', 'high', 'medium', 'low']);
const roles = z.array(z.enum(['sign', 'verify']));

const ServiceSchema = z.object({
  name: z.string(),
  kind: z.enum(['service', 'shared']),
  roots: z.array(z.string()),
  detectedBy: z.string(),
  evidence: z.array(z.string()).optional(),
  aliases: z.array(z.string()).optional(),
  dependsOn: z.array(z.string()).optional(),
});

const NotificationSchema = z.object({
  level: severity,
  id: z.string(),
  message: z.string(),
  file: z.string().nullable(),
  loc: LocSchema.optional(),
});

const RelatedSchema = z.object({ file: z.string(), loc: LocSchema, message: z.string() });

const FindingSchema = z.object({
  ruleId: z.string().min(1),
  severity,
  precision,
  messageId: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
  file: z.string(),
  loc: LocSchema,
  related: z.array(RelatedSchema),
  key: z.string(),
  service: z.string().nullable(),
  snippet: z.string().optional(),
  snippetSpan: z.object({ column: z.number().int().min(1), endColumn: z.number().int().min(1) }).optional(),
  suppression: z.object({ kind: z.enum(['inline', 'baseline']), reason: z.string().nullable() }).optional(),
  fingerprints: z.object({ primaryLocationLineHash: z.string() }).optional(),
});

const InventoryEntrySchema = z.object({
  family: z.string(),
  name: z.string(),
  dynamic: z.boolean(),
  canonical: z.boolean(),
  familyBy: z.enum(['dataflow', 'name']),
  services: z.array(z.string()),
  roles,
  reads: z.array(
    z.object({
      file: z.string(),
      loc: LocSchema,
      service: z.string().nullable(),
      accessor: z.string(),
      roles,
      chain: z.array(z.string()).nullable(),
      hasDefault: z.boolean(),
    }),
  ),
});

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

const MatrixComponentSchema = z.object({
  id: z.string(),
  service: z.string().nullable(),
  channel: z.enum(['http', 'websocket']),
  primaries: z.array(z.string()),
  ops: z.array(z.object({ file: z.string(), loc: LocSchema, op: z.string(), chain: z.array(z.string()) })),
});

const MatrixSchema = z.object({
  signers: z.array(MatrixComponentSchema),
  verifiers: z.array(MatrixComponentSchema),
  cells: z.array(z.object({ signer: z.string(), verifier: z.string(), verdict: z.enum(['agree', 'partial', 'mismatch', 'unknown']) })),
  agree: count,
  pairs: count,
});

const PlanSchema = z.object({
  families: z.array(
    z.object({
      family: z.string(),
      canonical: z.string().nullable(),
      reason: z.string().nullable(),
      why: z.string(),
      retire: z.array(z.string()),
    }),
  ),
  services: z.array(
    z.object({
      service: z.string().nullable(),
      steps: z.array(
        z.object({
          kind: z.enum(['chain', 'read', 'dynamic', 'deployment', 'import', 'manual']),
          action: z.string(),
          file: z.string(),
          loc: LocSchema,
          edit: count.nullable(),
          phase: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).nullable().optional(),
          risk: z.enum(['low', 'medium', 'high']).optional(),
          family: z.string().nullable().optional(),
          change: z.string().optional(),
          environment: z.string().nullable().optional(),
        }),
      ),
    }),
  ),
  edits: z.array(
    z.object({
      id: count,
      file: z.string(),
      loc: LocSchema,
      replacement: z.string(),
      kind: z.enum(['rename-read', 'collapse-chain', 'replace-dynamic-name']),
      family: z.string(),
    }),
  ),
});

const ServiceImportSiteSchema = z.object({
  file: z.string(),
  loc: LocSchema,
  specifier: z.string(),
  target: z.string(),
  typeOnly: z.boolean(),
  inFunction: z.boolean(),
  inTry: z.boolean(),
});

const ServiceImportEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  count,
  typeOnlyCount: count,
  forbidden: z.boolean(),
  file: z.string(),
  loc: LocSchema,
  sites: z.array(ServiceImportSiteSchema),
});

const ProvisionMatrixRowSchema = z.object({
  name: z.string(),
  family: z.string().nullable(),
  service: z.string().nullable(),
  environment: z.string(),
  state: z.enum(['provided', 'read', 'both', 'missing']),
  provided: z.array(z.object({ file: z.string(), loc: LocSchema, source: z.string() })),
  read: z.array(z.object({ file: z.string(), loc: LocSchema })),
});

const TOKEN_SOURCES = ['header', 'subprotocol', 'query', 'ticket', 'cookie', 'first-message', 'path', 'auth-payload', 'unknown'] as const satisfies readonly TokenSource[];

const WsEndpointRowSchema = z.object({
  service: z.string().nullable(),
  file: z.string(),
  loc: LocSchema,
  framework: z.string(),
  path: z.string().nullable(),
  handler: z.string().nullable(),
  tokenSources: z.array(z.enum(TOKEN_SOURCES)),
  verification: z.enum(['none', 'verified', 'unverified', 'delegated', 'unknown']),
  verifiedAt: z.array(z.object({ file: z.string(), loc: LocSchema })),
  verdict: z.enum(['ok', 'no-auth', 'unverified', 'token-in-query', 'unknown']),
});

const DeltaFindingSchema = z.object({
  ruleId: z.string(),
  key: z.string(),
  severity,
  message: z.string(),
  file: z.string(),
  loc: LocSchema,
});

const agreement = z.object({ agree: count, pairs: count });

const DeltaSchema = z.object({
  since: z.string(),
  previousVersion: z.string(),
  families: z.array(
    z.object({
      family: z.string(),
      added: z.array(z.string()),
      removed: z.array(z.string()),
      canonical: z.object({ before: z.string().nullable(), after: z.string().nullable() }),
    }),
  ),
  findings: z.object({ before: count, after: count, new: z.array(DeltaFindingSchema), fixed: z.array(DeltaFindingSchema) }),
  matrix: z.object({ before: agreement, after: agreement }).nullable(),
});

/**
 * The JSON result, schemaVersion 1. Unknown keys are accepted (and dropped from the parsed value):
 * a newer jwtfrag may add optional fields without bumping the version.
 */
export const RunResultSchema = z.object({
  schemaVersion: z.literal(1, { error: 'expected schemaVersion 1 (this jwtfrag reads version 1 results)' }),
  tool: z.object({ name: z.literal('jwtfrag'), version: z.string() }),
  services: z.array(ServiceSchema),
  files: z.object({
    scanned: count,
    byLanguage: z.partialRecord(language, count),
    tests: count,
    skipped: z.record(z.string(), count),
  }),
  families: z.array(
    z.object({
      id: z.string(),
      canonical: z.string().nullable(),
      canonicalReason: z.string().nullable(),
      canonicalWhy: z.string().optional(),
      kind: z.enum(['token', 'service']).optional(),
      names: z.array(z.string()),
      patterns: z.array(z.string()),
    }),
  ),
  inventory: z.array(InventoryEntrySchema),
  jwtOps: z.array(JwtOpSummarySchema),
  findings: z.array(FindingSchema),
  notifications: z.array(NotificationSchema),
  baseline: z
    .object({
      known: count,
      stale: z.array(z.object({ ruleId: z.string(), key: z.string(), count, message: z.string() })),
    })
    .optional(),
  counts: z.record(z.string(), count),
  matrix: MatrixSchema.optional(),
  plan: PlanSchema.optional(),
  serviceImports: z.array(ServiceImportEdgeSchema).optional(),
  excludedFolders: z.array(z.object({ folder: z.string(), reason: z.string() })).optional(),
  provisionMatrix: z.array(ProvisionMatrixRowSchema).optional(),
  wsEndpoints: z.array(WsEndpointRowSchema).optional(),
  delta: DeltaSchema.optional(),
  timestamp: z.string().optional(),
});

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Inferred = z.infer<typeof RunResultSchema>;

// Compile-time drift checks. A field of RunResult missing here fails the first line, naming the field
// (add it to RunResultSchema and docs/result.md); any other difference fails an Assert below.
const missingFromSchema: Record<Exclude<keyof RunResult, keyof Inferred>, never> = {};
const missingFromResult: Record<Exclude<keyof Inferred, keyof RunResult>, never> = {};
void missingFromSchema;
void missingFromResult;

export type SchemaChecks = [
  Assert<Equals<Inferred, RunResult>>,
  Assert<Equals<z.infer<typeof ServiceSchema>, Service>>,
  Assert<Equals<z.infer<typeof NotificationSchema>, Notification>>,
  Assert<Equals<z.infer<typeof FindingSchema>, Finding>>,
  Assert<Equals<z.infer<typeof InventoryEntrySchema>, InventoryEntry>>,
  Assert<Equals<z.infer<typeof JwtOpSummarySchema>, JwtOpSummary>>,
  Assert<Equals<z.infer<typeof MatrixSchema>, CrossValidationMatrix>>,
  Assert<Equals<z.infer<typeof PlanSchema>, MigrationPlan>>,
  Assert<Equals<z.infer<typeof ServiceImportEdgeSchema>, ServiceImportEdge>>,
  Assert<Equals<z.infer<typeof ProvisionMatrixRowSchema>, ProvisionMatrixRow>>,
  Assert<Equals<z.infer<typeof WsEndpointRowSchema>, WsEndpointRow>>,
  Assert<Equals<z.infer<typeof DeltaFindingSchema>, DeltaFinding>>,
  Assert<Equals<z.infer<typeof DeltaSchema>, ResultDelta>>,
];

/** Validates a parsed JSON value as a result; returns the value itself (unknown keys kept) or the zod error. */
export function validateResult(value: unknown): { ok: true; result: RunResult } | { ok: false; error: z.ZodError } {
  const parsed = RunResultSchema.safeParse(value);
  if (!parsed.success) return { ok: false, error: parsed.error };
  return { ok: true, result: value as RunResult };
}
