// Service secrets in Python: HMAC keys, values compared with a request's header or field, values sent in request headers.
import { COMPARE_HELPER } from '../shared-patterns.js';
import type { SecretUse } from '../facts.js';
import { qualifiedCallee } from './entries.js';
import { argument } from './env.js';
import { isPlainString } from './names.js';
import { lookupName, stringContent, textOf, type FileState, type Scope } from './scopes.js';
import { traceValue } from './trace.js';
import { field, firstNamedKid, namedKids, unparen, type PyNode } from './tree.js';

export interface SecretUseSite {
  /** `refuse`: the value is compared with a literal the code refuses to run with (`if KEY == "change-me": raise`). */
  kind: SecretUse['kind'] | 'refuse';
  keyNode: PyNode;
  scope: Scope;
  header?: string;
}

const HMAC_CALLS = new Set(['hmac.new', 'hmac.HMAC', 'hmac.digest']);
const COMPARE_CALLS = new Set(['hmac.compare_digest', 'secrets.compare_digest']);
/** Header names that carry a credential. */
const CREDENTIAL_HEADER = /secret|token|api[-_]?key|auth|signature|password/i;
/** Words that mark the incoming side of a comparison: the request, its headers or a body field. */
const INCOMING = /\b(request|req|headers?|x_[a-z_]+|credentials?|provided|incoming|received|payload|body)\b/i;

/** The sites in a call, comparison or assignment where a secret is used (traced later, by `buildSecretUses`). */
export function secretUseSites(state: FileState, node: PyNode, scope: Scope): SecretUseSite[] {
  if (node.type === 'call') {
    const fn = field(node, 'function');
    const args = field(node, 'arguments');
    if (!fn || !args) return [];
    const callee = qualifiedCallee(state, fn, scope);
    if (callee !== null && HMAC_CALLS.has(callee)) {
      const key = argument(args, 0, ['key'], state);
      return key ? [{ kind: 'hmac', keyNode: key, scope }] : [];
    }
    if (callee !== null && (COMPARE_CALLS.has(callee) || COMPARE_HELPER.test(callee.slice(callee.lastIndexOf('.') + 1)))) {
      const kids = namedKids(args).filter((k) => k.type !== 'keyword_argument');
      return comparedSites(state, kids[0] ?? null, kids[1] ?? null, scope);
    }
    const out: SecretUseSite[] = [];
    for (const kid of namedKids(args)) {
      if (kid.type !== 'keyword_argument') continue;
      const name = field(kid, 'name');
      const value = field(kid, 'value');
      if (name && value && textOf(state, name) === 'headers') out.push(...headerDictSites(state, value, scope));
    }
    return out;
  }
  if (node.type === 'comparison_operator') {
    const kids = namedKids(node);
    const operators = node.children.filter((c) => !c.named).map((c) => textOf(state, c));
    if (kids.length !== 2 || !operators.every((o) => o === '==' || o === '!=')) return [];
    const refused = refusedSite(state, node, kids[0], kids[1], scope);
    if (refused) return [refused];
    return comparedSites(state, kids[0] ?? null, kids[1] ?? null, scope);
  }
  if (node.type === 'assignment') {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const target = left ? unparen(left) : null;
    if (!target || !right || target.type !== 'subscript') return [];
    const object = field(target, 'value');
    const key = field(target, 'subscript');
    if (!object || !key || !/headers?/i.test(textOf(state, object)) || !isPlainString(unparen(key))) return [];
    const header = stringContent(state, unparen(key));
    return CREDENTIAL_HEADER.test(header) ? [{ kind: 'header', keyNode: right, scope, header }] : [];
  }
  return [];
}

/** `headers={"X-Service-Secret": secret}`: credential-named entries of a header dict. */
function headerDictSites(state: FileState, value: PyNode, scope: Scope): SecretUseSite[] {
  const dict = unparen(value);
  if (dict.type !== 'dictionary') return [];
  const out: SecretUseSite[] = [];
  for (const pair of namedKids(dict)) {
    const key = pair.type === 'pair' ? field(pair, 'key') : null;
    const entry = pair.type === 'pair' ? field(pair, 'value') : null;
    if (!key || !entry || !isPlainString(unparen(key))) continue;
    const header = stringContent(state, unparen(key));
    if (CREDENTIAL_HEADER.test(header)) out.push({ kind: 'header', keyNode: entry, scope, header });
  }
  return out;
}

/** A comparison whose one side is a request value: the other side is the secret it is checked against. */
/** `if SECRET == "change-me": raise …`: an `==` with a non-empty string literal in the test of an `if` whose body raises or exits. */
function refusedSite(state: FileState, node: PyNode, a: PyNode, b: PyNode, scope: Scope): SecretUseSite | null {
  const operator = node.children.find((c) => !c.named);
  if (!operator || textOf(state, operator) !== '==') return null;
  const text = (n: PyNode): string | null => (isPlainString(unparen(n)) ? stringContent(state, unparen(n)) : null);
  const other = text(b) ? a : text(a) ? b : null;
  const literal = text(b) ?? text(a);
  if (!other || !literal) return null;
  let p: PyNode | null = node.parent;
  while (p && (p.type === 'boolean_operator' || p.type === 'parenthesized_expression' || p.type === 'not_operator')) p = p.parent;
  if (!p || p.type !== 'if_statement') return null;
  const body = field(p, 'consequence');
  if (!body || !raisesOrExits(state, body)) return null;
  return { kind: 'refuse', keyNode: other, scope };
}

function raisesOrExits(state: FileState, block: PyNode): boolean {
  for (const st of block.children) {
    if (st.type === 'raise_statement') return true;
    if (st.type === 'expression_statement' && /^(sys\.)?exit\(|^os\._exit\(/.test(textOf(state, st))) return true;
  }
  return false;
}

function comparedSites(state: FileState, a: PyNode | null, b: PyNode | null, scope: Scope): SecretUseSite[] {
  if (!a || !b) return [];
  const literal = (n: PyNode): boolean => {
    const u = unparen(n);
    return isPlainString(u) || u.type === 'none' || u.type === 'integer' || u.type === 'true' || u.type === 'false';
  };
  if (literal(a) || literal(b)) return [];
  const incoming = (n: PyNode): boolean => INCOMING.test(textOf(state, n)) || requestParameter(state, n, scope) !== null;
  const site = (request: PyNode, key: PyNode): SecretUseSite[] => {
    const header = headerRead(state, request, scope);
    return [{ kind: 'compare', keyNode: key, scope, ...(header !== null ? { header } : {}) }];
  };
  if (incoming(a) && !incoming(b)) return site(a, b);
  if (incoming(b) && !incoming(a)) return site(b, a);
  return [];
}

/** FastAPI parameter defaults that take the value from the request. */
const REQUEST_DEFAULTS = new Set(['Header', 'Cookie', 'Query', 'Security']);
/** FastAPI security schemes whose instance, given to `Depends`, reads a credential from the request. */
const API_KEY_SCHEMES = new Set(['APIKeyHeader', 'APIKeyQuery', 'APIKeyCookie', 'HTTPBearer', 'HTTPBasic', 'OAuth2PasswordBearer']);

function calleeName(state: FileState, call: PyNode): string | null {
  const fn = call.type === 'call' ? field(call, 'function') : null;
  if (!fn) return null;
  const text = textOf(state, fn);
  return text.slice(text.lastIndexOf('.') + 1);
}

/**
 * The call that makes a parameter a request value: `x: str = Header()`, `key = Security(scheme)`,
 * `key = Depends(APIKeyHeader(name="X-Api-Key"))` or `Depends(scheme)` with `scheme = APIKeyHeader(…)`
 * (the scheme's call, which names the header). Null for anything else.
 */
function requestParameter(state: FileState, node: PyNode, scope: Scope): PyNode | null {
  const n = unparen(node);
  if (n.type !== 'identifier') return null;
  const found = lookupName(state, textOf(state, n), scope, n.start);
  const value = found?.kind === 'param' && found.value ? unparen(found.value) : null;
  const name = value ? calleeName(state, value) : null;
  if (!value || name === null) return null;
  if (REQUEST_DEFAULTS.has(name)) return value;
  if (name !== 'Depends') return null;
  const args = field(value, 'arguments');
  const dependency = args ? firstNamedKid(args) : undefined;
  if (!dependency) return null;
  let scheme: PyNode | null = unparen(dependency);
  if (scheme.type === 'identifier') {
    const assigned = lookupName(state, textOf(state, scheme), scope, n.start);
    scheme = assigned?.kind === 'assign' ? unparen(assigned.assign.value) : null;
  }
  const schemeName = scheme ? calleeName(state, scheme) : null;
  return scheme && schemeName !== null && API_KEY_SCHEMES.has(schemeName) ? scheme : null;
}

/** The header a request value comes from: `request.headers.get("X-Service-Secret")`, or a FastAPI `x_service_secret` parameter. */
function headerRead(state: FileState, node: PyNode, scope: Scope, depth = 0): string | null {
  const n = unparen(node);
  if (n.type === 'identifier' && /^x_[a-z0-9_]+$/.test(textOf(state, n))) return textOf(state, n).replace(/_/g, '-');
  const parameter = depth === 0 ? requestParameter(state, n, scope) : null;
  if (parameter) return headerRead(state, parameter, scope, depth + 1);
  if (n.type === 'identifier' && depth < 3) {
    const found = lookupName(state, textOf(state, n), scope, n.start);
    if (found?.kind === 'assign') return headerRead(state, found.assign.value, found.assign.scope, depth + 1);
  }
  const stack: PyNode[] = [n];
  while (stack.length > 0) {
    const current = stack.pop() as PyNode;
    if (isPlainString(current)) {
      const text = stringContent(state, current);
      if (/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/.test(text) && CREDENTIAL_HEADER.test(text)) return text;
      continue;
    }
    stack.push(...current.children);
  }
  return null;
}

/** Traces each site's secret; keeps the uses whose value comes from the environment, an import or a literal. */
export function buildSecretUses(state: FileState, sites: SecretUseSite[]): void {
  for (const site of sites) {
    if (site.kind === 'refuse') {
      // The env reads the refused value comes from: a placeholder deployed for them stops the service instead of signing.
      for (const s of traceValue(state, site.keyNode, site.scope, false)) if (s.kind === 'env') state.facts.envReads[s.read].refusesLiteral = true;
      continue;
    }
    const sources = traceValue(state, site.keyNode, site.scope, true);
    if (!sources.some((s) => s.kind === 'env' || s.kind === 'import' || (s.kind === 'literal' && site.kind !== 'compare'))) continue;
    const use: SecretUse = {
      kind: site.kind,
      key: { loc: state.lines.loc(site.keyNode.start, site.keyNode.end), trace: { sources } },
      scope: site.scope.qual,
      ...(site.header !== undefined ? { header: site.header } : {}),
    };
    (state.facts.secretUses ??= []).push(use);
  }
}
