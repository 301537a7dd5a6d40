// The provision matrix of the result: secret name × service × environment → provided / read / both / missing.
import { DEFAULT_ENVIRONMENT } from '../model/deployment-types.js';
import type { Model } from '../model/types.js';
import { compareText } from '../util/order.js';
import type { Loc } from '../vocabulary.js';
import type { ProvisionMatrixRow } from './result.js';

const siteKey = (file: string, loc: Loc): string => `${file}:${loc.line}:${loc.column}`;

/** One cell of the provision matrix: a name for a service in an environment (the result's row type). */
type MatrixRow = ProvisionMatrixRow;

/**
 * The provision matrix (secret name × service × environment → provided / read / both / missing).
 * Every provision appears: deploy targets list what they provide plus every secret name the service
 * reads; provisions outside a target (no service found, `.env.example` templates, image-only
 * Dockerfile entries) appear as `provided` (or `both`) under their own environment. Sorted by
 * service, environment and name. Pure; no values.
 */
export function provisionMatrix(model: Model): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  const row = (name: string, service: string | null, environment: string): MatrixRow => {
    const key = `${service ?? ''}\u0000${environment}\u0000${name}`;
    let r = rows.get(key);
    if (!r) {
      r = { name, family: model.deployment.familyOfName[name] ?? familyOfRead(model, name), service, environment, state: 'provided', provided: [], read: [] };
      rows.set(key, r);
    }
    return r;
  };
  const inTarget = new Set<string>();
  for (const svc of model.deployment.services) {
    for (const target of svc.targets) {
      for (const p of target.provisions) {
        row(p.name, svc.service, target.environment).provided.push({ file: p.file, loc: p.loc, source: p.source });
        inTarget.add(`${svc.service}\u0000${siteKey(p.file, p.loc)}`);
      }
      for (const unit of svc.secretReads) {
        for (const site of unit.sites) {
          if (site.name) row(site.name, svc.service, target.environment).read.push({ file: site.file, loc: site.loc });
        }
      }
      for (const [key, r] of rows) {
        if (!key.startsWith(`${svc.service}\u0000${target.environment}\u0000`)) continue;
        const read = r.read.length > 0 || svc.readNames.includes(r.name);
        if (r.provided.length > 0) r.state = read ? 'both' : 'provided';
        else r.state = svc.secretReads.some((u, i) => u.names.includes(r.name) && !target.uncovered.includes(i)) ? 'read' : 'missing';
      }
    }
  }
  const readers = new Map(model.deployment.services.map((s) => [s.service, new Set(s.readNames)]));
  for (const p of model.provisions) {
    if (p.name === '*' || inTarget.has(`${p.service ?? ''}\u0000${siteKey(p.file, p.loc)}`)) continue;
    const r = row(p.name, p.service, p.environment ?? DEFAULT_ENVIRONMENT);
    if (r.provided.some((x) => x.file === p.file && x.loc.line === p.loc.line && x.loc.column === p.loc.column)) continue;
    r.provided.push({ file: p.file, loc: p.loc, source: p.source });
    r.state = p.service !== null && readers.get(p.service)?.has(p.name) ? 'both' : 'provided';
  }
  const order = (a: MatrixRow, b: MatrixRow): number =>
    compareText(a.service ?? '\uffff', b.service ?? '\uffff') || compareText(a.environment, b.environment) || compareText(a.name, b.name);
  return [...rows.values()].sort(order);
}

function familyOfRead(model: Model, name: string): string | null {
  return model.envReads.find((r) => r.name === name && r.family !== null)?.family ?? null;
}
