// Service boundary policy: which component may import which (defaults plus config allow/forbid), and the service import graph.
import { compileGlobLenient } from '../util/glob.js';
import type { Loc, Service, ServiceKind } from '../vocabulary.js';
import type { BoundaryRule, BoundaryVerdict, ImportEdge, Model } from './types.js';
import { compareText } from '../util/order.js';

export interface BoundaryPolicy {
  allow: BoundaryRule[];
  forbid: BoundaryRule[];
}

/** One import statement behind a service → service edge. */
interface ImportGraphSite {
  file: string;
  loc: Loc;
  specifier: string;
  target: string;
  kind: ImportEdge['kind'];
  typeOnly: boolean;
  inTypeChecking: boolean;
  inFunction: boolean;
  inTry: boolean;
}

/** Every import from one component into another, with the policy's verdict. */
interface ImportGraphEdge {
  from: string;
  to: string;
  /** Import statements behind the edge. */
  count: number;
  /** Of those, imports that vanish at runtime (type-only or under `TYPE_CHECKING`). */
  typeOnlyCount: number;
  forbidden: boolean;
  reason: BoundaryVerdict['reason'];
  violation: BoundaryVerdict['violation'];
  sites: ImportGraphSite[];
}

export interface ImportGraph {
  nodes: { name: string; kind: ServiceKind }[];
  /** Edges between different components, sorted by from and to. */
  edges: ImportGraphEdge[];
}

const NOT_JUDGED: BoundaryVerdict = { allowed: true, reason: 'outside', entry: null, violation: null };
const SAME: BoundaryVerdict = { allowed: true, reason: 'same-service', entry: null, violation: null };

type Matcher = (name: string) => boolean;

/**
 * Builds the policy function. Order of precedence: a component may always import itself; then a
 * matching `forbid` entry (forbid wins over allow, so a broad allow cannot silently reopen an edge
 * someone closed on purpose); then a matching `allow` entry; then the default: anything may import
 * a shared library or a component whose package its manifest declares as a dependency, nothing may
 * import a service other than its own.
 */
export function boundaryPolicy(services: Service[], policy: BoundaryPolicy): (from: string | null, to: string | null) => BoundaryVerdict {
  const kinds = new Map(services.map((s) => [s.name, s.kind]));
  const declared = new Set(services.flatMap((s) => (s.dependsOn ?? []).map((d) => `${s.name}\u0000${d}`)));
  const compile = (rules: BoundaryRule[]): { rule: BoundaryRule; from: Matcher; to: Matcher }[] =>
    rules.map((rule) => ({ rule, from: nameMatcher(rule.from), to: nameMatcher(rule.to) }));
  const forbid = compile(policy.forbid);
  const allow = compile(policy.allow);
  const cache = new Map<string, BoundaryVerdict>();
  return (from, to) => {
    if (from === null || to === null) return NOT_JUDGED;
    if (from === to) return SAME;
    const key = `${from}\u0000${to}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const fromKind = kinds.get(from) ?? 'service';
    const toKind = kinds.get(to) ?? 'service';
    const violation = fromKind === 'shared' && toKind === 'service' ? 'shared-to-service' : 'cross-service';
    let verdict: BoundaryVerdict;
    const forbidden = forbid.find((m) => m.from(from) && m.to(to));
    const allowed = forbidden ? undefined : allow.find((m) => m.from(from) && m.to(to));
    if (forbidden) verdict = { allowed: false, reason: 'forbid', entry: forbidden.rule, violation };
    else if (allowed) verdict = { allowed: true, reason: 'allow', entry: allowed.rule, violation: null };
    else if (toKind === 'shared') verdict = { allowed: true, reason: 'shared', entry: null, violation: null };
    else if (declared.has(key)) verdict = { allowed: true, reason: 'declared', entry: null, violation: null };
    else verdict = { allowed: false, reason: 'default', entry: null, violation };
    cache.set(key, verdict);
    return verdict;
  };
}

function nameMatcher(pattern: string): Matcher {
  if (!/[*?[\]{}!]/.test(pattern)) return (name) => name === pattern;
  const match = compileGlobLenient(pattern);
  return (name) => match(name);
}

/** Summarises the import edges between components: counts, verdicts and every site, sorted. */
export function importGraph(model: Model): ImportGraph {
  const byPair = new Map<string, ImportGraphEdge>();
  for (const edge of model.imports) {
    if (edge.fromService === null || edge.toService === null || edge.fromService === edge.toService) continue;
    const key = `${edge.fromService}\u0000${edge.toService}`;
    let entry = byPair.get(key);
    if (!entry) {
      entry = {
        from: edge.fromService,
        to: edge.toService,
        count: 0,
        typeOnlyCount: 0,
        forbidden: !edge.boundary.allowed,
        reason: edge.boundary.reason,
        violation: edge.boundary.violation,
        sites: [],
      };
      byPair.set(key, entry);
    }
    entry.count++;
    if (edge.typeOnly || edge.inTypeChecking) entry.typeOnlyCount++;
    entry.sites.push({
      file: edge.file,
      loc: edge.loc,
      specifier: edge.specifier,
      target: edge.target,
      kind: edge.kind,
      typeOnly: edge.typeOnly,
      inTypeChecking: edge.inTypeChecking,
      inFunction: edge.inFunction,
      inTry: edge.inTry,
    });
  }
  const edges = [...byPair.values()].sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
  for (const edge of edges) {
    edge.sites.sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  }
  const nodes = model.services.map((s) => ({ name: s.name, kind: s.kind })).sort((a, b) => compareText(a.name, b.name));
  return { nodes, edges };
}
