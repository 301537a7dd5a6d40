// Read-only queries over the model shared by rules and the inventory (indexes are built once per model).
import type { Loc, SuppressionComment } from './facts.js';
import type { Finding } from '../result.js';
import type { Model, ModelEnvRead, ModelFallbackGroup, ModelJwtOp, ResolvedSecret } from './types.js';

interface Index {
  readByFileId: Map<string, ModelEnvRead>;
  groupOfRead: Map<ModelEnvRead, ModelFallbackGroup>;
}

const indexes = new WeakMap<Model, Index>();

function index(model: Model): Index {
  let idx = indexes.get(model);
  if (idx) return idx;
  const readByFileId = new Map<string, ModelEnvRead>();
  for (const read of model.envReads) readByFileId.set(`${read.file}#${read.id}`, read);
  const groupOfRead = new Map<ModelEnvRead, ModelFallbackGroup>();
  for (const group of model.fallbackGroups) {
    for (const id of group.reads) {
      const read = readByFileId.get(`${group.file}#${id}`);
      if (read) groupOfRead.set(read, group);
    }
  }
  idx = { readByFileId, groupOfRead };
  indexes.set(model, idx);
  return idx;
}

/** The env reads of a fallback group, in the order they are tried. */
export function groupReads(model: Model, group: ModelFallbackGroup): ModelEnvRead[] {
  const idx = index(model);
  const out: ModelEnvRead[] = [];
  for (const id of group.reads) {
    const read = idx.readByFileId.get(`${group.file}#${id}`);
    if (read) out.push(read);
  }
  return out;
}

/** The fallback group a read belongs to, if any. */
export function groupOf(model: Model, read: ModelEnvRead): ModelFallbackGroup | null {
  return index(model).groupOfRead.get(read) ?? null;
}

/** What a secret resolves to first: an env name, a pattern, `«literal»`, `«derived»`; null when unknown. */
export function primaryOf(secret: ResolvedSecret | null): string | null {
  return secret?.chain[0] ?? null;
}

/** Whether an op signs (sign or configure). */
export function signs(op: ModelJwtOp): boolean {
  return op.op === 'sign' || op.op === 'configure';
}

/** Whether an op verifies (verify or configure). */
export function verifies(op: ModelJwtOp): boolean {
  return op.op === 'verify' || op.op === 'configure';
}

/** Compares two locations in reading order. */
export function compareLoc(a: Loc, b: Loc): number {
  return a.line - b.line || a.column - b.column;
}

/** Whether a suppression comment covers a finding: same rule, a reason, on its line or the line before. */
export function covers(comment: SuppressionComment, finding: Finding): boolean {
  return (
    comment.ruleId === finding.ruleId &&
    comment.reason !== null &&
    (comment.line === finding.loc.line || comment.line === finding.loc.line - 1)
  );
}

/** Words that name the half of a key pair: `JWT_PRIVATE_KEY` and `JWT_PUBLIC_KEY` are one token's two keys. */
export const PAIR_WORDS = new Set(['PRIVATE', 'PUBLIC', 'PRIV', 'PUB']);

/** The name of a key without its private/public word: both halves of a pair share it. */
export function keyIdentity(name: string): string {
  return name
    .toUpperCase()
    .split(/[^A-Z0-9*]+/)
    .filter((w) => w.length > 0 && !PAIR_WORDS.has(w))
    .join('_');
}

