// Env reads in TS/JS: process.env forms, configured accessors, schema-declared env, dynamic names, defaults and fallback groups.
import { ts } from './compiler.js';
import type { EnvRead } from '../facts.js';
import { ENV_NAME } from '../shared-patterns.js';
import {
  type Ctx,
  EQUALITY,
  SK,
  calleeText,
  exprHasType,
  importedBinding,
  lookup,
  nodeLoc,
  outerParent,
  propName,
  scopeName,
  stringValue,
  unwrap,
} from './context.js';

const SECRETISH = /SECRET|KEY|TOKEN|PASSWORD/i;
const PARSE_METHODS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync']);

/** `process.env`, `Bun.env`, `import.meta.env` (and `globalThis.process.env`): the accessor it stands for. */
export function envObjectAccessor(expr: ts.Expression): string | null {
  const e = unwrap(expr);
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== 'env') return null;
  const base = e.expression;
  if (ts.isIdentifier(base)) {
    if (base.text === 'process') return 'process.env';
    if (base.text === 'Bun') return 'Bun.env';
    return null;
  }
  if (ts.isMetaProperty(base) && base.keywordToken === SK.ImportKeyword && base.name.text === 'meta') return 'import.meta.env';
  if (ts.isPropertyAccessExpression(base) && base.name.text === 'process' && ts.isIdentifier(base.expression) && base.expression.text === 'globalThis') {
    return 'process.env';
  }
  return null;
}

/** Registers `imported.NAME` as a read the model confirms when the import is an env object. */
function addImportedRead(ctx: Ctx, node: ts.Node, base: ts.Expression, key: ts.Node, name: string, def: ts.Expression | undefined, nested = false): void {
  const e = unwrap(base);
  if (!ENV_NAME.test(name) || !ts.isIdentifier(e)) return;
  const via = importedBinding(ctx, e);
  if (!via) return;
  addRead(ctx, node, key, { name, pattern: null }, `${e.text} (imported)`, def, nested);
  const id = ctx.readByNode.get(node);
  if (id !== undefined) ctx.facts.envReads[id].viaImport = via;
}

function aliasAccessor(ctx: Ctx, expr: ts.Expression): string | null {
  const direct = envObjectAccessor(expr);
  if (direct) return direct;
  const e = unwrap(expr);
  if (!ts.isIdentifier(e) || !ctx.envAliases.has(e.text)) return null;
  const decl = lookup(ctx, e);
  return decl && (ts.isVariableDeclaration(decl) || ts.isParameter(decl)) && decl.initializer ? envObjectAccessor(decl.initializer) : null;
}

/**
 * A read found while tracing a value, not by the walk: `env.JWT_SECRET` inside `function pick(env)`
 * traced from a call `pick(process.env)`. It gets no default or group (those need the walk).
 */
export function tracedRead(ctx: Ctx, member: ts.PropertyAccessExpression | ts.ElementAccessExpression, name: string, accessor: string): number {
  const key = ts.isPropertyAccessExpression(member) ? member.name : member.argumentExpression;
  addRead(ctx, member, key, { name, pattern: null }, accessor, undefined);
  return ctx.readByNode.get(member) ?? -1;
}

function nameParts(ctx: Ctx, expr: ts.Expression, depth: number): (string | null)[] {
  const e = unwrap(expr);
  const literal = stringValue(e);
  if (literal !== null) return [literal];
  if (depth > 4) return [null];
  if (ts.isTemplateExpression(e)) {
    const out: (string | null)[] = [e.head.text];
    for (const span of e.templateSpans) out.push(...nameParts(ctx, span.expression, depth + 1), span.literal.text);
    return out;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === SK.PlusToken) {
    return [...nameParts(ctx, e.left, depth + 1), ...nameParts(ctx, e.right, depth + 1)];
  }
  if (ts.isIdentifier(e)) {
    const decl = lookup(ctx, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) {
      return nameParts(ctx, decl.initializer, depth + 1);
    }
    return [null];
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const decl = lookup(ctx, e.expression);
    const member = e.name.text;
    if (decl && ts.isEnumDeclaration(decl)) {
      for (const m of decl.members) if (propName(m.name) === member && m.initializer) return nameParts(ctx, m.initializer, depth + 1);
    }
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
      const obj = unwrap(decl.initializer);
      if (ts.isObjectLiteralExpression(obj)) {
        for (const p of obj.properties) {
          if (ts.isPropertyAssignment(p) && propName(p.name) === member) return nameParts(ctx, p.initializer, depth + 1);
        }
      }
    }
  }
  return [null];
}

function resolveName(ctx: Ctx, expr: ts.Expression): { name: string | null; pattern: string | null } | null {
  const parts = nameParts(ctx, expr, 0);
  if (!parts.includes(null)) return { name: parts.join(''), pattern: null };
  const pattern = parts
    .map((p) => p ?? '*')
    .join('')
    .replace(/\*+/g, '*');
  return /^\**$/.test(pattern) ? null : { name: null, pattern };
}

/** Whether an access is only tested for presence: compared with `undefined`/`null`, negated, or a `typeof` operand. */
function presenceTest(key: ts.Node): boolean {
  const { node, parent } = outerParent(key);
  if (ts.isPrefixUnaryExpression(parent) && parent.operator === SK.ExclamationToken) return true;
  if (ts.isTypeOfExpression(parent)) return true;
  if (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) {
    const other = unwrap(parent.left === node ? parent.right : parent.left);
    return other.kind === SK.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined');
  }
  return false;
}

function addRead(
  ctx: Ctx,
  key: ts.Node,
  locNode: ts.Node,
  resolved: { name: string | null; pattern: string | null },
  accessor: string,
  def: ts.Expression | undefined,
  nested = false,
): void {
  if (ctx.readByNode.has(key)) return;
  const read: EnvRead = {
    id: ctx.facts.envReads.length,
    name: resolved.name,
    pattern: resolved.pattern,
    accessor,
    defaultKind: 'none',
    group: null,
    loc: nodeLoc(ctx.sf, locNode),
    scope: scopeName(key),
  };
  if (presenceTest(key)) read.presenceOnly = true;
  ctx.facts.envReads.push(read);
  ctx.readByNode.set(key, read.id);
  ctx.readNodes.push(key);
  ctx.readDefaults.push(def ? { expr: def, nested } : null);
}

const ITERATING_METHODS = new Set(['map', 'find', 'some', 'filter', 'forEach', 'flatMap', 'findIndex', 'every']);

function literalList(ctx: Ctx, expr: ts.Expression, depth: number): { names: ts.StringLiteralLike[]; list: ts.Node } | null {
  const e = unwrap(expr);
  if (ts.isArrayLiteralExpression(e)) {
    const names: ts.StringLiteralLike[] = [];
    for (const el of e.elements) {
      if (!ts.isStringLiteral(el) && !ts.isNoSubstitutionTemplateLiteral(el)) return null;
      names.push(el);
    }
    return names.length > 0 ? { names, list: e } : null;
  }
  if (ts.isIdentifier(e) && depth < 3) {
    const decl = lookup(ctx, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return literalList(ctx, decl.initializer, depth + 1);
  }
  return null;
}

/** The literal names a loop variable takes: `for (const k of ['A', 'B'])` or `['A', 'B'].map((k) => …)`. */
function loopNames(ctx: Ctx, expr: ts.Expression): { names: ts.StringLiteralLike[]; list: ts.Node } | null {
  const e = unwrap(expr);
  if (!ts.isIdentifier(e)) return null;
  const decl = lookup(ctx, e);
  if (!decl) return null;
  let source: ts.Expression | null = null;
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && ts.isForOfStatement(decl.parent.parent)) {
    source = decl.parent.parent.expression;
  } else if (ts.isParameter(decl) && (ts.isArrowFunction(decl.parent) || ts.isFunctionExpression(decl.parent)) && decl.parent.parameters[0] === decl) {
    const { node: fn, parent: call } = outerParent(decl.parent);
    const callee = ts.isCallExpression(call) && call.arguments[0] === fn ? unwrap(call.expression) : null;
    if (callee && ts.isPropertyAccessExpression(callee) && ITERATING_METHODS.has(callee.name.text)) source = callee.expression;
  }
  return source ? literalList(ctx, source, 0) : null;
}

function addLoopReads(ctx: Ctx, access: ts.Node, loop: { names: ts.StringLiteralLike[]; list: ts.Node }, accessor: string): void {
  if (ctx.loopReads.has(access)) return;
  const ids: number[] = [];
  const scope = scopeName(access);
  for (const literal of loop.names) {
    const id = ctx.facts.envReads.length;
    ctx.facts.envReads.push({ id, name: literal.text, pattern: null, accessor, defaultKind: 'none', group: null, loc: nodeLoc(ctx.sf, literal), scope });
    ctx.readNodes.push(access);
    ctx.readDefaults.push(null);
    ids.push(id);
  }
  ctx.loopReads.set(access, ids);
  if (ids.length < 2) return;
  const gid = ctx.facts.fallbackGroups.length;
  ctx.facts.fallbackGroups.push({ id: gid, reads: ids, literalFallback: null, loc: nodeLoc(ctx.sf, loop.list), form: 'loop' });
  for (const id of ids) ctx.facts.envReads[id].group = gid;
}

function isWriteTarget(node: ts.Node): boolean {
  const { node: outer, parent } = outerParent(node);
  if (ts.isBinaryExpression(parent) && parent.left === outer) {
    const k = parent.operatorToken.kind;
    return k >= SK.FirstAssignment && k <= SK.LastAssignment;
  }
  return ts.isDeleteExpression(parent) || ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent);
}

/** The last names of the configured accessors (`get` of `configService.get`), once per file. */
function accessorLastNames(ctx: Ctx): Set<string> {
  if (!ctx.accessorLastNames) {
    ctx.accessorLastNames = new Set();
    for (const a of ctx.accessors) ctx.accessorLastNames.add(a.slice(a.lastIndexOf('.') + 1));
  }
  return ctx.accessorLastNames;
}

function resolvesConfigService(call: ts.CallExpression): boolean {
  const arg = call.arguments[0];
  return call.arguments.length === 1 && arg !== undefined && ts.isIdentifier(arg) && arg.text === 'ConfigService';
}

/**
 * The dotted form of a callee (`this.` dropped, calls as `name()`); with `substitute`, a local assigned
 * from a call is replaced by that call (`env = getEnv()` ⇒ `getEnv().get`).
 */
function normalizeCallee(ctx: Ctx, expr: ts.Expression, depth: number, substitute: boolean): string {
  const e = unwrap(expr);
  if (e.kind === SK.ThisKeyword) return '';
  if (ts.isIdentifier(e)) {
    if (exprHasType(ctx, e, 'ConfigService')) return 'configService';
    const decl = depth < 3 ? lookup(ctx, e) : undefined;
    const init = decl && ts.isVariableDeclaration(decl) && decl.initializer ? unwrap(decl.initializer) : null;
    if (init && ts.isCallExpression(init)) {
      if (resolvesConfigService(init)) return 'configService';
      if (substitute) return normalizeCallee(ctx, init, depth + 1, substitute);
    }
    return e.text;
  }
  if (ts.isPropertyAccessExpression(e)) {
    if (e.expression.kind === SK.ThisKeyword) {
      return exprHasType(ctx, e, 'ConfigService') ? 'configService' : e.name.text;
    }
    const left = normalizeCallee(ctx, e.expression, depth, substitute);
    return left ? `${left}.${e.name.text}` : e.name.text;
  }
  if (ts.isCallExpression(e)) return resolvesConfigService(e) ? 'configService' : `${normalizeCallee(ctx, e.expression, depth, substitute)}()`;
  return '?';
}

function matchAccessor(ctx: Ctx, callee: ts.Expression): string | null {
  const last = accessorLastNames(ctx);
  const e = unwrap(callee);
  const method = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : null;
  if (method === null || !last.has(method)) return null;
  const substituted = normalizeCallee(ctx, e, 0, true);
  const plain = normalizeCallee(ctx, e, 0, false);
  for (const a of ctx.accessors) {
    for (const norm of [substituted, plain]) if (norm === a || norm.endsWith(`.${a}`)) return a;
  }
  return null;
}

/** Resolves an expression (an object literal, or a local bound to one) to its object literal. */
export function objectLiteral(ctx: Ctx, expr: ts.Expression | undefined): ts.ObjectLiteralExpression | null {
  if (!expr) return null;
  const e = unwrap(expr);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const decl = lookup(ctx, e);
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = unwrap(decl.initializer);
      if (ts.isObjectLiteralExpression(init)) return init;
    }
  }
  return null;
}

function schemaKeys(
  ctx: Ctx,
  call: ts.CallExpression,
  obj: ts.ObjectLiteralExpression,
  accessor: string,
  defaultOf: (v: ts.Expression) => ts.Expression | undefined,
): void {
  let keys = ctx.schemaReads.get(call);
  if (!keys) {
    keys = new Map();
    ctx.schemaReads.set(call, keys);
  }
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
    const name = propName(p.name);
    if (name === null) continue;
    const value = ts.isPropertyAssignment(p) ? p.initializer : undefined;
    addRead(ctx, p, p.name, { name, pattern: null }, accessor, value ? defaultOf(value) : undefined);
    const id = ctx.readByNode.get(p);
    if (id !== undefined && !keys.has(name)) keys.set(name, id);
  }
}

function envalidDefault(value: ts.Expression): ts.Expression | undefined {
  const v = unwrap(value);
  if (!ts.isCallExpression(v)) return undefined;
  const opts = v.arguments[0] ? unwrap(v.arguments[0]) : undefined;
  if (!opts || !ts.isObjectLiteralExpression(opts)) return undefined;
  for (const p of opts.properties) if (ts.isPropertyAssignment(p) && propName(p.name) === 'default') return p.initializer;
  return undefined;
}

function zodDefault(value: ts.Expression): ts.Expression | undefined {
  let e = unwrap(value);
  while (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (callee.name.text === 'default') return e.arguments[0];
    e = unwrap(callee.expression);
  }
  return undefined;
}

function calleeName(expr: ts.Expression): string | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return null;
}

function zodObjectShape(ctx: Ctx, expr: ts.Expression, depth: number): ts.ObjectLiteralExpression | null {
  let e = unwrap(expr);
  if (ts.isIdentifier(e) && depth < 3) {
    const decl = lookup(ctx, e);
    return decl && ts.isVariableDeclaration(decl) && decl.initializer ? zodObjectShape(ctx, decl.initializer, depth + 1) : null;
  }
  while (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'object') return objectLiteral(ctx, e.arguments[0]);
    if (!ts.isPropertyAccessExpression(callee)) return null;
    e = unwrap(callee.expression);
  }
  return null;
}

/** The file names an expression can evaluate to, with `*` for what is chosen at run time (`.env.${NODE_ENV}` → `.env.*`). */
function filePatterns(ctx: Ctx, expr: ts.Expression, depth = 0): string[] {
  const e = unwrap(expr);
  const literal = stringValue(e);
  if (literal !== null) return [literal];
  if (depth > 4) return ['*'];
  if (ts.isConditionalExpression(e)) return [...filePatterns(ctx, e.whenTrue, depth + 1), ...filePatterns(ctx, e.whenFalse, depth + 1)];
  if (ts.isBinaryExpression(e) && isChainOp(e)) return [...filePatterns(ctx, e.left, depth + 1), ...filePatterns(ctx, e.right, depth + 1)];
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((el) => filePatterns(ctx, el, depth + 1));
  if (ts.isTemplateExpression(e)) {
    let out = [e.head.text];
    for (const span of e.templateSpans) {
      const parts = filePatterns(ctx, span.expression, depth + 1);
      out = out.flatMap((prefix) => parts.map((p) => `${prefix}${p}${span.literal.text}`));
      if (out.length > 16) return ['*'];
    }
    return out;
  }
  return ['*'];
}

/** `ConfigModule.forRoot({ envFilePath })` (NestJS): the env files the process loads at start-up. */
function visitConfigModule(ctx: Ctx, call: ts.CallExpression): void {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'forRoot' || calleeText(callee.expression) !== 'ConfigModule') return;
  const options = call.arguments[0] ? objectLiteral(ctx, call.arguments[0]) : null;
  for (const p of options?.properties ?? []) {
    if (!ts.isPropertyAssignment(p) || propName(p.name) !== 'envFilePath') continue;
    const patterns = [...new Set(filePatterns(ctx, p.initializer).map((s) => s.replace(/^\.\//, '').replace(/\*+/g, '*')))].filter(
      (s) => s !== '*' && s !== '',
    );
    if (patterns.length > 0) (ctx.facts.envFiles ??= []).push({ patterns, loc: nodeLoc(ctx.sf, p.initializer) });
  }
}

function visitCall(ctx: Ctx, call: ts.CallExpression): void {
  if (visitWrapperCall(ctx, call)) return;
  visitConfigModule(ctx, call);
  const callee = unwrap(call.expression);
  const name = calleeName(callee);
  const arg0 = call.arguments[0];
  if (name === 'cleanEnv' && call.arguments.length >= 2) {
    const schema = objectLiteral(ctx, call.arguments[1]);
    if (schema) schemaKeys(ctx, call, schema, 'envalid', envalidDefault);
    return;
  }
  if (name === 'createEnv' && arg0) {
    const opts = objectLiteral(ctx, arg0);
    if (!opts) return;
    for (const p of opts.properties) {
      const section = propName(p.name);
      if (!ts.isPropertyAssignment(p) || (section !== 'server' && section !== 'client' && section !== 'shared')) continue;
      const schema = objectLiteral(ctx, p.initializer);
      if (schema) schemaKeys(ctx, call, schema, 'zod-env', zodDefault);
    }
    return;
  }
  if (name !== null && PARSE_METHODS.has(name) && ts.isPropertyAccessExpression(callee) && arg0 && aliasAccessor(ctx, arg0)) {
    const shape = zodObjectShape(ctx, callee.expression, 0);
    if (shape) schemaKeys(ctx, call, shape, 'zod-env', zodDefault);
    return;
  }
  if (!arg0) return;
  const accessor = matchAccessor(ctx, callee);
  if (!accessor) return;
  const resolved = resolveName(ctx, arg0);
  if (!resolved) {
    const loop = loopNames(ctx, arg0);
    if (loop) addLoopReads(ctx, call, loop, accessor);
    return;
  }
  const second = call.arguments[1];
  const def = second && !ts.isObjectLiteralExpression(unwrap(second)) ? second : undefined;
  addRead(ctx, call, arg0, resolved, accessor, def, def !== undefined);
}

/** The parameter index an expression names when it is a bare parameter of `fn`, else -1. */
function paramIndex(fn: ts.SignatureDeclaration, expr: ts.Expression): number {
  const e = unwrap(expr);
  if (!ts.isIdentifier(e)) return -1;
  return fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === e.text);
}

/**
 * Finds same-file functions whose parameter is the name of the env var they read
 * (`function required(name, fallback) { return process.env[name] ?? fallback }`), so that each
 * call with a literal name (`required('JWT_SECRET', 'dev')`) is recorded as a read of that name,
 * with the matching argument as its default.
 */
export function collectEnvWrappers(ctx: Ctx): void {
  collectWrappers(ctx);
  const helpers = [...ctx.envWrappers].map(([name, w]) => ({ name, nameParam: w.nameParam }));
  if (helpers.length > 0) ctx.facts.envHelpers = helpers;
}

function collectWrappers(ctx: Ctx): void {
  const consider = (name: string, fn: ts.SignatureDeclaration & { body?: ts.Node }): void => {
    if (!fn.body || fn.parameters.length === 0) return;
    let found: { access: ts.Node; nameParam: number; defaultParam: number | null } | null = null;
    const visit = (node: ts.Node): void => {
      if (found || (node !== fn.body && ts.isFunctionLike(node))) return;
      if (ts.isElementAccessExpression(node) && aliasAccessor(ctx, node.expression)) {
        const index = paramIndex(fn, node.argumentExpression);
        if (index >= 0) {
          const { node: outer, parent } = outerParent(node);
          const def = ts.isBinaryExpression(parent) && parent.left === outer && isChainOp(parent) ? paramIndex(fn, parent.right) : -1;
          found = { access: node, nameParam: index, defaultParam: def >= 0 ? def : null };
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
    if (found === null) return;
    const { access, nameParam, defaultParam } = found;
    ctx.envWrappers.set(name, { decl: fn, nameParam, defaultParam });
    ctx.wrapperReads.add(access);
  };
  for (const statement of ctx.sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) consider(statement.name.text, statement);
    else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const init = decl.initializer ? unwrap(decl.initializer) : null;
        if (ts.isIdentifier(decl.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) consider(decl.name.text, init);
      }
    }
  }
}

/**
 * `required('JWT_SECRET')` with `required` imported: a read the model keeps when the imported function
 * is an env helper whose first parameter is the name (`EnvRead.viaImport` with `call`).
 */
function visitImportedHelperCall(ctx: Ctx, call: ts.CallExpression, callee: ts.Identifier): boolean {
  const first = call.arguments[0] as ts.Expression | undefined;
  const name = first ? stringValue(unwrap(first)) : null;
  if (!first || name === null || !ENV_NAME.test(name)) return false;
  const via = importedBinding(ctx, callee);
  if (!via) return false;
  addRead(ctx, call, first, { name, pattern: null }, `${callee.text}()`, undefined);
  const id = ctx.readByNode.get(call);
  if (id !== undefined) ctx.facts.envReads[id].viaImport = { ...via, call: true };
  return id !== undefined;
}

/** Registers a call of an env wrapper (`required('JWT_SECRET', 'dev')`) as a read of the name it passes. */
function visitWrapperCall(ctx: Ctx, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (!ts.isIdentifier(callee)) return false;
  const wrapper = ctx.envWrappers.get(callee.text);
  if (!wrapper) return visitImportedHelperCall(ctx, call, callee);
  const decl = lookup(ctx, callee);
  if (decl !== wrapper.decl && !(decl && ts.isVariableDeclaration(decl) && decl.initializer && unwrap(decl.initializer) === wrapper.decl)) return false;
  const arg = call.arguments[wrapper.nameParam];
  const resolved = arg ? resolveName(ctx, arg) : null;
  if (!arg || !resolved) return false;
  const def = wrapper.defaultParam === null ? undefined : call.arguments[wrapper.defaultParam];
  addRead(ctx, call, arg, resolved, `${callee.text}()`, def, false);
  return true;
}

/** Registers the env reads a node stands for (called once per node by the file walk). */
export function visitEnv(ctx: Ctx, node: ts.Node): void {
  if (ts.isPropertyAccessExpression(node)) {
    if (node.name.text === 'env' || (!ts.isPropertyAccessExpression(node.expression) && !ts.isIdentifier(node.expression))) return;
    const accessor = aliasAccessor(ctx, node.expression);
    if (isWriteTarget(node)) return;
    if (accessor) addRead(ctx, node, node.name, { name: node.name.text, pattern: null }, accessor, undefined);
    else addImportedRead(ctx, node, node.expression, node.name, node.name.text, undefined);
  } else if (ts.isElementAccessExpression(node)) {
    const accessor = aliasAccessor(ctx, node.expression);
    if (!accessor && !isWriteTarget(node) && !ctx.wrapperReads.has(node)) {
      const key = stringValue(unwrap(node.argumentExpression));
      if (key !== null) addImportedRead(ctx, node, node.expression, node.argumentExpression, key, undefined);
    }
    if (!accessor || isWriteTarget(node) || ctx.wrapperReads.has(node)) return;
    const resolved = resolveName(ctx, node.argumentExpression);
    if (resolved) {
      addRead(ctx, node, node.argumentExpression, resolved, accessor, undefined);
      return;
    }
    const loop = loopNames(ctx, node.argumentExpression);
    if (loop) addLoopReads(ctx, node, loop, accessor);
  } else if (ts.isVariableDeclaration(node)) {
    visitDeclaration(ctx, node);
  } else if (ts.isParameter(node) && node.initializer && ts.isIdentifier(node.name) && envObjectAccessor(node.initializer)) {
    // `function load(env = process.env)`: `env.X` in its body reads X.
    ctx.envAliases.add(node.name.text);
  } else if (ts.isCallExpression(node)) {
    visitCall(ctx, node);
  } else if (ts.isBinaryExpression(node) && isChainOp(node)) {
    const { parent } = outerParent(node);
    if (!(ts.isBinaryExpression(parent) && isChainOp(parent))) ctx.chains.push(node);
  }
}

function visitDeclaration(ctx: Ctx, vd: ts.VariableDeclaration): void {
  if (!vd.initializer) return;
  const accessor = envObjectAccessor(vd.initializer);
  if (!accessor) {
    if (!ts.isObjectBindingPattern(vd.name)) return;
    for (const el of vd.name.elements) {
      if (el.dotDotDotToken) continue;
      const name = el.propertyName ? propName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : null;
      if (name !== null) addImportedRead(ctx, el, vd.initializer, el.propertyName ?? el.name, name, el.initializer, true);
    }
    return;
  }
  if (ts.isIdentifier(vd.name)) {
    ctx.envAliases.add(vd.name.text);
    return;
  }
  if (!ts.isObjectBindingPattern(vd.name)) return;
  for (const el of vd.name.elements) {
    if (el.dotDotDotToken) continue;
    const keyNode = el.propertyName ?? el.name;
    const name = el.propertyName ? propName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : null;
    if (name !== null) addRead(ctx, el, keyNode, { name, pattern: null }, accessor, el.initializer, true);
  }
}

function isChainOp(be: ts.BinaryExpression): boolean {
  const k = be.operatorToken.kind;
  return k === SK.QuestionQuestionToken || k === SK.BarBarToken;
}

function flatten(expr: ts.Expression, out: ts.Expression[]): ts.Expression[] {
  const e = unwrap(expr);
  if (ts.isBinaryExpression(e) && isChainOp(e)) {
    flatten(e.left, out);
    flatten(e.right, out);
  } else {
    out.push(e);
  }
  return out;
}

function literalLength(expr: ts.Expression): number | null {
  const s = stringValue(expr);
  if (s !== null) return s.length;
  if (ts.isNumericLiteral(expr)) return expr.text.length;
  return null;
}

function secretishRead(read: EnvRead): boolean {
  return SECRETISH.test(read.name ?? read.pattern ?? '');
}

/** Adds the span of a string literal to `secretLiterals` (once). */
export function markSecretLiteral(ctx: Ctx, expr: ts.Expression): void {
  if (stringValue(expr) === null) return;
  const start = expr.getStart(ctx.sf);
  if (ctx.secretLiteralStarts.has(start)) return;
  ctx.secretLiteralStarts.add(start);
  ctx.facts.secretLiterals.push(nodeLoc(ctx.sf, expr));
}

interface Chain {
  reads: number[];
  literal: ts.Expression | null;
}

function expandRead(ctx: Ctx, id: number, depth: number): Chain {
  const chain: Chain = { reads: [id], literal: null };
  const def = ctx.readDefaults[id];
  if (def?.nested && depth < 8) {
    const rest = expand(ctx, def.expr, depth + 1);
    chain.reads.push(...rest.reads);
    chain.literal = rest.literal;
  }
  return chain;
}

function expand(ctx: Ctx, expr: ts.Expression, depth: number): Chain {
  const e = unwrap(expr);
  if (ts.isBinaryExpression(e) && isChainOp(e)) {
    const chain: Chain = { reads: [], literal: null };
    for (const operand of flatten(e, [])) {
      const part = expand(ctx, operand, depth + 1);
      if (part.reads.length > 0) chain.literal = null;
      chain.reads.push(...part.reads);
      if (part.literal) chain.literal = part.literal;
    }
    return chain;
  }
  if (stringValue(e) !== null) return { reads: [], literal: e };
  const id = ctx.readByNode.get(e);
  return id === undefined ? { reads: [], literal: null } : expandRead(ctx, id, depth);
}

function setDefaults(ctx: Ctx): void {
  for (const root of ctx.chains) {
    const operands = flatten(root, []);
    for (let i = 0; i < operands.length - 1; i++) {
      const id = ctx.readByNode.get(operands[i]);
      if (id !== undefined && ctx.readDefaults[id] === null) ctx.readDefaults[id] = { expr: operands[i + 1], nested: false };
    }
  }
  for (const read of ctx.facts.envReads) {
    const def = ctx.readDefaults[read.id];
    if (!def) continue;
    const e = unwrap(def.expr);
    if (ctx.readByNode.has(e)) {
      read.defaultKind = 'env';
      continue;
    }
    const len = literalLength(e);
    if (len !== null) {
      read.defaultKind = 'literal';
      read.defaultLength = len;
      read.defaultLoc = nodeLoc(ctx.sf, e);
      if (secretishRead(read)) markSecretLiteral(ctx, e);
    } else if (!(ts.isIdentifier(e) && e.text === 'undefined')) {
      read.defaultKind = 'expression';
    }
  }
}

/**
 * Fills in defaults and fallback groups once every read of the file is known: `??`/`||` chains
 * (two or more reads, or one read and a final string literal) and nested `get('A', get('B'))`
 * defaults, outer chains first so each read joins one group.
 */
export function finishEnv(ctx: Ctx): void {
  const { facts, sf } = ctx;
  setDefaults(ctx);
  const candidates: { node: ts.Node; form: string; chain: () => Chain }[] = [];
  for (const root of ctx.chains) {
    const form = root.operatorToken.kind === SK.QuestionQuestionToken ? '??' : '||';
    candidates.push({ node: root, form, chain: () => expand(ctx, root, 0) });
  }
  for (const read of facts.envReads) {
    const def = ctx.readDefaults[read.id];
    if (def?.nested && read.defaultKind === 'env') {
      candidates.push({ node: ctx.readNodes[read.id], form: 'nested-default', chain: () => expandRead(ctx, read.id, 0) });
    }
  }
  candidates.sort((a, b) => a.node.getStart(sf) - b.node.getStart(sf) || b.node.getEnd() - a.node.getEnd());
  for (const candidate of candidates) {
    const { reads, literal } = candidate.chain();
    if (reads.some((id) => facts.envReads[id].group !== null)) continue;
    const literalEnds = literal !== null && candidate.form !== 'nested-default';
    if (reads.length < 2 && !(reads.length === 1 && literalEnds)) continue;
    const gid = facts.fallbackGroups.length;
    const literalLen = literal ? literalLength(literal) : null;
    facts.fallbackGroups.push({
      id: gid,
      reads,
      literalFallback: literal && literalLen !== null ? { length: literalLen, loc: nodeLoc(sf, literal) } : null,
      loc: nodeLoc(sf, candidate.node),
      form: candidate.form,
    });
    for (const id of reads) facts.envReads[id].group = gid;
    if (literal && reads.some((id) => secretishRead(facts.envReads[id]))) markSecretLiteral(ctx, literal);
  }
}
