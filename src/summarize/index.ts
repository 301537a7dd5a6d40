// The summarize stage: turns the model and the findings into the versioned result every reporter renders.
import type { BaselineOutcome } from '../baseline.js';
import type { DiscoveredFile } from '../discover/index.js';
import type { ServiceDetection } from '../model/services.js';
import type { Model } from '../model/types.js';
import { compareText } from '../util/order.js';
import type { Finding, Notification } from '../vocabulary.js';
import { VERSION } from '../version.js';
import { attachSourceContext } from './context.js';
import type { CacheSettings } from '../cache/index.js';
import { buildInventory, summariseJwtOps } from './inventory.js';
import { buildMatrix, serviceImportEdges } from './matrix.js';
import { buildPlan } from './plan.js';
import { provisionMatrix } from './provision-matrix.js';
import { notAnalysedPaths, type RunResult } from './result.js';
import { wsEndpointRows } from './websocket.js';

export interface SummaryInput {
  root: string;
  /** Files larger than this are not read for source context. */
  maxFileSize: number;
  /** The scan's cache folder: TypeScript token ranges of the snippets are kept there. */
  cache?: CacheSettings;
  /** The files that were analysed. */
  files: DiscoveredFile[];
  /** Test files left out of the analysis. */
  testFiles: number;
  skipped: Record<string, number>;
  notifications: Notification[];
  detection: Pick<ServiceDetection, 'services' | 'excluded'>;
  model: Model;
  findings: Finding[];
  baselined: BaselineOutcome | null;
  /** Reads a file the migration plan edits. */
  readPlanSource: (path: string) => string | undefined;
  /** Adds an ISO timestamp. */
  timestamp?: boolean;
}

/** Adds source context to the findings and builds the result: inventory, matrices, plan, WebSocket table and counts. */
export function summarize(input: SummaryInput): RunResult {
  const { model, findings, detection, baselined } = input;
  attachSourceContext(input.root, findings, model.facts, input.maxFileSize, input.cache);
  const byLanguage: RunResult['files']['byLanguage'] = {};
  for (const f of input.files) byLanguage[f.language] = (byLanguage[f.language] ?? 0) + 1;

  const provisions = provisionMatrix(model);
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'jwtfrag', version: VERSION },
    services: detection.services,
    files: { scanned: input.files.length, byLanguage: sortKeys(byLanguage), tests: input.testFiles, skipped: sortKeys(input.skipped) },
    families: model.families.map((f) => ({
      id: f.id,
      canonical: f.canonical,
      canonicalReason: f.canonicalReason,
      canonicalWhy: f.canonicalWhy,
      kind: f.kind,
      names: f.names,
      patterns: f.patterns,
    })),
    inventory: buildInventory(model),
    jwtOps: summariseJwtOps(model),
    findings,
    notifications: sortNotifications(input.notifications),
    counts: countByRule(findings),
    matrix: buildMatrix(model),
    plan: buildPlan({ model, findings, readFile: input.readPlanSource, provisions }),
    serviceImports: serviceImportEdges(model, findings),
  };
  const notAnalysed = notAnalysedPaths(result.notifications);
  if (notAnalysed.length > 0) result.files.notAnalysed = notAnalysed;
  if (detection.excluded.length > 0) result.excludedFolders = detection.excluded;
  if (model.wsEndpoints.length > 0) result.wsEndpoints = wsEndpointRows(model.wsEndpoints);
  if (provisions.length > 0) result.provisionMatrix = provisions;
  if (baselined) {
    result.baseline = {
      known: baselined.known,
      stale: baselined.stale.map((e) => ({ ruleId: e.ruleId, key: e.key, count: e.count, message: e.message })),
    };
  }
  if (input.timestamp) result.timestamp = new Date().toISOString();
  return result;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort((a, b) => compareText(a[0], b[0])));
}

function sortNotifications(list: Notification[]): Notification[] {
  return list.sort((a, b) => compareText(a.file ?? '', b.file ?? '') || (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || compareText(a.id, b.id));
}

/** Counts unsuppressed findings per rule id. */
export function countByRule(findings: Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) if (!f.suppression) counts[f.ruleId] = (counts[f.ruleId] ?? 0) + 1;
  return sortKeys(counts);
}
