// Service detection: a service is what the repository deploys (compose, Dockerfiles, Cloud Build/Run, an app with a server entry); workspace packages are libraries; tooling is neither.
import { parse as parseToml } from 'smol-toml';
import type { ParsedConfig } from '../config/schema.js';
import { compareText } from '../util/order.js';
import type { DeployUnitFact, FileFacts } from '../extract/facts.js';
import { baseName, buildIndex, childPath, dirOf, isWithin, joinPath, type RepoIndex } from './resolve-index.js';
import type { Service } from '../vocabulary.js';

export interface ServiceInput {
  /** Every file seen (not ignored), repo-relative posix. */
  paths: string[];
  facts: FileFacts[];
  /** Reads a repo-relative file (package.json, tsconfig*.json, pnpm-workspace.yaml); undefined when unreadable. */
  readFile: (path: string) => string | undefined;
  config: Pick<ParsedConfig, 'services' | 'shared'>;
}

/** A folder left out of the services, and why (shown by `init` and `--debug`). */
interface ExcludedFolder {
  folder: string;
  reason: string;
}

export interface ServiceDetection {
  services: Service[];
  excluded: ExcludedFolder[];
  /** Folders that are tooling, tests or docs: their code belongs to no service even below a root service. */
  tooling: string[];
}

/** Folder names that hold tooling, tests, docs, examples or infrastructure, never a deployed service. */
const TOOLING =
  /^(scripts?|tools?|tooling|bin|hack|dev|utilities|docs?|documentation|site|website-docs|examples?|samples?|demos?|playground|sandbox|tests?|testing|__tests__|test[-_].*|.*[-_]tests?|e2e|e2e[-_].*|.*[-_]e2e|integration[-_]tests?|qa|cypress|playwright|fixtures?|mocks?|stubs?|benchmarks?|bench|perf|load[-_]?tests?|evals?|evaluation|logs?|reports?|backups|.*[-_]backups|.*[-_]tools?|archive[sd]?|deprecated|legacy|old|migrations?|alembic|dockerfiles?|docker|deploy|deployment|deployments|infra|infrastructure|terraform.*|k8s|kubernetes|helm|charts?|ops|devops|ci|\.github|\.gitlab|\.circleci|specs?|storybook|stories|coverage|tmp|temp|vendor|config|configs|configuration|settings-templates|third[-_]?party|templates?|cookiecutter.*|boilerplate|plugin[-_]boilerplate|changelogs?|locales?|i18n|translations|assets|static|public|notebooks?)$/i;

/** Top-level folders that group several units. */
const CONTAINERS = new Set(['apps', 'services', 'packages', 'libs', 'libraries', 'modules', 'microservices', 'servers', 'workers', 'pods']);

/** Containers of libraries: a unit there is a service only when something deploys it. */
const LIB_CONTAINERS = new Set(['packages', 'libs', 'libraries', 'modules']);

/** Containers of deployable apps: a package there with a start script is a service. */
const APP_CONTAINERS = new Set(['apps', 'services', 'microservices', 'servers', 'workers', 'pods']);

/** Words in a Python project folder's name that say it is a service (`auth_service`, `netra_backend`, `api`). */
const SERVICE_WORDS = new Set(['service', 'services', 'svc', 'api', 'server', 'backend', 'gateway', 'worker', 'web', 'app', 'bot', 'consumer', 'daemon']);

/** Python project files (a folder with one is a project of its own). */
const PYTHON_PROJECT_FILES = ['pyproject.toml', 'requirements.txt', 'setup.py', 'setup.cfg', 'Pipfile'];

/** Folder names of shared code. */
const SHARED_NAMES = new Set(['shared', 'common', 'commons', 'libs', 'lib', 'libraries', 'packages', 'utils', 'pkg', 'core-lib', 'shared-lib']);

/** Files that mark a folder as a project of its own. */
const PROJECT_FILES = ['package.json', 'pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'Pipfile', 'manage.py', 'Dockerfile'];

/** Dependencies that make a package.json an app that serves requests. */
const SERVER_DEPS = [
  'express',
  'fastify',
  'koa',
  '@nestjs/core',
  'next',
  'nuxt',
  'hono',
  '@hapi/hapi',
  'socket.io',
  'ws',
  '@remix-run/serve',
  '@sveltejs/kit',
  'astro',
  'restify',
  '@hocuspocus/server',
];

interface PackageJson {
  name?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
  main?: unknown;
  module?: unknown;
  exports?: unknown;
  types?: unknown;
  typings?: unknown;
  bin?: unknown;
  private?: unknown;
}

interface Candidate {
  folder: string;
  kind: 'service' | 'shared';
  evidence: string[];
  aliases: Set<string>;
  /** Whether the evidence is a deployment (strongest) rather than code or a manifest. */
  deployed: boolean;
  /** Declared as a project of its own (Nest/Nx project) even without a manifest in its folder. */
  own?: boolean;
}

/** Whether a folder (or one of its segments below `within`) is tooling by name. */
function toolingSegment(folder: string, within = ''): string | null {
  const rest = within === '' ? folder : folder.slice(within.length + 1);
  if (rest === '') return null;
  const segments = rest.split('/');
  for (const [i, segment] of segments.entries()) {
    // An app's own name under apps/ or services/ (`services/reports`, `apps/docs`) is a product, not tooling.
    const appName = within === '' && i === 1 && APP_CONTAINERS.has(segments[0] ?? '');
    if (!appName && (TOOLING.test(segment) || segment.startsWith('.'))) return segment;
  }
  return null;
}

function parseJson(text: string | undefined): PackageJson | null {
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function hasKeys(record: Record<string, unknown> | undefined, keys: string[]): string | null {
  if (!record || typeof record !== 'object') return null;
  for (const key of keys) if (key in record) return key;
  return null;
}

/**
 * The nearest folder at or above `dir` that holds a project file, below the root; else the top unit
 * folder (`apps/api`, `netra_backend`). The root itself only for files at the root: a root manifest
 * makes the root a service only through its own evidence.
 */
function projectFolder(index: RepoIndex, dir: string): string {
  let current = dir;
  while (current !== '') {
    if (PROJECT_FILES.some((f) => index.files.has(childPath(current, f)))) return current;
    current = dirOf(current);
  }
  return topUnit(dir);
}

/** `apps/api/src/x` → `apps/api`; `netra_backend/app` → `netra_backend`; the root stays the root. */
function topUnit(dir: string): string {
  const parts = dir.split('/').filter((p) => p !== '');
  if (parts.length === 0) return '';
  if (CONTAINERS.has(parts[0]) && parts.length > 1) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

/** The console scripts a folder's manifests declare (`[project.scripts]`, package.json `bin`). */
function declaredCommands(folder: string, readFile: (path: string) => string | undefined): string[] {
  const out: string[] = [];
  const pkg = parseJson(readFile(childPath(folder, 'package.json')));
  if (typeof pkg?.bin === 'string' && typeof pkg.name === 'string') out.push(pkg.name.split('/').pop() ?? pkg.name);
  else out.push(...Object.keys(objectOf(pkg?.bin)));
  const text = readFile(childPath(folder, 'pyproject.toml'));
  if (text !== undefined) {
    try {
      const toml = parseToml(text) as Record<string, unknown>;
      out.push(...Object.keys(objectOf(objectOf(toml.project).scripts)), ...Object.keys(objectOf(objectOf(objectOf(toml.tool).poetry).scripts)));
    } catch {
      // an unreadable pyproject declares nothing
    }
  }
  return out;
}

/** Whether an image only runs a command-line tool its folder declares (`ENTRYPOINT ["zen"]`): a tool, not a service. */
function runsDeclaredCli(folder: string, dockerfile: DeployUnitFact | null, readFile: (path: string) => string | undefined): string | null {
  const first = entryWords(dockerfile?.entry ?? [])[0];
  if (first === undefined) return null;
  return declaredCommands(folder, readFile).includes(baseName(first)) ? first : null;
}

/**
 * A unit whose context does not exist as written relative to its deploy file (a `${PROJECT_DIR}/api`
 * prefix) is re-anchored at the nearest folder above the deploy file where it does exist.
 */
function withExistingContext(index: RepoIndex, unit: DeployUnitFact, fileDir: string): DeployUnitFact {
  if (unit.context === null || index.dirs.has(unit.context) || fileDir === '' || !unit.context.startsWith(`${fileDir}/`)) return unit;
  const rel = unit.context.slice(fileDir.length + 1);
  for (let base = dirOf(fileDir); ; base = dirOf(base)) {
    const context = childPath(base, rel);
    if (index.dirs.has(context)) {
      const dockerfile = unit.dockerfile?.startsWith(`${unit.context}/`) ? childPath(context, unit.dockerfile.slice(unit.context.length + 1)) : unit.dockerfile;
      return { ...unit, context, dockerfile };
    }
    if (base === '') return unit;
  }
}

const codeFolders = new WeakMap<RepoIndex, Set<string>>();

/** Whether a folder holds Python or JS/TS code at any depth: one pass over the files per index, then a set look-up. */
function hasCode(index: RepoIndex, folder: string): boolean {
  let folders = codeFolders.get(index);
  if (!folders) {
    folders = new Set<string>();
    for (const p of index.files) {
      if (!/\.(py|[cm]?[jt]sx?)$/.test(p)) continue;
      for (let dir = dirOf(p); dir !== '' && !folders.has(dir); dir = dirOf(dir)) folders.add(dir);
    }
    codeFolders.set(index, folders);
  }
  return folders.has(folder);
}

/** A `gcloud run deploy --source` folder: deployed as it is, when it holds code. */
function sourceFolder(index: RepoIndex, folder: string): { folder: string; why: string } | null {
  return folder !== '' && index.dirs.has(folder) && hasCode(index, folder) ? { folder, why: 'it is the deployed source folder' } : null;
}

/** Words of a CMD/ENTRYPOINT, shell strings split, flags and interpreters left in. */
function entryWords(entry: string[]): string[] {
  return entry.flatMap((word) => word.split(/\s+/)).filter((w) => w.length > 0);
}

/**
 * The folder a Dockerfile deploys, from its CMD/ENTRYPOINT module (`uvicorn netra_backend.app.main:app`,
 * `python -m api.main`, `node apps/api/dist/main.js`), else its only COPY of a code folder that is
 * neither shared nor tooling, else the build context when the whole context is copied.
 */
/** A compose `command:` that only builds front-end assets and exits. */
const BUILD_ONLY = /^(?:(?:npm|pnpm|yarn|bun)(?: run)? build(?::[\w-]+)?|npx (?:vite|next|ng|webpack) build|(?:vite|next|ng|webpack) build)(?:\s|$)/;

/** A project manifest copied from the root of a build context. */
const MANIFEST_SOURCE =
  /^(package[*]?\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock|pyproject\.toml|poetry\.lock|requirements[\w.-]*\.txt|Pipfile|setup\.py|uv\.lock)$/;

function deployedFolder(index: RepoIndex, dockerfilePath: string, dockerfile: DeployUnitFact | null, context: string): { folder: string; why: string } | null {
  if (!index.files.has(dockerfilePath)) return null;
  const inContext = (rel: string): string | null => {
    const joined = joinPath(context, rel.replace(/^\.\//, '').replace(/\/+$/, ''));
    return joined;
  };
  if (dockerfile) {
    for (const word of entryWords(dockerfile.entry ?? [])) {
      const module = /^([A-Za-z_][\w]*)(?:\.[\w.]+)?:[\w.]+$/.exec(word) ?? /^([A-Za-z_][\w]*)\.[\w.]+$/.exec(word);
      const path = /^(?:\.\/)?([\w.-]+(?:\/[\w.-]+)+)\.(?:py|js|mjs|cjs|ts)$/.exec(word);
      const first = module?.[1] ?? path?.[1].split('/')[0] ?? null;
      if (first === null || (first === 'app' && module !== null && !index.dirs.has(childPath(context, 'app')))) continue;
      const moduleFolder = inContext(path ? topUnit(dirOf(path[1])) : first);
      if (moduleFolder === null || moduleFolder === context || !index.dirs.has(moduleFolder)) continue;
      if (toolingSegment(moduleFolder, context) || SHARED_NAMES.has(baseName(moduleFolder))) continue;
      // `auth_service.wsgi` inside a Django project: the project (with manage.py) is what is deployed.
      const project = context !== '' && PROJECT_FILES.some((f) => f !== 'Dockerfile' && index.files.has(childPath(context, f))) ? context : moduleFolder;
      return { folder: project, why: `its command runs ${word}` };
    }
    const copied: string[] = [];
    let copiesAll = false;
    for (const source of dockerfile.copies ?? []) {
      if (source === '.' || source === './') copiesAll = true;
      const folder = inContext(source);
      if (folder === null || folder === context || !index.dirs.has(folder)) continue;
      if (toolingSegment(folder, context) || SHARED_NAMES.has(baseName(folder))) continue;
      if (!copied.includes(folder)) copied.push(folder);
    }
    // A build that copies the context's own manifest (`COPY package*.json ./`, `COPY pyproject.toml .`) builds that project: `COPY src ./src` is its source, not a unit of its own.
    const manifest = (dockerfile.copies ?? []).find((source) => MANIFEST_SOURCE.test(source.replace(/^\.\//, '')));
    if (context !== '' && manifest !== undefined && PROJECT_FILES.some((f) => f !== 'Dockerfile' && index.files.has(childPath(context, f)))) {
      return { folder: context, why: `it builds the project at its context (copies ${manifest.replace(/^\.\//, '')})` };
    }
    const code = copied.filter((f) => hasCode(index, f));
    if (code.length === 1) return { folder: code[0], why: `it copies ${code[0]}/` };
    const own = code.find((f) => isWithin(dirOf(dockerfilePath), f));
    if (own !== undefined) return { folder: own, why: `it copies ${own}/, the folder it lives in` };
    if (copiesAll && context !== '') return { folder: context, why: 'it copies its whole build context' };
    const home = dirOf(dockerfilePath);
    if (home !== '' && !toolingSegment(home) && PROJECT_FILES.some((f) => f !== 'Dockerfile' && index.files.has(childPath(home, f)))) {
      return { folder: home, why: 'it builds the project it lives in' };
    }
  } else if (context !== '') {
    return { folder: context, why: 'it is the build context' };
  }
  return null;
}

/**
 * Detects services and libraries. Configured services and libraries win outright. Otherwise a
 * service is a folder something deploys (a compose service's build, a `docker build`/kaniko step,
 * `gcloud run deploy --source`, a Dockerfile's command or copied folder), or an app whose code starts
 * a server (a server entry, or a package.json with a start script and a server dependency, or
 * `manage.py`). Tooling folders (scripts, tests, docs, examples, infrastructure, …) are never
 * services. Workspace packages, tsconfig path targets and shared-named folders are libraries.
 */
export function detectServices(input: ServiceInput): ServiceDetection {
  const configured = configuredServices(input.config);
  if (configured.length > 0) return { services: configured, excluded: [], tooling: [] };

  const index = buildIndex(input.paths);
  const cliFolders = new Set<string>();
  const serverFolders = new Set<string>();
  for (const f of input.facts) {
    for (const entry of f.serverEntries ?? []) (entry.framework === 'cli' ? cliFolders : serverFolders).add(projectFolder(index, dirOf(f.path)));
  }
  const candidates = new Map<string, Candidate>();
  const excluded = new Map<string, string>();
  const candidate = (folder: string, kind: Candidate['kind'], evidence: string, deployed: boolean, alias?: string | null): void => {
    if (cliFolders.has(folder) && kind === 'service' && !deployed && !serverFolders.has(folder)) {
      if (!excluded.has(folder)) excluded.set(folder, `${evidence}, but its entry is a command-line tool`);
      return;
    }
    const tooling = toolingSegment(folder);
    if (tooling !== null) {
      if (!excluded.has(folder)) excluded.set(folder, `${evidence}, but ${tooling}/ is tooling, tests or docs`);
      return;
    }
    const top = folder.split('/')[0] ?? '';
    if (kind === 'service' && !deployed && LIB_CONTAINERS.has(top) && folder.includes('/')) {
      kind = 'shared';
      evidence = `${evidence}; a package under ${top}/ is a library unless something deploys it`;
    }
    let c = candidates.get(folder);
    if (!c) {
      c = { folder, kind, evidence: [], aliases: new Set(), deployed: false };
      candidates.set(folder, c);
    }
    if (kind === 'service') c.kind = 'service';
    if (!c.evidence.includes(evidence)) c.evidence.push(evidence);
    if (alias) c.aliases.add(alias);
    c.deployed ||= deployed;
  };

  // 1. What deployment files build and run.
  const dockerfiles = new Map<string, DeployUnitFact>();
  const units: { unit: DeployUnitFact; file: string }[] = [];
  for (const f of input.facts) {
    for (const unit of f.deployUnits ?? []) {
      if (unit.kind === 'dockerfile') dockerfiles.set(f.path, unit);
      else units.push({ unit, file: f.path });
    }
  }
  const usedDockerfiles = new Set<string>();
  for (const { unit: raw, file } of units) {
    const unit = withExistingContext(index, raw, dirOf(file));
    if (unit.context === null) continue;
    const dockerfilePath = unit.dockerfile ?? childPath(unit.context, 'Dockerfile');
    usedDockerfiles.add(dockerfilePath);
    const deployed =
      unit.kind === 'cloudrun'
        ? sourceFolder(index, unit.context)
        : deployedFolder(index, dockerfilePath, dockerfiles.get(dockerfilePath) ?? null, unit.context);
    const what =
      unit.kind === 'compose'
        ? `compose service ${unit.name ?? '?'} in ${file}`
        : unit.kind === 'cloudrun'
          ? `Cloud Run service ${unit.name ?? '?'} in ${file}`
          : `the image build in ${file}`;
    const cli = deployed ? runsDeclaredCli(deployed.folder, dockerfiles.get(dockerfilePath) ?? null, input.readFile) : null;
    if (deployed && unit.command && BUILD_ONLY.test(unit.command.join(' '))) {
      excluded.set(deployed.folder, `${what} only runs \`${unit.command.join(' ')}\` in it: a build step that makes static assets, not a running service`);
    } else if (deployed && !hasCode(index, deployed.folder)) {
      excluded.set(deployed.folder, `${what} builds it, but it holds no code jwtfrag reads (an infrastructure image)`);
    } else if (deployed && cli !== null) {
      excluded.set(deployed.folder, `${what} builds an image that runs its command-line tool ${cli}`);
    } else if (deployed) {
      candidate(
        deployed.folder,
        'service',
        `${what} deploys it (${dockerfilePath === unit.dockerfile ? `${dockerfilePath}: ${deployed.why}` : deployed.why})`,
        true,
        unit.name,
      );
      const c = candidates.get(deployed.folder);
      c?.aliases.add(dockerfilePath);
    } else if (unit.context !== '') {
      excluded.set(unit.context, `${what} builds it, but no code folder could be told from its Dockerfile`);
    }
  }
  for (const [path, unit] of dockerfiles) {
    if (usedDockerfiles.has(path)) continue;
    const dir = dirOf(path);
    const deployed = deployedFolder(index, path, unit, dir);
    const cli = deployed ? runsDeclaredCli(deployed.folder, unit, input.readFile) : null;
    if (deployed && !hasCode(index, deployed.folder)) {
      excluded.set(deployed.folder, `${path} builds it, but it holds no code jwtfrag reads (an infrastructure image)`);
    } else if (deployed && cli !== null) {
      excluded.set(deployed.folder, `${path} builds an image that runs its command-line tool ${cli}`);
      cliFolders.add(deployed.folder);
    } else if (deployed) {
      candidate(deployed.folder, 'service', `${path} deploys it (${deployed.why})`, true, stemOf(path));
      candidates.get(deployed.folder)?.aliases.add(path);
    }
  }

  // Nest CLI monorepos (`nest-cli.json` projects) and Nx (`project.json`) declare applications and libraries.
  for (const project of declaredProjects(index, input.readFile)) {
    candidate(project.folder, project.kind, project.evidence, false, project.name);
    const c = candidates.get(project.folder);
    if (c) c.own = true;
  }

  // 2. Code that starts a server or worker.
  for (const f of input.facts) {
    const entry = f.serverEntries?.find((e) => e.framework !== 'cli');
    if (!entry) continue;
    candidate(projectFolder(index, dirOf(f.path)), 'service', `${f.path}:${entry.loc.line} starts a ${entry.framework} app`, false);
  }
  for (const f of input.facts) {
    const endpoint = f.wsEndpoints[0];
    if (endpoint)
      candidate(projectFolder(index, dirOf(f.path)), 'service', `${f.path}:${endpoint.loc.line} serves a ${endpoint.framework} WebSocket endpoint`, false);
  }
  for (const path of index.files) {
    if (baseName(path) === 'manage.py') candidate(dirOf(path), 'service', `${path} runs a Django project`, false);
  }
  // Python projects named like a service (`auth_service/pyproject.toml`, `netra_backend/requirements.txt`).
  for (const dir of index.dirs) {
    const depth = dir.split('/').length;
    if (dir === '' || depth > 2 || (depth === 2 && !CONTAINERS.has(dir.split('/')[0]))) continue;
    const marker = PYTHON_PROJECT_FILES.find((f) => index.files.has(childPath(dir, f)));
    if (!marker) continue;
    const words = baseName(dir)
      .toLowerCase()
      .split(/[^a-z0-9]+/);
    const word = words.find((w) => SERVICE_WORDS.has(w));
    if (word) candidate(dir, 'service', `it is named like a service (${word}) and has ${marker}`, false);
  }

  // 3. package.json manifests: apps (a start script and a server dependency) and libraries.
  const manifests = [...index.files].filter((p) => baseName(p) === 'package.json').sort();
  for (const path of manifests) {
    const dir = dirOf(path);
    const pkg = parseJson(input.readFile(path));
    if (!pkg) continue;
    const deps = { ...(pkg.devDependencies ?? {}), ...(pkg.dependencies ?? {}) };
    const start = hasKeys(pkg.scripts, ['start', 'start:prod', 'serve']);
    const server = hasKeys(deps, SERVER_DEPS);
    const name = typeof pkg.name === 'string' ? pkg.name : null;
    const parts = dir.split('/');
    const inAppContainer = parts.length === 2 && APP_CONTAINERS.has(parts[0]);
    if (hasKeys(deps, ['electron'])) {
      if (dir !== '') excluded.set(dir, `${path} is an Electron desktop app, not a deployed service`);
    } else if (start && server) candidate(dir, 'service', `${path} has a ${start} script and depends on ${server}`, false, name);
    else if (start && inAppContainer) candidate(dir, 'service', `${path} is an app under ${parts[0]}/ with a ${start} script`, false, name);
    else if (dir !== '' && name !== null && !candidates.has(dir)) candidate(dir, 'shared', `${path} is package ${name}`, false, name);
  }

  // 4. tsconfig path targets (`@org/lib/*` → `libs/lib/src/*`) and shared-named folders are libraries.
  for (const folder of pathAliasFolders(index, input.readFile)) {
    if (!candidates.has(folder)) candidate(folder, 'shared', `a tsconfig path alias points into it`, false);
  }
  for (const dir of index.dirs) {
    if (dir === '' || dir.includes('/')) continue;
    if (SHARED_NAMES.has(dir) && !CONTAINERS.has(dir) && !candidates.has(dir)) candidate(dir, 'shared', 'its name marks shared code', false);
  }

  // A library is a unit no deployment or server entry claims; a folder inside a service is part of it.
  const list = [...candidates.values()].sort((a, b) => a.folder.length - b.folder.length || compareText(a.folder, b.folder));
  const kept: Candidate[] = [];
  for (const c of list) {
    const outer = kept.find((k) => k.kind === 'service' && k.folder !== '' && isWithin(c.folder, k.folder));
    if (outer && !c.deployed) {
      for (const a of c.aliases) outer.aliases.add(a);
      continue;
    }
    kept.push(c);
  }
  // A root service is a single-app repository: it takes in the folders that are only its code (no
  // manifest or deployment of their own); when other units stand on their own, the root is not a service.
  const root = kept.find((k) => k.folder === '' && k.kind === 'service');
  if (root) {
    const ownsItself = (c: Candidate): boolean => c.deployed || c.own === true || PROJECT_FILES.some((f) => index.files.has(childPath(c.folder, f)));
    const inner = kept.filter((c) => c !== root && !ownsItself(c));
    const standalone = kept.filter((c) => c !== root && c.kind === 'service' && ownsItself(c));
    if (standalone.length > 0) {
      kept.splice(kept.indexOf(root), 1);
      excluded.set('', `${root.evidence[0] ?? 'the root manifest'}, but ${standalone.length} other unit(s) deploy on their own`);
    } else {
      for (const c of inner) {
        kept.splice(kept.indexOf(c), 1);
        for (const e of c.evidence) if (!root.evidence.includes(e)) root.evidence.push(e);
      }
    }
  }
  const services = name(kept, input.readFile);
  declaredDependencies(services, input.readFile);
  // A unit that starts a server but is bundled by a deployed unit (its declared dependency) is a library.
  const deployedNames = new Set(services.filter((s) => kept.some((k) => k.deployed && s.roots[0] === k.folder)).map((s) => s.name));
  for (const service of services) {
    if (service.kind !== 'service' || deployedNames.has(service.name)) continue;
    const bundler = services.find((s) => deployedNames.has(s.name) && (s.dependsOn ?? []).includes(service.name));
    if (!bundler) continue;
    service.kind = 'shared';
    service.evidence = [`${bundler.name}, which is deployed, depends on it`, ...(service.evidence ?? [])];
    service.detectedBy = service.evidence[0];
  }
  const tooling = toolingFolders(index);
  for (const folder of tooling)
    if (!excluded.has(folder) && services.some((s) => s.roots.some((r) => isWithin(folder, r))))
      excluded.set(folder, 'tooling, tests or docs: never a service');
  // A folder one build could not be tied to is still a service when other evidence made it one.
  for (const service of services) if (service.kind === 'service') for (const root of service.roots) excluded.delete(root);
  return {
    services,
    excluded: [...excluded].map(([folder, reason]) => ({ folder, reason })).sort((a, b) => compareText(a.folder, b.folder)),
    tooling,
  };
}

/** Applications and libraries declared by `nest-cli.json` (`projects.*.type/root`) and Nx `project.json` (`projectType`). */
function declaredProjects(
  index: RepoIndex,
  readFile: (path: string) => string | undefined,
): { folder: string; kind: 'service' | 'shared'; name: string; evidence: string }[] {
  const out: { folder: string; kind: 'service' | 'shared'; name: string; evidence: string }[] = [];
  for (const path of index.files) {
    const file = baseName(path);
    if (file !== 'nest-cli.json' && file !== 'project.json') continue;
    const json = objectOf(parseJson(readFile(path)));
    if (file === 'nest-cli.json') {
      for (const [name, value] of Object.entries(objectOf(json.projects))) {
        const project = objectOf(value);
        const root = typeof project.root === 'string' ? joinPath(dirOf(path), project.root) : null;
        if (root === null || root === '' || !index.dirs.has(root)) continue;
        const kind = project.type === 'application' ? 'service' : 'shared';
        out.push({ folder: root, kind, name, evidence: `${path} declares ${kind === 'service' ? 'application' : 'library'} ${name}` });
      }
    } else if (json.projectType === 'application' || json.projectType === 'library') {
      const folder = dirOf(path);
      if (folder === '') continue;
      const name = typeof json.name === 'string' ? json.name : baseName(folder);
      const kind = json.projectType === 'application' ? 'service' : 'shared';
      out.push({ folder, kind, name, evidence: `${path} declares Nx ${json.projectType} ${name}` });
    }
  }
  return out;
}

function stemOf(dockerfile: string): string | null {
  const name = baseName(dockerfile);
  return /^Dockerfile\.(.+)$/i.exec(name)?.[1] ?? /^(.+?)(?:\.[\w-]+)?\.dockerfile$/i.exec(name)?.[1] ?? null;
}

/** Top-level and container-level folders that are tooling by name. */
function toolingFolders(index: RepoIndex): string[] {
  const out: string[] = [];
  for (const dir of index.dirs) {
    const parts = dir.split('/');
    if (parts.length === 1 && (TOOLING.test(dir) || dir.startsWith('.'))) out.push(dir);
    else if (parts.length === 2 && CONTAINERS.has(parts[0]) && !APP_CONTAINERS.has(parts[0]) && TOOLING.test(parts[1])) out.push(dir);
  }
  return out.sort(compareText);
}

/** Folders that tsconfig `paths` aliases point into (`libs/auth/src/*` → `libs/auth`). */
function pathAliasFolders(index: RepoIndex, readFile: (path: string) => string | undefined): string[] {
  const folders = new Set<string>();
  for (const path of index.files) {
    if (!/^tsconfig[\w.-]*\.json$/.test(baseName(path)) || path.includes('/node_modules/')) continue;
    const text = readFile(path);
    if (text === undefined || !text.includes('"paths"')) continue;
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
    } catch {
      continue;
    }
    const options = (json as { compilerOptions?: { paths?: unknown; baseUrl?: unknown } }).compilerOptions;
    const paths = options?.paths;
    if (!paths || typeof paths !== 'object') continue;
    const base = joinPath(dirOf(path), typeof options.baseUrl === 'string' ? options.baseUrl : '.') ?? '';
    for (const targets of Object.values(paths as Record<string, unknown>)) {
      for (const target of Array.isArray(targets) ? targets : []) {
        if (typeof target !== 'string') continue;
        const resolved = joinPath(base, target.replace(/\*.*$/, '').replace(/\/$/, ''));
        if (resolved === null || resolved === '') continue;
        const srcAt = resolved.split('/').indexOf('src');
        const folder = srcAt > 0 ? resolved.split('/').slice(0, srcAt).join('/') : index.dirs.has(resolved) ? resolved : dirOf(resolved);
        if (folder !== '' && index.dirs.has(folder) && !toolingSegment(folder)) folders.add(folder);
      }
    }
  }
  return [...folders];
}

/** What a folder's manifests declare: its package names and the packages (by name) or folders (by path) it depends on. */
interface Declared {
  names: string[];
  depNames: string[];
  depFolders: string[];
}

function normalisePyName(name: string): string {
  return name.toLowerCase().replace(/[_.]+/g, '-');
}

function objectOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function declaredBy(folder: string, readFile: (path: string) => string | undefined): Declared {
  const out: Declared = { names: [], depNames: [], depFolders: [] };
  const pkg = parseJson(readFile(childPath(folder, 'package.json')));
  if (pkg) {
    if (typeof pkg.name === 'string') out.names.push(pkg.name);
    for (const deps of [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies]) out.depNames.push(...Object.keys(objectOf(deps)));
  }
  const text = readFile(childPath(folder, 'pyproject.toml'));
  if (text !== undefined) {
    let toml: Record<string, unknown>;
    try {
      toml = parseToml(text);
    } catch {
      toml = {};
    }
    const project = objectOf(toml.project);
    const tool = objectOf(toml.tool);
    const poetry = objectOf(tool.poetry);
    for (const name of [project.name, poetry.name]) if (typeof name === 'string') out.names.push(normalisePyName(name));
    for (const dep of Array.isArray(project.dependencies) ? project.dependencies : []) {
      if (typeof dep !== 'string') continue;
      const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(dep)?.[1];
      if (name) out.depNames.push(normalisePyName(name));
      const path = /@\s*file:(?:\/\/)?(\S+)/.exec(dep)?.[1];
      if (path && !path.startsWith('/')) out.depFolders.push(joinPath(folder, path) ?? '');
    }
    const sources = [objectOf(poetry.dependencies), objectOf(objectOf(objectOf(poetry.group).dev).dependencies), objectOf(objectOf(tool.uv).sources)];
    for (const table of sources) {
      for (const [name, spec] of Object.entries(table)) {
        out.depNames.push(normalisePyName(name));
        const path = objectOf(spec).path;
        if (typeof path === 'string' && !path.startsWith('/')) out.depFolders.push(joinPath(folder, path) ?? '');
      }
    }
  }
  return out;
}

/** Per component, the other components whose package its manifests declare as a dependency. */
function declaredDependencies(services: Service[], readFile: (path: string) => string | undefined): void {
  const declared = new Map(services.map((s) => [s.name, declaredBy(s.roots[0] ?? '', readFile)]));
  const byPackage = new Map<string, string>();
  for (const [name, d] of declared) for (const pkg of d.names) if (!byPackage.has(pkg)) byPackage.set(pkg, name);
  for (const service of services) {
    const d = declared.get(service.name);
    if (!d) continue;
    const deps = new Set<string>();
    for (const dep of d.depNames) {
      const target = byPackage.get(dep);
      if (target !== undefined && target !== service.name) deps.add(target);
    }
    for (const folder of d.depFolders) {
      for (const target of services) {
        if (
          target.name !== service.name &&
          target.roots[0] !== undefined &&
          isWithin(target.roots[0], folder) &&
          !isWithin(service.roots[0] ?? '', target.roots[0])
        )
          deps.add(target.name);
      }
    }
    if (deps.size > 0) service.dependsOn = [...deps].sort(compareText);
  }
}

/** Names units after their folder (the package name's last part at the root), unique by falling back to the path. */
function name(kept: Candidate[], readFile: (path: string) => string | undefined): Service[] {
  const services: Service[] = kept.map((c) => {
    let serviceName = baseName(c.folder);
    if (c.folder === '') {
      const pkg = parseJson(readFile('package.json'));
      serviceName = typeof pkg?.name === 'string' ? (pkg.name.split('/').pop() ?? 'app') : 'app';
    }
    const aliases = [...c.aliases].filter((a) => a !== serviceName).sort(compareText);
    return {
      name: serviceName,
      kind: c.kind,
      roots: [c.folder],
      detectedBy: c.evidence[0] ?? c.kind,
      evidence: c.evidence,
      ...(aliases.length > 0 ? { aliases } : {}),
    };
  });
  const counts = new Map<string, number>();
  for (const s of services) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  for (const s of services) if ((counts.get(s.name) ?? 0) > 1) s.name = s.roots[0];
  return services.sort((a, b) => compareText(a.name, b.name));
}

function asList(globs: string | string[]): string[] {
  return typeof globs === 'string' ? [globs] : globs;
}

/** Turns a config glob such as `auth_service/**` into its folder prefix when it is a plain folder. */
function rootsOf(globs: string[]): string[] {
  return globs.map((g) => g.replace(/\/\*\*(\/\*)?$/, '').replace(/\/$/, ''));
}

function configuredServices(config: ServiceInput['config']): Service[] {
  const out: Service[] = [];
  for (const [name, globs] of Object.entries(config.services)) out.push({ name, kind: 'service', roots: rootsOf(asList(globs)), detectedBy: 'config' });
  for (const [name, globs] of Object.entries(config.shared)) out.push({ name, kind: 'shared', roots: rootsOf(asList(globs)), detectedBy: 'config' });
  return out.sort((a, b) => compareText(a.name, b.name));
}

/** A matcher for paths under tooling folders (their code belongs to no service). */
export function toolingMatcher(tooling: string[]): (path: string) => boolean {
  if (tooling.length === 0) return () => false;
  // Tooling folders are folder names, not globs: a name holding `*` or `{` stands for itself.
  return (path) => tooling.some((t) => path === t || path.startsWith(`${t}/`));
}
