// Traces a value expression (a JWT key, an exported constant) to env reads, literals, constants or imports.
import type { ValueSource } from '../facts.js';
import { addSecretLiteral } from './env.js';
import { isPlainString, literalLength } from './names.js';
import { lookupName, stringContent, textOf, type Assign, type ClassInfo, type FileState, type Scope } from './scopes.js';
import { field, firstNamedKid, namedKids, unparen, type PyNode } from './tree.js';

const MAX_DEPTH = 8;
const TRANSPARENT_METHODS = new Set(['encode', 'decode', 'strip', 'rstrip', 'lstrip', 'get_secret_value', '__str__']);
const TRANSPARENT_FUNCTIONS = new Set(['str', 'bytes', 'bytearray']);
/** Modules whose functions derive a key from other key material (decoding, hashing, loading a PEM or JWK). */
const DERIVING_MODULES = ['hashlib', 'hmac', 'base64', 'binascii', 'cryptography', 'jwt.algorithms', 'jose.jwk', 'jwcrypto.jwk', 'authlib.jose'];
const DIGEST_METHODS = new Set(['digest', 'hexdigest']);
const RANDOM_ROOTS = new Set(['secrets', 'random', 'uuid', 'os', 'time', 'datetime']);
/** Modules whose functions are pure: applied to constants, they give a constant. */
const PURE_MODULES = new Set(['hashlib', 'hmac', 'base64', 'binascii', 'codecs', 'zlib']);

type ObjRef =
  | { kind: 'instance'; cls: ClassInfo }
  | { kind: 'class'; cls: ClassInfo }
  | { kind: 'import'; module: string; name: string; path: string[]; call: boolean }
  | { kind: 'module'; module: string };

type Callable = { kind: 'function'; scope: Scope } | ObjRef;

interface Tracer {
  state: FileState;
  /** Mark literals reached as secret material (for JWT keys). */
  secret: boolean;
}

/** A short description of an expression built from identifiers only (never literal text). */
function describe(state: FileState, node: PyNode, depth = 0): string {
  const n = unparen(node);
  if (depth > MAX_DEPTH) return '…';
  switch (n.type) {
    case 'identifier':
      return textOf(state, n);
    case 'attribute': {
      const object = field(n, 'object');
      const attr = field(n, 'attribute');
      return `${object ? describe(state, object, depth + 1) : '…'}.${attr ? textOf(state, attr) : '…'}`;
    }
    case 'call': {
      const fn = field(n, 'function');
      return `${fn ? describe(state, fn, depth + 1) : '…'}()`;
    }
    case 'subscript': {
      const value = field(n, 'value');
      return `${value ? describe(state, value, depth + 1) : '…'}[]`;
    }
    case 'string':
    case 'concatenated_string':
      return 'str';
    case 'integer':
    case 'float':
      return 'number';
    case 'binary_operator': {
      const left = field(n, 'left');
      const right = field(n, 'right');
      const operator = field(n, 'operator');
      return `${left ? describe(state, left, depth + 1) : '…'} ${operator ? textOf(state, operator) : '?'} ${right ? describe(state, right, depth + 1) : '…'}`;
    }
    default:
      return n.type.replace(/_/g, ' ');
  }
}

/** Whether an expression is built only from constants; `literal` tells whether a literal is involved. */
function constantInfo(state: FileState, node: PyNode, scope: Scope, depth: number): { literal: boolean } | null {
  if (depth > MAX_DEPTH) return null;
  const n = unparen(node);
  if (isPlainString(n) || n.type === 'integer' || n.type === 'float') return { literal: true };
  switch (n.type) {
    case 'binary_operator': {
      const left = field(n, 'left');
      const right = field(n, 'right');
      const l = left ? constantInfo(state, left, scope, depth + 1) : null;
      const r = right ? constantInfo(state, right, scope, depth + 1) : null;
      return l && r ? { literal: l.literal || r.literal } : null;
    }
    case 'identifier': {
      const found = lookupName(state, textOf(state, n), scope, n.start);
      return found?.kind === 'assign' ? constantInfo(state, found.assign.value, found.assign.scope, depth + 1) : null;
    }
    case 'call': {
      if (state.readsAt.has(n)) return null;
      const fn = field(n, 'function');
      if (!fn) return null;
      let literal = false;
      let root = unparen(fn);
      while (root.type === 'attribute') {
        const object = field(root, 'object');
        if (!object) break;
        root = unparen(object);
      }
      if (root.type === 'identifier') {
        const name = textOf(state, root);
        const found = lookupName(state, name, scope, root.start);
        if (found === null) {
          if (RANDOM_ROOTS.has(name)) return null;
        } else if (found.kind === 'import') {
          // Only known pure functions of constants derive a constant (`hashlib.sha256(b"x")`); anything else may fetch a secret.
          if (!PURE_MODULES.has(found.binding.module.split('.')[0])) return null;
        } else if (found.kind === 'assign') {
          const inner = constantInfo(state, found.assign.value, found.assign.scope, depth + 1);
          if (!inner) return null;
          literal ||= inner.literal;
        } else return null;
      } else {
        const inner = constantInfo(state, root, scope, depth + 1);
        if (!inner) return null;
        literal ||= inner.literal;
      }
      const args = field(n, 'arguments');
      for (const arg of args ? namedKids(args) : []) {
        const value = arg.type === 'keyword_argument' ? field(arg, 'value') : arg;
        if (!value) return null;
        const inner = constantInfo(state, value, scope, depth + 1);
        if (!inner) return null;
        literal ||= inner.literal;
      }
      return { literal };
    }
    default:
      return null;
  }
}

function unknown(state: FileState, node: PyNode, text: string): ValueSource {
  return { kind: 'unknown', text, loc: state.lines.loc(node.start, node.end) };
}

function importSource(state: FileState, ref: { module: string; name: string; path: string[]; call: boolean }, node: PyNode): ValueSource {
  return { kind: 'import', module: ref.module, name: ref.name, path: [...ref.path], call: ref.call, loc: state.lines.loc(node.start, node.end) };
}

function envSources(tracer: Tracer, ids: number[]): ValueSource[] {
  const out: ValueSource[] = [];
  for (const id of ids) {
    out.push({ kind: 'env', read: id });
    const defaultNode = tracer.state.readDefaultLoc.get(id);
    if (tracer.secret && defaultNode) addSecretLiteral(tracer.state, defaultNode);
  }
  return out;
}

/** Attribute of a module reference: a submodule when one is imported as such, else an imported name. */
function moduleAttr(state: FileState, module: string, attr: string): ObjRef {
  const sub = `${module}.${attr}`;
  for (const fact of state.facts.imports) if (fact.specifier === sub) return { kind: 'module', module: sub };
  return { kind: 'import', module, name: attr, path: [], call: false };
}

function classMember(state: FileState, cls: ClassInfo, name: string, depth: number): { kind: 'attr' | 'method'; cls: ClassInfo } | null {
  if (cls.fieldReads.has(name) || cls.selfAttrs.has(name) || cls.scope.assigns.has(name)) return { kind: 'attr', cls };
  if (cls.scope.functions.has(name)) return { kind: 'method', cls };
  if (depth > MAX_DEPTH) return null;
  for (const base of cls.bases) {
    if (base.type !== 'identifier') continue;
    const found = lookupName(state, textOf(state, base), cls.scope.parent ?? cls.scope, base.start);
    if (found?.kind === 'class') {
      const member = classMember(state, found.cls, name, depth + 1);
      if (member) return member;
    }
  }
  return null;
}

function isProperty(state: FileState, fn: Scope): boolean {
  return fn.decorators.some((decorator) => /property$/.test(textOf(state, decorator).replace(/^@\s*/, '')));
}

function resolveCallable(tracer: Tracer, fn: PyNode, scope: Scope, depth: number): Callable | null {
  const state = tracer.state;
  const n = unparen(fn);
  if (n.type === 'identifier') {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (!found) return null;
    if (found.kind === 'function') return { kind: 'function', scope: found.scope };
    if (found.kind === 'class') return { kind: 'class', cls: found.cls };
    if (found.kind === 'import') return importRef(found.binding);
    return null;
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!object || !attr) return null;
    const name = textOf(state, attr);
    const base = resolveObject(tracer, object, scope, depth + 1);
    if (!base) return null;
    if (base.kind === 'instance' || base.kind === 'class') {
      const member = classMember(state, base.cls, name, 0);
      const method = member?.kind === 'method' ? member.cls.scope.functions.get(name) : undefined;
      return method ? { kind: 'function', scope: method } : null;
    }
    if (base.kind === 'import') return { ...base, path: [...base.path, name] };
    return moduleAttr(state, base.module, name);
  }
  return null;
}

/** An imported name as an object reference: a whole module, or one name from it. */
function importRef(binding: { module: string; imported: string | null }): ObjRef {
  return binding.imported === null
    ? { kind: 'module', module: binding.module }
    : { kind: 'import', module: binding.module, name: binding.imported, path: [], call: false };
}

function resolveObject(tracer: Tracer, node: PyNode, scope: Scope, depth: number): ObjRef | null {
  if (depth > MAX_DEPTH) return null;
  const state = tracer.state;
  const n = unparen(node);
  if (n.type === 'identifier') {
    const name = textOf(state, n);
    if ((name === 'self' || name === 'cls') && scope.cls && scope.kind === 'function') {
      return name === 'self' ? { kind: 'instance', cls: scope.cls } : { kind: 'class', cls: scope.cls };
    }
    const found = lookupName(state, name, scope, n.start);
    if (!found) return null;
    if (found.kind === 'assign') return resolveObject(tracer, found.assign.value, found.assign.scope, depth + 1);
    if (found.kind === 'class') return { kind: 'class', cls: found.cls };
    if (found.kind === 'import') return importRef(found.binding);
    return null;
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const callable = fn ? resolveCallable(tracer, fn, scope, depth + 1) : null;
    if (!callable) return null;
    if (callable.kind === 'class') return { kind: 'instance', cls: callable.cls };
    if (callable.kind === 'import') return { ...callable, call: true };
    if (callable.kind === 'function') {
      for (const value of callable.scope.returns) {
        const ref = resolveObject(tracer, value, callable.scope, depth + 1);
        if (ref) return ref;
      }
    }
    return null;
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    if (!object || !attr) return null;
    const name = textOf(state, attr);
    const base = resolveObject(tracer, object, scope, depth + 1);
    if (!base) return null;
    if (base.kind === 'import') return { ...base, path: [...base.path, name] };
    if (base.kind === 'module') return moduleAttr(state, base.module, name);
    const member = classMember(state, base.cls, name, 0);
    if (member?.kind !== 'attr') return null;
    const assigns = member.cls.selfAttrs.get(name) ?? member.cls.scope.assigns.get(name) ?? [];
    for (const assign of assigns) {
      const ref = resolveObject(tracer, assign.value, assign.scope, depth + 1);
      if (ref) return ref;
    }
    return null;
  }
  return null;
}

function dedupe(sources: ValueSource[]): ValueSource[] {
  const seen = new Set<string>();
  const out: ValueSource[] = [];
  for (const source of sources) {
    const key = source.kind === 'env' ? `env:${source.read}` : `${source.kind}:${source.loc.line}:${source.loc.column}:${source.loc.endColumn}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(source);
  }
  return out;
}

/**
 * What a `return self.cached` gives at that point: the value assigned to `self.cached` by the statement
 * just before the return; nothing for a cache check (`if self.cached: return self.cached`, the value
 * the other returns compute); else the return itself.
 */
function returnValue(state: FileState, value: PyNode): PyNode | null {
  const v = unparen(value);
  if (v.type !== 'attribute') return value;
  const text = textOf(state, v);
  const statement = value.parent?.type === 'return_statement' ? value.parent : null;
  const block = statement?.parent;
  if (!statement || !block) return value;
  const siblings = namedKids(block);
  const previous = siblings[siblings.indexOf(statement) - 1];
  const assignment = previous?.type === 'expression_statement' ? firstNamedKid(previous) : previous;
  if (assignment?.type === 'assignment') {
    const left = field(assignment, 'left');
    const right = field(assignment, 'right');
    if (left && right && textOf(state, unparen(left)) === text) return right;
  }
  const guard = block.parent?.type === 'if_statement' ? field(block.parent, 'condition') : null;
  if (guard && textOf(state, guard).includes(text) && siblings.length === 1) return null;
  return value;
}

/** Whether a node sits in the body of an `if` that tests for a missing value (`if not x`, `if x is None`, `if x == ""`). */
function inMissingBranch(state: FileState, node: PyNode, fn: PyNode): boolean {
  for (let child = node, p = node.parent; p && p !== fn; child = p, p = p.parent) {
    if (p.type !== 'if_statement' || child.field !== 'consequence') continue;
    const condition = field(p, 'condition');
    if (condition && /^not\s|\bis\s+None\b|==\s*(""|'')/.test(textOf(state, condition).trim())) return true;
  }
  return false;
}

function traceReturns(tracer: Tracer, fn: Scope, node: PyNode, depth: number, seen: Set<PyNode>): ValueSource[] {
  if (seen.has(fn.node)) return [unknown(tracer.state, node, `recursive call to ${fn.qual ?? 'function'}()`)];
  if (fn.returns.length === 0) return [unknown(tracer.state, node, `call to ${fn.qual ?? 'function'}()`)];
  const next = new Set(seen).add(fn.node);
  const out: ValueSource[] = [];
  // Returns in a branch taken when a value is missing (`if not secret: return "dev"`) are tried last.
  const ordered = [...fn.returns].sort((a, b) => Number(inMissingBranch(tracer.state, a, fn.node)) - Number(inMissingBranch(tracer.state, b, fn.node)));
  for (const returned of ordered) {
    const value = returnValue(tracer.state, returned);
    if (value && unparen(value).type !== 'none') out.push(...trace(tracer, value, fn, depth + 1, next));
  }
  return out;
}

/** Traces an attribute of a class (instance or class object). */
function traceMember(tracer: Tracer, cls: ClassInfo, name: string, node: PyNode, depth: number, seen: Set<PyNode>): ValueSource[] | null {
  const state = tracer.state;
  const member = classMember(state, cls, name, 0);
  if (!member) return null;
  const owner = member.cls;
  if (member.kind === 'method') {
    const method = owner.scope.functions.get(name);
    return method && isProperty(state, method) ? traceReturns(tracer, method, node, depth, seen) : null;
  }
  const reads = owner.fieldReads.get(name);
  if (reads) return envSources(tracer, reads);
  const assigns = owner.selfAttrs.get(name) ?? owner.scope.assigns.get(name) ?? [];
  const out: ValueSource[] = [];
  for (const assign of assigns) {
    if (seen.has(assign.value) || unparen(assign.value).type === 'none') continue;
    out.push(...trace(tracer, assign.value, assign.scope, depth + 1, new Set(seen).add(assign.value)));
  }
  return out.length > 0 ? out : null;
}

function trace(tracer: Tracer, node: PyNode, scope: Scope, depth: number, seen: Set<PyNode>): ValueSource[] {
  const state = tracer.state;
  const n = unparen(node);
  if (depth > MAX_DEPTH) return [unknown(state, n, 'trace too deep')];
  const reads = state.readsAt.get(n);
  if (reads) return envSources(tracer, reads);
  if (isPlainString(n)) {
    if (tracer.secret) addSecretLiteral(state, n);
    return [{ kind: 'literal', length: literalLength(state, n), loc: state.lines.loc(n.start, n.end) }];
  }
  switch (n.type) {
    case 'boolean_operator': {
      const operator = field(n, 'operator');
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (operator && left && right && textOf(state, operator) === 'or') {
        return [...trace(tracer, left, scope, depth + 1, seen), ...trace(tracer, right, scope, depth + 1, seen)];
      }
      break;
    }
    case 'conditional_expression': {
      const kids = namedKids(n);
      if (kids.length === 3) return [...trace(tracer, kids[0], scope, depth + 1, seen), ...trace(tracer, kids[2], scope, depth + 1, seen)];
      break;
    }
    case 'await':
    case 'named_expression': {
      const inner = n.type === 'await' ? firstNamedKid(n) : field(n, 'value');
      if (inner) return trace(tracer, inner, scope, depth + 1, seen);
      break;
    }
    case 'identifier': {
      const name = textOf(state, n);
      const found = lookupName(state, name, scope, n.start);
      if (!found) return [unknown(state, n, `name ${name}`)];
      if (found.kind === 'assign') {
        if (seen.has(found.assign.value)) return [unknown(state, n, `name ${name}`)];
        const out: ValueSource[] = [];
        for (const assign of reachingAssigns(found.assign, name, n.start)) {
          if (seen.has(assign.value)) continue;
          out.push(...trace(tracer, assign.value, assign.scope, depth + 1, new Set(seen).add(assign.value)));
        }
        return out;
      }
      if (found.kind === 'param') {
        if (found.value) return trace(tracer, found.value, found.scope.parent ?? found.scope, depth + 1, seen);
        return [unknown(state, n, `parameter ${name}`)];
      }
      if (found.kind === 'import') {
        const binding = found.binding;
        return [importSource(state, { module: binding.module, name: binding.imported ?? '*', path: [], call: false }, n)];
      }
      return [unknown(state, n, `${found.kind} ${name}`)];
    }
    case 'attribute': {
      const object = field(n, 'object');
      const attr = field(n, 'attribute');
      if (!object || !attr) break;
      const name = textOf(state, attr);
      const base = resolveObject(tracer, object, scope, depth + 1);
      if (base?.kind === 'instance' || base?.kind === 'class') {
        const member = traceMember(tracer, base.cls, name, n, depth, seen);
        if (member) return member;
      } else if (base?.kind === 'import') {
        return [importSource(state, { ...base, path: [...base.path, name] }, n)];
      } else if (base?.kind === 'module') {
        const ref = moduleAttr(state, base.module, name);
        if (ref.kind === 'import') return [importSource(state, ref, n)];
      }
      return [unknown(state, n, `attribute ${describe(state, n)}`)];
    }
    case 'call': {
      const fn = field(n, 'function');
      if (!fn) break;
      const constant = constantInfo(state, n, scope, depth);
      if (constant?.literal) return [{ kind: 'constant-derived', loc: state.lines.loc(n.start, n.end), description: describe(state, n) }];
      const f = unparen(fn);
      if (f.type === 'attribute') {
        const method = field(f, 'attribute');
        const object = field(f, 'object');
        const args = field(n, 'arguments');
        const plainArgs = args ? namedKids(args) : [];
        const transparent = plainArgs.length <= 1 && plainArgs.every((arg) => isPlainString(unparen(arg)));
        if (method && object && transparent && TRANSPARENT_METHODS.has(textOf(state, method))) return trace(tracer, object, scope, depth + 1, seen);
        // `key.replace("\\n", "\n")`: a PEM key with its escaped newlines restored is still that key.
        if (method && object && textOf(state, method) === 'replace' && plainArgs.length === 2 && plainArgs.every((arg) => isPlainString(unparen(arg))))
          return trace(tracer, object, scope, depth + 1, seen);
      } else if (f.type === 'identifier' && TRANSPARENT_FUNCTIONS.has(textOf(state, f))) {
        const args = field(n, 'arguments');
        const first = args ? firstNamedKid(args) : undefined;
        if (first && first.type !== 'keyword_argument') return trace(tracer, first, scope, depth + 1, seen);
      }
      // `hashlib.sha256(secret).digest()`: the digest of a derivation is the derivation's.
      if (f.type === 'attribute') {
        const method = field(f, 'attribute');
        const object = field(f, 'object');
        if (method && object && DIGEST_METHODS.has(textOf(state, method)) && unparen(object).type === 'call')
          return trace(tracer, object, scope, depth + 1, seen);
      }
      const callable = resolveCallable(tracer, fn, scope, depth + 1);
      if (callable?.kind === 'function') return traceReturns(tracer, callable.scope, n, depth, seen);
      // A key derived from other key material (base64 decoding, a hash or HMAC of it, a PEM or JWK loader): the material's source.
      const dotted = callable?.kind === 'import' ? [callable.module, callable.name, ...callable.path].join('.') : '';
      if (DERIVING_MODULES.some((m) => dotted === m || dotted.startsWith(`${m}.`))) {
        const args = field(n, 'arguments');
        const first = args ? firstNamedKid(args) : undefined;
        if (first && first.type !== 'keyword_argument') return trace(tracer, first, scope, depth + 1, seen);
      }
      if (callable?.kind === 'import') return [importSource(state, { ...callable, call: true }, n)];
      if (callable?.kind === 'module') {
        return [importSource(state, { module: callable.module, name: '*', path: [], call: true }, n)];
      }
      return [unknown(state, n, `call to ${describe(state, n)}`)];
    }
    case 'binary_operator': {
      const constant = constantInfo(state, n, scope, depth);
      if (constant?.literal) return [{ kind: 'constant-derived', loc: state.lines.loc(n.start, n.end), description: describe(state, n) }];
      const left = field(n, 'left');
      const right = field(n, 'right');
      const operator = field(n, 'operator');
      if (left && right && operator && textOf(state, operator) === '+') {
        const mixed = mixedKey(tracer, n, [left, right], scope, depth, seen);
        if (mixed) return mixed;
      }
      break;
    }
    case 'string': {
      const parts = namedKids(n)
        .filter((k) => k.type === 'interpolation')
        .map((k) => firstNamedKid(k))
        .filter((k): k is PyNode => k !== undefined);
      const mixed = parts.length > 0 ? mixedKey(tracer, n, parts, scope, depth, seen) : null;
      if (mixed) return mixed;
      break;
    }
    case 'subscript': {
      const value = field(n, 'value');
      const key = field(n, 'subscript');
      // `digest[:32]`, `key[0]`: a slice of a value is derived from it (a constant's slice is a constant).
      if (value && key && (key.type === 'slice' || key.type === 'integer')) {
        const constant = constantInfo(state, value, scope, depth);
        if (constant?.literal) return [{ kind: 'constant-derived', loc: state.lines.loc(n.start, n.end), description: describe(state, n) }];
        return trace(tracer, value, scope, depth + 1, seen);
      }
      if (value && key && isPlainString(unparen(key))) {
        const keyText = state.text.slice(unparen(key).start, unparen(key).end);
        const dict = dictOf(state, value, scope, depth);
        if (dict) {
          for (const pair of namedKids(dict.node)) {
            const pairKey = pair.type === 'pair' ? field(pair, 'key') : null;
            const pairValue = pair.type === 'pair' ? field(pair, 'value') : null;
            if (pairKey && pairValue && keyText.slice(1, -1) === state.text.slice(pairKey.start + 1, pairKey.end - 1)) {
              return trace(tracer, pairValue, dict.scope, depth + 1, seen);
            }
          }
        }
        // `settings.SIMPLE_JWT["SIGNING_KEY"]` on an imported object: the key joins the attribute path.
        const base = dict ? null : resolveObject(tracer, value, scope, depth + 1);
        if (base?.kind === 'import') return [importSource(state, { ...base, path: [...base.path, stringContent(state, unparen(key))] }, n)];
      }
      return [unknown(state, n, describe(state, n))];
    }
    default:
      break;
  }
  return [unknown(state, n, describe(state, n))];
}

/**
 * A key put together from parts (`f"{view.slug}-{settings.SECRET_KEY}"`, `salt + secret`): the secret
 * parts' sources, plus a `mixed` source when other parts vary per object. Null when no part is a secret.
 */
function mixedKey(tracer: Tracer, whole: PyNode, parts: PyNode[], scope: Scope, depth: number, seen: Set<PyNode>): ValueSource[] | null {
  const { state } = tracer;
  const secret: ValueSource[] = [];
  const other: string[] = [];
  for (const part of parts) {
    if (constantInfo(state, part, scope, depth + 1)) continue;
    const sources = trace(tracer, part, scope, depth + 1, seen);
    if (sources.some((s) => s.kind === 'env' || s.kind === 'import')) secret.push(...sources.filter((s) => s.kind !== 'unknown'));
    else other.push(describe(state, part));
  }
  if (secret.length === 0) return null;
  return other.length > 0 ? [...secret, { kind: 'mixed', text: other.join(', '), loc: state.lines.loc(whole.start, whole.end) }] : secret;
}

/** The `if` statement (inside `within`) that holds `node`, if any. */
function enclosingIf(node: PyNode, within: PyNode): PyNode | null {
  for (let p = node.parent; p && p !== within; p = p.parent) if (p.type === 'if_statement' || p.type === 'else_clause' || p.type === 'elif_clause') return p;
  return null;
}

/**
 * The assignments whose value may reach a use: the last one before it, and — while that one sits in
 * a branch that does not also hold the use (`x = getenv("A")` then `if not x: x = getenv("B")`) —
 * the one before it too. Earliest first, the order the values are tried.
 */
function reachingAssigns(picked: Assign, name: string, position: number): Assign[] {
  const all = (picked.scope.assigns.get(name) ?? []).filter((a) => a.target.start < position);
  const index = all.indexOf(picked);
  if (index < 0) return [picked];
  const out: Assign[] = [picked];
  for (let i = index; i > 0; i--) {
    const branch = enclosingIf(all[i].target, picked.scope.node);
    if (!branch || (position >= branch.start && position < branch.end)) break;
    out.unshift(all[i - 1]);
  }
  return out;
}

function dictOf(state: FileState, node: PyNode, scope: Scope, depth: number): { node: PyNode; scope: Scope } | null {
  const n = unparen(node);
  if (n.type === 'dictionary') return { node: n, scope };
  if (n.type === 'identifier' && depth < MAX_DEPTH) {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (found?.kind === 'assign') return dictOf(state, found.assign.value, found.assign.scope, depth + 1);
  }
  return null;
}

/**
 * Traces a value to its ordered sources. With `secret`, literals reached (and literal defaults
 * of env reads reached) are recorded in `secretLiterals`.
 */
export function traceValue(state: FileState, node: PyNode, scope: Scope, secret: boolean): ValueSource[] {
  return dedupe(trace({ state, secret }, node, scope, 0, new Set()));
}

/** Traces a class member (`Class.attr` / `instance.attr`), or null when the class has no such member. */
export function traceClassMember(state: FileState, cls: ClassInfo, name: string, at: PyNode, secret: boolean): ValueSource[] | null {
  const sources = traceMember({ state, secret }, cls, name, at, 0, new Set());
  return sources ? dedupe(sources) : null;
}

/** The class a module-level value is an instance of (`settings = Settings()`, `get_settings()`). */
export function instanceClassOf(state: FileState, node: PyNode, scope: Scope): ClassInfo | null {
  const ref = resolveObject({ state, secret: false }, node, scope, 0);
  return ref?.kind === 'instance' ? ref.cls : null;
}

/** Traces the return values of a function scope. */
export function traceFunctionReturns(state: FileState, fn: Scope, secret: boolean): ValueSource[] {
  return dedupe(traceReturns({ state, secret }, fn, fn.node, 0, new Set()));
}
