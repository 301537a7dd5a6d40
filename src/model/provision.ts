// Attributes deployment provisions to services and environments, and expands env-file links into the names they provide.
import { normalizeEnvironment } from '../extract/deploy/environment.js';
import type { FileFacts, Provision } from '../extract/facts.js';
import type { ModelFile, ModelProvision } from './types.js';
import type { Service } from '../vocabulary.js';
import { compareText } from '../util/order.js';
import { compileGlob } from '../util/glob.js';

/** Dotenv templates (`.env.example`, `.env.sample`, …): documentation, not a deployment. */
const TEMPLATE_FILE = /(^|\/)\.env\.(example|sample|template|dist|defaults)$|(^|\/)[^/]*\.env\.(example|sample|template)$/i;

/** Environment of provisions that come from a dotenv template. */
export const TEMPLATE_ENVIRONMENT = 'example';

/** Words that name a generic role rather than a service (`auth-service` ≈ `auth`). */
const GENERIC_TOKENS = new Set(['service', 'svc', 'server', 'app', 'deployment', 'container', 'worker-service']);

/** `prod` → `production`, `Staging` → `staging`; unknown words are kept lower-cased; null stays null. */
export function normalizeEnvironmentName(environment: string | null): string | null {
  if (environment === null) return null;
  const word = environment.trim().toLowerCase();
  if (word.length === 0) return null;
  return normalizeEnvironment(word) ?? word;
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && normalizeEnvironment(t) === null);
}

function core(list: string[]): string[] {
  const out = list.filter((t) => !GENERIC_TOKENS.has(t));
  return out.length > 0 ? out : list;
}

function endsWith(long: string[], short: string[]): boolean {
  if (short.length === 0 || short.length >= long.length) return false;
  const offset = long.length - short.length;
  return short.every((t, i) => long[offset + i] === t);
}

/**
 * The service a deploy-side hint names: a repository folder inside a service root (the longest root
 * wins), else a name deployments call it (its aliases), else a name equal to a service's name or folder once `-`/`_` and environment words are
 * ignored (`auth-service` → `auth_service`, `api-staging` → `api`), else one whose core words end
 * the other's (`netra-backend` → `backend`, `auth` → `auth_service`). Null when none or several match.
 */
export function serviceForHint(hint: string | null, services: Service[]): string | null {
  if (hint === null) return null;
  const candidates = services.filter((s) => s.kind === 'service');
  const cleaned = hint.trim().replace(/^\.\//, '').replace(/\/$/, '');
  if (cleaned.length === 0) return null;
  let best: { name: string; length: number } | null = null;
  for (const service of candidates) {
    for (const root of service.roots) {
      if (root === '' || root.includes('*')) continue;
      if ((cleaned === root || cleaned.startsWith(`${root}/`)) && (!best || root.length > best.length)) {
        best = { name: service.name, length: root.length };
      }
    }
  }
  if (best) return best.name;
  // A name deployments call the service (a compose service that builds it, an image).
  const aliased = candidates.filter((s) => s.aliases?.includes(cleaned));
  if (aliased.length === 1) return aliased[0].name;
  const hintTokens = tokens(cleaned.split('/').pop() ?? cleaned);
  if (hintTokens.length === 0) return null;
  const names = candidates.map((s) => ({
    name: s.name,
    forms: [s.name, ...s.roots.map((r) => r.split('/').pop() ?? r)].map(tokens).filter((t) => t.length > 0),
  }));
  const levels: ((form: string[]) => boolean)[] = [
    (form) => form.join('') === hintTokens.join(''),
    (form) => core(form).join('') === core(hintTokens).join(''),
    (form) => endsWith(core(form), core(hintTokens)) || endsWith(core(hintTokens), core(form)),
  ];
  for (const level of levels) {
    const matched = names.filter((n) => n.forms.some(level));
    if (matched.length === 1) return matched[0].name;
    if (matched.length > 1) return null;
  }
  return null;
}

function environmentOf(file: string, provision: Provision): string | null {
  if (provision.source === 'dotenv' && TEMPLATE_FILE.test(file)) return TEMPLATE_ENVIRONMENT;
  return normalizeEnvironmentName(provision.environment);
}

/**
 * Attributes each provision to the service that receives it and normalises its environment. The
 * service comes from the provision's hint (see `serviceForHint`), else the deploy file's own
 * service. An env-file link (`name: '*'`, `envFile`) is kept and also expanded into the names that
 * file provides, attributed to the linking service and environment (the link's environment, else the
 * env file's), located in the env file. A root-level env file that is linked is then represented by
 * its expansions only. An override compose file with an environment of its own (`docker-compose.dev.yml`)
 * also provides, in that environment, what its base file (`docker-compose.yml` beside it) provides
 * without an environment: compose merges the two.
 */
export function buildProvisions(facts: FileFacts[], files: ModelFile[], services: Service[]): ModelProvision[] {
  const serviceOf = new Map(files.map((f) => [f.path, f.service]));
  const kindOf = new Map(services.map((s) => [s.name, s.kind]));
  const factsByPath = new Map(facts.map((f) => [f.path, f]));
  const linked = new Set<string>();
  for (const f of facts) for (const p of f.provisions) if (p.name === '*' && p.envFile !== undefined) linked.add(p.envFile);

  // Compose services that build something from the repository; the others run a ready-made image.
  const built = new Set<string>();
  for (const f of facts) {
    for (const unit of f.deployUnits ?? []) if (unit.kind === 'compose' && unit.context !== null && unit.name !== null) built.add(`${f.path}#${unit.name}`);
  }

  const out: ModelProvision[] = [];
  // An override compose file with an environment of its own runs with everything its base file provides.
  const sources: { f: FileFacts; p: Provision; environment?: string | null }[] = [];
  for (const f of [...facts].sort((a, b) => compareText(a.path, b.path))) {
    for (const p of f.provisions) sources.push({ f, p });
    const overlay = f.composeOverlay;
    const environment = normalizeEnvironmentName(overlay?.environment ?? null);
    const base = overlay?.bases.map((path) => factsByPath.get(path)).find((b) => b !== undefined);
    if (!base || environment === null) continue;
    for (const p of base.provisions) if (p.source === 'compose' && p.environment === null) sources.push({ f: base, p, environment });
  }
  for (const { f, p, environment } of sources) {
    const ownService = serviceOf.get(f.path) ?? null;
    const fileService = ownService !== null && kindOf.get(ownService) === 'service' ? ownService : null;
    const hinted = serviceForHint(p.serviceHint, services);
    // What a compose file gives a ready-made image no service is named after (`postgres`, `redis`) is that image's.
    const foreign = hinted === null && p.source === 'compose' && p.serviceHint !== null && !built.has(`${f.path}#${p.serviceHint}`);
    const service = hinted ?? (foreign ? null : fileService);
    if (linked.has(f.path) && service === null && p.name !== '*') continue;
    const provision: ModelProvision = { ...p, environment: environment ?? environmentOf(f.path, p), file: f.path, service };
    out.push(provision);
    if (p.name !== '*' || p.envFile === undefined) continue;
    const target = factsByPath.get(p.envFile);
    if (!target) continue;
    for (const q of target.provisions) {
      if (q.name === '*') continue;
      out.push({
        ...q,
        environment: provision.environment ?? environmentOf(target.path, q),
        serviceHint: p.serviceHint,
        file: target.path,
        service,
      });
    }
  }
  return out;
}

/**
 * Env files a service's process loads at start-up (`ConfigModule.forRoot({ envFilePath: `.env.${NODE_ENV}` })`),
 * in the service's own code or in a library it imports: the dotenv files matching the pattern, relative to
 * the repository root or the service's folder (the working directory it may run from), provide to that
 * service too, each in its own environment.
 */
export function loadedEnvFileProvisions(
  facts: FileFacts[],
  files: ModelFile[],
  services: Service[],
  imports: { fromService: string | null; toService: string | null }[],
  existing: ModelProvision[],
): ModelProvision[] {
  const serviceOf = new Map(files.map((f) => [f.path, f.service]));
  const byName = new Map(services.map((s) => [s.name, s]));
  const importers = new Map<string, Set<string>>();
  for (const e of imports) {
    if (e.fromService === null || e.toService === null || e.fromService === e.toService || byName.get(e.fromService)?.kind !== 'service') continue;
    const set = importers.get(e.toService) ?? new Set<string>();
    set.add(e.fromService);
    importers.set(e.toService, set);
  }
  const dotenv = facts.filter((f) => f.language === 'dotenv');
  const given = new Set(existing.map((p) => `${p.service ?? ''}\u0000${p.file}`));
  const out: ModelProvision[] = [];
  for (const f of [...facts].sort((a, b) => compareText(a.path, b.path))) {
    for (const load of f.envFiles ?? []) {
      const owner = serviceOf.get(f.path) ?? null;
      if (owner === null) continue;
      const loaders = byName.get(owner)?.kind === 'service' ? [owner] : [...(importers.get(owner) ?? [])].sort(compareText);
      const matchers = load.patterns.map((p) => compileGlob(p, { braces: false }));
      for (const service of loaders) {
        const bases = ['', ...(byName.get(service)?.roots ?? []).filter((r) => r !== '' && !r.includes('*'))];
        for (const d of dotenv) {
          const key = `${service}\u0000${d.path}`;
          if (given.has(key)) continue;
          const loaded = bases.some((base) => {
            const relative = base === '' ? d.path : d.path.startsWith(`${base}/`) ? d.path.slice(base.length + 1) : null;
            return relative !== null && matchers.some((m) => m(relative));
          });
          if (!loaded) continue;
          given.add(key);
          for (const p of d.provisions) {
            if (p.name === '*') continue;
            out.push({ ...p, environment: environmentOf(d.path, p), file: d.path, service, loaded: true });
          }
        }
      }
    }
  }
  return out;
}
