// Builds the cross-file model: follows secret traces through imports and assigns reads to secret families.
import { compareText } from '../util/order.js';
import type { ResolvedFamily } from '../config/schema.js';
import type { EnvRead, ExportedValue, FallbackGroup, FileFacts, Loc, SlotWrite, ValueSource, ValueTrace } from '../extract/facts.js';
import type { Service } from '../vocabulary.js';
import { buildDeployment } from './deployment.js';
import { buildImportEdges } from './imports.js';
import { buildFamilies } from './families.js';
import { buildProvisions, loadedEnvFileProvisions } from './provision.js';
import type { ModuleResolver } from './resolve.js';
import { buildWsEndpoints, type WsModelInput } from './websocket.js';
import type { Model, ModelEnvRead, ModelFallbackGroup, ModelFile, ModelFileFacts, ModelJwtOp, ModelSecretUse, ResolvedSecret } from './types.js';

export interface ModelInput {
  services: Service[];
  files: ModelFile[];
  facts: FileFacts[];
  resolver: ModuleResolver;
  /** Families by id, `jwt` first. */
  families: [string, ResolvedFamily][];
  boundaries?: Model['boundaries'];
  /** Tooling folders: code there belongs to no service (see `detectServices`). */
  tooling?: string[];
  /** Function facts on demand, for files whose facts were extracted without them. */
  functionsOf?: WsModelInput['functionsOf'];
}

const MAX_DEPTH = 12;

/** Env names that look like a credential (a compared value must, to count as a service secret). */
const CREDENTIAL_NAME = /SECRET|KEY|TOKEN|PASSWORD|PASSWD|CREDENTIAL|SIGNATURE/i;

/** A stable string for a site: `file:line:column`. */
function siteKey(file: string, loc: Loc): string {
  return `${file}:${loc.line}:${loc.column}`;
}

function emptySecret(): ResolvedSecret {
  return { chain: [], names: [], patterns: [], literal: null, constantDerived: null, unknown: [], readSites: [] };
}

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

interface ExportIndex {
  byName: Map<string, ExportedValue>;
  stars: ExportedValue[];
}

/** The index of a file with no exports (shared: nothing is ever added to it). */
const NO_EXPORTS: ExportIndex = { byName: new Map(), stars: [] };

class TraceResolver {
  private readonly factsByPath = new Map<string, FileFacts>();
  /**
   * Each file's exports by name, and its `export * from './x'` / `from .x import *` (modules whose names
   * it passes on): indexed the first time a trace reaches the file. Indexing every file up front took
   * 11 MB at 20,000 files, most of them never reached (docs/performance.md).
   */
  private readonly exportIndex = new Map<string, ExportIndex>();

  constructor(
    facts: FileFacts[],
    private readonly resolver: ModuleResolver,
  ) {
    for (const f of facts) this.factsByPath.set(f.path, f);
  }

  /** The exports of the file at `path` by name and its star re-exports; undefined when no facts of that file are known. */
  private exportsOf(path: string): ExportIndex | undefined {
    const known = this.exportIndex.get(path);
    if (known !== undefined) return known;
    const f = this.factsByPath.get(path);
    if (f === undefined) return undefined;
    const index: ExportIndex = f.exports.length === 0 ? NO_EXPORTS : { byName: new Map(), stars: [] };
    for (const e of f.exports) {
      if (e.name === '*') index.stars.push(e);
      else if (!index.byName.has(e.name)) index.byName.set(e.name, e);
    }
    this.exportIndex.set(path, index);
    return index;
  }

  /**
   * The settings module `django.conf.settings` stands for in `file`: the one the nearest
   * `DJANGO_SETTINGS_MODULE` default above the file names (manage.py, asgi.py, wsgi.py), else the only one.
   */
  private djangoSettings(file: string): string | null {
    const declared = [...this.factsByPath.values()].filter((f) => f.djangoSettings !== undefined);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    const owners = declared
      .map((f) => ({ f, base: f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '' }))
      .filter(({ base }) => base === '' || dir === base || dir.startsWith(`${base}/`))
      .sort((a, b) => b.base.length - a.base.length);
    const owner = owners[0]?.f ?? (declared.length === 1 ? declared[0] : undefined);
    if (!owner?.djangoSettings) return null;
    return this.resolver.resolve(owner.path, owner.djangoSettings, 'python');
  }

  private readonly envObjects = new Map<string, string | null>();

  /**
   * The accessor of the env object (`process.env`) a module exports under `via.name`, following
   * re-exports, or null: `export default withFileSecrets(process.env)` makes `env.JWT_SECRET` of an
   * importer a read of `JWT_SECRET`.
   */
  envObject(file: string, via: { module: string; name: string }): string | null {
    const key = `${file}\0${via.module}\0${via.name}`;
    const known = this.envObjects.get(key);
    if (known !== undefined) return known;
    const accessorOf = (path: string, name: string): string | undefined => {
      for (const source of this.exportsOf(path)?.byName.get(name)?.value.sources ?? []) if (source.kind === 'env-object') return source.accessor;
      return undefined;
    };
    const found = this.definedIn(file, via.module, via.name, (path, name) => accessorOf(path, name) !== undefined);
    const accessor = found ? (accessorOf(found.file, found.name) ?? null) : null;
    this.envObjects.set(key, accessor);
    return accessor;
  }

  private readonly helpers = new Map<string, { store?: string } | null>();

  /** The env helper an imported function is (`export function required(name)`, `def env_str(name)`), with the name as its first parameter. */
  envHelper(file: string, via: { module: string; name: string }): { store?: string } | null {
    const key = `${file}\0${via.module}\0${via.name}`;
    const known = this.helpers.get(key);
    if (known !== undefined) return known;
    const has = (path: string, name: string): boolean => this.factsByPath.get(path)?.envHelpers?.some((h) => h.name === name && h.nameParam === 0) === true;
    const found = this.definedIn(file, via.module, via.name, has);
    const helper = found ? (this.factsByPath.get(found.file)?.envHelpers?.find((h) => h.name === found.name) ?? null) : null;
    this.helpers.set(key, helper);
    return helper;
  }

  /**
   * What an imported read really is: for a member of an imported binding, the env object's accessor;
   * for a call of an imported function, the helper; null when the import is neither.
   */
  confirm(file: string, read: EnvRead): { accessor: string; store?: string } | null {
    const via = read.viaImport;
    if (!via) return { accessor: read.accessor };
    if (via.call === true) {
      const helper = this.envHelper(file, via);
      return helper ? { accessor: `${read.accessor} via ${via.module}`, ...(helper.store !== undefined ? { store: helper.store } : {}) } : null;
    }
    const accessor = this.envObject(file, via);
    return accessor === null ? null : { accessor: `${accessor} via ${via.module}` };
  }

  /** Whether a read is one: a member of an imported binding only when the import is an env object, a call only when it calls an env helper. */
  isRead(file: string, read: EnvRead): boolean {
    return this.confirm(file, read) !== null;
  }

  /**
   * Without a `DJANGO_SETTINGS_MODULE` default in the code (it comes from the deployment), the settings
   * module that defines `name` itself: `settings.py` or a module of a `settings/` package, nearest to
   * the file first.
   */
  /** Python files named like Django settings modules (`settings.py`, `settings/*.py`), listed once. */
  private settingsModules: string[] | null = null;

  private djangoSettingsDefining(file: string, name: string): string | null {
    const shared = (a: string, b: string): number => {
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return i;
    };
    this.settingsModules ??= [...this.factsByPath.keys()].filter((p) => /(^|\/)settings(\.py|\/[^/]+\.py)$/.test(p));
    const candidates = this.settingsModules
      .filter((p) => this.exportsOf(p)?.byName.has(name) === true)
      .sort((a, b) => shared(b, file) - shared(a, file) || compareText(a, b));
    return candidates[0] ?? null;
  }

  /**
   * The file and name an imported value is defined under, following re-exports and `export *`
   * barrels from the module a file imports it from: where `has(file, name)` holds.
   */
  definedIn(file: string, module: string, name: string, has: (file: string, name: string) => boolean, depth = 0): { file: string; name: string } | null {
    const facts = this.factsByPath.get(file);
    const language = facts?.language === 'python' ? 'python' : facts?.language === 'js' ? 'js' : 'ts';
    const target = this.resolver.resolve(file, module, language);
    if (target === null || depth >= MAX_DEPTH) return null;
    if (has(target, name)) return { file: target, name };
    const exports = this.exportsOf(target);
    const exported = exports?.byName.get(name);
    const sources = exported ? exported.value.sources : (exports?.stars ?? []).flatMap((star) => star.value.sources);
    for (const source of sources) {
      if (source.kind !== 'import' || source.path.length > 0 || source.call) continue;
      const found = this.definedIn(target, source.module, exported ? source.name : name, has, depth + 1);
      if (found) return found;
    }
    return null;
  }

  resolve(file: string, trace: ValueTrace): ResolvedSecret {
    const out = emptySecret();
    this.into(out, file, trace, 0, new Set());
    return out;
  }

  /**
   * Adds what a trace resolves to. `rest` is an attribute path still to apply: a re-exported
   * `authConfig` reached through `authConfig.secret` passes `['secret']` on to the next hop.
   */
  private into(out: ResolvedSecret, file: string, trace: ValueTrace, depth: number, seen: Set<string>, rest: string[] = []): void {
    const facts = this.factsByPath.get(file);
    for (const source of trace.sources) {
      switch (source.kind) {
        case 'env': {
          const read = facts?.envReads[source.read];
          if (!read) break;
          if (!this.isRead(file, read) && read.viaImport) {
            // `config.JWT_SECRET` of an imported config object: its attribute, traced in the module; `fetch_key("X")`: the call's result.
            const { module, name, call } = read.viaImport;
            const path = call === true ? rest : [read.name ?? '', ...rest];
            this.followImport(out, file, { kind: 'import', module, name, path, call: call === true, loc: read.loc }, depth, seen);
            break;
          }
          if (read.name) {
            pushUnique(out.names, read.name);
            pushUnique(out.chain, read.name);
          } else if (read.pattern) {
            pushUnique(out.patterns, read.pattern);
            pushUnique(out.chain, read.pattern);
          }
          out.readSites.push({ file, loc: read.loc });
          break;
        }
        case 'literal':
          out.literal ??= { length: source.length, site: { file, loc: source.loc } };
          (out.literals ??= []).push({ length: source.length, site: { file, loc: source.loc } });
          pushUnique(out.chain, '«literal»');
          break;
        case 'constant-derived':
          out.constantDerived ??= { description: source.description, site: { file, loc: source.loc } };
          (out.derivations ??= []).push({ description: source.description, site: { file, loc: source.loc } });
          pushUnique(out.chain, '«derived»');
          break;
        case 'unknown':
          pushUnique(out.unknown, source.text);
          break;
        case 'mixed':
          out.mixed ??= source.text;
          break;
        case 'env-object':
          // Reached through an import with the member still to apply (`env.JWT_SECRET`): that name.
          if (rest.length > 0) {
            pushUnique(out.names, rest[0]);
            pushUnique(out.chain, rest[0]);
          } else {
            pushUnique(out.unknown, `the whole ${source.accessor}`);
          }
          break;
        case 'slot':
          pushUnique((out.slots ??= []), source.key);
          break;
        case 'import':
          this.followImport(out, file, rest.length ? { ...source, path: [...source.path, ...rest] } : source, depth, seen);
          break;
      }
    }
  }

  private followImport(out: ResolvedSecret, file: string, source: Extract<ValueSource, { kind: 'import' }>, depth: number, seen: Set<string>): void {
    const facts = this.factsByPath.get(file);
    const language = facts?.language === 'python' ? 'python' : facts?.language === 'js' ? 'js' : 'ts';
    const label = `${source.name}${source.path.length ? '.' + source.path.join('.') : ''} from ${source.module}`;
    if (depth >= MAX_DEPTH) {
      pushUnique(out.unknown, label);
      return;
    }
    const candidates: { target: string; names: string[] }[] = [];
    const dotted = [source.name, ...source.path];
    const isDjango = language === 'python' && source.module === 'django.conf' && source.name === 'settings';
    const django = isDjango ? (this.djangoSettings(file) ?? (source.path[0] ? this.djangoSettingsDefining(file, source.path[0]) : null)) : null;
    const target = django ?? this.resolver.resolve(file, source.module, language);
    if (target) candidates.push({ target, names: django ? source.path : dotted });
    if (language === 'python') {
      // `from pkg import module` then `module.X`: the name is itself a module.
      const sub = this.resolver.resolve(file, `${source.module}${source.module.endsWith('.') ? '' : '.'}${source.name}`, language);
      if (sub && source.path.length > 0) candidates.push({ target: sub, names: source.path });
    }
    for (const { target: path, names } of candidates) {
      const exports = this.exportsOf(path);
      if (!exports) continue;
      for (let n = names.length; n >= 1; n--) {
        const name = names.slice(0, n).join('.');
        const exported = exports.byName.get(name);
        if (!exported) continue;
        const visit = `${path}#${name}`;
        if (seen.has(visit)) return;
        const next = new Set(seen).add(visit);
        this.into(out, path, exported.value, depth + 1, next, names.slice(n));
        return;
      }
      // A barrel: try each `export *` source with the same name.
      for (const star of exports.stars) {
        for (const src of star.value.sources) {
          if (src.kind !== 'import') continue;
          const visit = `${path}#*${src.module}`;
          if (seen.has(visit)) continue;
          const probe = emptySecret();
          this.followImport(probe, path, { ...src, name: names[0], path: names.slice(1) }, depth + 1, new Set(seen).add(visit));
          if (probe.chain.length > 0 || probe.readSites.length > 0) {
            mergeSecret(out, probe);
            return;
          }
        }
      }
    }
    pushUnique(out.unknown, label);
  }
}

/**
 * A file's reads and fallback groups without the members of imported bindings that are not env
 * objects; a group left with fewer than two reads (or one read and a final literal) is no group.
 */
function confirmedReads(f: FileFacts, tracer: TraceResolver): { reads: EnvRead[]; groups: FallbackGroup[] } {
  if (!f.envReads.some((r) => r.viaImport)) return { reads: f.envReads, groups: f.fallbackGroups };
  const kept = new Map<number, EnvRead>();
  for (const read of f.envReads) {
    if (!read.viaImport) kept.set(read.id, read);
    else {
      const confirmed = tracer.confirm(f.path, read);
      if (confirmed) kept.set(read.id, { ...read, ...confirmed });
    }
  }
  const groups: FallbackGroup[] = [];
  for (const group of f.fallbackGroups) {
    const reads = group.reads.filter((id) => kept.has(id));
    const stands = reads.length >= 2 || (reads.length === 1 && group.literalFallback !== null && group.form !== 'nested-default');
    if (stands) groups.push(reads.length === group.reads.length ? group : { ...group, reads });
    for (const id of reads) {
      const read = kept.get(id);
      if (!stands && read) kept.set(id, { ...read, group: null });
    }
  }
  return { reads: [...kept.values()], groups };
}

function mergeSecret(into: ResolvedSecret, from: ResolvedSecret): void {
  for (const c of from.chain) pushUnique(into.chain, c);
  for (const n of from.names) pushUnique(into.names, n);
  for (const p of from.patterns) pushUnique(into.patterns, p);
  for (const u of from.unknown) pushUnique(into.unknown, u);
  into.literal ??= from.literal;
  if (from.mixed !== undefined) into.mixed ??= from.mixed;
  into.constantDerived ??= from.constantDerived;
  into.readSites.push(...from.readSites);
  if (from.literals) (into.literals ??= []).push(...from.literals);
  if (from.derivations) (into.derivations ??= []).push(...from.derivations);
  for (const slot of from.slots ?? []) pushUnique((into.slots ??= []), slot);
}

/**
 * Operations whose key is a registry slot (`getMetadata(plugin.metadata.Secret)` in a token library) act,
 * in each service that fills the slot at start-up, with the value it stores there: one operation per
 * slot write and role, at the write, with the library operation as `via`.
 */
function slotOps(ops: ModelJwtOp[], facts: FileFacts[], fileInfo: Map<string, ModelFile>, tracer: TraceResolver): ModelJwtOp[] {
  const writes = new Map<string, { file: string; write: SlotWrite }[]>();
  for (const f of facts) {
    if (fileInfo.get(f.path)?.tooling === true) continue;
    for (const w of f.slotWrites ?? []) {
      const list = writes.get(w.key) ?? [];
      list.push({ file: f.path, write: w });
      writes.set(w.key, list);
    }
  }
  const out: ModelJwtOp[] = [];
  const seen = new Set<string>();
  for (const op of ops) {
    if (op.tooling || op.op === 'decode-unverified') continue;
    for (const slot of op.secret?.slots ?? []) {
      for (const { file, write } of writes.get(slot) ?? []) {
        const id = `${op.op}\0${file}\0${write.loc.line}:${write.loc.column}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const secret = tracer.resolve(file, write.value.trace);
        if (secret.names.length === 0 && secret.patterns.length === 0) continue;
        op.slotted = true;
        out.push({
          op: op.op,
          library: op.library,
          loc: write.loc,
          key: write.value,
          scope: write.scope,
          file,
          service: fileInfo.get(file)?.service ?? null,
          secret,
          tooling: false,
          via: { slot, file: op.file, loc: op.loc },
        });
      }
    }
  }
  return out;
}

/**
 * Operations whose key is their function's parameter act, at each call that passes a traced value for
 * it (in the same file or through an import), with that value: one operation per call, at the call,
 * with the wrapper's operation as `wrapper`.
 */
function wrapperOps(ops: ModelJwtOp[], facts: FileFacts[], fileInfo: Map<string, ModelFile>, tracer: TraceResolver): ModelJwtOp[] {
  const wrappers = new Map<string, ModelJwtOp[]>();
  for (const op of ops) {
    if (!op.keyParam || op.scope === null || op.op === 'decode-unverified') continue;
    const id = `${op.file}#${op.scope}`;
    wrappers.set(id, [...(wrappers.get(id) ?? []), op]);
  }
  if (wrappers.size === 0) return [];
  const out: ModelJwtOp[] = [];
  for (const f of facts) {
    for (const call of f.keyCalls ?? []) {
      const has = (file: string, name: string): boolean => wrappers.has(`${file}#${name}`);
      const target = call.module === null ? { file: f.path, name: call.name } : tracer.definedIn(f.path, call.module, call.name, has);
      for (const op of (target === null ? undefined : wrappers.get(`${target.file}#${target.name}`)) ?? []) {
        const param = op.keyParam;
        if (!param) continue;
        const arg = call.args.find((a) => a.keyword === param.name || (a.position !== null && a.position + (call.bound ? 1 : 0) === param.position));
        if (!arg) continue;
        // The wrapper's own operation stays when its key falls back to something of its own (`secret ?? getSecret()`): callers that pass nothing use that.
        const own = op.secret;
        if (!own || (own.names.length === 0 && own.patterns.length === 0 && !own.slots?.length && own.literal === null && own.constantDerived === null))
          op.wrapped = true;
        const secret = tracer.resolve(f.path, arg.value.trace);
        out.push({
          op: op.op,
          library: op.library,
          loc: call.loc,
          key: arg.value,
          scope: call.scope,
          file: f.path,
          service: fileInfo.get(f.path)?.service ?? null,
          secret,
          tooling: fileInfo.get(f.path)?.tooling === true,
          wrapper: { file: op.file, loc: op.loc, param: param.name },
        });
      }
    }
  }
  return out;
}

/** Whether the repository is a Django project: a settings module is named, or Python code imports Django. */
function usesDjango(facts: FileFacts[]): boolean {
  return facts.some(
    (f) => f.djangoSettings !== undefined || (f.language === 'python' && f.imports.some((i) => i.specifier === 'django' || i.specifier.startsWith('django.'))),
  );
}

/** A read of `SECRET_KEY` whose value is the module-level `SECRET_KEY` of a Python module: in a Django project, the framework's own key. */
function setsDjangoSecretKey(f: FileFacts, read: EnvRead): boolean {
  if (read.name !== 'SECRET_KEY' || f.language !== 'python') return false;
  return f.exports.some((e) => e.name === 'SECRET_KEY' && e.value.sources.some((s) => s.kind === 'env' && s.read === read.id));
}

/** The facts the rules read: everything but the imports and exports the model resolved (a copy; the full facts can then be collected). */
function ruleFacts(f: FileFacts): ModelFileFacts {
  const { imports: _imports, exports: _exports, ...rest } = f;
  return rest;
}

/** Builds the model from per-file facts. Pure: no disk access beyond the resolver it is given. */
export function buildModel(input: ModelInput): Model {
  const fileInfo = new Map(input.files.map((f) => [f.path, f]));
  const facts = [...input.facts].sort((a, b) => compareText(a.path, b.path));
  const tracer = new TraceResolver(facts, input.resolver);

  const jwtOps: ModelJwtOp[] = [];
  const roles = new Map<string, Set<'sign' | 'verify'>>();
  const addOp = (op: ModelJwtOp): void => {
    jwtOps.push(op);
    if (!op.secret) return;
    const opRoles: ('sign' | 'verify')[] = op.op === 'configure' ? ['sign', 'verify'] : op.op === 'sign' ? ['sign'] : op.op === 'verify' ? ['verify'] : [];
    for (const site of op.secret.readSites) {
      const key = siteKey(site.file, site.loc);
      const set = roles.get(key) ?? new Set();
      for (const r of opRoles) set.add(r);
      roles.set(key, set);
    }
  };
  for (const f of facts) {
    const service = fileInfo.get(f.path)?.service ?? null;
    for (const op of f.jwtOps) {
      const secret = op.key ? tracer.resolve(f.path, op.key.trace) : null;
      addOp({ ...op, file: f.path, service, secret, tooling: fileInfo.get(f.path)?.tooling === true });
    }
  }
  // Settings for a library no file of the service imports configure nothing (`SIMPLE_JWT` left in a service that dropped simplejwt).
  const importedBy = new Map<string | null, Set<string>>();
  for (const f of facts) {
    const service = fileInfo.get(f.path)?.service ?? null;
    let specifiers = importedBy.get(service);
    if (!specifiers) {
      specifiers = new Set();
      importedBy.set(service, specifiers);
    }
    for (const i of f.imports) specifiers.add(i.specifier);
  }
  for (const op of jwtOps) {
    const module = op.liveIfImported;
    if (module !== undefined && ![...(importedBy.get(op.service) ?? [])].some((s) => s === module || s.startsWith(`${module}.`))) op.inert = true;
  }
  const direct = [...jwtOps];
  for (const op of slotOps(direct, facts, fileInfo, tracer)) addOp(op);
  for (const op of wrapperOps(direct, facts, fileInfo, tracer)) addOp(op);

  // Service secrets: names that look like a credential and come from the environment or a constant.
  const secretUses: ModelSecretUse[] = [];
  for (const f of facts) {
    const service = fileInfo.get(f.path)?.service ?? null;
    for (const use of f.secretUses ?? []) {
      const secret = tracer.resolve(f.path, use.key.trace);
      if (secret.names.length === 0 && secret.patterns.length === 0 && !(secret.literal && use.kind !== 'compare')) continue;
      if (use.kind === 'compare' && ![...secret.names, ...secret.patterns].some((n) => CREDENTIAL_NAME.test(n))) continue;
      secretUses.push({ ...use, file: f.path, service, secret, tooling: fileInfo.get(f.path)?.tooling === true });
      const useRoles: ('sign' | 'verify')[] = use.kind === 'header' ? ['sign'] : use.kind === 'compare' ? ['verify'] : ['sign', 'verify'];
      for (const site of secret.readSites) {
        const key = siteKey(site.file, site.loc);
        const set = roles.get(key) ?? new Set();
        for (const r of useRoles) set.add(r);
        roles.set(key, set);
      }
    }
  }

  const isTooling = (path: string): boolean => fileInfo.get(path)?.tooling === true;
  const django = usesDjango(facts);
  const envReads: ModelEnvRead[] = [];
  const fallbackGroups: ModelFallbackGroup[] = [];
  for (const f of facts) {
    const service = fileInfo.get(f.path)?.service ?? null;
    const tooling = isTooling(f.path);
    const { reads, groups } = confirmedReads(f, tracer);
    for (const read of reads) {
      const readRoles = roles.get(siteKey(f.path, read.loc));
      const modelRead: ModelEnvRead = { ...read, file: f.path, service, family: null, familyBy: null, roles: readRoles ? [...readRoles].sort() : [], tooling };
      if (django && setsDjangoSecretKey(f, read)) modelRead.djangoSecretKey = true;
      envReads.push(modelRead);
    }
    for (const group of groups) fallbackGroups.push({ ...group, file: f.path, service });
  }

  const imports = buildImportEdges(facts, fileInfo, input.resolver, input.services, input.boundaries, input.tooling);
  const deployed = buildProvisions(facts, input.files, input.services);
  const provisions = [...deployed, ...loadedEnvFileProvisions(facts, input.files, input.services, imports, deployed)];
  const { families, familyOf, outside } = buildFamilies({ configured: input.families, envReads, jwtOps, secretUses, provisions, isTooling });
  for (const read of envReads) {
    if (outside(read)) continue;
    const label = read.name ?? read.pattern;
    const membership = label === null ? null : familyOf(label);
    if (!membership) continue;
    read.family = membership.family;
    read.familyBy = membership.by === 'dataflow' && read.roles.length > 0 ? 'dataflow' : 'name';
  }

  return {
    services: input.services,
    files: [...input.files].sort((a, b) => compareText(a.path, b.path)),
    facts: facts.map(ruleFacts),
    envReads,
    fallbackGroups,
    jwtOps,
    secretUses,
    families,
    imports,
    boundaries: input.boundaries ?? { allow: [], forbid: [] },
    provisions,
    wsEndpoints: buildWsEndpoints({ facts, files: fileInfo, resolver: input.resolver, jwtOps: direct, functionsOf: input.functionsOf }),
    deployment: buildDeployment({
      provisions,
      analysed: new Set(facts.map((f) => f.path)),
      services: input.services,
      envReads,
      fallbackGroups,
      jwtOps,
      families,
      familyPatterns: input.families,
    }),
  };
}
