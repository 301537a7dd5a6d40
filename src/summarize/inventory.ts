// The secret inventory: every family name or pattern with who reads it, where, in which role and chain.
import type { InventoryEntry, InventoryRead, JwtOpSummary } from './result.js';
import { groupOf, groupReads } from '../model/query.js';
import type { Model } from '../model/types.js';
import { compareText } from '../util/order.js';

/** Builds the inventory of every secret-family name, canonical first within a family. */
export function buildInventory(model: Model): InventoryEntry[] {
  const entries = new Map<string, InventoryEntry>();
  for (const read of model.envReads) {
    if (!read.family) continue;
    const label = read.name ?? read.pattern;
    if (!label) continue;
    const key = `${read.family}\u0000${label}`;
    const family = model.families.find((f) => f.id === read.family);
    let entry = entries.get(key);
    if (!entry) {
      entry = {
        family: read.family,
        name: label,
        dynamic: read.name === null,
        canonical: family?.canonical === label,
        familyBy: 'name',
        services: [],
        roles: [],
        reads: [],
      };
      entries.set(key, entry);
    }
    if (read.familyBy === 'dataflow') entry.familyBy = 'dataflow';
    if (read.service && !entry.services.includes(read.service)) entry.services.push(read.service);
    for (const role of read.roles) if (!entry.roles.includes(role)) entry.roles.push(role);
    const group = groupOf(model, read);
    const chain = group ? groupReads(model, group).map((r) => r.name ?? r.pattern ?? '?') : null;
    const item: InventoryRead = {
      file: read.file,
      loc: read.loc,
      service: read.service,
      accessor: read.accessor,
      roles: read.roles,
      chain: chain && chain.length > 1 ? chain : null,
      hasDefault: read.defaultKind !== 'none',
    };
    entry.reads.push(item);
  }
  const out = [...entries.values()];
  for (const e of out) {
    e.services.sort();
    e.roles.sort();
    e.reads.sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  }
  return out.sort((a, b) => compareText(a.family, b.family) || Number(b.canonical) - Number(a.canonical) || compareText(a.name, b.name));
}

/** Summaries of every JWT operation with what its key resolves to. */
export function summariseJwtOps(model: Model): JwtOpSummary[] {
  return model.jwtOps.map((op) => ({
    file: op.file,
    loc: op.loc,
    service: op.service,
    op: op.op,
    library: op.library,
    names: op.secret?.names ?? [],
    patterns: op.secret?.patterns ?? [],
    literal: Boolean(op.secret?.literal),
    unknown: op.secret?.unknown ?? [],
  }));
}
