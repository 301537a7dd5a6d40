// First pass over a Python module: scopes, assignments, class attributes, import bindings and import facts.
import type { FileFacts, ImportFact } from '../facts.js';
import { LineMap, field, firstNamedKid, namedKids, unparen, type PyNode } from './tree.js';
import { reverseFrom } from '../../util/order.js';

/** A name bound by an import: `import a.b as c` (module binding) or `from m import x as y`. */
interface ImportBinding {
  local: string;
  module: string;
  /** The imported name for `from … import`; null for a module binding. */
  imported: string | null;
  node: PyNode;
  /** Module-level and outside `if TYPE_CHECKING`/functions. */
  topLevel: boolean;
}

export interface Assign {
  target: PyNode;
  value: PyNode;
  scope: Scope;
}

export interface ClassInfo {
  name: string;
  node: PyNode;
  scope: Scope;
  bases: PyNode[];
  /** `self.x = …` assignments in any method, by attribute name. */
  selfAttrs: Map<string, Assign[]>;
  /** Field name → env read ids (pydantic settings classes). */
  fieldReads: Map<string, number[]>;
  /** Field name → the field's name node (pydantic settings classes). */
  fieldNodes: Map<string, PyNode>;
  settings: boolean | null;
}

export interface Scope {
  kind: 'module' | 'function' | 'class';
  node: PyNode;
  /** Qualified name (`Class.method`), null for the module. */
  qual: string | null;
  parent: Scope | null;
  assigns: Map<string, Assign[]>;
  /** Parameter name → its default value node (null without default). */
  params: Map<string, PyNode | null>;
  returns: PyNode[];
  functions: Map<string, Scope>;
  classes: Map<string, ClassInfo>;
  /** The class a method belongs to, or the class of a class scope. */
  cls: ClassInfo | null;
  decorators: PyNode[];
}

/** Everything the later passes share about one file. */
export interface FileState {
  text: string;
  lines: LineMap;
  facts: FileFacts;
  module: Scope;
  /** Scope of each function_definition / class_definition node. */
  scopeOf: Map<PyNode, Scope>;
  bindings: Map<string, ImportBinding>;
  /** Env read ids produced by an expression node. */
  readsAt: Map<PyNode, number[]>;
  /** Span of a literal default per read id (added to secretLiterals when the read flows into a key). */
  readDefaultLoc: Map<number, PyNode>;
  accessors: string[];
  isInit: boolean;
  /** Hosts of `secretLiterals` already recorded (start offsets). */
  secretStarts: Set<number>;
  /**
   * What `envWrapper` found of each function, kept on the file's state rather than in a module-level
   * WeakMap keyed by it: V8's young-generation collections kept that WeakMap's values alive, so every
   * file's tree (a scope holds its node) outlived its extraction and was copied and promoted to the
   * old generation (docs/performance.md, round 31).
   */
  wrappers?: Map<Scope, unknown>;
}

/** Text of a node. */
export function textOf(state: FileState, node: PyNode): string {
  return state.text.slice(node.start, node.end);
}

function newScope(kind: Scope['kind'], node: PyNode, qual: string | null, parent: Scope | null, cls: ClassInfo | null): Scope {
  return {
    kind,
    node,
    qual,
    parent,
    assigns: new Map(),
    params: new Map(),
    returns: [],
    functions: new Map(),
    classes: new Map(),
    cls,
    decorators: [],
  };
}

/** A new module scope for a root node. */
export function moduleScope(root: PyNode): Scope {
  return newScope('module', root, null, null, null);
}

interface Flags {
  inFunction: boolean;
  inTypeChecking: boolean;
  inTry: boolean;
}

function addAssign(map: Map<string, Assign[]>, name: string, assign: Assign): void {
  const list = map.get(name);
  if (list) list.push(assign);
  else map.set(name, [assign]);
}

function isTypeChecking(state: FileState, condition: PyNode | null): boolean {
  if (!condition) return false;
  const inner = unparen(condition);
  // Most conditions are longer than the longest spelling: no slice of their text is needed.
  if (inner.end - inner.start > 'typing.TYPE_CHECKING'.length) return false;
  const text = textOf(state, inner);
  return text === 'TYPE_CHECKING' || text === 'typing.TYPE_CHECKING' || text === 't.TYPE_CHECKING';
}

/** The nearest enclosing function scope (for `return`). */
function functionScope(scope: Scope): Scope | null {
  let current: Scope | null = scope;
  while (current && current.kind !== 'function') current = current.parent;
  return current;
}

/** Records assignment targets (identifiers, `self.x`, simple tuple unpacking). */
function recordTargets(state: FileState, target: PyNode, value: PyNode, scope: Scope): void {
  const t = unparen(target);
  if (t.type === 'identifier') {
    addAssign(scope.assigns, textOf(state, t), { target: t, value, scope });
  } else if (t.type === 'attribute') {
    const object = field(t, 'object');
    const attr = field(t, 'attribute');
    if (object && attr && object.type === 'identifier' && scope.cls && scope.kind === 'function') {
      const objectName = textOf(state, object);
      if (objectName === 'self' || objectName === 'cls') {
        addAssign(scope.cls.selfAttrs, textOf(state, attr), { target: attr, value, scope });
      }
    }
  } else if ((t.type === 'pattern_list' || t.type === 'tuple_pattern') && (value.type === 'expression_list' || value.type === 'tuple')) {
    const targets = namedKids(t);
    const values = namedKids(value);
    if (targets.length === values.length) {
      for (let i = 0; i < targets.length; i++) recordTargets(state, targets[i], values[i], scope);
    }
  }
}

function recordParams(state: FileState, params: PyNode | null, scope: Scope): void {
  if (!params) return;
  for (const param of namedKids(params)) {
    if (param.type === 'identifier') scope.params.set(textOf(state, param), null);
    else if (param.type === 'typed_parameter') {
      const name = namedKids(param).find((kid) => kid.type === 'identifier');
      if (name) scope.params.set(textOf(state, name), null);
    } else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') {
      const name = field(param, 'name');
      if (name) scope.params.set(textOf(state, name), field(param, 'value'));
    }
  }
}

/** Dotted text of a `dotted_name` / `relative_import` node without whitespace. */
function dotted(state: FileState, node: PyNode): string {
  return textOf(state, node).replace(/\s+/g, '');
}

function importFact(state: FileState, specifier: string, kind: ImportFact['kind'], specNode: PyNode, flags: Flags): ImportFact {
  const fact: ImportFact = {
    specifier,
    kind,
    bindings: [],
    typeOnly: false,
    inFunction: flags.inFunction,
    inTypeChecking: flags.inTypeChecking,
    inTry: flags.inTry,
    loc: state.lines.loc(specNode.start, specNode.end),
  };
  state.facts.imports.push(fact);
  return fact;
}

function bind(state: FileState, binding: ImportBinding): void {
  const existing = state.bindings.get(binding.local);
  // The first top-level binding wins over later conditional ones (try/except fallbacks).
  if (!existing || (!existing.topLevel && binding.topLevel)) state.bindings.set(binding.local, binding);
}

function collectImport(state: FileState, node: PyNode, flags: Flags, topLevel: boolean): void {
  if (node.type === 'import_statement') {
    for (const name of node.children) {
      if (name.field !== 'name') continue;
      const dottedNode = name.type === 'aliased_import' ? field(name, 'name') : name;
      if (!dottedNode) continue;
      const specifier = dotted(state, dottedNode);
      const fact = importFact(state, specifier, 'py-import', dottedNode, flags);
      const alias = name.type === 'aliased_import' ? field(name, 'alias') : null;
      const local = alias ? textOf(state, alias) : specifier.split('.')[0];
      fact.bindings.push({ local, imported: '*' });
      bind(state, { local, module: alias ? specifier : local, imported: null, node: name, topLevel });
    }
    return;
  }
  const moduleNode = field(node, 'module_name');
  if (!moduleNode) return;
  const specifier = dotted(state, moduleNode);
  const fact = importFact(state, specifier, 'py-from', moduleNode, flags);
  for (const name of node.children) {
    if (name.type === 'wildcard_import') {
      fact.bindings.push({ local: '*', imported: '*' });
      continue;
    }
    if (name.field !== 'name') continue;
    const importedNode = name.type === 'aliased_import' ? field(name, 'name') : name;
    if (!importedNode) continue;
    const imported = dotted(state, importedNode);
    const alias = name.type === 'aliased_import' ? field(name, 'alias') : null;
    const local = alias ? textOf(state, alias) : imported;
    fact.bindings.push({ local, imported });
    bind(state, { local, module: specifier, imported, node: name, topLevel });
  }
}

/** `importlib.import_module('x')` / `import_module('x')` / `__import__('x')` with a literal. */
function collectDynamicImport(state: FileState, call: PyNode, flags: Flags): void {
  const fn = field(call, 'function');
  if (!fn) return;
  const callee = textOf(state, fn);
  if (callee !== 'importlib.import_module' && callee !== 'import_module' && callee !== '__import__') return;
  const args = field(call, 'arguments');
  const first = args ? firstNamedKid(args) : undefined;
  if (!first || first.type !== 'string' || first.children.some((kid) => kid.type === 'interpolation')) return;
  const content = stringContent(state, first);
  const fact = importFact(state, content, 'py-importlib', first, flags);
  const parent = call.parent;
  if (parent?.type === 'assignment') {
    const left = field(parent, 'left');
    if (left?.type === 'identifier') fact.bindings.push({ local: textOf(state, left), imported: '*' });
  }
}

/** The raw text between a string literal's quotes (prefix excluded). */
export function stringContent(state: FileState, node: PyNode): string {
  const startNode = node.children[0];
  const endNode = node.children[node.children.length - 1];
  if (!startNode || !endNode || startNode.type !== 'string_start' || endNode.type !== 'string_end') return '';
  return state.text.slice(startNode.end, endNode.start);
}

/**
 * Pass 1: builds the module's scopes (functions, classes, assignments, `self.x` attributes,
 * returns), the import bindings and the import facts.
 */
export function collectScopes(state: FileState): void {
  // Pre-order with an explicit stack (deeply nested expressions must not exhaust the JS stack);
  // a task is a node to visit or an action to run once the subtrees pushed above it are done. The
  // stack is three parallel arrays (the task, its scope, its flags) rather than an object per task:
  // every node is a task, and those objects were a sixth of what Python extraction allocated.
  const tasks: (PyNode | (() => void))[] = [];
  const scopes: Scope[] = [];
  const flagStack: Flags[] = [];
  // A task queues its work in source order on top of the stack; the loop then reverses what it
  // queued, so that work runs in that order.
  const visit = (node: PyNode | (() => void), scope: Scope, flags: Flags): void => {
    tasks.push(node);
    scopes.push(scope);
    flagStack.push(flags);
  };
  const step = (node: PyNode, scope: Scope, flags: Flags): void => {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        collectImport(state, node, flags, scope.kind === 'module' && !flags.inTypeChecking);
        return;
      case 'future_import_statement':
        return;
      case 'decorated_definition': {
        const definition = field(node, 'definition');
        for (const kid of node.children) if (kid !== definition) visit(kid, scope, flags);
        if (definition) {
          visit(definition, scope, flags);
          const decorate = (): void => {
            const defScope = state.scopeOf.get(definition);
            if (defScope) for (const kid of node.children) if (kid.type === 'decorator') defScope.decorators.push(kid);
          };
          visit(decorate, scope, flags);
        }
        return;
      }
      case 'function_definition': {
        const nameNode = field(node, 'name');
        const name = nameNode ? textOf(state, nameNode) : '<anonymous>';
        const qual = scope.qual ? `${scope.qual}.${name}` : name;
        const fnScope = newScope('function', node, qual, scope, scope.kind === 'class' ? scope.cls : scope.cls);
        state.scopeOf.set(node, fnScope);
        scope.functions.set(name, fnScope);
        recordParams(state, field(node, 'parameters'), fnScope);
        for (const kid of node.children) if (kid.field === 'parameters') visit(kid, scope, flags);
        const body = field(node, 'body');
        if (body) visit(body, fnScope, { ...flags, inFunction: true });
        return;
      }
      case 'class_definition': {
        const nameNode = field(node, 'name');
        const name = nameNode ? textOf(state, nameNode) : '<anonymous>';
        const qual = scope.qual ? `${scope.qual}.${name}` : name;
        const superclasses = field(node, 'superclasses');
        const info: ClassInfo = {
          name,
          node,
          scope: newScope('class', node, qual, scope, null),
          bases: superclasses ? namedKids(superclasses).filter((kid) => kid.type !== 'keyword_argument') : [],
          selfAttrs: new Map(),
          fieldReads: new Map(),
          fieldNodes: new Map(),
          settings: null,
        };
        info.scope.cls = info;
        state.scopeOf.set(node, info.scope);
        scope.classes.set(name, info);
        const body = field(node, 'body');
        if (body) visit(body, info.scope, flags);
        return;
      }
      case 'lambda':
        for (const kid of node.children) visit(kid, scope, { ...flags, inFunction: true });
        return;
      case 'if_statement': {
        const condition = field(node, 'condition');
        const typeChecking = isTypeChecking(state, condition);
        for (const kid of node.children) {
          visit(kid, scope, kid.field === 'consequence' && typeChecking ? { ...flags, inTypeChecking: true } : flags);
        }
        return;
      }
      case 'try_statement':
        for (const kid of node.children) visit(kid, scope, { ...flags, inTry: true });
        return;
      case 'assignment': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (left && right) {
          // `a = b = value`: the value at the end of the chain. A link without one (`a = b: int`, which
          // tree-sitter accepts in broken code) ends the chain with nothing to record.
          let value: PyNode | null = right;
          while (value?.type === 'assignment') value = field(value, 'right');
          if (value) recordTargets(state, left, value, scope);
        }
        break;
      }
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        if (name && value) recordTargets(state, name, value, scope);
        break;
      }
      case 'return_statement': {
        const fnScope = functionScope(scope);
        const value = firstNamedKid(node);
        if (fnScope && value) fnScope.returns.push(value);
        break;
      }
      case 'call':
        collectDynamicImport(state, node, flags);
        break;
      default:
        break;
    }
    for (const kid of node.children) visit(kid, scope, flags);
  };
  visit(state.module.node, state.module, { inFunction: false, inTypeChecking: false, inTry: false });
  for (let task = tasks.pop(); task !== undefined; task = tasks.pop()) {
    const scope = scopes.pop() as Scope;
    const flags = flagStack.pop() as Flags;
    const mark = tasks.length;
    if (typeof task === 'function') task();
    else step(task, scope, flags);
    reverseFrom(tasks, mark);
    reverseFrom(scopes, mark);
    reverseFrom(flagStack, mark);
  }
}

export type Lookup =
  | { kind: 'assign'; assign: Assign }
  | { kind: 'param'; name: string; value: PyNode | null; scope: Scope }
  | { kind: 'import'; binding: ImportBinding }
  | { kind: 'function'; scope: Scope }
  | { kind: 'class'; cls: ClassInfo };

function pickAssign(list: Assign[], position: number, sameScope: boolean): Assign {
  if (sameScope) {
    let best: Assign | null = null;
    for (const assign of list) if (assign.target.start < position) best = assign;
    if (best) return best;
  }
  return list[list.length - 1];
}

/** Resolves a name as Python would from `scope` at `position` (class bodies are skipped from inner functions). */
export function lookupName(state: FileState, name: string, scope: Scope, position: number): Lookup | null {
  let current: Scope | null = scope;
  while (current) {
    if (current.kind !== 'class' || current === scope) {
      if (current.params.has(name)) return { kind: 'param', name, value: current.params.get(name) ?? null, scope: current };
      const assigns = current.assigns.get(name);
      if (assigns && assigns.length > 0) return { kind: 'assign', assign: pickAssign(assigns, position, current === scope) };
      const fn = current.functions.get(name);
      if (fn) return { kind: 'function', scope: fn };
      const cls = current.classes.get(name);
      if (cls) return { kind: 'class', cls };
    }
    current = current.parent;
  }
  const binding = state.bindings.get(name);
  return binding ? { kind: 'import', binding } : null;
}

/**
 * The imported function a callee names: `f` after `from m import f` gives `{ module: 'm', name: 'f' }`;
 * `mod.f` after `import mod` or `from pkg import mod` gives the module's dotted name and `f`.
 */
export function importedCallee(state: FileState, fn: PyNode, scope: Scope): { module: string; name: string } | null {
  if (fn.type === 'identifier') {
    const found = lookupName(state, textOf(state, fn), scope, fn.start);
    return found?.kind === 'import' && found.binding.imported !== null ? { module: found.binding.module, name: found.binding.imported } : null;
  }
  if (fn.type !== 'attribute') return null;
  const object = field(fn, 'object');
  const attr = field(fn, 'attribute');
  const found = object?.type === 'identifier' ? lookupName(state, textOf(state, object), scope, object.start) : null;
  if (found?.kind !== 'import' || !attr) return null;
  const { module, imported } = found.binding;
  return { module: imported === null ? module : `${module}${module.endsWith('.') ? '' : '.'}${imported}`, name: textOf(state, attr) };
}
