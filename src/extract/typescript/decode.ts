// Unverified decodes in TS/JS: how the claims are used, whether the same token is verified, and where the token comes from.
import { ts } from './compiler.js';
import type { JwtOp } from '../facts.js';
import {
  type Ctx,
  SK,
  type PendingOp,
  enclosingClass,
  enclosingFunction,
  exprHasType,
  isFunctionLike,
  lookup,
  outerParent,
  propName,
  stringValue,
  unwrap,
} from './context.js';

/**
 * How a decoded value is used: `trust` (passed on, stored, an identity), `return`, `condition` (a claim
 * decides a branch), `url` (a claim only builds an outgoing URL), `log`, `timing` (`exp`/`iat`/`nbf`),
 * `header` (the header of a `{ complete: true }` decode).
 */
type UseKind = 'trust' | 'return' | 'condition' | 'url' | 'log' | 'timing' | 'header';

const IDENTITY = /^(?:current_?)?(?:user|user_?id|uid|sub|subject|identity|principal|account|account_?id|owner|actor|member|viewer)s?$/i;
const TIMING = new Set(['exp', 'iat', 'nbf']);
const COMPARISONS = new Set<ts.SyntaxKind>([
  SK.EqualsEqualsEqualsToken,
  SK.EqualsEqualsToken,
  SK.ExclamationEqualsEqualsToken,
  SK.ExclamationEqualsToken,
  SK.LessThanToken,
  SK.GreaterThanToken,
  SK.LessThanEqualsToken,
  SK.GreaterThanEqualsToken,
  SK.InKeyword,
  SK.InstanceOfKeyword,
]);
const ARITHMETIC = new Set<ts.SyntaxKind>([SK.PlusToken, SK.MinusToken, SK.AsteriskToken, SK.SlashToken, SK.PercentToken]);
const LOG_METHODS = new Set(['log', 'debug', 'info', 'warn', 'warning', 'error', 'trace', 'fatal', 'verbose', 'assign']);
const LOGGER = /^(?:console|log|logger|_logger|Logger|LOG|LOGGER)$|Logger$|logger$/;
const MAX_DEPTH = 4;

/** Whether a call writes to a logger (`console.log`, `this.logger.warn`, `Logger.error`). */
function isLogCall(call: ts.CallExpression | ts.NewExpression): boolean {
  if (!ts.isCallExpression(call)) return false;
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LOG_METHODS.has(callee.name.text)) return false;
  const recv = unwrap(callee.expression);
  const last = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : '';
  return LOGGER.test(last);
}

function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  return true;
}

/** The uses of the variable `decl` declares, inside its function, after nothing else rebinds it. */
function variableUses(ctx: Ctx, decl: ts.Identifier, whole: boolean, depth: number, out: Set<UseKind>): void {
  if (depth >= MAX_DEPTH) return;
  const fn = enclosingFunction(decl);
  const body = isFunctionLike(fn) ? fn.body : fn;
  if (!body) return;
  const name = decl.text;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      if (n !== decl && n.text === name && isReference(n) && lookupIs(ctx, n, decl)) usesOf(ctx, n, whole, depth + 1, out);
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
}

function lookupIs(ctx: Ctx, ref: ts.Identifier, decl: ts.Identifier): boolean {
  const found = lookup(ctx, ref);
  return found === undefined || found === decl.parent || (ts.isBindingElement(found) && found.name === decl);
}

/** `assert(…)`, `assert.ok(…)`, `invariant(…)`: a sanity check that can only stop the code, never admit anyone. */
function isAssertCall(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = unwrap(node.expression);
  const root = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : callee;
  return ts.isIdentifier(root) && (root.text === 'assert' || root.text === 'invariant');
}

function inAssert(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (isAssertCall(n)) return true;
    if (ts.isStatement(n) || isFunctionLike(n)) return false;
  }
  return false;
}

function truthiness(whole: boolean, out: Set<UseKind>, at: ts.Node): void {
  if (!whole && !inAssert(at)) out.add('condition');
}

function templateIsUrl(template: ts.TemplateExpression): boolean {
  return /^https?:\/\//i.test(template.head.text);
}

/**
 * Adds how the value at `node` is used. `whole`: the node is the decoded object itself (checking
 * that it exists is not a claims use); otherwise it is a claim or a value built from claims.
 */
function usesOf(ctx: Ctx, node: ts.Node, whole: boolean, depth: number, out: Set<UseKind>): void {
  const { node: outer, parent } = outerParent(node);
  if (!parent) return;
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === outer)) {
    out.add('return');
    return;
  }
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) {
    const key = ts.isPropertyAccessExpression(parent) ? parent.name.text : stringValue(unwrap(parent.argumentExpression));
    if (key !== null && TIMING.has(key)) out.add('timing');
    else if (key === 'header' && whole) out.add('header');
    else if (key === 'payload' && whole) usesOf(ctx, parent, true, depth, out);
    else usesOf(ctx, parent, false, depth, out);
    return;
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    if (parent.expression === outer || isAssertCall(parent)) return;
    const callee = unwrap(parent.expression);
    if (ts.isIdentifier(callee) && callee.text === 'Boolean') truthiness(whole, out, parent);
    else out.add(isLogCall(parent) ? 'log' : 'trust');
    return;
  }
  if (ts.isTypeOfExpression(parent)) return;
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === SK.ExclamationToken) {
    truthiness(whole, out, parent);
    return;
  }
  if ((ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) && parent.expression === outer) {
    truthiness(whole, out, parent);
    return;
  }
  if (ts.isConditionalExpression(parent)) {
    if (parent.condition === outer) truthiness(whole, out, parent);
    else usesOf(ctx, parent, whole, depth, out);
    return;
  }
  if (ts.isSwitchStatement(parent) || ts.isCaseClause(parent)) {
    out.add('condition');
    return;
  }
  if (ts.isBinaryExpression(parent)) {
    const k = parent.operatorToken.kind;
    if (COMPARISONS.has(k)) {
      truthiness(whole, out, parent);
      return;
    }
    if (k === SK.EqualsToken) {
      if (parent.right !== outer) return;
      const target = unwrap(parent.left);
      if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
        out.add('trust');
        return;
      }
      if (ts.isIdentifier(target)) {
        if (IDENTITY.test(target.text)) {
          out.add('trust');
          return;
        }
        const decl = lookup(ctx, target);
        if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) variableUses(ctx, decl.name, whole, depth, out);
        return;
      }
      out.add('trust');
      return;
    }
    if (k === SK.AmpersandAmpersandToken) {
      if (parent.left === outer) truthiness(whole, out, parent);
      else usesOf(ctx, parent, whole, depth, out);
      return;
    }
    if (k === SK.BarBarToken || k === SK.QuestionQuestionToken) {
      usesOf(ctx, parent, whole, depth, out);
      return;
    }
    if (ARITHMETIC.has(k)) {
      const other = unwrap(parent.left === outer ? parent.right : parent.left);
      const literal = stringValue(other);
      if (k === SK.PlusToken && parent.right === outer && literal !== null && /^https?:\/\//i.test(literal)) out.add('url');
      else usesOf(ctx, parent, false, depth, out);
      return;
    }
    return;
  }
  if (ts.isTemplateSpan(parent)) {
    const template = parent.parent;
    if (templateIsUrl(template)) out.add('url');
    else usesOf(ctx, template, false, depth, out);
    return;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer) {
    const name = parent.name;
    if (ts.isIdentifier(name)) {
      if (IDENTITY.test(name.text)) out.add('trust');
      else variableUses(ctx, name, whole, depth, out);
      return;
    }
    bindingUses(ctx, name, depth, out);
    return;
  }
  if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isSpreadAssignment(parent)) {
    usesOf(ctx, parent.parent, false, depth, out);
    return;
  }
  if (ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent)) {
    usesOf(ctx, parent, false, depth, out);
    return;
  }
  if (ts.isJsxExpression(parent) || ts.isForOfStatement(parent) || ts.isForInStatement(parent) || ts.isYieldExpression(parent)) {
    out.add('trust');
  }
}

/** Destructured claims: `const { sub, exp } = decode(t)`. */
function bindingUses(ctx: Ctx, pattern: ts.BindingName, depth: number, out: Set<UseKind>): void {
  if (ts.isIdentifier(pattern)) {
    if (IDENTITY.test(pattern.text)) out.add('trust');
    else variableUses(ctx, pattern, false, depth, out);
    return;
  }
  for (const element of pattern.elements) {
    if (!ts.isBindingElement(element)) continue;
    const key = element.propertyName ? propName(element.propertyName) : ts.isIdentifier(element.name) ? element.name.text : null;
    if (key !== null && TIMING.has(key)) {
      out.add('timing');
      continue;
    }
    if (key === 'header' && ts.isObjectBindingPattern(pattern)) {
      out.add('header');
      continue;
    }
    if (element.dotDotDotToken) out.add('trust');
    else bindingUses(ctx, element.name, depth, out);
  }
}

function tokenText(ctx: Ctx, token: ts.Expression | null | undefined): string | null {
  return token ? unwrap(token).getText(ctx.sf).replace(/\s+/g, '') : null;
}

function verifiesIn(ctx: Ctx, fn: ts.Node, text: string): boolean {
  for (const op of ctx.ops) {
    if (op.op === 'verify' && tokenText(ctx, op.token) === text && enclosingFunction(op.call) === fn) return true;
  }
  return false;
}

/** The variable a decode's result is assigned to (`const a = decode(t)`, `a = decode(t)`). */
function resultVariable(call: ts.Node): ts.Node | null {
  const { node: outer, parent } = outerParent(call);
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer) return parent;
  return null;
}

/** A verify in the same function of the same token text, or of the variable holding the decode (`@hapi/jwt` artifacts). */
function verifiedHere(ctx: Ctx, decode: PendingOp): boolean {
  const text = tokenText(ctx, decode.token);
  const fn = enclosingFunction(decode.call);
  if (text !== null && verifiesIn(ctx, fn, text)) return true;
  const holder = resultVariable(decode.call);
  if (!holder || !ts.isVariableDeclaration(holder) || !ts.isIdentifier(holder.name)) return false;
  for (const op of ctx.ops) {
    if (op.op !== 'verify' || !op.token || enclosingFunction(op.call) !== fn) continue;
    const t = unwrap(op.token);
    if (ts.isIdentifier(t) && t.text === holder.name.text && lookup(ctx, t) === holder) return true;
  }
  return false;
}

/** How a function is called from elsewhere in the file: its name, and whether through `this.`. */
function callableName(fn: ts.FunctionLikeDeclaration): { name: string; method: boolean } | null {
  if (ts.isMethodDeclaration(fn)) {
    const name = propName(fn.name);
    return name === null ? null : { name, method: true };
  }
  if (ts.isFunctionDeclaration(fn) && fn.name) return { name: fn.name.text, method: false };
  const { parent } = outerParent(fn);
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    return { name: parent.name.text, method: false };
  }
  return null;
}

/**
 * Decode in a helper, verify in its callers: the decoded token is the helper's parameter, and every
 * call of the helper in this file sits in a function that verifies the token it passed in.
 */
function verifiedByCallers(ctx: Ctx, decode: PendingOp): boolean {
  const token = decode.token ? unwrap(decode.token) : null;
  if (!token || !ts.isIdentifier(token)) return false;
  const param = lookup(ctx, token);
  if (!param || !ts.isParameter(param) || !isFunctionLike(param.parent)) return false;
  const fn = param.parent;
  const index = fn.parameters.indexOf(param);
  const callable = callableName(fn);
  if (!callable) return false;
  const cls = callable.method ? enclosingClass(fn) : undefined;
  const calls: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = unwrap(n.expression);
      const named = callable.method
        ? ts.isPropertyAccessExpression(callee) && callee.name.text === callable.name && callee.expression.kind === SK.ThisKeyword && enclosingClass(n) === cls
        : ts.isIdentifier(callee) && callee.text === callable.name && lookup(ctx, callee) !== undefined;
      if (named) calls.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  if (calls.length === 0) return false;
  for (const call of calls) {
    const text = tokenText(ctx, call.arguments[index]);
    if (text === null || enclosingFunction(call) === fn || !verifiesIn(ctx, enclosingFunction(call), text)) return false;
  }
  return true;
}

/** A verify of some token in another method of the decode's class (the decode only chose a branch). */
function verifiedInClass(ctx: Ctx, decode: PendingOp): boolean {
  const cls = enclosingClass(decode.call);
  if (!cls) return false;
  const fn = enclosingFunction(decode.call);
  return ctx.ops.some((op) => op.op === 'verify' && op.token !== null && enclosingClass(op.call) === cls && enclosingFunction(op.call) !== fn);
}

/** The expression a token identifier was initialised from (`const t = x.y`, `const { y: t } = x`). */
function tokenOrigin(ctx: Ctx, token: ts.Expression): { object: ts.Expression; key: string | null } | null {
  const t = unwrap(token);
  if (ts.isPropertyAccessExpression(t)) return { object: t.expression, key: t.name.text };
  if (ts.isElementAccessExpression(t)) return { object: t.expression, key: stringValue(unwrap(t.argumentExpression)) };
  if (!ts.isIdentifier(t)) return null;
  const decl = lookup(ctx, t);
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name)) {
    const init = unwrap(decl.initializer);
    if (ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init)) return tokenOrigin(ctx, init);
  }
  if (decl && ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent)) {
    const holder = decl.parent.parent;
    const key = decl.propertyName ? propName(decl.propertyName) : ts.isIdentifier(decl.name) ? decl.name.text : null;
    if (ts.isVariableDeclaration(holder) && holder.initializer) return { object: holder.initializer, key };
  }
  return null;
}

/** The token was read out of a token verified just before (`const inner = verified.access_token`). */
function carriedInVerified(ctx: Ctx, decode: PendingOp): boolean {
  const origin = decode.token ? tokenOrigin(ctx, decode.token) : null;
  if (!origin) return false;
  let object = unwrap(origin.object);
  if (ts.isIdentifier(object)) {
    const decl = lookup(ctx, object);
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
    object = unwrap(decl.initializer);
  }
  return ctx.ops.some((op) => op.op === 'verify' && op.call === object);
}

const CLIENT_SOURCES = new Set(['body', 'query', 'headers', 'cookies', 'signedCookies', 'handshake', 'searchParams', 'form', 'args', 'auth']);

/** Names along a property chain, root first (`req.body.id_token` → req, body), a local root replaced by its initialiser. */
function chainNames(ctx: Ctx, expr: ts.Expression, depth = 0): string[] {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const decl = depth < 2 ? lookup(ctx, e) : undefined;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name))
      return [...chainNames(ctx, decl.initializer, depth + 1), e.text];
    return [e.text];
  }
  if (e.kind === SK.ThisKeyword) return ['this'];
  if (ts.isPropertyAccessExpression(e)) return [...chainNames(ctx, e.expression, depth), e.name.text];
  if (ts.isElementAccessExpression(e)) return [...chainNames(ctx, e.expression, depth), stringValue(unwrap(e.argumentExpression)) ?? '[]'];
  if (ts.isCallExpression(e)) return chainNames(ctx, e.expression, depth);
  return [];
}

/** An OpenID Connect `id_token` read from a token-endpoint result, not from the client's request. */
function isBackChannelIdToken(ctx: Ctx, decode: PendingOp): boolean {
  const origin = decode.token ? tokenOrigin(ctx, decode.token) : null;
  if (!origin || origin.key === null || !/^id_?token$/i.test(origin.key)) return false;
  const names = chainNames(ctx, origin.object);
  return names.length > 0 && names[0] !== 'req' && names[0] !== 'request' && !names.some((n) => CLIENT_SOURCES.has(n));
}

const RESPONSE_NAME = /^(?:res|resp|response|\w+Response|\w+Res)$/;

function isResponse(ctx: Ctx, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    return ts.isIdentifier(callee) && callee.text === 'fetch';
  }
  if (!ts.isIdentifier(e)) return false;
  if (RESPONSE_NAME.test(e.text) || exprHasType(ctx, e, 'Response')) return true;
  const decl = lookup(ctx, e);
  return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && isResponse(ctx, decl.initializer);
}

/** The token is the body of an HTTP response (`await response.text()`), for example an `application/jwt` userinfo answer. */
function isResponseBody(ctx: Ctx, token: ts.Expression | null, depth = 0): boolean {
  if (!token || depth > 3) return false;
  let t = unwrap(token);
  while (ts.isCallExpression(t) && ts.isPropertyAccessExpression(t.expression) && ['trim', 'toString'].includes(t.expression.name.text)) {
    t = unwrap(t.expression.expression);
  }
  if (ts.isCallExpression(t) && ts.isPropertyAccessExpression(t.expression) && t.expression.name.text === 'text') {
    return isResponse(ctx, t.expression.expression);
  }
  if (ts.isIdentifier(t)) {
    const decl = lookup(ctx, t);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return isResponseBody(ctx, decl.initializer, depth + 1);
  }
  return false;
}

const BROWSER_MODULES =
  /^(?:react|react-dom|react-router(?:-dom)?|vue|vuex|pinia|vue-router|nuxt|#app|#imports|@angular\/[\w-]+|svelte|svelte\/[\w/-]+|\$app\/[\w/-]+|solid-js|preact|next\/(?:navigation|router|link|image)|js-cookie|universal-cookie|react-cookie)$/;
const SERVER_MODULES = /^(?:node:.*|fs|http|https|express|koa|fastify|@nestjs\/[\w-]+|next\/server|next\/headers|hono|@hapi\/[\w-]+)$/;
const BROWSER_GLOBALS = new Set(['window', 'document', 'localStorage', 'sessionStorage', 'navigator']);
const FRONTEND_SEGMENT = /^(?:[\w-]*-)?front-?end$|^client$|^web-?app$|^browser$|^spa$/i;
const SERVER_PATH = /(^|\/)(?:middleware\.[cm]?[jt]s|route\.[cm]?[jt]sx?)$|(^|\/)(?:pages|app)\/api\/|(^|\/)server(\/|$)/;

function directive(sf: ts.SourceFile, text: string): boolean {
  for (const st of sf.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === text) return true;
  }
  return false;
}

function usesBrowserGlobal(ctx: Ctx): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && BROWSER_GLOBALS.has(n.text) && isReference(n) && lookup(ctx, n) === undefined) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return found;
}

/**
 * Whether the file is front-end code: a `'use client'` directive, a UI framework or browser-only
 * import, browser globals, or a front-end folder — unless it is server code (`'use server'`, Node or
 * server framework imports, Next.js middleware and route handlers, a `server/` folder).
 */
export function isBrowserFile(ctx: Ctx): boolean {
  const path = ctx.facts.path;
  const modules = [...ctx.importedModules];
  if (directive(ctx.sf, 'use server') || SERVER_PATH.test(path) || modules.some((m) => SERVER_MODULES.test(m))) return false;
  if (directive(ctx.sf, 'use client') || /\.(?:vue|svelte)$/.test(path)) return true;
  if (modules.some((m) => BROWSER_MODULES.test(m))) return true;
  if (
    path
      .split('/')
      .slice(0, -1)
      .some((segment) => FRONTEND_SEGMENT.test(segment))
  )
    return true;
  return usesBrowserGlobal(ctx);
}

/** The unverified-decode details of a pending decode: claims use, decode-then-verify, and context. */
export function analyseDecode(ctx: Ctx, decode: PendingOp, browser: () => boolean): Pick<JwtOp, 'claimsUsed' | 'verifiedSameToken' | 'decodeContext'> {
  const uses = new Set<UseKind>();
  usesOf(ctx, decode.call, true, 0, uses);
  const trusting = [...uses].filter((u) => u === 'trust' || u === 'return' || u === 'condition');
  const claimsUsed = trusting.length > 0 || uses.has('url');
  const verified =
    verifiedHere(ctx, decode) ||
    carriedInVerified(ctx, decode) ||
    (trusting.length > 0 && trusting.every((u) => u === 'return') && verifiedByCallers(ctx, decode)) ||
    (trusting.length > 0 && trusting.every((u) => u === 'condition') && verifiedInClass(ctx, decode));
  const result: Pick<JwtOp, 'claimsUsed' | 'verifiedSameToken' | 'decodeContext'> = { claimsUsed, verifiedSameToken: verified };
  if (!claimsUsed || verified) return result;
  if (isBackChannelIdToken(ctx, decode)) result.decodeContext = 'id-token';
  else if (isResponseBody(ctx, decode.token)) result.decodeContext = 'provider-response';
  else if (trusting.length === 0) result.decodeContext = 'outbound-url';
  else if (browser()) result.decodeContext = 'browser';
  return result;
}
