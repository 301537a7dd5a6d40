// Env reads in Python: os/environ forms, configured wrapper accessors, pydantic settings, and fallback groups.
import type { DefaultKind, EnvRead, FileFacts } from '../facts.js';
import { ENV_NAME } from '../shared-patterns.js';
import { isPlainString, literalLength, matchesAccessor, normaliseCallee, osCallee, resolveEnvName, type StaticName } from './names.js';
import { importedCallee, lookupName, stringContent, textOf, type ClassInfo, type FileState, type Scope } from './scopes.js';
import { field, firstNamedKid, namedKids, unparen, type PyNode } from './tree.js';

/** An active `for name in ["A", "B"]:` loop over literal names. */
export interface LoopFrame {
  variable: string;
  literals: PyNode[];
  list: PyNode;
  body: PyNode;
}

interface EnvCall {
  accessor: string;
  nameNode: PyNode;
  defaultNode: PyNode | null;
  /** The wrapper looks the name up in a secret store, not the environment. */
  store?: string;
  /** A call of an imported function with a literal name: a read if that function is an env helper (decided by the model). */
  viaImport?: { module: string; name: string; call: true };
}

/** `env_str("JWT_SECRET")` with `env_str` imported: the module and name of the function called. */
function importedHelperCall(state: FileState, fn: PyNode, args: PyNode, scope: Scope): EnvCall | null {
  const first = firstNamedKid(args);
  const nameNode = first && first.type !== 'keyword_argument' ? unparen(first) : null;
  if (!nameNode || !isPlainString(nameNode) || !ENV_NAME.test(stringContent(state, nameNode))) return null;
  const f = unparen(fn);
  const target = importedCallee(state, f, scope);
  // pydantic's `AliasChoices("A", "B")` and `Field(…)` name settings fields' variables; the settings reader handles them.
  if (!target || /^pydantic(_settings)?(\.|$)/.test(target.module)) return null;
  return { accessor: `${textOf(state, f)}()`, nameNode, defaultNode: null, viaImport: { ...target, call: true } };
}

/** Module-level functions of this file whose parameter names what they read: other files' calls of them are reads. */
export function collectEnvHelpers(state: FileState): void {
  const helpers: NonNullable<FileFacts['envHelpers']> = [];
  for (const [name, fn] of state.module.functions) {
    const wrapper = envWrapper(state, fn);
    if (wrapper) helpers.push({ name, nameParam: wrapper.nameParam, ...(wrapper.store !== undefined ? { store: wrapper.store } : {}) });
  }
  if (helpers.length > 0) state.facts.envHelpers = helpers;
}

/** Calls that fetch a secret bundle from a store (Vault KV through hvac, AWS Secrets Manager, Google Secret Manager). */
const STORE_CALLS: [RegExp, string][] = [
  [/\.kv\.(?:v[12]\.)?read(?:_secret(?:_version)?)?$|(?:^|\.)read_secret_version$/, 'Vault'],
  [/(?:^|\.)get_secret_value$/, 'AWS Secrets Manager'],
  [/(?:^|\.)access_secret_version$/, 'Google Secret Manager'],
];

/** The secret store a value comes from: a member or item of what a store call returned (through locals). */
function storeOf(state: FileState, node: PyNode, scope: Scope, depth = 0): string | null {
  let n = unparen(node);
  for (;;) {
    const inner = n.type === 'subscript' ? field(n, 'value') : n.type === 'attribute' ? field(n, 'object') : null;
    if (!inner) break;
    n = unparen(inner);
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const text = fn ? textOf(state, fn) : '';
    return STORE_CALLS.find(([re]) => re.test(text))?.[1] ?? null;
  }
  if (n.type === 'identifier' && depth < 3) {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (found?.kind === 'assign') return storeOf(state, found.assign.value, found.assign.scope, depth + 1);
  }
  return null;
}

/** `bundle.get(name)` / `bundle[name]` on what a secret-store call returned: the store, and the name node. */
function storeLookup(state: FileState, node: PyNode, scope: Scope): { store: string; nameNode: PyNode } | null {
  if (node.type === 'subscript') {
    const value = field(node, 'value');
    const index = field(node, 'subscript');
    const store = value ? storeOf(state, value, scope) : null;
    return store && index ? { store, nameNode: index } : null;
  }
  const fn = node.type === 'call' ? field(node, 'function') : null;
  const args = node.type === 'call' ? field(node, 'arguments') : null;
  if (!fn || !args || fn.type !== 'attribute') return null;
  const attr = field(fn, 'attribute');
  const object = field(fn, 'object');
  const name = argument(args, 0, ['key'], state);
  if (!attr || !object || !name || textOf(state, attr) !== 'get') return null;
  const store = storeOf(state, object, scope);
  return store ? { store, nameNode: name } : null;
}

const SECRETISH = /SECRET|KEY|TOKEN|PASSWORD/i;

/** Positional argument `index` or keyword `names`; skips `*args`/`**kw`. */
export function argument(args: PyNode | null, index: number, names: string[], state: FileState): PyNode | null {
  if (!args) return null;
  let position = 0;
  for (const kid of namedKids(args)) {
    if (kid.type === 'keyword_argument') {
      const name = field(kid, 'name');
      if (name && names.includes(textOf(state, name))) return field(kid, 'value');
      continue;
    }
    if (kid.type === 'list_splat' || kid.type === 'dictionary_splat') return null;
    if (position === index) return kid;
    position++;
  }
  return null;
}

/** A same-file function whose parameter names the env var it reads (`def required(name, default=None)`). */
interface EnvWrapper {
  params: string[];
  nameParam: number;
  defaultParam: number | null;
  /** It reads a secret store (`kv_get(name)` over Vault KV), not the environment. */
  store?: string;
}

/**
 * Whether a function reads the env var one of its parameters names (`os.environ.get(name, default)`,
 * `os.getenv(name) or default`), and which parameter is the default: its calls with a literal name
 * are then reads of that name.
 */
function envWrapper(state: FileState, fn: Scope): EnvWrapper | null {
  const cache = (state.wrappers ??= new Map()) as Map<Scope, EnvWrapper | null>;
  if (cache.has(fn)) return cache.get(fn) ?? null;
  cache.set(fn, null);
  const params = [...fn.params.keys()].filter((p) => p !== 'self' && p !== 'cls');
  if (params.length === 0 || fn.kind !== 'function') return null;
  let found: EnvWrapper | null = null;
  const visit = (node: PyNode): void => {
    if (found) return;
    if ((node.type === 'call' || node.type === 'subscript') && node !== fn.node) {
      const lookup = storeLookup(state, node, fn);
      const call: EnvCall | null = lookup
        ? { accessor: '', nameNode: lookup.nameNode, defaultNode: null, store: lookup.store }
        : envCallOf(state, node, fn, false);
      const nameExpr = call ? unparen(call.nameNode) : null;
      if (call && nameExpr?.type === 'identifier' && params.includes(textOf(state, nameExpr))) {
        const defaultExpr = call.defaultNode ? unparen(call.defaultNode) : null;
        const defaultName = defaultExpr?.type === 'identifier' ? textOf(state, defaultExpr) : null;
        found = {
          params,
          nameParam: params.indexOf(textOf(state, nameExpr)),
          defaultParam: defaultName !== null && params.includes(defaultName) ? params.indexOf(defaultName) : null,
          ...(call.store !== undefined ? { store: call.store } : {}),
        };
        return;
      }
    }
    for (const kid of node.children) if (kid.type !== 'function_definition' && kid.type !== 'class_definition') visit(kid);
  };
  for (const kid of fn.node.children) visit(kid);
  cache.set(fn, found);
  return found;
}

/** Recognises an env read expression (a call or subscript), without creating facts. */
function envCallOf(state: FileState, node: PyNode, scope: Scope, wrappers = true): EnvCall | null {
  if (node.type === 'subscript') {
    const value = field(node, 'value');
    const index = field(node, 'subscript');
    if (!value || !index) return null;
    const callee = osCallee(state, value);
    if (callee === 'os.environ') return { accessor: 'os.environ[]', nameNode: index, defaultNode: null };
    if (callee === 'environ') return { accessor: 'environ[]', nameNode: index, defaultNode: null };
    return null;
  }
  if (node.type !== 'call') return null;
  const fn = field(node, 'function');
  const args = field(node, 'arguments');
  if (!fn || !args || args.type !== 'argument_list') return null;
  const callee = osCallee(state, fn);
  let accessor: string | null = null;
  if (callee === 'os.getenv' || callee === 'getenv') accessor = 'os.getenv';
  else if (callee === 'os.environ.get') accessor = 'os.environ.get';
  else if (callee === 'environ.get') accessor = 'environ.get';
  else {
    const normalised = normaliseCallee(state, fn, scope);
    if (normalised !== null) {
      for (const candidate of state.accessors) {
        if (matchesAccessor(normalised, candidate)) {
          accessor = candidate;
          break;
        }
      }
    }
  }
  if (accessor === null && wrappers) {
    const f = unparen(fn);
    const found = f.type === 'identifier' ? lookupName(state, textOf(state, f), scope, f.start) : null;
    const wrapper = found?.kind === 'function' ? envWrapper(state, found.scope) : null;
    if (wrapper) {
      const nameNode = argument(args, wrapper.nameParam, [wrapper.params[wrapper.nameParam] ?? ''], state);
      if (!nameNode) return null;
      const defaultNode = wrapper.defaultParam === null ? null : argument(args, wrapper.defaultParam, [wrapper.params[wrapper.defaultParam] ?? ''], state);
      return { accessor: `${textOf(state, f)}()`, nameNode, defaultNode, ...(wrapper.store !== undefined ? { store: wrapper.store } : {}) };
    }
    if (!found || found.kind === 'import' || f.type === 'attribute') {
      const helper = importedHelperCall(state, fn, args, scope);
      if (helper) return helper;
    }
  }
  if (accessor === null) return null;
  const nameNode = argument(args, 0, ['key', 'name', 'var', 'variable'], state);
  if (!nameNode) return null;
  return { accessor, nameNode, defaultNode: argument(args, 1, ['default'], state) };
}

/** The innermost literal-name loop binding `name` that encloses `node`. */
function loopFor(loops: LoopFrame[], name: string, node: PyNode): LoopFrame | null {
  for (let i = loops.length - 1; i >= 0; i--) {
    const frame = loops[i];
    if (frame.variable === name && node.start >= frame.body.start && node.end <= frame.body.end) return frame;
  }
  return null;
}

function pushRead(state: FileState, read: Omit<EnvRead, 'id' | 'group'>, defaultNode: PyNode | null): number {
  const id = state.facts.envReads.length;
  state.facts.envReads.push({ id, ...read, group: null });
  if (defaultNode && read.defaultKind === 'literal') {
    state.readDefaultLoc.set(id, defaultNode);
    state.facts.envReads[id].defaultLoc = state.lines.loc(defaultNode.start, defaultNode.end);
    const label = read.name ?? read.pattern ?? '';
    if (SECRETISH.test(label)) addSecretLiteral(state, defaultNode);
  }
  return id;
}

/** Records a secret literal's span once. */
export function addSecretLiteral(state: FileState, node: PyNode): void {
  if (state.secretStarts.has(node.start)) return;
  state.secretStarts.add(node.start);
  state.facts.secretLiterals.push(state.lines.loc(node.start, node.end));
}

function defaultOf(state: FileState, node: PyNode | null, scope: Scope, loops: LoopFrame[]): { kind: DefaultKind; length?: number } {
  if (!node) return { kind: 'none' };
  const n = unparen(node);
  if (n.type === 'none') return { kind: 'none' };
  if (isPlainString(n)) return { kind: 'literal', length: literalLength(state, n) };
  if (n.type === 'integer' || n.type === 'float' || n.type === 'true' || n.type === 'false') {
    return { kind: 'literal', length: n.end - n.start };
  }
  if (envReadsAt(state, n, scope, loops)) return { kind: 'env' };
  return { kind: 'expression' };
}

/**
 * The env read ids an expression node performs, creating the reads on first sight (memoised per
 * node); null when it is not an env read.
 */
/** Whether a read is only tested for presence: `x is None`, `x is not None`, `not x`. */
function presenceTest(node: PyNode): boolean {
  let child = node;
  let parent = node.parent;
  while (parent && parent.type === 'parenthesized_expression') {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if (parent.type === 'not_operator') return true;
  if (parent.type !== 'comparison_operator') return false;
  const others = parent.children.filter((c) => c.named && c !== child);
  return others.length === 1 && others[0].type === 'none';
}

export function envReadsAt(state: FileState, node: PyNode, scope: Scope, loops: LoopFrame[]): number[] | null {
  const known = state.readsAt.get(node);
  if (known) return known;
  if (node.type !== 'call' && node.type !== 'subscript') return null;
  const call = envCallOf(state, node, scope);
  if (!call) return null;
  const nameExpr = unparen(call.nameNode);
  const label = scope.qual;
  if (nameExpr.type === 'identifier') {
    const frame = loopFor(loops, textOf(state, nameExpr), node);
    if (frame) {
      const ids: number[] = [];
      state.readsAt.set(node, ids);
      const defaults = defaultOf(state, call.defaultNode, scope, loops);
      for (const literal of frame.literals) {
        const name = stringContent(state, literal);
        ids.push(
          pushRead(
            state,
            {
              name,
              pattern: null,
              accessor: call.accessor,
              defaultKind: defaults.kind,
              ...(defaults.length !== undefined ? { defaultLength: defaults.length } : {}),
              loc: state.lines.loc(literal.start, literal.end),
              scope: label,
            },
            call.defaultNode ? unparen(call.defaultNode) : null,
          ),
        );
      }
      if (ids.length > 1) {
        const group = state.facts.fallbackGroups.length;
        state.facts.fallbackGroups.push({
          id: group,
          reads: [...ids],
          literalFallback: null,
          loc: state.lines.loc(frame.list.start, frame.list.end),
          form: 'loop',
        });
        for (const id of ids) state.facts.envReads[id].group = group;
      }
      return ids;
    }
  }
  const resolved: StaticName | null = resolveEnvName(state, nameExpr, scope);
  if (!resolved) return null;
  // Reserve the id before the default so reads keep source order (`getenv('A', getenv('B'))` → A, B).
  const id = state.facts.envReads.length;
  state.facts.envReads.push({
    id,
    name: resolved.name,
    pattern: resolved.pattern,
    accessor: call.accessor,
    defaultKind: 'none',
    group: null,
    loc: state.lines.loc(call.nameNode.start, call.nameNode.end),
    scope: label,
    ...(call.store !== undefined ? { store: call.store } : {}),
    ...(call.viaImport !== undefined ? { viaImport: call.viaImport } : {}),
  });
  const ids = [id];
  state.readsAt.set(node, ids);
  const defaults = defaultOf(state, call.defaultNode, scope, loops);
  const read = state.facts.envReads[id];
  if (presenceTest(node)) read.presenceOnly = true;
  read.defaultKind = defaults.kind;
  if (defaults.length !== undefined) read.defaultLength = defaults.length;
  if (call.defaultNode && defaults.kind === 'literal') {
    const defaultNode = unparen(call.defaultNode);
    state.readDefaultLoc.set(id, defaultNode);
    read.defaultLoc = state.lines.loc(defaultNode.start, defaultNode.end);
    if (SECRETISH.test(resolved.name ?? resolved.pattern)) addSecretLiteral(state, defaultNode);
  }
  return ids;
}

/** The default argument node of an env read call, when it has one. */
function defaultArg(state: FileState, node: PyNode, scope: Scope): PyNode | null {
  const call = envCallOf(state, node, scope);
  return call?.defaultNode ? unparen(call.defaultNode) : null;
}

interface Chain {
  reads: number[];
  literal: PyNode | null;
}

function isOr(state: FileState, node: PyNode): boolean {
  if (node.type !== 'boolean_operator') return false;
  const operator = field(node, 'operator');
  return operator !== null && textOf(state, operator) === 'or';
}

function flattenOr(state: FileState, node: PyNode, out: PyNode[]): void {
  const n = unparen(node);
  if (isOr(state, n)) {
    const left = field(n, 'left');
    const right = field(n, 'right');
    if (left) flattenOr(state, left, out);
    if (right) flattenOr(state, right, out);
    return;
  }
  out.push(n);
}

function chainOf(state: FileState, node: PyNode, scope: Scope, loops: LoopFrame[]): Chain {
  const n = unparen(node);
  if (isOr(state, n)) {
    const operands: PyNode[] = [];
    flattenOr(state, n, operands);
    const chain: Chain = { reads: [], literal: null };
    for (const operand of operands) {
      const part = chainOf(state, operand, scope, loops);
      if (part.reads.length > 0) chain.literal = null;
      chain.reads.push(...part.reads);
      if (part.literal) chain.literal = part.literal;
    }
    return chain;
  }
  if (isPlainString(n)) return { reads: [], literal: n };
  const ids = envReadsAt(state, n, scope, loops);
  if (!ids) return { reads: [], literal: null };
  const chain: Chain = { reads: [...ids], literal: null };
  const fallback = defaultArg(state, n, scope);
  if (fallback) {
    const rest = chainOf(state, fallback, scope, loops);
    chain.reads.push(...rest.reads);
    chain.literal = rest.literal;
  }
  return chain;
}

/**
 * Creates a fallback group rooted at `node` when it is an `or` chain or an env read with an env
 * default, and none of its reads is grouped yet (outer chains are seen first).
 */
export function groupAt(state: FileState, node: PyNode, scope: Scope, loops: LoopFrame[]): void {
  const or = isOr(state, node);
  if (!or) {
    const ids = envReadsAt(state, node, scope, loops);
    if (!ids || ids.length !== 1 || state.facts.envReads[ids[0]].defaultKind !== 'env') return;
  } else if (node.parent && (isOr(state, node.parent) || node.parent.type === 'parenthesized_expression')) {
    let up: PyNode | null = node.parent;
    while (up && up.type === 'parenthesized_expression') up = up.parent;
    if (up && isOr(state, up)) return;
  }
  const chain = chainOf(state, node, scope, loops);
  if (chain.reads.some((id) => state.facts.envReads[id].group !== null)) return;
  const enough = chain.reads.length >= 2 || (or && chain.reads.length === 1 && chain.literal !== null);
  if (!enough) return;
  const group = state.facts.fallbackGroups.length;
  let literalFallback = null;
  if (chain.literal) {
    literalFallback = { length: literalLength(state, chain.literal), loc: state.lines.loc(chain.literal.start, chain.literal.end) };
    const secret = chain.reads.some((id) => SECRETISH.test(state.facts.envReads[id].name ?? state.facts.envReads[id].pattern ?? ''));
    if (secret) addSecretLiteral(state, chain.literal);
  }
  state.facts.fallbackGroups.push({
    id: group,
    reads: chain.reads,
    literalFallback,
    loc: state.lines.loc(node.start, node.end),
    form: or ? 'or' : 'nested-default',
  });
  for (const id of chain.reads) state.facts.envReads[id].group = group;
}

/** A loop frame for `for k in ["A", "B"]:`, or null when the iterable is not a literal name list. */
export function loopFrameOf(state: FileState, node: PyNode): LoopFrame | null {
  const left = field(node, 'left');
  const right = field(node, 'right');
  const body = field(node, 'body');
  if (!left || !right || !body || left.type !== 'identifier') return null;
  const list = unparen(right);
  if (list.type !== 'list' && list.type !== 'tuple') return null;
  const literals: PyNode[] = [];
  for (const kid of namedKids(list)) {
    const item = unparen(kid);
    if (item.type !== 'string' || !isPlainString(item)) return null;
    literals.push(item);
  }
  if (literals.length === 0) return null;
  return { variable: textOf(state, left), literals, list, body };
}

function baseName(state: FileState, base: PyNode): string {
  const text = textOf(state, base);
  const dot = text.lastIndexOf('.');
  return dot >= 0 ? text.slice(dot + 1) : text;
}

/** Whether a class is a pydantic `BaseSettings` subclass (directly or through same-file classes). */
export function isSettingsClass(state: FileState, cls: ClassInfo, depth = 0): boolean {
  if (cls.settings !== null) return cls.settings;
  if (depth > 8) return false;
  cls.settings = false;
  for (const base of cls.bases) {
    const name = baseName(state, base);
    if (name === 'BaseSettings') {
      cls.settings = true;
      break;
    }
    const found = base.type === 'identifier' ? lookupName(state, name, cls.scope.parent ?? cls.scope, base.start) : null;
    if (found?.kind === 'class' && isSettingsClass(state, found.cls, depth + 1)) {
      cls.settings = true;
      break;
    }
  }
  return cls.settings;
}

function plainStringValue(state: FileState, node: PyNode | null): string | null {
  if (!node) return null;
  const n = unparen(node);
  return n.type === 'string' && isPlainString(n) ? stringContent(state, n) : null;
}

/** `env_prefix` from `model_config = SettingsConfigDict(env_prefix=…)`, a dict, or `class Config`. */
function envPrefix(state: FileState, cls: ClassInfo, depth = 0): string {
  const config = cls.scope.assigns.get('model_config');
  if (config) {
    const value = unparen(config[config.length - 1].value);
    if (value.type === 'call') {
      const prefix = plainStringValue(state, argument(field(value, 'arguments'), 99, ['env_prefix'], state));
      if (prefix !== null) return prefix;
    } else if (value.type === 'dictionary') {
      for (const pair of namedKids(value)) {
        if (pair.type === 'pair' && plainStringValue(state, field(pair, 'key')) === 'env_prefix') {
          const prefix = plainStringValue(state, field(pair, 'value'));
          if (prefix !== null) return prefix;
        }
      }
    }
  }
  const inner = cls.scope.classes.get('Config');
  const innerPrefix = inner?.scope.assigns.get('env_prefix');
  if (innerPrefix) {
    const prefix = plainStringValue(state, innerPrefix[innerPrefix.length - 1].value);
    if (prefix !== null) return prefix;
  }
  if (depth < 8) {
    for (const base of cls.bases) {
      if (base.type !== 'identifier') continue;
      const found = lookupName(state, textOf(state, base), cls.scope.parent ?? cls.scope, base.start);
      if (found?.kind === 'class') {
        const prefix = envPrefix(state, found.cls, depth + 1);
        if (prefix) return prefix;
      }
    }
  }
  return '';
}

function isFieldCall(state: FileState, node: PyNode): boolean {
  if (node.type !== 'call') return false;
  const fn = field(node, 'function');
  return fn !== null && baseName(state, fn) === 'Field';
}

/** Explicit env names of a `Field(…)`: `env=`, `alias=`, `validation_alias=` (incl. `AliasChoices`, lists). */
function explicitNames(state: FileState, call: PyNode): PyNode[] {
  const args = field(call, 'arguments');
  for (const key of ['validation_alias', 'env', 'alias']) {
    const value = argument(args, 99, [key], state);
    if (!value) continue;
    const v = unparen(value);
    if (isPlainString(v) && v.type === 'string') return [v];
    let items: PyNode[] = [];
    if (v.type === 'list' || v.type === 'tuple' || v.type === 'set') items = namedKids(v);
    else if (v.type === 'call' && baseName(state, field(v, 'function') ?? v) === 'AliasChoices') items = namedKids(field(v, 'arguments') ?? v);
    const strings = items.map((item) => unparen(item)).filter((item) => item.type === 'string' && isPlainString(item));
    if (strings.length > 0) return strings;
  }
  return [];
}

/**
 * Pydantic settings fields: one read per field (env name from prefix + field name, or the
 * explicit `env`/`alias`/`validation_alias` names, several of which form a group).
 */
export function collectSettingsFields(state: FileState, cls: ClassInfo): void {
  const body = field(cls.node, 'body');
  if (!body) return;
  const prefix = envPrefix(state, cls);
  for (const statement of namedKids(body)) {
    if (statement.type !== 'expression_statement') continue;
    const assignment = firstNamedKid(statement);
    if (!assignment || assignment.type !== 'assignment') continue;
    const left = field(assignment, 'left');
    const type = field(assignment, 'type');
    if (!left || !type || left.type !== 'identifier') continue;
    const fieldName = textOf(state, left);
    if (fieldName.startsWith('_') || fieldName === 'model_config' || textOf(state, type).startsWith('ClassVar')) continue;
    const right = field(assignment, 'right');
    const value = right ? unparen(right) : null;
    let defaultNode: PyNode | null = value;
    let names: PyNode[] = [];
    let defaultKind: DefaultKind = value ? 'expression' : 'none';
    if (value && isFieldCall(state, value)) {
      const args = field(value, 'arguments');
      names = explicitNames(state, value);
      defaultNode = argument(args, 0, ['default'], state);
      if (!defaultNode && argument(args, 99, ['default_factory'], state)) defaultKind = 'expression';
      else defaultKind = defaultNode ? 'expression' : 'none';
      if (defaultNode && unparen(defaultNode).type === 'ellipsis') {
        defaultNode = null;
        defaultKind = 'none';
      }
    }
    let defaultLength: number | undefined;
    if (defaultNode) {
      const d = unparen(defaultNode);
      if (d.type === 'none') defaultKind = 'none';
      else if (isPlainString(d) || d.type === 'integer' || d.type === 'float' || d.type === 'true' || d.type === 'false') {
        defaultKind = 'literal';
        defaultLength = isPlainString(d) ? literalLength(state, d) : d.end - d.start;
        defaultNode = d;
      }
    }
    const envNames = names.length > 0 ? names.map((node) => stringContent(state, node)) : [`${prefix}${fieldName}`.toUpperCase()];
    const ids: number[] = [];
    for (const name of envNames) {
      ids.push(
        pushRead(
          state,
          {
            name,
            pattern: null,
            accessor: 'pydantic',
            defaultKind,
            ...(defaultLength !== undefined ? { defaultLength } : {}),
            loc: state.lines.loc(left.start, left.end),
            scope: cls.scope.qual,
          },
          defaultKind === 'literal' ? defaultNode : null,
        ),
      );
    }
    if (ids.length > 1) {
      const group = state.facts.fallbackGroups.length;
      state.facts.fallbackGroups.push({
        id: group,
        reads: [...ids],
        literalFallback: null,
        loc: state.lines.loc(assignment.start, assignment.end),
        form: 'alias-choices',
      });
      for (const id of ids) state.facts.envReads[id].group = group;
    }
    cls.fieldReads.set(fieldName, ids);
    cls.fieldNodes.set(fieldName, left);
  }
}
