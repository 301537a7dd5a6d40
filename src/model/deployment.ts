// Joins attributed provisions with what each service's code reads: the deployment index rules query, and the provision matrix.
import picomatch from 'picomatch';
import type { ResolvedFamily } from '../config/schema.js';
import { DEFAULT_ENVIRONMENT, type DeployTarget, type DeploymentIndex, type SecretReadUnit, type ServiceDeployment, type TargetProvision } from './deployment-types.js';
import type { Loc } from './facts.js';
import { TEMPLATE_ENVIRONMENT } from './provision.js';
import type { Model, ModelEnvRead, ModelFallbackGroup, ModelFamily, ModelJwtOp, ModelProvision, Service } from './types.js';
import { compareText } from '../util/order.js';
import type { ProvisionMatrixRow } from '../result.js';

export interface DeploymentInput {
  /** Provisions attributed to services (`buildProvisions`). */
  provisions: ModelProvision[];
  /** Files that were analysed: an env file a deployment links that is not among them holds values jwtfrag cannot see. */
  analysed: Set<string>;
  services: Service[];
  envReads: ModelEnvRead[];
  fallbackGroups: ModelFallbackGroup[];
  jwtOps: ModelJwtOp[];
  families: ModelFamily[];
  /** Configured families (for their name patterns). */
  familyPatterns: [string, ResolvedFamily][];
}

const siteKey = (file: string, loc: Loc): string => `${file}:${loc.line}:${loc.column}`;

/** Whether `name` matches a dynamic name pattern such as `JWT_SECRET_*` (case-sensitive, `*` = any run). */
export function matchesNamePattern(name: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
}

// Whether a deploy target providing `names` satisfies a read: one of its names, or a name its pattern matches.
function covered(unit: SecretReadUnit, names: string[]): boolean {
  return unit.names.some((n) => names.includes(n)) || unit.patterns.some((p) => names.some((n) => matchesNamePattern(n, p)));
}

function familyMatcher(families: ModelFamily[], configured: [string, ResolvedFamily][]): (name: string) => string | null {
  const globs = configured.map(([id, f]) => ({ id, match: f.namePatterns.length > 0 ? picomatch(f.namePatterns, { nocase: true, dot: true }) : () => false }));
  return (name) => {
    for (const family of families) {
      if (family.names.includes(name) || family.patterns.some((p) => matchesNamePattern(name, p))) return family.id;
    }
    return globs.find((g) => g.match(name))?.id ?? null;
  };
}

function readUnit(reads: ModelEnvRead[], group: ModelFallbackGroup | null, via: { file: string; loc: Loc } | null): SecretReadUnit | null {
  const familyRead = reads.find((r) => r.family !== null);
  if (!familyRead?.family) return null;
  const names: string[] = [];
  const patterns: string[] = [];
  for (const r of reads) {
    if (r.name && !names.includes(r.name)) names.push(r.name);
    if (r.pattern && !patterns.includes(r.pattern)) patterns.push(r.pattern);
  }
  const literalDefault = reads.find((r) => r.defaultKind === 'literal');
  const literalFallbackLength = group?.literalFallback?.length ?? literalDefault?.defaultLength ?? (literalDefault ? 0 : null);
  return {
    family: familyRead.family,
    names,
    patterns,
    file: reads[0].file,
    loc: reads[0].loc,
    sites: reads.map((r) => ({ file: r.file, loc: r.loc, name: r.name, pattern: r.pattern })),
    literalFallbackLength,
    familyBy: reads.some((r) => r.familyBy === 'dataflow') ? 'dataflow' : 'name',
    via,
  };
}

/**
 * Builds the deployment index: per service, the environments it is deployed to with the names each
 * provides, and the secret reads its code makes (fallback chains as one unit; shared-library reads
 * reached by the service's JWT operations included, with the operation as `via`).
 */
export function buildDeployment(input: DeploymentInput): DeploymentIndex {
  const provisions = input.provisions;
  const familyOf = familyMatcher(input.families, input.familyPatterns);
  const readBySite = new Map<string, ModelEnvRead>();
  const readById = new Map<string, ModelEnvRead>();
  for (const r of input.envReads) {
    readBySite.set(siteKey(r.file, r.loc), r);
    readById.set(`${r.file}#${r.id}`, r);
  }
  const groupByKey = new Map<string, ModelFallbackGroup>();
  for (const g of input.fallbackGroups) groupByKey.set(`${g.file}#${g.id}`, g);
  const unitOf = (read: ModelEnvRead, via: { file: string; loc: Loc } | null): SecretReadUnit | null => {
    const group = read.group === null ? null : (groupByKey.get(`${read.file}#${read.group}`) ?? null);
    const reads = group ? group.reads.flatMap((id) => readById.get(`${read.file}#${id}`) ?? []) : [read];
    return readUnit(reads.length > 0 ? reads : [read], group, via);
  };

  const familyOfName: Record<string, string> = {};
  for (const p of provisions) {
    if (p.name === '*' || p.name in familyOfName) continue;
    const family = familyOf(p.name);
    if (family) familyOfName[p.name] = family;
  }

  const services: ServiceDeployment[] = [];
  for (const service of [...input.services].sort((a, b) => compareText(a.name, b.name))) {
    if (service.kind !== 'service') continue;
    const units = new Map<string, SecretReadUnit>();
    const readNames = new Set<string>();
    const readPatterns = new Set<string>();
    const addUnit = (unit: SecretReadUnit | null): void => {
      if (!unit) return;
      const key = siteKey(unit.file, unit.loc);
      if (!units.has(key)) units.set(key, unit);
      for (const n of unit.names) readNames.add(n);
      for (const p of unit.patterns) readPatterns.add(p);
    };
    for (const r of input.envReads) {
      if (r.service !== service.name) continue;
      if (r.name) readNames.add(r.name);
      if (r.pattern) readPatterns.add(r.pattern);
      if (r.family) addUnit(unitOf(r, null));
    }
    for (const op of input.jwtOps) {
      if (op.service !== service.name || !op.secret) continue;
      for (const site of op.secret.readSites) {
        const read = readBySite.get(siteKey(site.file, site.loc));
        if (read && read.service !== service.name) addUnit(unitOf(read, { file: op.file, loc: op.loc }));
      }
    }

    const secretReads = [...units.values()].sort((a, b) => compareText(a.file, b.file) || a.loc.line - b.loc.line || a.loc.column - b.loc.column);
    const patterns = [...readPatterns];
    const own = provisions.filter((p) => p.service === service.name && p.environment !== TEMPLATE_ENVIRONMENT);
    const imageLevel = own.filter((p) => p.source === 'dockerfile' && p.name !== '*');
    const byEnvironment = new Map<string, ModelProvision[]>();
    for (const p of own) {
      if (p.source === 'dockerfile') continue;
      const env = p.environment ?? DEFAULT_ENVIRONMENT;
      byEnvironment.set(env, [...(byEnvironment.get(env) ?? []), p]);
    }
    const targets: DeployTarget[] = [];
    for (const [environment, list] of [...byEnvironment].sort((a, b) => compareText(a[0], b[0]))) {
      const all = [...list, ...imageLevel].filter((p) => p.name !== '*');
      const names = [...new Set(all.map((p) => p.name))].sort();
      const targetProvisions: TargetProvision[] = all.map((p) => ({
        name: p.name,
        file: p.file,
        loc: p.loc,
        source: p.source,
        family: familyOfName[p.name] ?? null,
        read: readNames.has(p.name) || patterns.some((pattern) => matchesNamePattern(p.name, pattern)),
        valueState: p.valueState,
      }));
      // An env file the deployment links but the repository does not hold (kept out of git on purpose) may provide anything.
      const opaque = list.filter((p) => p.name === '*' && p.envFile !== undefined && !input.analysed.has(p.envFile)).map((p) => p.envFile as string);
      const uncovered: number[] = [];
      if (opaque.length === 0) for (const [index, unit] of secretReads.entries()) if (!covered(unit, names)) uncovered.push(index);
      const dotenvOnly = list.every((p) => p.source === 'dotenv');
      targets.push({
        environment,
        files: [...new Set(list.map((p) => p.file))].sort(),
        names,
        provisions: targetProvisions,
        uncovered,
        ...(opaque.length > 0 ? { opaqueFiles: [...new Set(opaque)].sort() } : {}),
        dotenvOnly,
      });
    }
    services.push({ service: service.name, targets, readNames: [...readNames].sort(), readPatterns: patterns.sort(), secretReads });
  }
  return { services, familyOfName };
}

export type MatrixState = ProvisionMatrixRow['state'];

/** One cell of the provision matrix: a name for a service in an environment (the result's row type). */
export type MatrixRow = ProvisionMatrixRow;

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
    compareText((a.service ?? '\uffff'), b.service ?? '\uffff') || compareText(a.environment, b.environment) || compareText(a.name, b.name);
  return [...rows.values()].sort(order);
}

function familyOfRead(model: Model, name: string): string | null {
  return model.envReads.find((r) => r.name === name && r.family !== null)?.family ?? null;
}
