// JWT operations in TS/JS (jsonwebtoken, jose, jwt-simple, fast-jwt, @hapi/jwt, @nestjs/jwt, passport-jwt, express-jwt, koa-jwt, @fastify/jwt, jwt-decode), found from the file's imports.
import { ts } from './compiler.js';
import {
  type Ctx,
  SK,
  type PendingOp,
  enclosingClass,
  exprHasType,
  lookup,
  nodeLoc,
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
  ['jwt-simple', 'jwt-simple'],
  ['fast-jwt', 'fast-jwt'],
  ['@hapi/jwt', '@hapi/jwt'],
  ['@nestjs/jwt', '@nestjs/jwt'],
  ['passport-jwt', 'passport-jwt'],
  ['express-jwt', 'express-jwt'],
  ['koa-jwt', 'koa-jwt'],
  ['@fastify/jwt', '@fastify/jwt'],
  ['fastify-jwt', '@fastify/jwt'],
  ['jwt-decode', 'jwt-decode'],
  ['livekit-server-sdk', 'livekit-server-sdk'],
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

/** Whether a reference to an imported name is shadowed by a parameter, local or function of the same name. */
function shadowed(ctx: Ctx, id: ts.Identifier): boolean {
  const decl = lookup(ctx, id);
  if (!decl || ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isImportSpecifier(decl) || ts.isImportEqualsDeclaration(decl)) return false;
  const holder = ts.isBindingElement(decl) ? ts.walkUpBindingElementsAndPatterns(decl) : decl;
  return !(ts.isVariableDeclaration(holder) && ts.isVariableStatement(holder.parent.parent) && ts.isSourceFile(holder.parent.parent.parent));
}

function binding(ctx: Ctx, expr: ts.Expression): LibBinding | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const b = ctx.imports.get(e.text);
    if (b && shadowed(ctx, e)) return null;
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
  ctx.ops.push({ op, library, loc: nodeLoc(ctx.sf, locNode), keyExpr, token, call, scope: scopeName(call) });
}

function jsonwebtoken(ctx: Ctx, method: string, call: ts.CallExpression, locNode: ts.Node, library = 'jsonwebtoken'): void {
  const [first, second] = call.arguments;
  if (method === 'sign') push(ctx, 'sign', library, locNode, call, second ?? null, null);
  else if (method === 'verify') push(ctx, 'verify', library, locNode, call, second ?? null, first ?? null);
  else if (method === 'decode') push(ctx, 'decode-unverified', library, locNode, call, null, first ?? null);
}

const JOSE_VERIFY = new Set(['jwtVerify', 'jwtDecrypt', 'compactVerify', 'flattenedVerify', 'generalVerify']);

function jose(ctx: Ctx, name: string, call: ts.CallExpression, locNode: ts.Node): void {
  const [first, second] = call.arguments;
  if (JOSE_VERIFY.has(name)) push(ctx, 'verify', 'jose', locNode, call, second ?? null, first ?? null);
  else if (name === 'decodeJwt') push(ctx, 'decode-unverified', 'jose', locNode, call, null, first ?? null);
}

/** jose's namespaces: `UnsecuredJWT.decode(t)` (v4+), and v2's `JWT.sign/verify/decode`. */
function joseNamespace(ctx: Ctx, ns: string, method: string, call: ts.CallExpression, locNode: ts.Node): void {
  if (ns === 'UnsecuredJWT' && method === 'decode') push(ctx, 'decode-unverified', 'jose', locNode, call, null, call.arguments[0] ?? null);
  else if (ns === 'JWT') jsonwebtoken(ctx, method, call, locNode, 'jose');
}

/** jwt-simple: `encode(payload, key)`; `decode(token, key, noVerify)` verifies unless `noVerify` is literally `true`. */
function jwtSimple(ctx: Ctx, method: string, call: ts.CallExpression, locNode: ts.Node): void {
  const [first, second, third] = call.arguments;
  if (method === 'encode') push(ctx, 'sign', 'jwt-simple', locNode, call, second ?? null, null);
  else if (method === 'decode') {
    if (third && unwrap(third).kind === SK.TrueKeyword) push(ctx, 'decode-unverified', 'jwt-simple', locNode, call, null, first ?? null);
    else push(ctx, 'verify', 'jwt-simple', locNode, call, second ?? null, first ?? null);
  }
}

/** fast-jwt factories: `createSigner({ key })`, `createVerifier({ key })`; a decoder's calls are unverified decodes. */
function fastJwt(ctx: Ctx, name: string, call: ts.CallExpression, locNode: ts.Node): void {
  if (name === 'createSigner') push(ctx, 'sign', 'fast-jwt', locNode, call, option(ctx, call.arguments[0], ['key']), null);
  else if (name === 'createVerifier') push(ctx, 'verify', 'fast-jwt', locNode, call, option(ctx, call.arguments[0], ['key']), null);
}

/** A call of a local bound to fast-jwt's `createDecoder()` (`const decode = createDecoder(); decode(t)`). */
function fastJwtDecoderCall(ctx: Ctx, callee: ts.Identifier, call: ts.CallExpression): void {
  const decl = lookup(ctx, callee);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return;
  const init = unwrap(decl.initializer);
  if (!ts.isCallExpression(init)) return;
  const b = binding(ctx, init.expression);
  if (b && b.library === 'fast-jwt' && b.imported === 'createDecoder')
    push(ctx, 'decode-unverified', 'fast-jwt', callee, call, null, call.arguments[0] ?? null);
}

/** @hapi/jwt: `Jwt.token.generate(payload, key)`, `Jwt.token.decode(t)`, `Jwt.token.verify(artifacts, key)`. */
function hapiToken(ctx: Ctx, method: string, call: ts.CallExpression, locNode: ts.Node): void {
  const [first, second] = call.arguments;
  const key = (expr: ts.Expression | undefined): ts.Expression | null => option(ctx, expr, ['key']) ?? expr ?? null;
  if (method === 'generate') push(ctx, 'sign', '@hapi/jwt', locNode, call, key(second), null);
  else if (method === 'decode') push(ctx, 'decode-unverified', '@hapi/jwt', locNode, call, null, first ?? null);
  else if (method === 'verify' || method === 'verifySignature') push(ctx, 'verify', '@hapi/jwt', locNode, call, key(second), first ?? null);
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
      push(
        ctx,
        'configure',
        '@nestjs/jwt',
        ts.isPropertyAccessExpression(callee) ? callee.name : callee,
        node,
        option(ctx, node.arguments[0], NEST_KEY_NAMES),
        null,
      );
    } else if (b && b.library === 'livekit-server-sdk' && (b.imported === 'AccessToken' || b.imported === 'TokenVerifier') && node.arguments?.[1]) {
      // LiveKit access tokens are JWTs signed (and checked) with the API secret, the second argument.
      const callee = unwrap(node.expression);
      push(
        ctx,
        b.imported === 'AccessToken' ? 'sign' : 'verify',
        'livekit-server-sdk',
        ts.isPropertyAccessExpression(callee) ? callee.name : callee,
        node,
        node.arguments[1],
        null,
      );
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
    if (!b) {
      if (ctx.importedModules.has('fast-jwt')) fastJwtDecoderCall(ctx, callee, node);
      return;
    }
    if (b.library === 'jsonwebtoken') jsonwebtoken(ctx, b.imported, node, callee);
    else if (b.library === 'jose') jose(ctx, b.imported, node, callee);
    else if (b.library === 'jwt-simple') jwtSimple(ctx, b.imported, node, callee);
    else if (b.library === 'fast-jwt') fastJwt(ctx, b.imported, node, callee);
    else if (b.library === 'jwt-decode' && ['default', 'jwtDecode', '*'].includes(b.imported)) {
      push(ctx, 'decode-unverified', 'jwt-decode', callee, node, null, node.arguments[0] ?? null);
    } else if (
      (b.library === 'express-jwt' && ['default', 'expressjwt', '*'].includes(b.imported)) ||
      (b.library === 'koa-jwt' && ['default', '*'].includes(b.imported))
    ) {
      push(ctx, 'verify', b.library, callee, node, option(ctx, node.arguments[0], ['secret']), null);
    }
    return;
  }
  if (!ts.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const recv = unwrap(callee.expression);
  const rb = binding(ctx, recv);
  if (isModuleObject(rb, 'jsonwebtoken')) return jsonwebtoken(ctx, method, node, callee.name);
  if (isModuleObject(rb, 'jose')) return jose(ctx, method, node, callee.name);
  if (rb && rb.library === 'jose') return joseNamespace(ctx, rb.imported, method, node, callee.name);
  if (isModuleObject(rb, 'jwt-simple')) return jwtSimple(ctx, method, node, callee.name);
  if (isModuleObject(rb, 'fast-jwt')) return fastJwt(ctx, method, node, callee.name);
  if (rb && rb.library === '@hapi/jwt' && rb.imported === 'token') return hapiToken(ctx, method, node, callee.name);
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
  if (method === 'strategy' && ctx.importedModules.has('@hapi/jwt') && node.arguments[1] && stringValue(unwrap(node.arguments[1])) === 'jwt') {
    return push(ctx, 'configure', '@hapi/jwt', callee.name, node, option(ctx, node.arguments[2], ['keys']), null);
  }
  if (method === 'register' && node.arguments[0]) {
    const plugin = binding(ctx, node.arguments[0]);
    if (plugin && plugin.library === '@fastify/jwt') {
      return push(ctx, 'configure', '@fastify/jwt', callee.name, node, option(ctx, node.arguments[1], ['secret']), null);
    }
  }
  if (isJwtService(ctx, recv)) jwtService(ctx, method, node, callee.name);
}
