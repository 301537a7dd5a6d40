// Read-only queries over the model shared by rules and the inventory (indexes are built once per model).
import { posix } from 'node:path';
import type { SuppressionComment } from '../extract/facts.js';
import { normalizeEnvironmentName } from './provision.js';
import type { Finding } from '../vocabulary.js';
import type { Model, ModelEnvRead, ModelFallbackGroup, ResolvedSecret } from './types.js';

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

/** Whether a suppression comment covers a finding: same rule, a reason, on its line or the line before. */
export function covers(comment: SuppressionComment, finding: Finding): boolean {
  return comment.ruleId === finding.ruleId && comment.reason !== null && (comment.line === finding.loc.line || comment.line === finding.loc.line - 1);
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

/** How the repository's own deployment uses env files (`envFileUse`). */
export interface EnvFileUse {
  /** Env files a Dockerfile puts into its image (COPY/ADD, `RUN cp src/.example.env dist/.env`). */
  baked: ReadonlySet<string>;
  /** Env file → each block that loads it (compose `env_file`, `docker run --env-file`…). */
  loaders: ReadonlyMap<string, EnvFileLoader[]>;
}

/** A block that loads an env file: its environment, and the names it sets itself (which win over the file). */
interface EnvFileLoader {
  environment: string | null;
  own: ReadonlySet<string>;
}

const envFileUses = new WeakMap<Model, EnvFileUse>();

/**
 * Which env files the deployment bakes into images and which blocks load them. A Dockerfile's env
 * file source is looked up relative to the Dockerfile's folder, to each build context that uses the
 * Dockerfile, and to the repository root; only files that exist count.
 */
export function envFileUse(model: Model): EnvFileUse {
  const cached = envFileUses.get(model);
  if (cached) return cached;
  const files = new Set(model.files.map((f) => f.path));
  const contexts = new Map<string, string[]>();
  for (const f of model.facts) {
    for (const unit of f.deployUnits ?? []) {
      if (unit.kind === 'dockerfile' || unit.context === null) continue;
      const dockerfile = unit.dockerfile ?? (unit.context === '' ? 'Dockerfile' : `${unit.context}/Dockerfile`);
      contexts.set(dockerfile, [...(contexts.get(dockerfile) ?? []), unit.context]);
    }
  }
  const baked = new Set<string>();
  for (const f of model.facts) {
    for (const unit of f.deployUnits ?? []) {
      if (unit.kind !== 'dockerfile' || !unit.envFiles) continue;
      const roots = [posix.dirname(f.path), ...(contexts.get(f.path) ?? []), '.'];
      for (const source of unit.envFiles) {
        for (const root of roots) {
          const candidate = posix.normalize(posix.join(root === '' ? '.' : root, source.replace(/^\/+/, '')));
          if (files.has(candidate)) baked.add(candidate);
        }
      }
    }
  }
  const loaders = new Map<string, EnvFileLoader[]>();
  for (const f of model.facts) {
    for (const link of f.provisions) {
      if (link.name !== '*' || link.envFile === undefined) continue;
      const own = new Set(f.provisions.filter((q) => q.name !== '*' && q.serviceHint === link.serviceHint && q.source === link.source).map((q) => q.name));
      const loader = { environment: normalizeEnvironmentName(link.environment), own };
      loaders.set(link.envFile, [...(loaders.get(link.envFile) ?? []), loader]);
    }
  }
  const use = { baked, loaders };
  envFileUses.set(model, use);
  return use;
}
