// The shared vocabulary every stage may import: spans, languages, severities, notifications, services and findings, each described once by a zod schema.
import { z } from 'zod';

const position = z.number().int().min(1);

/**
 * A source span. Lines and columns are 1-based and counted in UTF-16 code units (what JavaScript
 * strings and SARIF `utf16CodeUnits` use); `endColumn` is exclusive (the column after the last
 * character), as in SARIF regions.
 */
export const LocSchema = z.object({ line: position, column: position, endLine: position, endColumn: position });
export type Loc = z.infer<typeof LocSchema>;

export const LANGUAGES = ['ts', 'js', 'python', 'dotenv', 'yaml', 'json', 'shell', 'dockerfile', 'hcl'] as const;
export type Language = (typeof LANGUAGES)[number];

export const SeveritySchema = z.enum(['error', 'warning', 'note']);
export type Severity = z.infer<typeof SeveritySchema>;
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

const PrecisionSchema = z.enum(['very-high', 'high', 'medium', 'low']);
export type Precision = z.infer<typeof PrecisionSchema>;

/** Where a connection's credential comes from; `ticket`: a single-use ticket in the query string (redeemed once, short-lived). */
export const TOKEN_SOURCES = ['header', 'subprotocol', 'query', 'ticket', 'cookie', 'first-message', 'path', 'auth-payload', 'unknown'] as const;
export type TokenSource = (typeof TOKEN_SOURCES)[number];

export const NotificationSchema = z.object({
  level: SeveritySchema,
  /** Stable id: `parse-error`, `skipped-binary`, `skipped-large`, `skipped-encoding`, `unreadable`, `symlink-loop`, … */
  id: z.string(),
  message: z.string(),
  file: z.string().nullable(),
  loc: LocSchema.optional(),
});
export type Notification = z.infer<typeof NotificationSchema>;

const ServiceKindSchema = z.enum(['service', 'shared']);
export type ServiceKind = z.infer<typeof ServiceKindSchema>;

/** A deployable unit (or a shared library), named after its deployed folder. */
export const ServiceSchema = z.object({
  name: z.string(),
  kind: ServiceKindSchema,
  /** Folder prefixes (repo-relative posix, no trailing slash; '' for the root) or globs from config. */
  roots: z.array(z.string()),
  /** Why it is a service or library: `config`, or the first line of its evidence. */
  detectedBy: z.string(),
  /** Every reason it was detected (what deploys it, which entry starts it), one line each. */
  evidence: z.array(z.string()).optional(),
  /** Other names deployments call it (compose service, image, Cloud Run service, Dockerfile path). */
  aliases: z.array(z.string()).optional(),
  /** Components whose package this one's manifests declare as a dependency (package.json, pyproject.toml path or name). */
  dependsOn: z.array(z.string()).optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

const RelatedLocationSchema = z.object({ file: z.string(), loc: LocSchema, message: z.string() });
export type RelatedLocation = z.infer<typeof RelatedLocationSchema>;

/** What a rule reports: one problem at one place, with its message and semantic key. */
export const FindingSchema = z.object({
  ruleId: z.string().min(1),
  severity: SeveritySchema,
  precision: PrecisionSchema,
  messageId: z.string(),
  /** Placeholder values of the message (names, services, counts — never secret values). */
  data: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
  file: z.string(),
  loc: LocSchema,
  related: z.array(RelatedLocationSchema),
  /** The semantic identity of the finding (service, names, edge…), stable when code moves. */
  key: z.string(),
  service: z.string().nullable(),
  /**
   * The span's first source line as shown: every string, value and comment token not proven
   * harmless is masked («redacted, N chars»), and a long line is cut to a window around the span.
   */
  snippet: z.string().optional(),
  /** 1-based columns of the span within `snippet` (`endColumn` exclusive), for the caret. */
  snippetSpan: z.object({ column: z.number().int().min(1), endColumn: z.number().int().min(1) }).optional(),
  suppression: z.object({ kind: z.enum(['inline', 'baseline']), reason: z.string().nullable() }).optional(),
  /** GitHub's `primaryLocationLineHash` of the primary location, computed from the file at scan time. */
  fingerprints: z.object({ primaryLocationLineHash: z.string() }).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * Why a family's canonical name was chosen, in a few words (the text report's family line, sprawl
 * findings); `mostProvided` words the deployments case.
 */
export function canonicalReasonLabel(family: { canonicalReason: string | null; kind?: string }, mostProvided = 'most provided'): string {
  switch (family.canonicalReason) {
    case 'configured':
      return 'configured';
    case 'signer':
      return family.kind === 'service' ? 'used by the sender' : 'used by the signer';
    case 'deployments':
      return mostProvided;
    default:
      return 'most read';
  }
}
