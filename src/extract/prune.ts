// Drops function facts that cannot matter to a connection path, so facts stay small (they cross threads and stay in memory).
import type { FileFacts, FunctionCall, Loc } from './facts.js';

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function within(inner: Loc, outer: Loc): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}

/**
 * Keeps, per function, only calls that can lead somewhere (imported names, functions defined in the
 * same file) and only functions that hold something (such calls, token reads, delegations, a JWT op).
 */
export function pruneFunctionFacts(facts: FileFacts): FileFacts {
  if (!facts.functions || facts.functions.length === 0) return facts;
  const local = new Set(facts.functions.map((fn) => lastSegment(fn.name)));
  const kept: NonNullable<FileFacts['functions']> = [];
  for (const fn of facts.functions) {
    const seen = new Set<string>();
    const calls: FunctionCall[] = [];
    for (const c of fn.calls) {
      if (c.module === null && !local.has(lastSegment(c.name))) continue;
      const key = `${c.module ?? ''}\u0000${c.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      calls.push({ name: c.name, module: c.module });
    }
    const holdsOp = facts.jwtOps.some((op) => within(op.loc, fn.loc));
    if (calls.length > 0 || fn.tokenSources.length > 0 || fn.delegations.length > 0 || holdsOp) kept.push({ ...fn, calls });
  }
  if (kept.length > 0) facts.functions = kept;
  else delete facts.functions;
  return facts;
}
