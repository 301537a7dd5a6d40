// JWT operations in TS/JS (jsonwebtoken, jose, @nestjs/jwt, passport-jwt, express-jwt, @fastify/jwt, jwt-decode), found from the file's imports.
import { ts } from 'ts-morph';
import {
  type Ctx,
  SK,
  type PendingOp,
  enclosingClass,
  enclosingFunction,
  exprHasType,
  isFunctionLike,
  lookup,
  nodeLoc,
  outerParent,
  propName,
  returnExprs,
  scopeName,
  stringValue,
  unwrap,
} from './context.js';
import { objectLiteral } from './env.js';

const LIBRARY_BY_MODULE = new Map<string, string>([
  ['jsonwebtoken', 'jsonwebtoken'],
  ['jose', 'jose'],
  ['@nestjs/jwt', '@nestjs/jwt'],
  ['passport-jwt', 'passport-jwt'],
  ['express-jwt', 'express-jwt'],
  ['@fastify/jwt', '@fastify/jwt'],
  ['fastify-jwt', '@fastify/jwt'],
  ['jwt-decode', 'jwt-decode'],
]);

const IDENTITY = /^(?:current_?)?(?:user|user_?id|uid|sub|subject|identity|principal|account|account_?id|owner|actor|member|viewer)s?$/i;
const COMPARISONS = new Set([
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

interface LibBinding {
  library: string;
  imported: string;
}

/** Whether a module specifier is one of the JWT libraries recognised here. */
export function isJwtModule(module: string): boolean {
  return LIBRARY_BY_MODULE.has(module);
}

/** Whether the file imports or requires a JWT library at all (a cheap pre-check before looking for operations). */
export function usesJwtLibrary(ctx: Ctx): boolean {
  for (const module of LIBRARY_BY_MODULE.keys()) if (ctx.importedModules.has(module) || ctx.sf.text.includes(module)) return true;
  return false;
}

function binding(ctx: Ctx, expr: ts.Expression): LibBinding | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const b = ctx.imports.get(e.text);
    const library = b ? LIBRARY_BY_MODULE.get(b.module) : undefined;
    return b && library ? { library, imported: b.imported } : null;
  }
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments[0]) {
    const spec = stringValue(e.arguments[0]);
    const library = spec === null ? undefined : LIBRARY_BY_MODULE.get(spec);
    return library ? { library, imported: '*' } : null;
  }
  if (ts.isPropertyAccessExpression(e)) {
    const ns = binding(ctx, e.expression);
    if (ns && (ns.imported === '*' || ns.imported === 'default')) return { library: ns.library, imported: e.name.text };
  }
  return null;
}

function isModuleObject(b: LibBinding | null, library: string): boolean {
  return b !== null && b.library === library && (b.imported === '*' || b.imported === 'default');
}

function option(ctx: Ctx, expr: ts.Expression | undefined, names: string[]): ts.Expression | null {
  const obj = objectLiteral(ctx, expr);
  if (!obj) return null;
  for (const name of names) {
    for (const p of obj.properties) {
      if (propName(p.name) !== name) continue;
      if (ts.isPropertyAssignment(p)) return p.initializer;
      if (ts.isShorthandPropertyAssignment(p)) return p.name;
    }
  }
  return null;
}

function optionKeyName(ctx: Ctx, expr: ts.Expression | undefined, names: string[]): ts.Node | null {
  const obj = objectLiteral(ctx, expr);
  if (!obj) return null;
  for (const p of obj.properties) if (p.name && names.includes(propName(p.name) ?? '')) return p.name;
  return null;
}

function push(
  ctx: Ctx,
  op: PendingOp['op'],
  library: string,
  locNode: ts.Node,
  call: ts.Node,
  keyExpr: ts.Expression | null,
  token: ts.Expression | null,
): void {
  const pending: PendingOp = { op, library, loc: nodeLoc(ctx.sf, locNode), keyExpr, token, call, scope: scopeName(call) };
  if (op === 'decode-unverified') pending.claimsUsed = resultUsed(ctx, call, 0);
  ctx.ops.push(pending);
}

function jsonwebtoken(ctx: Ctx, method: string, call: ts.CallExpression, locNode: ts.Node): void {
  const [first, second] = call.arguments;
  if (method === 'sign') push(ctx, 'sign', 'jsonwebtoken', locNode, call, second ?? null, null);
  else if (method === 'verify') push(ctx, 'verify', 'jsonwebtoken', locNode, call, second ?? null, first ?? null);
  else if (method === 'decode') push(ctx, 'decode-unverified', 'jsonwebtoken', locNode, call, null, first ?? null);
}

function jose(ctx: Ctx, name: string, call: ts.CallExpression, locNode: ts.Node): void {
  const [first, second] = call.arguments;
  if (name === 'jwtVerify') push(ctx, 'verify', 'jose', locNode, call, second ?? null, first ?? null);
  else if (name === 'decodeJwt') push(ctx, 'decode-unverified', 'jose', locNode, call, null, first ?? null);
}

function isSignJwtChain(ctx: Ctx, callee: ts.PropertyAccessExpression, depth = 0): boolean {
  let e: ts.Expression = unwrap(callee.expression);
  for (;;) {
    if (ts.isCallExpression(e)) e = unwrap(e.expression);
    else if (ts.isPropertyAccessExpression(e)) e = unwrap(e.expression);
    else break;
  }
  if (ts.isNewExpression(e)) {
    const b = binding(ctx, e.expression);
    return b !== null && b.library === 'jose' && b.imported === 'SignJWT';
  }
  if (ts.isIdentifier(e) && depth < 2) {
    const decl = lookup(ctx, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = unwrap(decl.initializer);
      if (ts.isNewExpression(init)) {
        const b = binding(ctx, init.expression);
        return b !== null && b.library === 'jose' && b.imported === 'SignJWT';
      }
      if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression)) return isSignJwtChain(ctx, init.expression, depth + 1);
    }
  }
  return false;
}

function factoryFunction(ctx: Ctx, opts: ts.ObjectLiteralExpression): ts.FunctionLikeDeclaration | null {
  for (const p of opts.properties) {
    if (propName(p.name) !== 'useFactory') continue;
    if (ts.isMethodDeclaration(p)) return p;
    if (!ts.isPropertyAssignment(p)) return null;
    const value = unwrap(p.initializer);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
    if (ts.isIdentifier(value)) {
      const decl = lookup(ctx, value);
      if (decl && ts.isFunctionDeclaration(decl)) return decl;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
        const init = unwrap(decl.initializer);
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
      }
    }
    return null;
  }
  return null;
}

function optionsClassFactory(ctx: Ctx, opts: ts.ObjectLiteralExpression): ts.FunctionLikeDeclaration | null {
  for (const p of opts.properties) {
    if (!ts.isPropertyAssignment(p) || propName(p.name) !== 'useClass') continue;
    const value = unwrap(p.initializer);
    const decl = ts.isIdentifier(value) ? lookup(ctx, value) : undefined;
    if (!decl || !ts.isClassDeclaration(decl)) return null;
    for (const m of decl.members) if (ts.isMethodDeclaration(m) && propName(m.name) === 'createJwtOptions') return m;
  }
  return null;
}

const NEST_KEY_NAMES = ['secret', 'secretOrPrivateKey', 'privateKey'];

function nestModule(ctx: Ctx, method: string, call: ts.CallExpression, locNode: ts.Node): void {
  const names = NEST_KEY_NAMES;
  if (method === 'register') {
    push(ctx, 'configure', '@nestjs/jwt', locNode, call, option(ctx, call.arguments[0], names), null);
  } else if (method === 'registerAsync') {
    const opts = objectLiteral(ctx, call.arguments[0]);
    const fn = opts ? (factoryFunction(ctx, opts) ?? optionsClassFactory(ctx, opts)) : null;
    let key: ts.Expression | null = null;
    if (fn) {
      for (const r of returnExprs(ctx, fn)) {
        key = option(ctx, r, names);
        if (key) break;
      }
    }
    push(ctx, 'configure', '@nestjs/jwt', locNode, call, key, null);
  }
}

function isJwtService(ctx: Ctx, recv: ts.Expression): boolean {
  if (!ctx.importedModules.has('@nestjs/jwt')) return false;
  const e = unwrap(recv);
  const last = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : null;
  if (last === null) return false;
  return /jwtService$/i.test(last) || exprHasType(ctx, e, 'JwtService');
}

function jwtService(ctx: Ctx, method: string, call: ts.CallExpression, locNode: ts.Node): void {
  const [first, second] = call.arguments;
  if (method === 'sign' || method === 'signAsync') {
    push(ctx, 'sign', '@nestjs/jwt', locNode, call, option(ctx, second, ['secret', 'privateKey']), null);
  } else if (method === 'verify' || method === 'verifyAsync') {
    push(ctx, 'verify', '@nestjs/jwt', locNode, call, option(ctx, second, ['secret', 'publicKey']), first ?? null);
  } else if (method === 'decode') {
    push(ctx, 'decode-unverified', '@nestjs/jwt', locNode, call, null, first ?? null);
  }
}

function passport(ctx: Ctx, optionsArg: ts.Expression | undefined, calleeNode: ts.Node, call: ts.Node): void {
  const names = ['secretOrKey', 'secretOrKeyProvider'];
  const key = option(ctx, optionsArg, names);
  push(ctx, 'verify', 'passport-jwt', optionKeyName(ctx, optionsArg, names) ?? calleeNode, call, key, null);
}

function isPassportStrategy(ctx: Ctx, expr: ts.Expression): boolean {
  const b = binding(ctx, expr);
  return b !== null && b.library === 'passport-jwt' && b.imported === 'Strategy';
}

function superOfPassport(ctx: Ctx, call: ts.CallExpression): boolean {
  const cls = enclosingClass(call);
  const heritage = cls?.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword)?.types[0];
  if (!heritage) return false;
  const base = unwrap(heritage.expression);
  if (ts.isCallExpression(base) && base.arguments[0]) return isPassportStrategy(ctx, base.arguments[0]);
  return isPassportStrategy(ctx, base);
}

/** Records the JWT operation a call or `new` expression performs, if any (called once per node by the walk). */
export function visitJwt(ctx: Ctx, node: ts.Node): void {
  if (ts.isNewExpression(node)) {
    const b = binding(ctx, node.expression);
    if (b && b.library === '@nestjs/jwt' && b.imported === 'JwtService' && node.arguments?.[0]) {
      const callee = unwrap(node.expression);
      push(ctx, 'configure', '@nestjs/jwt', ts.isPropertyAccessExpression(callee) ? callee.name : callee, node, option(ctx, node.arguments[0], NEST_KEY_NAMES), null);
    } else if (isPassportStrategy(ctx, node.expression)) {
      const callee = unwrap(node.expression);
      passport(ctx, node.arguments?.[0], ts.isPropertyAccessExpression(callee) ? callee.name : callee, node);
    }
    return;
  }
  if (!ts.isCallExpression(node)) return;
  const callee = unwrap(node.expression);
  if (callee.kind === SK.SuperKeyword) {
    if (superOfPassport(ctx, node)) passport(ctx, node.arguments[0], callee, node);
    return;
  }
  if (ts.isIdentifier(callee)) {
    const b = binding(ctx, callee);
    if (!b) return;
    if (b.library === 'jsonwebtoken') jsonwebtoken(ctx, b.imported, node, callee);
    else if (b.library === 'jose') jose(ctx, b.imported, node, callee);
    else if (b.library === 'jwt-decode' && ['default', 'jwtDecode', '*'].includes(b.imported)) {
      push(ctx, 'decode-unverified', 'jwt-decode', callee, node, null, node.arguments[0] ?? null);
    } else if (b.library === 'express-jwt' && ['default', 'expressjwt', '*'].includes(b.imported)) {
      push(ctx, 'verify', 'express-jwt', callee, node, option(ctx, node.arguments[0], ['secret']), null);
    }
    return;
  }
  if (!ts.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const recv = unwrap(callee.expression);
  const rb = binding(ctx, recv);
  if (isModuleObject(rb, 'jsonwebtoken')) return jsonwebtoken(ctx, method, node, callee.name);
  if (isModuleObject(rb, 'jose')) return jose(ctx, method, node, callee.name);
  if (rb && rb.library === '@nestjs/jwt' && rb.imported === 'JwtModule') return nestModule(ctx, method, node, callee.name);
  if (isModuleObject(rb, 'jwt-decode') && method === 'jwtDecode') {
    return push(ctx, 'decode-unverified', 'jwt-decode', callee.name, node, null, node.arguments[0] ?? null);
  }
  if (isModuleObject(rb, 'express-jwt') && method === 'expressjwt') {
    return push(ctx, 'verify', 'express-jwt', callee.name, node, option(ctx, node.arguments[0], ['secret']), null);
  }
  if (method === 'sign' && ctx.importedModules.has('jose') && isSignJwtChain(ctx, callee)) {
    return push(ctx, 'sign', 'jose', callee.name, node, node.arguments[0] ?? null, null);
  }
  if (method === 'register' && node.arguments[0]) {
    const plugin = binding(ctx, node.arguments[0]);
    if (plugin && plugin.library === '@fastify/jwt') {
      return push(ctx, 'configure', '@fastify/jwt', callee.name, node, option(ctx, node.arguments[1], ['secret']), null);
    }
  }
  if (isJwtService(ctx, recv)) jwtService(ctx, method, node, callee.name);
}

function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === id) return false;
  return true;
}

function usagesUsed(ctx: Ctx, decl: ts.Identifier, depth: number): boolean {
  const fn = enclosingFunction(decl);
  const body = isFunctionLike(fn) ? fn.body : fn;
  if (!body) return false;
  const name = decl.text;
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n)) {
      if (n !== decl && n.text === name && isReference(n) && resultUsed(ctx, n, depth)) used = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return used;
}

function resultUsed(ctx: Ctx, node: ts.Node, depth: number): boolean {
  const { node: outer, parent } = outerParent(node);
  if (!parent) return false;
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === outer)) return true;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) return true;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression !== outer) return true;
  if (
    ts.isPropertyAssignment(parent) ||
    ts.isShorthandPropertyAssignment(parent) ||
    ts.isSpreadAssignment(parent) ||
    ts.isSpreadElement(parent) ||
    ts.isTemplateSpan(parent) ||
    ts.isArrayLiteralExpression(parent) ||
    ts.isJsxExpression(parent)
  ) {
    return true;
  }
  if (ts.isBinaryExpression(parent)) {
    const k = parent.operatorToken.kind;
    if (COMPARISONS.has(k)) return true;
    if (k === SK.EqualsToken && parent.right === outer) {
      const target = unwrap(parent.left);
      const name = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : '';
      if (IDENTITY.test(name) || ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) return true;
      if (ts.isIdentifier(target) && depth < 3) {
        const decl = lookup(ctx, target);
        if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) return usagesUsed(ctx, decl.name, depth + 1);
      }
      return false;
    }
    if (k === SK.QuestionQuestionToken || k === SK.BarBarToken || k === SK.AmpersandAmpersandToken) {
      return resultUsed(ctx, parent, depth);
    }
    return false;
  }
  if (ts.isConditionalExpression(parent) && parent.condition !== outer) return resultUsed(ctx, parent, depth);
  if (ts.isVariableDeclaration(parent) && parent.initializer === outer) {
    if (!ts.isIdentifier(parent.name)) return true;
    if (IDENTITY.test(parent.name.text)) return true;
    return depth < 3 && usagesUsed(ctx, parent.name, depth + 1);
  }
  return false;
}

function tokenText(ctx: Ctx, token: ts.Expression | null): string | null {
  return token ? unwrap(token).getText(ctx.sf).replace(/\s+/g, '') : null;
}

/** Whether a pending decode has a verify of the same token expression in the same function. */
export function verifiedSameToken(ctx: Ctx, decode: PendingOp): boolean {
  const text = tokenText(ctx, decode.token);
  if (text === null) return false;
  const fn = enclosingFunction(decode.call);
  for (const op of ctx.ops) {
    if (op.op === 'verify' && tokenText(ctx, op.token) === text && enclosingFunction(op.call) === fn) return true;
  }
  return false;
}
