// Module-level values another file may import: constants, functions, settings-instance and class attributes, re-exports.
import type { ExportedValue, ValueSource } from '../facts.js';
import { isPlainString } from './names.js';
import { stringContent, type ClassInfo, type FileState, type Scope } from './scopes.js';
import { instanceClassOf, traceClassMember, traceFunctionReturns, traceValue } from './trace.js';
import { field, namedKids, unparen, type PyNode } from './tree.js';

const SECRETISH = /SECRET|KEY|TOKEN|PASSWORD/i;
const NOT_A_VALUE = /(NAME|ENV|VAR|HEADER|ALGORITHM|ALG|PREFIX|FIELD|TYPE|LENGTH|EXPIRE|EXPIRES|MINUTES|TTL)S?$/i;

function secretish(name: string): boolean {
  return SECRETISH.test(name) && !NOT_A_VALUE.test(name);
}

function meaningful(sources: ValueSource[]): boolean {
  return sources.some((source) => source.kind !== 'unknown');
}

/** Attribute names of a class: pydantic fields, class attributes and `self.x` attributes. */
function memberNames(cls: ClassInfo): Map<string, PyNode> {
  const names = new Map<string, PyNode>();
  for (const [name, node] of cls.fieldNodes) names.set(name, node);
  for (const [name, assigns] of cls.scope.assigns) if (!names.has(name) && name !== 'model_config') names.set(name, assigns[0].target);
  for (const [name, assigns] of cls.selfAttrs) if (!names.has(name)) names.set(name, assigns[0].target);
  return names;
}

function push(state: FileState, name: string, kind: ExportedValue['kind'], sources: ValueSource[], at: PyNode): void {
  state.facts.exports.push({ name, kind, value: { sources }, loc: state.lines.loc(at.start, at.end) });
}

function classExports(state: FileState, cls: ClassInfo, prefix: string): void {
  const members = memberNames(cls);
  for (const [member, at] of members) {
    const sources = traceClassMember(state, cls, member, at, secretish(member)) ?? [];
    if (meaningful(sources)) push(state, `${prefix}.${member}`, 'attribute', sources, at);
  }
  // Methods (`AuthConfig.get_jwt_secret()`, `get_settings().jwt_key()`): what they return.
  for (const [method, fn] of cls.scope.functions) {
    if (members.has(method) || (method.startsWith('__') && method.endsWith('__'))) continue;
    const sources = traceFunctionReturns(state, fn, secretish(method));
    const nameNode = fn.node.children.find((kid) => kid.field === 'name') ?? fn.node;
    if (meaningful(sources)) push(state, `${prefix}.${method}`, 'function', sources, nameNode);
  }
}

/** `SIMPLE_JWT = {"SIGNING_KEY": …}`: each string key of a module-level dict is exported as `SIMPLE_JWT.SIGNING_KEY`. */
function dictExports(state: FileState, name: string, value: PyNode, scope: Scope): void {
  const dict = unparen(value);
  if (dict.type !== 'dictionary') return;
  for (const pair of namedKids(dict)) {
    const key = pair.type === 'pair' ? field(pair, 'key') : null;
    const entry = pair.type === 'pair' ? field(pair, 'value') : null;
    if (!key || !entry || !isPlainString(unparen(key))) continue;
    const member = stringContent(state, unparen(key));
    const sources = traceValue(state, entry, scope, secretish(member));
    if (meaningful(sources)) push(state, `${name}.${member}`, 'attribute', sources, key);
  }
}

/** Records the module's exported values (EXTRACTION.md "Exports"). */
export function collectExports(state: FileState): void {
  const module = state.module;
  for (const [name, assigns] of module.assigns) {
    const last = assigns[assigns.length - 1];
    dictExports(state, name, last.value, last.scope);
    const cls = instanceClassOf(state, last.value, last.scope);
    if (cls) {
      classExports(state, cls, name);
      continue;
    }
    const sources = traceValue(state, last.value, last.scope, secretish(name));
    if (meaningful(sources)) push(state, name, 'const', sources, last.target);
  }
  for (const [name, fn] of module.functions) {
    const returned = fn.returns.map((value) => instanceClassOf(state, value, fn)).find((cls) => cls !== null);
    if (returned) {
      // `get_settings()` returning a settings instance: members as `get_settings.attr`.
      classExports(state, returned, name);
      continue;
    }
    const sources = traceFunctionReturns(state, fn, secretish(name));
    const nameNode = fn.node.children.find((kid) => kid.field === 'name') ?? fn.node;
    if (meaningful(sources)) push(state, name, 'function', sources, nameNode);
  }
  for (const [name, cls] of module.classes) classExports(state, cls, name);
  // `from .common import *` (Django settings modules, package re-exports): names are looked up there too.
  for (const fact of state.facts.imports) {
    if (fact.kind !== 'py-from' || fact.inFunction || !fact.bindings.some((b) => b.local === '*')) continue;
    state.facts.exports.push({
      name: '*',
      kind: 'const',
      value: { sources: [{ kind: 'import', module: fact.specifier, name: '*', path: [], call: false, loc: fact.loc }] },
      loc: fact.loc,
    });
  }
  if (!state.isInit) return;
  for (const binding of state.bindings.values()) {
    if (!binding.topLevel || binding.imported === null) continue;
    const source: ValueSource = {
      kind: 'import',
      module: binding.module,
      name: binding.imported,
      path: [],
      call: false,
      loc: state.lines.loc(binding.node.start, binding.node.end),
    };
    push(state, binding.local, 'const', [source], binding.node);
  }
}
