// Findings and the run result: the versioned, JSON-serialisable hand-over from the pipeline to every reporter.
import type { Language, Loc, Notification } from './model/facts.js';
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
  /** The source line(s) of the span, with secret literals redacted. */
  snippet?: string;
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
  timestamp?: string;
}
