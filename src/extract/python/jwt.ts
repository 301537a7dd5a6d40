// JWT operations in Python: PyJWT, python-jose, authlib, djangorestframework-simplejwt, fastapi-jwt-auth, flask-jwt-extended and Django SIMPLE_JWT.
import type { JwtOp, JwtOpKind } from '../facts.js';
import { analyseDecode } from './decode.js';
import { argument } from './env.js';
import { isPlainString } from './names.js';
import { keyParameter } from './key-calls.js';
import { lookupName, stringContent, textOf, type ClassInfo, type FileState, type Scope } from './scopes.js';
import { traceClassMember, traceValue } from './trace.js';
import { field, namedKids, unparen, type PyNode } from './tree.js';

/** A JWT operation found during the walk; keys are traced once every env read is known. */
export interface JwtSite {
  op: JwtOpKind;
  library: string;
  nameNode: PyNode;
  keyNode: PyNode | null;
  tokenNode: PyNode | null;
  /** Pydantic settings field backing a configure op (`authjwt_secret_key: str`). */
  settingsField: { cls: ClassInfo; name: string } | null;
  scope: Scope;
  /** See `JwtOp.liveIfImported`. */
  liveIfImported?: string;
}

type Library = 'pyjwt' | 'python-jose' | 'authlib';

function libraryOfModule(module: string, imported: string | null): Library | null {
  if (imported === null) {
    if (module === 'jwt' || module === 'jwt.api_jwt') return 'pyjwt';
    if (module === 'jose.jwt') return 'python-jose';
    if (module === 'authlib.jose.jwt') return 'authlib';
    return null;
  }
  if (imported === 'jwt' && module === 'jose') return 'python-jose';
  if (imported === 'jwt' && module === 'authlib.jose') return 'authlib';
  return null;
}

/** The library of an instance created in place: `PyJWT()`, `jwt.PyJWT()`, `JsonWebToken([...])`. */
function constructedLibrary(state: FileState, call: PyNode, scope: Scope): Library | null {
  const fn = field(call, 'function');
  const ctor = fn ? unparen(fn) : null;
  if (ctor?.type === 'identifier') {
    const binding = lookupName(state, textOf(state, ctor), scope, ctor.start);
    if (binding?.kind === 'import') {
      if (binding.binding.module.startsWith('authlib') && binding.binding.imported === 'JsonWebToken') return 'authlib';
      if (binding.binding.module === 'jwt' && binding.binding.imported === 'PyJWT') return 'pyjwt';
    }
  } else if (ctor?.type === 'attribute') {
    const object = field(ctor, 'object');
    const attr = field(ctor, 'attribute');
    if (object?.type === 'identifier' && attr && textOf(state, attr) === 'PyJWT') {
      const binding = lookupName(state, textOf(state, object), scope, object.start);
      if (binding?.kind === 'import' && binding.binding.imported === null && binding.binding.module === 'jwt') return 'pyjwt';
    }
  }
  return null;
}

/** The JWT library a receiver expression (`jwt`, `jose.jwt`, `JsonWebToken([...])` instance) stands for. */
function receiverLibrary(state: FileState, node: PyNode, scope: Scope, depth = 0): Library | null {
  const n = unparen(node);
  if (depth > 4) return null;
  if (n.type === 'call') return constructedLibrary(state, n, scope);
  if (n.type === 'identifier') {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (found?.kind === 'import') return libraryOfModule(found.binding.module, found.binding.imported);
    if (found?.kind === 'assign') {
      return receiverLibrary(state, found.assign.value, found.assign.scope, depth + 1);
    }
    return null;
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    if (object?.type === 'identifier' && attr) {
      const found = lookupName(state, textOf(state, object), scope, object.start);
      if (found?.kind === 'import' && found.binding.imported === null) {
        return libraryOfModule(`${found.binding.module}.${textOf(state, attr)}`, null);
      }
    }
  }
  return null;
}

function isFalse(node: PyNode | null): boolean {
  return node !== null && unparen(node).type === 'false';
}

function dictNode(state: FileState, node: PyNode | null, scope: Scope): PyNode | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type === 'dictionary') return n;
  if (n.type === 'call' && textOf(state, field(n, 'function') ?? n) === 'dict') return n;
  if (n.type === 'identifier') {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (found?.kind === 'assign') return dictNode(state, found.assign.value, found.assign.scope);
  }
  return null;
}

function disablesSignature(state: FileState, options: PyNode | null, scope: Scope): boolean {
  const dict = dictNode(state, options, scope);
  if (!dict) return false;
  if (dict.type === 'call') return isFalse(argument(field(dict, 'arguments'), 99, ['verify_signature'], state));
  for (const pair of namedKids(dict)) {
    if (pair.type !== 'pair') continue;
    const key = field(pair, 'key');
    if (key && isPlainString(unparen(key)) && stringContent(state, unparen(key)) === 'verify_signature') return isFalse(field(pair, 'value'));
  }
  return false;
}

const SIMPLEJWT_MODULES = new Set(['rest_framework_simplejwt.tokens', 'ninja_jwt.tokens']);
const SIMPLEJWT_TOKENS = new Set(['AccessToken', 'RefreshToken', 'SlidingToken', 'UntypedToken', 'Token']);

function isSimpleJwtToken(state: FileState, node: PyNode | null, scope: Scope): boolean {
  const n = node ? unparen(node) : null;
  if (n?.type !== 'identifier') return false;
  const found = lookupName(state, textOf(state, n), scope, n.start);
  return found?.kind === 'import' && SIMPLEJWT_MODULES.has(found.binding.module) && SIMPLEJWT_TOKENS.has(found.binding.imported ?? '');
}

/**
 * djangorestframework-simplejwt token classes: `AccessToken(raw)` verifies (unless `verify=False`),
 * `RefreshToken.for_user(user)` signs; the key is the `SIMPLE_JWT` setting.
 */
function simpleJwtSite(state: FileState, f: PyNode, args: PyNode, scope: Scope): JwtSite | null {
  const site = (op: JwtOpKind, nameNode: PyNode, tokenNode: PyNode | null): JwtSite => ({
    op,
    library: 'django-simplejwt',
    nameNode,
    keyNode: null,
    tokenNode,
    settingsField: null,
    scope,
  });
  if (isSimpleJwtToken(state, f, scope)) {
    const token = argument(args, 0, ['token'], state);
    if (!token) return null;
    return site(isFalse(argument(args, 99, ['verify'], state)) ? 'decode-unverified' : 'verify', f, token);
  }
  const object = f.type === 'attribute' ? field(f, 'object') : null;
  const attr = f.type === 'attribute' ? field(f, 'attribute') : null;
  if (attr && textOf(state, attr) === 'for_user' && isSimpleJwtToken(state, object, scope)) return site('sign', attr, null);
  return null;
}

/** Recognises a library JWT call (`jwt.encode`, `jwt.decode`, `get_unverified_claims`, named imports, simplejwt tokens). */
export function jwtCallSite(state: FileState, call: PyNode, scope: Scope): JwtSite | null {
  const fn = field(call, 'function');
  const args = field(call, 'arguments');
  if (!fn || !args) return null;
  const f = unparen(fn);
  const simple = simpleJwtSite(state, f, args, scope);
  if (simple) return simple;
  let library: Library | null = null;
  let method: string;
  let nameNode: PyNode;
  if (f.type === 'attribute') {
    const object = field(f, 'object');
    const attr = field(f, 'attribute');
    if (!object || !attr) return null;
    library = receiverLibrary(state, object, scope);
    method = textOf(state, attr);
    nameNode = attr;
  } else if (f.type === 'identifier') {
    const found = lookupName(state, textOf(state, f), scope, f.start);
    if (found?.kind !== 'import' || found.binding.imported === null) return null;
    const module = found.binding.module;
    if (module === 'jwt') library = 'pyjwt';
    else if (module === 'jose.jwt' || module === 'jose') library = 'python-jose';
    method = found.binding.imported;
    nameNode = f;
  } else return null;
  if (!library) return null;
  const site = (op: JwtOpKind, keyIndex: number): JwtSite => ({
    op,
    library,
    nameNode,
    keyNode: op === 'decode-unverified' ? null : argument(args, keyIndex, ['key'], state),
    tokenNode: argument(args, library === 'authlib' && op === 'sign' ? 1 : 0, ['jwt', 'token', 's'], state),
    settingsField: null,
    scope,
  });
  if (method === 'encode') return site('sign', library === 'authlib' ? 2 : 1);
  if (method === 'get_unverified_claims' && library === 'python-jose') return site('decode-unverified', 0);
  if (method !== 'decode') return null;
  if (library === 'authlib') return site('verify', 1);
  const key = argument(args, 1, ['key'], state);
  const unverified = key === null || isFalse(argument(args, 99, ['verify'], state)) || disablesSignature(state, argument(args, 3, ['options'], state), scope);
  return site(unverified ? 'decode-unverified' : 'verify', 1);
}

function importsModule(state: FileState, prefix: string): boolean {
  for (const fact of state.facts.imports) if (fact.specifier === prefix || fact.specifier.startsWith(`${prefix}.`)) return true;
  return false;
}

/** Whether the module's `REST_FRAMEWORK` settings name a simplejwt class (its authentication backend). */
function drfUsesSimpleJwt(state: FileState): boolean {
  for (const assign of state.module.assigns.get('REST_FRAMEWORK') ?? []) {
    const stack: PyNode[] = [assign.value];
    while (stack.length > 0) {
      const n = stack.pop() as PyNode;
      if (isPlainString(n) && stringContent(state, n).startsWith('rest_framework_simplejwt')) return true;
      stack.push(...n.children);
    }
  }
  return false;
}

/**
 * Configure sites on an assignment: flask `app.config["JWT_SECRET_KEY"] = …`, Django
 * `SIMPLE_JWT = {"SIGNING_KEY": …}`, and class attributes `authjwt_secret_key = …` /
 * `JWT_SECRET_KEY = …` (in flask apps).
 */
export function assignmentSites(state: FileState, assignment: PyNode, scope: Scope): JwtSite[] {
  const left = field(assignment, 'left');
  const right = field(assignment, 'right');
  if (!left) return [];
  const configure = (library: string, nameNode: PyNode, keyNode: PyNode | null, settingsField: JwtSite['settingsField'] = null): JwtSite => ({
    op: 'configure',
    library,
    nameNode,
    keyNode,
    tokenNode: null,
    settingsField,
    scope,
  });
  if (left.type === 'subscript' && right) {
    const value = field(left, 'value');
    const key = field(left, 'subscript');
    if (value && key && isPlainString(unparen(key)) && stringContent(state, unparen(key)) === 'JWT_SECRET_KEY' && /(^|\.)config$/.test(textOf(state, value))) {
      return [configure('flask-jwt-extended', unparen(key), right)];
    }
    return [];
  }
  if (left.type !== 'identifier') return [];
  const name = textOf(state, left);
  if (name === 'SIMPLE_JWT' && scope.kind === 'module' && right) {
    const dict = unparen(right);
    if (dict.type !== 'dictionary') return [];
    for (const pair of namedKids(dict)) {
      const key = pair.type === 'pair' ? field(pair, 'key') : null;
      if (key && isPlainString(unparen(key)) && stringContent(state, unparen(key)) === 'SIGNING_KEY') {
        const site = configure('django-simplejwt', unparen(key), field(pair, 'value'));
        return [drfUsesSimpleJwt(state) ? site : { ...site, liveIfImported: 'rest_framework_simplejwt' }];
      }
    }
    return [];
  }
  if (scope.kind !== 'class' || !scope.cls) return [];
  if (name === 'authjwt_secret_key') {
    const settings = scope.cls.fieldReads.has(name) ? { cls: scope.cls, name } : null;
    return [configure('fastapi-jwt-auth', left, right, settings)];
  }
  if (name === 'JWT_SECRET_KEY' && right && (importsModule(state, 'flask') || importsModule(state, 'flask_jwt_extended'))) {
    return [configure('flask-jwt-extended', left, right)];
  }
  return [];
}

/** Configure sites on calls: `app.config.update(JWT_SECRET_KEY=…)`, `[("authjwt_secret_key", …)]` tuples. */
export function otherSites(state: FileState, node: PyNode, scope: Scope): JwtSite[] {
  if (node.type === 'tuple') {
    const kids = namedKids(node);
    if (kids.length === 2 && isPlainString(kids[0]) && stringContent(state, kids[0]) === 'authjwt_secret_key') {
      return [{ op: 'configure', library: 'fastapi-jwt-auth', nameNode: kids[0], keyNode: kids[1], tokenNode: null, settingsField: null, scope }];
    }
    return [];
  }
  if (node.type !== 'call') return [];
  const fn = field(node, 'function');
  if (!fn || !/(^|\.)config\.(update|from_mapping)$/.test(textOf(state, fn))) return [];
  const args = field(node, 'arguments');
  for (const arg of args ? namedKids(args) : []) {
    if (arg.type === 'keyword_argument') {
      const name = field(arg, 'name');
      if (name && textOf(state, name) === 'JWT_SECRET_KEY') {
        return [{ op: 'configure', library: 'flask-jwt-extended', nameNode: name, keyNode: field(arg, 'value'), tokenNode: null, settingsField: null, scope }];
      }
    } else if (unparen(arg).type === 'dictionary') {
      for (const pair of namedKids(unparen(arg))) {
        const key = pair.type === 'pair' ? field(pair, 'key') : null;
        if (key && isPlainString(unparen(key)) && stringContent(state, unparen(key)) === 'JWT_SECRET_KEY') {
          return [
            {
              op: 'configure',
              library: 'flask-jwt-extended',
              nameNode: unparen(key),
              keyNode: field(pair, 'value'),
              tokenNode: null,
              settingsField: null,
              scope,
            },
          ];
        }
      }
    }
  }
  return [];
}

/** Turns the walk's JWT sites into `JwtOp`s with traced keys and unverified-decode details. */
export function buildJwtOps(state: FileState, sites: JwtSite[]): void {
  for (const site of sites) {
    let key: JwtOp['key'] = null;
    if (site.settingsField) {
      const sources = traceClassMember(state, site.settingsField.cls, site.settingsField.name, site.nameNode, true) ?? [];
      const at = site.keyNode ?? site.nameNode;
      key = { loc: state.lines.loc(at.start, at.end), trace: { sources } };
    } else if (site.keyNode) {
      key = { loc: state.lines.loc(site.keyNode.start, site.keyNode.end), trace: { sources: traceValue(state, site.keyNode, site.scope, true) } };
    }
    const op: JwtOp = {
      op: site.op,
      library: site.library,
      loc: state.lines.loc(site.nameNode.start, site.nameNode.end),
      key,
      scope: site.scope.qual,
    };
    const keyParam = site.keyNode && !site.settingsField ? keyParameter(state, site.keyNode, site.scope) : undefined;
    if (keyParam) op.keyParam = keyParam;
    if (site.liveIfImported !== undefined) op.liveIfImported = site.liveIfImported;
    if (site.op === 'decode-unverified') Object.assign(op, analyseDecode(state, site, sites));
    state.facts.jwtOps.push(op);
  }
}
