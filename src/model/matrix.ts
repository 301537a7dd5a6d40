// The cross-validation matrix: every component that signs × every component that verifies, agreeing or not.
import { importGraph } from './boundaries.js';
import type { CrossValidationMatrix, Finding, MatrixCell, MatrixComponent, MatrixVerdict, ServiceImportEdge } from '../result.js';
import type { Model, ModelJwtOp } from './types.js';
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
    component = { id, service, channel, primaries: [], ops: [] };
    map.set(id, component);
  }
  const chain = chainOf(op);
  component.ops.push({ file: op.file, loc: op.loc, op: op.op, chain });
  if (!component.primaries.includes(chain[0])) component.primaries.push(chain[0]);
}

function finish(map: Map<string, MatrixComponent>): MatrixComponent[] {
  const out = [...map.values()];
  for (const c of out) {
    c.primaries.sort();
    c.ops.sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  }
  return out.sort((a, b) => compareText(a.id, b.id));
}

function resolvable(name: string): boolean {
  return name !== '?' && name !== '«literal»' && name !== '«derived»' && !name.includes('*');
}

function verdict(signer: MatrixComponent, verifier: MatrixComponent): MatrixVerdict {
  const s = signer.primaries.filter(resolvable);
  const v = verifier.primaries.filter(resolvable);
  if (s.length === 0 || v.length === 0) return 'unknown';
  const shared = v.filter((name) => s.includes(name));
  if (shared.length === 0) return 'mismatch';
  const clean = s.length === 1 && v.length === 1 && signer.primaries.length === 1 && verifier.primaries.length === 1;
  return clean ? 'agree' : 'partial';
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
    if (op.op === 'decode-unverified') continue;
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
    for (const v of verifierList) cells.push({ signer: s.id, verifier: v.id, verdict: verdict(s, v) });
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
