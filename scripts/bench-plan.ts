// Plans the benchmark corpus: which files exist, in which service, with which imports, secret reads and JWT calls.
import { posix } from 'node:path';
import { Prng } from './bench-prng.js';

export type CodeLanguage = 'ts' | 'python';

export interface Component {
  name: string;
  language: CodeLanguage;
  shared: boolean;
  /** Folder of the component's manifest (`services/auth`, `shared`). */
  root: string;
  /** Folder the modules live in (`services/auth/src`, `services/billing/billing`, `shared/pylib`). */
  sourceRoot: string;
  /** Dotted Python package of `sourceRoot` (`billing`, `shared.pylib`); null for TypeScript. */
  pyPackage: string | null;
}

export const TS_SECRET_FORMS = ['process.env', 'process.env[]', 'fallback-??', 'template-pattern', 'destructure', 'configService.get'] as const;
export const PY_SECRET_FORMS = ['os.getenv', 'os.environ.get', 'os.environ[]', 'get_env().get', 'or-chain', 'f-string', 'nested-default', 'loop'] as const;
export type SecretForm = (typeof TS_SECRET_FORMS)[number] | (typeof PY_SECRET_FORMS)[number];

export interface Module {
  id: number;
  language: CodeLanguage;
  component: Component;
  area: string;
  noun: string;
  suffix: string;
  path: string;
  isTest: boolean;
  /** The shared env helpers every other module may import (`getJwtSecret`, `get_env`). */
  special: 'ts-env' | 'py-env' | null;
  secretForm: SecretForm | null;
  secretNames: string[];
  jwt: boolean;
  /** Modules this one imports, and whether each edge crosses into another service. */
  imports: { target: Module; cross: boolean; withClass: boolean; fn: number }[];
  /** Target line count (the rendered file ends at the first block boundary at or past it). */
  lines: number;
  /** Per-module seed for rendering, so each file renders independently of the others. */
  seed: number;
}

export type DeployKind = 'manifest' | 'dotenv' | 'compose' | 'k8s' | 'dockerfile';

export interface DeployFile {
  kind: DeployKind;
  path: string;
  /** The service it belongs to (null for repo-level files). */
  service: Component | null;
  index: number;
  seed: number;
}

export interface CorpusPlan {
  files: number;
  seed: number;
  components: Component[];
  modules: Module[];
  deploy: DeployFile[];
}

export const JWT_SECRET_NAMES = [
  'JWT_SECRET',
  'JWT_SECRET_KEY',
  'AUTH_JWT_SECRET',
  'SERVICE_JWT_SECRET',
  'WEBSOCKET_JWT_SECRET',
  'JWT_SIGNING_SECRET',
  'GATEWAY_JWT_SECRET',
  'ACCESS_TOKEN_JWT_SECRET',
] as const;

const TS_SERVICES = ['gateway', 'auth', 'notifications', 'realtime'];
const PY_SERVICES = ['billing', 'users', 'analytics', 'orders'];
const TS_AREAS: Record<string, string> = {
  controllers: 'controller',
  services: 'service',
  models: 'model',
  repositories: 'repository',
  middleware: 'middleware',
  utils: 'util',
  handlers: 'handler',
  config: 'config',
};
const PY_AREAS: Record<string, string> = {
  api: 'router',
  services: 'service',
  models: 'model',
  repositories: 'repository',
  schemas: 'schema',
  utils: 'util',
  workers: 'worker',
  core: 'core',
};
// prettier-ignore
const NOUNS = [
  'invoice', 'order', 'user', 'session', 'payment', 'account', 'report', 'event',
  'message', 'channel', 'profile', 'audit', 'cache', 'queue', 'metric', 'ledger',
  'tenant', 'webhook', 'schedule', 'catalog', 'shipment', 'coupon', 'device', 'alert',
];

/** Files every corpus has whatever its size: package.json ×6 (root, 4 TS services, shared), pyproject.toml ×4. */
const MANIFESTS = 10;
/** One `.env`, one compose file, one k8s manifest and one Dockerfile at least. */
const MIN_DEPLOY = MANIFESTS + 4;
export const MIN_FILES = 40;

function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

function components(): Component[] {
  const out: Component[] = [];
  for (const name of TS_SERVICES) {
    out.push({ name, language: 'ts', shared: false, root: `services/${name}`, sourceRoot: `services/${name}/src`, pyPackage: null });
  }
  out.push({ name: 'shared', language: 'ts', shared: true, root: 'shared', sourceRoot: 'shared/src', pyPackage: null });
  for (const name of PY_SERVICES) {
    out.push({ name, language: 'python', shared: false, root: `services/${name}`, sourceRoot: `services/${name}/${name}`, pyPackage: name });
  }
  out.push({ name: 'shared', language: 'python', shared: true, root: 'shared', sourceRoot: 'shared/pylib', pyPackage: 'shared.pylib' });
  return out;
}

/** How many files of each kind a corpus of `files` files holds (~50 % TS, ~45 % Python, ~5 % deploy). */
export function corpusCounts(files: number): { ts: number; python: number; deploy: number } {
  const deploy = Math.max(Math.round(files * 0.05), MIN_DEPLOY);
  const ts = Math.round(files * 0.5);
  return { ts, python: files - ts - deploy, deploy };
}

function modulePath(component: Component, area: string, noun: string, suffix: string, id: number, isTest: boolean): string {
  if (component.language === 'ts') {
    const base = `${noun}-${suffix}-${id}`;
    return `${component.sourceRoot}/${area}/${base}${isTest ? '.spec' : ''}.ts`;
  }
  const base = `${noun}_${suffix}_${id}`;
  return isTest ? `${component.root}/tests/test_${base}.py` : `${component.sourceRoot}/${area}/${base}.py`;
}

/** The dotted Python module of a planned Python module (`billing.api.order_router_12`). */
export function pyModuleOf(module: Module): string {
  const rel = posix.relative(module.component.sourceRoot, module.path).replace(/\.py$/, '');
  return `${module.component.pyPackage}.${rel.split('/').join('.')}`;
}

/** A TS import specifier from one module to another (`../models/user-model-3.js`). */
export function tsSpecifier(from: Module, to: Module): string {
  const rel = posix.relative(posix.dirname(from.path), to.path).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function planModules(counts: { ts: number; python: number }, comps: Component[], prng: Prng): Module[] {
  const modules: Module[] = [];
  for (const language of ['ts', 'python'] as const) {
    const mine = comps.filter((c) => c.language === language);
    const areas = language === 'ts' ? TS_AREAS : PY_AREAS;
    const perComponent = splitEvenly(language === 'ts' ? counts.ts : counts.python, mine.length);
    for (const [ci, component] of mine.entries()) {
      for (let k = 0; k < perComponent[ci]; k++) {
        const id = modules.length;
        const special = component.shared && k === 0 ? (language === 'ts' ? 'ts-env' : 'py-env') : null;
        const isTest = special === null && !component.shared && k > 0 && prng.chance(0.06);
        const area = special ? (language === 'ts' ? 'config' : 'core') : prng.pick(Object.keys(areas));
        const noun = special ? 'env' : prng.pick(NOUNS);
        const suffix = special ? 'config' : areas[area];
        let path = modulePath(component, area, noun, suffix, id, isTest);
        if (special === 'ts-env') path = `${component.sourceRoot}/config/env.ts`;
        if (special === 'py-env') path = `${component.sourceRoot}/isolated_env.py`;
        modules.push({
          id,
          language,
          component,
          area,
          noun,
          suffix,
          path,
          isTest,
          special,
          secretForm: null,
          secretNames: [],
          jwt: false,
          imports: [],
          lines: prng.int(100, 360),
          seed: prng.int(1, 0x7fffffff),
        });
      }
    }
  }
  return modules;
}

function planFeatures(modules: Module[], prng: Prng): void {
  const plain = modules.filter((m) => !m.isTest && m.special === null);
  const code = modules.length;
  const secretTarget = Math.max(Math.round(code * 0.05), 4);
  const jwtTarget = Math.max(Math.round(code * 0.03), 2);
  const readers = prng.shuffle(plain).slice(0, Math.max(0, secretTarget - 2));
  const counters = { ts: 0, python: 0 };
  for (const m of [...readers].sort((a, b) => a.id - b.id)) {
    const forms = m.language === 'ts' ? TS_SECRET_FORMS : PY_SECRET_FORMS;
    m.secretForm = forms[counters[m.language]++ % forms.length];
    const first = prng.pick(JWT_SECRET_NAMES);
    const second = prng.pick(JWT_SECRET_NAMES.filter((n) => n !== first));
    m.secretNames = [first, second];
  }
  for (const m of modules) {
    if (m.special === 'ts-env') {
      m.secretForm = 'fallback-??';
      m.secretNames = ['JWT_SECRET', 'AUTH_JWT_SECRET'];
    } else if (m.special === 'py-env') {
      m.secretForm = 'or-chain';
      m.secretNames = ['JWT_SECRET_KEY', 'JWT_SECRET'];
    }
  }
  for (const m of prng.shuffle(plain).slice(0, jwtTarget)) m.jwt = true;
}

function planImports(modules: Module[], prng: Prng): void {
  const importable = (m: Module): boolean => !m.isTest && m.special === null;
  const byComponent = new Map<Component, Module[]>();
  const sharedOf = new Map<CodeLanguage, Module[]>();
  const servicesOf = new Map<CodeLanguage, Module[]>();
  for (const m of modules) {
    if (!importable(m)) continue;
    const list = byComponent.get(m.component) ?? [];
    list.push(m);
    byComponent.set(m.component, list);
    const bucket = m.component.shared ? sharedOf : servicesOf;
    const same = bucket.get(m.language) ?? [];
    same.push(m);
    bucket.set(m.language, same);
  }
  for (const m of modules) {
    const siblings = (byComponent.get(m.component) ?? []).filter((s) => s !== m);
    const shared = m.component.shared ? [] : (sharedOf.get(m.language) ?? []);
    const targets = new Map<Module, boolean>();
    if (m.isTest && siblings.length > 0) targets.set(prng.pick(siblings), false);
    for (let i = prng.int(1, 5); i > 0 && siblings.length > 0; i--) targets.set(prng.pick(siblings), false);
    for (let i = prng.int(0, 2); i > 0 && shared.length > 0; i--) targets.set(prng.pick(shared), false);
    if (!m.component.shared && !m.isTest && prng.chance(0.02)) {
      const others = (servicesOf.get(m.language) ?? []).filter((s) => s.component !== m.component);
      if (others.length > 0) targets.set(prng.pick(others), true);
    }
    m.imports = [...targets.entries()]
      .sort((a, b) => a[0].id - b[0].id)
      .map(([target, cross]) => ({ target, cross, withClass: prng.chance(0.4), fn: prng.int(0, 2) }));
  }
}

function planDeploy(count: number, comps: Component[], prng: Prng): DeployFile[] {
  const services = comps.filter((c) => !c.shared);
  const out: DeployFile[] = [];
  const add = (kind: DeployKind, path: string, service: Component | null): void => {
    out.push({ kind, path, service, index: out.length, seed: prng.int(1, 0x7fffffff) });
  };
  add('manifest', 'package.json', null);
  add('manifest', 'shared/package.json', null);
  for (const s of services) add('manifest', s.language === 'ts' ? `${s.root}/package.json` : `${s.root}/pyproject.toml`, s);
  const rotation: DeployKind[] = ['dotenv', 'k8s', 'compose', 'dockerfile', 'k8s', 'dotenv', 'k8s', 'compose'];
  const envs = ['development', 'staging', 'production', 'preview', 'local'];
  for (let i = 0; out.length < count; i++) {
    const kind = rotation[i % rotation.length];
    const service = services[i % services.length];
    const round = Math.floor(i / services.length);
    if (kind === 'dotenv') {
      const env = envs[round % envs.length];
      const tail = round < envs.length ? '' : `-${round}`;
      add(kind, `${service.root}/.env.${env}${tail}`, service);
    } else if (kind === 'k8s') {
      add(kind, `deploy/k8s/${service.name}/${service.name}-${prng.pick(['deployment', 'cronjob', 'job'])}-${i}.yaml`, service);
    } else if (kind === 'compose') {
      add(kind, `deploy/compose/docker-compose.${envs[round % envs.length]}-${i}.yml`, null);
    } else {
      add(kind, round === 0 ? `${service.root}/Dockerfile` : `${service.root}/Dockerfile.worker-${i}`, service);
    }
  }
  return out;
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The names a module exports: a class, three functions of `(value, label)`, and a limit constant. */
export function exportNames(m: Module): { cls: string; fns: [string, string, string]; limit: string } {
  const noun = capital(m.noun);
  const cls = `${noun}${capital(m.suffix)}${m.id}`;
  if (m.language === 'ts') {
    return { cls, fns: [`build${noun}${m.id}`, `normalize${noun}${m.id}`, `score${noun}${m.id}`], limit: `${m.noun.toUpperCase()}_${m.id}_LIMIT` };
  }
  return { cls, fns: [`build_${m.noun}_${m.id}`, `normalize_${m.noun}_${m.id}`, `score_${m.noun}_${m.id}`], limit: `${m.noun.toUpperCase()}_${m.id}_LIMIT` };
}

/** Plans a corpus of exactly `files` files; the same (files, seed) always gives the same plan. */
export function planCorpus(files: number, seed: number): CorpusPlan {
  if (!Number.isInteger(files) || files < MIN_FILES) throw new Error(`--files must be an integer ≥ ${MIN_FILES}`);
  const prng = new Prng(seed);
  const counts = corpusCounts(files);
  const comps = components();
  const modules = planModules(counts, comps, prng);
  planFeatures(modules, prng);
  planImports(modules, prng);
  const deploy = planDeploy(counts.deploy, comps, prng);
  return { files, seed, components: comps, modules, deploy };
}
