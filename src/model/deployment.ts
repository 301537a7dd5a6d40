// Joins attributed provisions with what each service's code reads: the deployment index rules query.
import type { ResolvedFamily } from '../config/schema.js';
import {
  DEFAULT_ENVIRONMENT,
  type DeployTarget,
  type DeploymentIndex,
  type SecretReadUnit,
  type ServiceDeployment,
  type TargetProvision,
} from './deployment-types.js';
import type { Loc, Service } from '../vocabulary.js';
import { TEMPLATE_ENVIRONMENT } from './provision.js';
import type { ModelEnvRead, ModelFallbackGroup, ModelFamily, ModelJwtOp, ModelProvision } from './types.js';
import { compileGlob, wildcardMatch } from '../util/glob.js';
import { compareText } from '../util/order.js';

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

/** Whether `name` matches a dynamic name pattern such as `JWT_SECRET_*` (case-sensitive, `*` = any run; linear-bounded, see util/glob). */
function matchesNamePattern(name: string, pattern: string): boolean {
  return wildcardMatch(name, pattern);
}

// Whether a deploy target providing `names` satisfies a read: one of its names, or a name its pattern matches.
function covered(unit: SecretReadUnit, names: string[]): boolean {
  return unit.names.some((n) => names.includes(n)) || unit.patterns.some((p) => names.some((n) => matchesNamePattern(n, p)));
}

function familyMatcher(families: ModelFamily[], configured: [string, ResolvedFamily][]): (name: string) => string | null {
  const globs = configured.map(([id, f]) => ({ id, match: f.namePatterns.length > 0 ? compileGlob(f.namePatterns, { nocase: true }) : () => false }));
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
  // A secret store, not a deployment, supplies names a wrapper looks up there.
  if (reads.every((r) => r.store !== undefined)) return null;
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

  const byName = new Map(input.services.map((s) => [s.name, s]));
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
    // Libraries the service's manifests declare run in its process: a name they read is read by the service.
    const libraries = dependencyClosure(service, byName);
    for (const r of input.envReads) {
      if (r.service === null || !libraries.has(r.service)) continue;
      if (r.name) readNames.add(r.name);
      if (r.pattern) readPatterns.add(r.pattern);
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
      const list = byEnvironment.get(env);
      if (list) list.push(p);
      else byEnvironment.set(env, [p]);
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
        ...(p.loaded === true ? { loaded: true } : {}),
      }));
      // An env file the deployment links but the repository does not hold (kept out of git on purpose) may provide anything.
      const opaque = list.filter((p) => p.name === '*' && p.envFile !== undefined && !input.analysed.has(p.envFile)).map((p) => p.envFile as string);
      const uncovered: number[] = [];
      if (opaque.length === 0) for (const [index, unit] of secretReads.entries()) if (!covered(unit, names)) uncovered.push(index);
      // An env file the code loads itself is where its values come from, not a set of local defaults.
      const dotenvOnly = list.every((p) => p.source === 'dotenv' && p.loaded !== true);
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

/** The components a service depends on through its manifests, transitively (not the service itself). */
function dependencyClosure(service: Service, byName: ReadonlyMap<string, Service>): Set<string> {
  const out = new Set<string>();
  const queue = [...(service.dependsOn ?? [])];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (out.has(name) || name === service.name) continue;
    out.add(name);
    queue.push(...(byName.get(name)?.dependsOn ?? []));
  }
  return out;
}
