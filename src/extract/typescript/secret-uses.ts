// Service secrets in TS/JS: HMAC keys, values compared with a request's header or field, values sent in request headers; values stored in registry slots.
import { COMPARE_HELPER } from '../shared-patterns.js';
import { ts } from './compiler.js';
import type { SecretUse } from '../facts.js';
import { type Ctx, EQUALITY, SK, lookup, nodeLoc, propName, scopeName, slotKey, stringValue, unwrap } from './context.js';
import { traceValue } from './trace.js';

interface Site {
  /** `refuse`: compared with a literal the code refuses to run with (`if (key === 'change-me') throw …`). */
  kind: SecretUse['kind'] | 'slot' | 'refuse';
  /** For `slot`: the registry slot filled and the setter call. */
  slot?: { key: string; call: ts.CallExpression };
  expr: ts.Expression;
  header?: string;
}

const CREDENTIAL_HEADER = /secret|token|api[-_]?key|auth|signature|password/i;
/** Words that mark the incoming side of a comparison: the request, its headers or a body field. */
const INCOMING = /\b(req|request|headers?|ctx\.get|incoming|provided|received|payload|body|handshake)\b/;

function sites(ctx: Ctx): Site[] {
  return (ctx.secretUseSites ??= []) as Site[];
}

function isLiteral(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  return (
    stringValue(e) !== null ||
    ts.isNumericLiteral(e) ||
    e.kind === SK.NullKeyword ||
    e.kind === SK.TrueKeyword ||
    e.kind === SK.FalseKeyword ||
    (ts.isIdentifier(e) && e.text === 'undefined')
  );
}

function compared(ctx: Ctx, a: ts.Expression, b: ts.Expression): void {
  if (isLiteral(a) || isLiteral(b)) return;
  // The request side, as written or as the local it was read into (`const provided = req.headers['x-key']`).
  const incoming = (e: ts.Expression): boolean => {
    if (INCOMING.test(e.getText(ctx.sf))) return true;
    const u = unwrap(e);
    const decl = ts.isIdentifier(u) ? lookup(ctx, u) : undefined;
    return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && INCOMING.test(decl.initializer.getText(ctx.sf));
  };
  const site = (request: ts.Expression, key: ts.Expression): void => {
    const header = headerRead(ctx, request, 0);
    sites(ctx).push({ kind: 'compare', expr: key, ...(header !== null ? { header } : {}) });
  };
  if (incoming(a) && !incoming(b)) site(a, b);
  else if (incoming(b) && !incoming(a)) site(b, a);
}

/** The header a request value comes from: `req.headers['x-service-secret']`, `req.header('X-Service-Secret')`. */
function headerRead(ctx: Ctx, expr: ts.Expression, depth: number): string | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e) && depth < 3) {
    const decl = lookup(ctx, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return headerRead(ctx, decl.initializer, depth + 1);
  }
  let found: string | null = null;
  const visit = (node: ts.Node): void => {
    if (found !== null) return;
    const text = ts.isStringLiteralLike(node) ? node.text : null;
    if (text !== null && /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/.test(text) && CREDENTIAL_HEADER.test(text)) {
      found = text;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** `crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))`: the arguments without their Buffer wrapping. */
function unbuffer(expr: ts.Expression): ts.Expression {
  const e = unwrap(expr);
  if (ts.isCallExpression(e) && e.arguments[0] && /Buffer\.from$/.test(e.expression.getText())) return e.arguments[0];
  return e;
}

/** `if (!key || key === 'change-me') throw …`: the side compared with a non-empty literal in the test of an `if` that throws or exits. */
function refusedValue(node: ts.BinaryExpression): ts.Expression | null {
  const op = node.operatorToken.kind;
  if (op !== SK.EqualsEqualsEqualsToken && op !== SK.EqualsEqualsToken) return null;
  const lit = (e: ts.Expression): boolean => {
    const v = stringValue(unwrap(e));
    return v !== null && v.length > 0;
  };
  const other = lit(node.right) ? node.left : lit(node.left) ? node.right : null;
  if (!other) return null;
  let p: ts.Node = node.parent;
  while (
    ts.isParenthesizedExpression(p) ||
    ts.isPrefixUnaryExpression(p) ||
    (ts.isBinaryExpression(p) && (p.operatorToken.kind === SK.BarBarToken || p.operatorToken.kind === SK.AmpersandAmpersandToken))
  )
    p = p.parent;
  if (!ts.isIfStatement(p)) return null;
  const then = p.thenStatement;
  const statements = ts.isBlock(then) ? then.statements : [then];
  const stops = statements.some((st) => ts.isThrowStatement(st) || (ts.isExpressionStatement(st) && /^process\.exit\(/.test(st.expression.getText())));
  return stops ? other : null;
}

/** Records where a node uses a secret: an HMAC key, a comparison with a request value, a credential header. */
export function visitSecretUse(ctx: Ctx, node: ts.Node): void {
  if (ts.isCallExpression(node)) {
    const callee = unwrap(node.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
    const slot = slotKey(node, 'set');
    if (slot !== null) sites(ctx).push({ kind: 'slot', expr: node.arguments[1], slot: { key: slot, call: node } });
    else if (method === 'createHmac' && node.arguments[1]) sites(ctx).push({ kind: 'hmac', expr: node.arguments[1] });
    else if (method !== null && (method === 'timingSafeEqual' || COMPARE_HELPER.test(method)) && node.arguments.length === 2) {
      compared(ctx, unbuffer(node.arguments[0]), unbuffer(node.arguments[1]));
    }
  } else if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
    const refused = refusedValue(node);
    if (refused) sites(ctx).push({ kind: 'refuse', expr: refused });
    else compared(ctx, node.left, node.right);
  } else if (ts.isPropertyAssignment(node) && ts.isObjectLiteralExpression(node.parent)) {
    const header = propName(node.name);
    const holder = node.parent.parent;
    if (header === null || !CREDENTIAL_HEADER.test(header) || !holder || !ts.isPropertyAssignment(holder) || propName(holder.name) !== 'headers') return;
    sites(ctx).push({ kind: 'header', expr: node.initializer, header });
  }
}

/** Traces each recorded site; keeps uses whose value comes from the environment, an import or (outside comparisons) a literal. */
export function resolveSecretUses(ctx: Ctx): void {
  for (const site of (ctx.secretUseSites ?? []) as Site[]) {
    if (site.kind === 'refuse') {
      // The env reads the refused value comes from: a placeholder deployed for them stops the service instead of signing.
      for (const s of traceValue(ctx, site.expr, false)) if (s.kind === 'env') ctx.facts.envReads[s.read].refusesLiteral = true;
      continue;
    }
    if (site.slot) {
      // Traced without marking literals: a slot holds configuration of every kind, not only secrets.
      const sources = traceValue(ctx, site.expr, false);
      if (!sources.some((s) => s.kind === 'env' || s.kind === 'import')) continue;
      const callee = unwrap(site.slot.call.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
      (ctx.facts.slotWrites ??= []).push({
        key: site.slot.key,
        loc: nodeLoc(ctx.sf, name),
        value: { loc: nodeLoc(ctx.sf, site.expr), trace: { sources } },
        scope: scopeName(site.expr),
      });
      continue;
    }
    const sources = traceValue(ctx, site.expr);
    if (!sources.some((s) => s.kind === 'env' || s.kind === 'import' || (s.kind === 'literal' && site.kind !== 'compare'))) continue;
    const use: SecretUse = {
      kind: site.kind as SecretUse['kind'],
      key: { loc: nodeLoc(ctx.sf, site.expr), trace: { sources } },
      scope: scopeName(site.expr),
      ...(site.header !== undefined ? { header: site.header } : {}),
    };
    (ctx.facts.secretUses ??= []).push(use);
  }
}
