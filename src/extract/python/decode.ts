// Unverified decodes in Python: how the claims are used, whether the same token is verified, and where the token comes from.
import type { JwtOp } from '../facts.js';
import { isPlainString } from './names.js';
import { lookupName, stringContent, textOf, type FileState, type Scope } from './scopes.js';
import { field, firstNamedKid, namedKids, unparen, type PyNode } from './tree.js';

/** The parts of a JWT site the decode analysis needs (see `JwtSite` in jwt.ts). */
export interface DecodeSite {
  op: string;
  nameNode: PyNode;
  tokenNode: PyNode | null;
  scope: Scope;
}

/** How a decoded value is used (as in the TypeScript extractor's decode.ts). */
type UseKind = 'trust' | 'return' | 'condition' | 'url' | 'log' | 'timing';

const IDENTITY = /(^|_)(user|users|uid|sub|subject|principal|identity|account|owner|member|username|email|actor)(_|$)/i;
const TIMING = new Set(['exp', 'iat', 'nbf']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'fatal']);
const LOGGER = /^(?:logging|logger|_logger|log|_log|LOGGER|LOG)$|logger$/i;
const MAX_DEPTH = 4;

/** Walks up through parentheses and `await`. */
function outer(node: PyNode): PyNode {
  let n = node;
  while (n.parent && (n.parent.type === 'parenthesized_expression' || n.parent.type === 'await')) n = n.parent;
  return n;
}

/** The call a JWT site's name node belongs to (`jwt.decode(…)` for `decode`). */
function callOf(nameNode: PyNode): PyNode | null {
  const parent = nameNode.parent;
  if (parent?.type === 'call') return parent;
  if (parent?.type === 'attribute' && parent.parent?.type === 'call') return parent.parent;
  return null;
}

function isLogCall(state: FileState, call: PyNode): boolean {
  const fn = field(call, 'function');
  if (!fn) return false;
  const f = unparen(fn);
  if (f.type === 'identifier') return textOf(state, f) === 'print';
  if (f.type !== 'attribute') return false;
  const attr = field(f, 'attribute');
  const object = field(f, 'object');
  if (!attr || !object || !LOG_METHODS.has(textOf(state, attr))) return false;
  const o = unparen(object);
  const last = o.type === 'attribute' ? field(o, 'attribute') : o;
  return last !== null && LOGGER.test(textOf(state, last));
}

function literalKey(state: FileState, node: PyNode | null): string | null {
  if (!node) return null;
  const n = unparen(node);
  return isPlainString(n) && n.type === 'string' ? stringContent(state, n) : null;
}

function identifiersNamed(state: FileState, root: PyNode, name: string, after: number, out: PyNode[]): void {
  if (root.end <= after) return;
  if (root.type === 'identifier' && root.start >= after && textOf(state, root) === name) {
    out.push(root);
    return;
  }
  for (const kid of root.children) identifiersNamed(state, kid, name, after, out);
}

/** Whether a condition sits in an `assert` (a sanity check that can only stop the code, never admit anyone). */
function inAssert(node: PyNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'assert_statement') return true;
    if (n.type.endsWith('_statement') || n.type === 'block' || n.type === 'function_definition') return false;
  }
  return false;
}

function truthiness(whole: boolean, out: Set<UseKind>, at: PyNode): void {
  if (!whole && !inAssert(at)) out.add('condition');
}

/** The call an argument (`argument_list` child or keyword value) is passed to. */
function usedAsArgument(state: FileState, list: PyNode, whole: boolean, out: Set<UseKind>): void {
  const call = list.parent;
  const fn = call?.type === 'call' ? field(call, 'function') : null;
  const name = fn ? textOf(state, unparen(fn)) : '';
  if (name === 'bool') truthiness(whole, out, list);
  else if (name === 'isinstance' || name === 'type') return;
  else if (call?.type === 'call' && isLogCall(state, call)) out.add('log');
  else out.add('trust');
}

function variableUses(state: FileState, target: PyNode, scopeNode: PyNode, whole: boolean, depth: number, out: Set<UseKind>): void {
  if (depth >= MAX_DEPTH) return;
  const uses: PyNode[] = [];
  identifiersNamed(state, scopeNode, textOf(state, target), target.end, uses);
  for (const use of uses) usesOf(state, use, scopeNode, whole, depth + 1, out);
}

/** A claim read out of the decoded value: `claims["sub"]`, `claims.sub`, `claims.get("sub")`. */
function claimRead(state: FileState, n: PyNode, parent: PyNode, scopeNode: PyNode, whole: boolean, depth: number, out: Set<UseKind>): void {
  let key: string | null;
  let read: PyNode = parent;
  if (parent.type === 'subscript') key = literalKey(state, field(parent, 'subscript'));
  else {
    const attr = field(parent, 'attribute');
    const name = attr ? textOf(state, attr) : '';
    const call = parent.parent;
    if (call?.type === 'call' && call.children.some((kid) => kid === parent && kid.field === 'function')) {
      if (name === 'get' || name === 'pop') {
        key = literalKey(state, namedKids(field(call, 'arguments') ?? call)[0] ?? null);
        read = call;
      } else {
        // Another method of the claims dict (`items()`, `copy()`): the result still holds the claims.
        usesOf(state, call, scopeNode, whole, depth, out);
        return;
      }
    } else key = name;
  }
  if (key !== null && TIMING.has(key)) out.add('timing');
  else usesOf(state, read, scopeNode, false, depth, out);
}

/**
 * Adds how the value at `expr` is used. `whole`: it is the decoded object itself (checking that it
 * exists is not a claims use); otherwise a claim or a value built from claims.
 */
function usesOf(state: FileState, expr: PyNode, scopeNode: PyNode, whole: boolean, depth: number, out: Set<UseKind>): void {
  const n = outer(expr);
  const parent = n.parent;
  if (!parent) return;
  switch (parent.type) {
    case 'return_statement':
    case 'expression_list':
      if (parent.type === 'return_statement' || parent.parent?.type === 'return_statement') out.add('return');
      else usesOf(state, parent, scopeNode, false, depth, out);
      return;
    case 'lambda':
      if (n.field === 'body') out.add('return');
      return;
    case 'subscript':
      if (n.field === 'value') claimRead(state, n, parent, scopeNode, whole, depth, out);
      return;
    case 'attribute':
      if (n.field === 'object') claimRead(state, n, parent, scopeNode, whole, depth, out);
      return;
    case 'comparison_operator':
      truthiness(whole, out, parent);
      return;
    case 'not_operator':
      truthiness(whole, out, parent);
      return;
    case 'if_statement':
    case 'elif_clause':
    case 'while_statement':
      if (n.field === 'condition') truthiness(whole, out, parent);
      return;
    case 'conditional_expression':
      if (namedKids(parent)[1] === n) truthiness(whole, out, parent);
      else usesOf(state, parent, scopeNode, whole, depth, out);
      return;
    case 'boolean_operator':
      if (n.field === 'left' && parent.children.some((kid) => kid.type === 'and')) truthiness(whole, out, parent);
      else usesOf(state, parent, scopeNode, whole, depth, out);
      return;
    case 'assert_statement':
      return;
    case 'argument_list':
      usedAsArgument(state, parent, whole, out);
      return;
    case 'keyword_argument':
      if (n.field === 'value' && parent.parent?.type === 'argument_list') usedAsArgument(state, parent.parent, false, out);
      return;
    case 'pair':
      if (n.field === 'value' && parent.parent) usesOf(state, parent.parent, scopeNode, false, depth, out);
      return;
    case 'list':
    case 'tuple':
    case 'set':
    case 'dictionary':
    case 'list_splat':
    case 'dictionary_splat':
      usesOf(state, parent, scopeNode, false, depth, out);
      return;
    case 'interpolation': {
      const str = parent.parent;
      if (str?.type === 'string' && /^https?:\/\//i.test(stringContent(state, str))) out.add('url');
      else if (str) usesOf(state, str, scopeNode, false, depth, out);
      return;
    }
    case 'binary_operator': {
      const left = field(parent, 'left');
      const leftText = left && left !== n ? literalKey(state, left) : null;
      if (leftText !== null && /^https?:\/\//i.test(leftText)) out.add('url');
      else usesOf(state, parent, scopeNode, false, depth, out);
      return;
    }
    case 'assignment': {
      if (n.field !== 'right') return;
      const left = field(parent, 'left');
      if (!left) return;
      if (left.type === 'attribute' || left.type === 'subscript' || left.type === 'pattern_list' || left.type === 'tuple_pattern') {
        out.add('trust');
        return;
      }
      if (left.type !== 'identifier') return;
      if (IDENTITY.test(textOf(state, left))) out.add('trust');
      else variableUses(state, left, scopeNode, whole, depth, out);
      return;
    }
    case 'named_expression': {
      const name = field(parent, 'name');
      if (name) variableUses(state, name, scopeNode, whole, depth, out);
      usesOf(state, parent, scopeNode, whole, depth, out);
      return;
    }
    case 'yield':
      out.add('trust');
      return;
    case 'for_statement':
      if (n.field === 'right') out.add('trust');
      return;
    default:
      return;
  }
}

function normalisedText(state: FileState, node: PyNode | null): string | null {
  return node ? textOf(state, unparen(node)).replace(/\s+/g, '') : null;
}

function enclosingFunctionScope(state: FileState, node: PyNode): Scope | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return state.scopeOf.get(n) ?? null;
  }
  return null;
}

function positionalArgs(args: PyNode | null): PyNode[] {
  return args ? namedKids(args).filter((kid) => kid.type !== 'keyword_argument' && kid.type !== 'comment') : [];
}

function keywordArg(state: FileState, args: PyNode | null, name: string): PyNode | null {
  for (const kid of args ? namedKids(args) : []) {
    if (kid.type !== 'keyword_argument') continue;
    const key = field(kid, 'name');
    if (key && textOf(state, key) === name) return field(kid, 'value');
  }
  return null;
}

function verifiesIn(state: FileState, sites: DecodeSite[], scope: Scope, text: string): boolean {
  return sites.some((other) => other.op === 'verify' && other.scope.node === scope.node && normalisedText(state, other.tokenNode) === text);
}

function callsIn(root: PyNode, out: PyNode[]): void {
  if (root.type === 'call') out.push(root);
  for (const kid of root.children) callsIn(kid, out);
}

/**
 * Decode in a helper, verify in its callers: the decoded token is the helper's parameter and every
 * call of the helper in this file sits in a function that verifies the token it passed in.
 */
function verifiedByCallers(state: FileState, site: DecodeSite, sites: DecodeSite[]): boolean {
  const scope = site.scope;
  const token = site.tokenNode ? unparen(site.tokenNode) : null;
  if (scope.kind !== 'function' || !token || token.type !== 'identifier') return false;
  const name = textOf(state, token);
  const params = [...scope.params.keys()];
  let index = params.indexOf(name);
  if (index < 0) return false;
  const nameNode = field(scope.node, 'name');
  if (!nameNode) return false;
  const fnName = textOf(state, nameNode);
  const method = scope.cls !== null && (params[0] === 'self' || params[0] === 'cls');
  if (method) index -= 1;
  const calls: PyNode[] = [];
  callsIn(state.module.node, calls);
  const matching = calls.filter((call) => {
    const fn = field(call, 'function');
    if (!fn) return false;
    const f = unparen(fn);
    if (method) {
      const object = field(f, 'object');
      const attr = field(f, 'attribute');
      return f.type === 'attribute' && object !== null && attr !== null && ['self', 'cls'].includes(textOf(state, object)) && textOf(state, attr) === fnName;
    }
    if (f.type !== 'identifier' || textOf(state, f) !== fnName) return false;
    const caller = enclosingFunctionScope(state, call) ?? state.module;
    const found = lookupName(state, fnName, caller, call.start);
    return found?.kind === 'function' && found.scope === scope;
  });
  if (matching.length === 0) return false;
  for (const call of matching) {
    const args = field(call, 'arguments');
    const arg = keywordArg(state, args, name) ?? positionalArgs(args)[index] ?? null;
    const caller = enclosingFunctionScope(state, call);
    const text = normalisedText(state, arg);
    if (!caller || caller === scope || text === null || !verifiesIn(state, sites, caller, text)) return false;
  }
  return true;
}

/** A verify of some token in another method of the decode's class (the decode only chose a branch). */
function verifiedInClass(site: DecodeSite, sites: DecodeSite[]): boolean {
  const cls = site.scope.cls;
  if (!cls) return false;
  return sites.some((other) => other.op === 'verify' && other.tokenNode !== null && other.scope.cls === cls && other.scope.node !== site.scope.node);
}

/** Where a token expression was read from: `x["k"]`, `x.k`, `x.get("k")`, or a name assigned from one of those. */
function tokenOrigin(state: FileState, node: PyNode, scope: Scope, depth = 0): { object: PyNode; key: string | null } | null {
  const n = unparen(node);
  if (n.type === 'subscript') {
    const value = field(n, 'value');
    return value ? { object: value, key: literalKey(state, field(n, 'subscript')) } : null;
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    return object && attr ? { object, key: textOf(state, attr) } : null;
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const f = fn ? unparen(fn) : null;
    const object = f?.type === 'attribute' ? field(f, 'object') : null;
    const attr = f?.type === 'attribute' ? field(f, 'attribute') : null;
    if (object && attr && textOf(state, attr) === 'get') return { object, key: literalKey(state, namedKids(field(n, 'arguments') ?? n)[0] ?? null) };
    return null;
  }
  if (n.type === 'identifier' && depth < 2) {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (found?.kind === 'assign') return tokenOrigin(state, found.assign.value, found.assign.scope, depth + 1);
  }
  return null;
}

/** The token was read out of a token verified just before (`inner = verified["access_token"]`). */
function carriedInVerified(state: FileState, site: DecodeSite, sites: DecodeSite[]): boolean {
  const origin = site.tokenNode ? tokenOrigin(state, site.tokenNode, site.scope) : null;
  if (!origin) return false;
  let object = unparen(origin.object);
  if (object.type === 'identifier') {
    const found = lookupName(state, textOf(state, object), site.scope, object.start);
    if (found?.kind !== 'assign') return false;
    object = unparen(found.assign.value);
  }
  return sites.some((other) => other.op === 'verify' && callOf(other.nameNode) === object);
}

const CLIENT_SOURCES = new Set(['body', 'query', 'query_params', 'headers', 'cookies', 'form', 'args', 'GET', 'POST', 'environ', 'scope']);
const CLIENT_ROOTS = new Set(['request', 'req', 'websocket', 'ws']);

/** Names along an access chain, root first, with a local root replaced by what it was assigned (`body = await request.json()`). */
function chainNames(state: FileState, node: PyNode, scope: Scope, depth = 0): string[] {
  let n = unparen(node);
  if (n.type === 'await') n = unparen(firstNamedKid(n) ?? n);
  if (n.type === 'identifier') {
    const found = depth < 2 ? lookupName(state, textOf(state, n), scope, n.start) : null;
    if (found?.kind === 'assign') return [...chainNames(state, found.assign.value, found.assign.scope, depth + 1), textOf(state, n)];
    return [textOf(state, n)];
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    return object && attr ? [...chainNames(state, object, scope, depth), textOf(state, attr)] : [];
  }
  if (n.type === 'subscript') {
    const value = field(n, 'value');
    return value ? [...chainNames(state, value, scope, depth), literalKey(state, field(n, 'subscript')) ?? '[]'] : [];
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    return fn ? chainNames(state, fn, scope, depth) : [];
  }
  return [];
}

/** An OpenID Connect `id_token` read from a token-endpoint result, not from the client's request. */
function isBackChannelIdToken(state: FileState, site: DecodeSite): boolean {
  const origin = site.tokenNode ? tokenOrigin(state, site.tokenNode, site.scope) : null;
  if (!origin || origin.key === null || !/^id_?token$/i.test(origin.key)) return false;
  const names = chainNames(state, origin.object, site.scope);
  return names.length > 0 && !CLIENT_ROOTS.has(names[0]) && !names.some((name) => CLIENT_SOURCES.has(name));
}

const RESPONSE_NAME = /^(?:r|res|resp|response|\w+_response|\w+_resp)$/;
const HTTP_CALL = /(?:^|\.)(?:requests|httpx|session|client|http)\.(?:get|post|request|put)$/;

function isResponse(state: FileState, node: PyNode, scope: Scope): boolean {
  const n = unparen(node);
  if (n.type === 'call') {
    const fn = field(n, 'function');
    return fn !== null && HTTP_CALL.test(textOf(state, unparen(fn)));
  }
  if (n.type !== 'identifier') return false;
  if (RESPONSE_NAME.test(textOf(state, n))) return true;
  const found = lookupName(state, textOf(state, n), scope, n.start);
  return found?.kind === 'assign' && isResponse(state, found.assign.value, found.assign.scope);
}

/** The token is the body of an HTTP response (`resp.text`, `resp.content.decode()`), e.g. an `application/jwt` userinfo answer. */
function isResponseBody(state: FileState, node: PyNode | null, scope: Scope, depth = 0): boolean {
  if (!node || depth > 3) return false;
  let n = unparen(node);
  for (;;) {
    const fn = n.type === 'call' ? field(n, 'function') : null;
    const f = fn ? unparen(fn) : null;
    const attr = f?.type === 'attribute' ? field(f, 'attribute') : null;
    const object = f?.type === 'attribute' ? field(f, 'object') : null;
    if (!attr || !object || !['strip', 'decode'].includes(textOf(state, attr))) break;
    n = unparen(object);
  }
  if (n.type === 'attribute') {
    const object = field(n, 'object');
    const attr = field(n, 'attribute');
    return object !== null && attr !== null && ['text', 'content'].includes(textOf(state, attr)) && isResponse(state, object, scope);
  }
  if (n.type === 'identifier') {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (found?.kind === 'assign') return isResponseBody(state, found.assign.value, found.assign.scope, depth + 1);
  }
  return false;
}

/** The unverified-decode details of a decode site: claims use, decode-then-verify, and context. */
export function analyseDecode(state: FileState, site: DecodeSite, sites: DecodeSite[]): Pick<JwtOp, 'claimsUsed' | 'verifiedSameToken' | 'decodeContext'> {
  const uses = new Set<UseKind>();
  const call = callOf(site.nameNode);
  if (call) usesOf(state, call, site.scope.node, true, 0, uses);
  const trusting = [...uses].filter((u) => u === 'trust' || u === 'return' || u === 'condition');
  const claimsUsed = trusting.length > 0 || uses.has('url');
  const token = normalisedText(state, site.tokenNode);
  const verified =
    (token !== null && verifiesIn(state, sites, site.scope, token)) ||
    carriedInVerified(state, site, sites) ||
    (trusting.length > 0 && trusting.every((u) => u === 'return') && verifiedByCallers(state, site, sites)) ||
    (trusting.length > 0 && trusting.every((u) => u === 'condition') && verifiedInClass(site, sites));
  const result: Pick<JwtOp, 'claimsUsed' | 'verifiedSameToken' | 'decodeContext'> = { claimsUsed, verifiedSameToken: verified };
  if (!claimsUsed || verified) return result;
  if (isBackChannelIdToken(state, site)) result.decodeContext = 'id-token';
  else if (isResponseBody(state, site.tokenNode, site.scope)) result.decodeContext = 'provider-response';
  else if (trusting.length === 0) result.decodeContext = 'outbound-url';
  return result;
}
