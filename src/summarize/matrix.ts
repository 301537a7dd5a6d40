// The cross-validation matrix: every component that signs × every component that verifies, agreeing or not.
import { importGraph } from '../model/boundaries.js';
import type { Finding } from '../vocabulary.js';
import type { CrossValidationMatrix, MatrixCell, MatrixComponent, MatrixVerdict, ServiceImportEdge } from './result.js';
import type { Model, ModelJwtOp } from '../model/types.js';
import { keyIdentity } from '../model/query.js';
import { compareText } from '../util/order.js';

function chainOf(op: ModelJwtOp): string[] {
  if (!op.secret) return ['?'];
  const chain = [...op.secret.chain];
  if (chain.length === 0) chain.push('?');
  return chain;
}

/** Whether a verifying op is reached from a WebSocket endpoint's connection path (per the endpoint model). */
function onWebSocketPath(model: Model, op: ModelJwtOp): boolean {
  return model.wsEndpoints.some((endpoint) => endpoint.verifyOps.includes(op) || endpoint.decodeOps.includes(op));
}

function addOp(map: Map<string, MatrixComponent>, id: string, service: string | null, channel: 'http' | 'websocket', op: ModelJwtOp): void {
  let component = map.get(id);
  if (!component) {
    component = { id, service, channel, primaries: [], ops: [], unknown: [] };
    map.set(id, component);
  }
  const chain = chainOf(op);
  component.ops.push({ file: op.file, loc: op.loc, op: op.op, chain });
  if (!component.primaries.includes(chain[0])) component.primaries.push(chain[0]);
  if (chain[0] === '?') for (const u of op.secret?.unknown ?? []) if (!(component.unknown ??= []).includes(u)) component.unknown.push(u);
}

function finish(map: Map<string, MatrixComponent>): MatrixComponent[] {
  const out = [...map.values()];
  for (const c of out) {
    c.primaries.sort();
    c.unknown?.sort(compareText);
    c.ops.sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  }
  return out.sort((a, b) => compareText(a.id, b.id));
}

function resolvable(name: string): boolean {
  return name !== '?' && name !== '«literal»' && name !== '«derived»' && !name.includes('*');
}

/** Two names hold the same key: equal, or the two halves of one key pair (`JWT_PRIVATE_KEY` / `JWT_PUBLIC_KEY`). */
function same(a: string, b: string): boolean {
  return a === b || (resolvable(a) && resolvable(b) && keyIdentity(a) === keyIdentity(b));
}

function shown(name: string): string {
  return name === '«literal»' ? 'literal key' : name === '«derived»' ? 'constant-derived key' : name === '?' ? 'untraced key' : name;
}

/** Why a component's key is unknown: what could not be traced. */
function untraced(component: MatrixComponent, side: string): string {
  const what = (component.unknown ?? []).length > 0 ? ` (${(component.unknown ?? []).slice(0, 2).join('; ')})` : '';
  return `unknown: the ${side}'s key could not be traced${what}`;
}

/**
 * The verdict for a signer × verifier pair, with a short reason: `agree` when every path of both uses
 * the same name first; `partial` when they agree only on some paths or only if two variables hold the
 * same value; `mismatch` when no name is shared; `unknown` when a side has no traceable name.
 */
function verdict(signer: MatrixComponent, verifier: MatrixComponent): { verdict: MatrixVerdict; why: string } {
  const s = signer.primaries.filter(resolvable);
  const v = verifier.primaries.filter(resolvable);
  const constant = (c: MatrixComponent): boolean => c.primaries.some((p) => p === '«literal»' || p === '«derived»');
  if (s.length === 0 && v.length === 0) {
    if (constant(signer) && constant(verifier))
      return { verdict: 'unknown', why: 'unknown: both sides use keys written in the source (values are never compared)' };
    return { verdict: 'unknown', why: constant(signer) ? untraced(verifier, 'verifier') : untraced(signer, 'signer') };
  }
  // One side a key written in the source, the other a variable: they agree only if the variable holds that value.
  if (s.length === 0 && constant(signer))
    return {
      verdict: 'partial',
      why: `agree only if ${v.join(', ')} holds the signer's ${signer.primaries
        .filter((p) => !resolvable(p))
        .map(shown)
        .join(', ')}`,
    };
  if (v.length === 0 && constant(verifier))
    return {
      verdict: 'partial',
      why: `agree only if ${s.join(', ')} holds the verifier's ${verifier.primaries
        .filter((p) => !resolvable(p))
        .map(shown)
        .join(', ')}`,
    };
  if (s.length === 0) return { verdict: 'unknown', why: untraced(signer, 'signer') };
  if (v.length === 0) return { verdict: 'unknown', why: untraced(verifier, 'verifier') };
  const firstShared = v.filter((name) => s.some((t) => same(t, name)));
  if (firstShared.length > 0) {
    if (s.length === 1 && v.length === 1 && signer.primaries.length === 1 && verifier.primaries.length === 1)
      return { verdict: 'agree', why: `both use ${v[0]}` };
    const odd = [
      ...signer.primaries.filter((p) => !firstShared.some((n) => same(n, p))),
      ...verifier.primaries.filter((p) => !firstShared.some((n) => same(n, p))),
    ];
    return { verdict: 'partial', why: `agree on ${firstShared.join(', ')}; other paths use ${[...new Set(odd)].map(shown).join(', ')}` };
  }
  // First names differ: a later name in one chain may still be the other side's.
  const chainNames = (c: MatrixComponent): string[] => [...new Set(c.ops.flatMap((o) => o.chain))].filter(resolvable);
  const later = chainNames(verifier).filter((name) => chainNames(signer).some((t) => same(t, name)));
  if (later.length > 0) return { verdict: 'partial', why: `agree only if ${v.join(', ')} is unset or equals ${s.join(', ')}` };
  return { verdict: 'mismatch', why: `${v.join(', ')} ≠ ${s.join(', ')}` };
}

/**
 * Builds the matrix from the model's JWT operations. A component is a service; a service's
 * WebSocket verification is its own component when the service also verifies elsewhere. `configure`
 * ops count as both signer and verifier; verifies without a key of their own (they use the
 * registered one) are left out.
 */
export function buildMatrix(model: Model): CrossValidationMatrix {
  const signers = new Map<string, MatrixComponent>();
  const verifierOps: ModelJwtOp[] = [];
  for (const op of model.jwtOps) {
    // Tooling is not a party to the token; a library op that reads a registry slot is shown through the services that fill it.
    if (op.op === 'decode-unverified' || op.tooling || op.slotted || op.wrapped || op.inert) continue;
    if ((op.op === 'sign' || op.op === 'configure') && op.key) {
      const service = op.service ?? '(no service)';
      addOp(signers, service, op.service, 'http', op);
    }
    if ((op.op === 'verify' || op.op === 'configure') && op.key) verifierOps.push(op);
  }
  const wsOps = new Set(verifierOps.filter((op) => op.op === 'verify' && onWebSocketPath(model, op)));
  const verifiers = new Map<string, MatrixComponent>();
  for (const op of verifierOps) {
    const service = op.service ?? '(no service)';
    const hasOther = verifierOps.some((o) => o.service === op.service && !wsOps.has(o));
    const separate = wsOps.has(op) && hasOther;
    addOp(verifiers, separate ? `${service} (WebSocket)` : service, op.service, wsOps.has(op) ? 'websocket' : 'http', op);
  }
  const signerList = finish(signers);
  const verifierList = finish(verifiers);
  const cells: MatrixCell[] = [];
  for (const s of signerList) {
    for (const v of verifierList) cells.push({ signer: s.id, verifier: v.id, ...verdict(s, v) });
  }
  return {
    signers: signerList,
    verifiers: verifierList,
    cells,
    agree: cells.filter((c) => c.verdict === 'agree').length,
    pairs: cells.length,
  };
}

const BOUNDARY_RULES = new Set(['forbidden-cross-service-import', 'shared-imports-service']);

/** Aggregates resolved imports between different services; an edge is forbidden when a boundary rule reported one of its sites. */
export function serviceImportEdges(model: Model, findings: readonly Finding[]): ServiceImportEdge[] {
  const reported = new Set<string>();
  for (const f of findings) if (BOUNDARY_RULES.has(f.ruleId) && !f.suppression) reported.add(`${f.file}:${f.loc.line}`);
  return importGraph(model).edges.map((edge) => ({
    from: edge.from,
    to: edge.to,
    count: edge.count,
    typeOnlyCount: edge.typeOnlyCount,
    forbidden: edge.sites.some((s) => reported.has(`${s.file}:${s.loc.line}`)),
    file: edge.sites[0].file,
    loc: edge.sites[0].loc,
    sites: edge.sites.map((s) => ({
      file: s.file,
      loc: s.loc,
      specifier: s.specifier,
      target: s.target,
      typeOnly: s.typeOnly || s.inTypeChecking,
      inFunction: s.inFunction,
      inTry: s.inTry,
    })),
  }));
}
