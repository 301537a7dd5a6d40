// Small syntax helpers shared by TS/JS WebSocket endpoint discovery and handler analysis.
import { ts } from '../compiler.js';
import type { Loc, NameRef, WsCall } from '../../facts.js';
import { type Ctx, SK, enclosingClass, isFunctionLike, lookup, propName, stringValue, unwrap } from '../context.js';
import { objectLiteral } from '../env.js';

/** Segments of a property chain: `a.b?.['c'].d` → [a, b, c, d], a call written `f()`; null when a part is not static. */
export function chain(expr: ts.Expression): string[] | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return [e.text];
  if (e.kind === SK.ThisKeyword) return ['this'];
  if (ts.isPropertyAccessExpression(e)) {
    const base = chain(e.expression);
    return base ? [...base, e.name.text] : null;
  }
  if (ts.isElementAccessExpression(e)) {
    const key = stringValue(unwrap(e.argumentExpression));
    const base = chain(e.expression);
    return base && key !== null ? [...base, key] : null;
  }
  if (ts.isCallExpression(e)) {
    const base = chain(e.expression);
    return base ? [...base.slice(0, -1), `${base[base.length - 1]}()`] : null;
  }
  return null;
}

/** The identifier at the root of a property/element/call chain. */
export function rootIdentifier(expr: ts.Expression): ts.Identifier | null {
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) e = unwrap(e.expression);
  return ts.isIdentifier(e) ? e : null;
}

/** The part of an access that names it: the property name or the element key. */
export function nameNodeOf(expr: ts.Node): ts.Node {
  if (ts.isPropertyAccessExpression(expr)) return expr.name;
  if (ts.isElementAccessExpression(expr)) return expr.argumentExpression;
  return expr;
}

/** A property of an object literal (or of a local bound to one): its value, a shorthand name or a method. */
export function objectProp(ctx: Ctx, obj: ts.Expression | undefined, key: string): ts.Expression | null {
  const o = objectLiteral(ctx, obj);
  if (!o) return null;
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
    if (ts.isMethodDeclaration(p) && propName(p.name) === key) return p as unknown as ts.Expression;
  }
  return null;
}

/** Whether the head identifier of an expression is declared inside a function (a parameter or local). */
export function localDecl(ctx: Ctx, expr: ts.Expression): ts.Node | null {
  const id = rootIdentifier(expr);
  const decl = id ? lookup(ctx, id) : undefined;
  if (!decl) return null;
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (isFunctionLike(n)) return decl;
    if (ts.isSourceFile(n)) return null;
  }
  return null;
}

/** `const self = this` / `const _this = this`: a local that stands for `this`. */
function isThisAlias(ctx: Ctx, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (e.kind === SK.ThisKeyword) return true;
  if (!ts.isIdentifier(e)) return false;
  const decl = lookup(ctx, e);
  return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && unwrap(decl.initializer).kind === SK.ThisKeyword;
}

/** The call as a `WsCall`: imports give the module, `this.m()` (or `self.m()` after `const self = this`) gives `Class.m`. */
export function callRef(ctx: Ctx, expr: ts.Expression, at: Loc): WsCall | null {
  const segs = chain(expr)?.map((s) => s.replace(/\(\)$/, ''));
  if (!segs) return null;
  const [head, ...rest] = segs;
  const root = rootIdentifier(expr);
  if (head === 'this' || (root !== null && rest.length > 0 && isThisAlias(ctx, root))) {
    const cls = enclosingClass(expr);
    return cls?.name && rest.length > 0 ? { name: `${cls.name.text}.${rest.join('.')}`, module: null, loc: at } : null;
  }
  const binding = ctx.imports.get(head);
  const local = ts.isIdentifier(unwrap(expr)) || rest.length > 0 ? localDecl(ctx, expr) : null;
  if (binding && !local) {
    const imported = binding.imported === '*' || binding.imported === 'default' ? rest : [binding.imported, ...rest];
    return { name: imported.length ? imported.join('.') : head, module: binding.module, loc: at };
  }
  return { name: segs.join('.'), module: null, loc: at };
}

/** A module-level name as another file would import it (null for locals and unknown shapes). */
export function nameRef(ctx: Ctx, id: ts.Identifier): NameRef | null {
  const binding = ctx.imports.get(id.text);
  if (binding && !localDecl(ctx, id)) {
    if (binding.imported === '*') return null;
    return { name: binding.imported, module: binding.module };
  }
  const decl = lookup(ctx, id);
  if (decl && ts.isVariableDeclaration(decl) && !localDecl(ctx, id)) return { name: id.text, module: null };
  return null;
}

/** A same-file function a call or reference points at: `fn()`, `this.method()`, `const fn = () => …`, a local class. */
export function sameFileFunction(ctx: Ctx, expr: ts.Expression): ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const decl = lookup(ctx, e);
    if (!decl) return null;
    if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl)) return decl;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = unwrap(decl.initializer);
      if (isFunctionLike(init) || ts.isClassExpression(init)) return init;
    }
    return null;
  }
  if (ts.isPropertyAccessExpression(e) && isThisAlias(ctx, e.expression)) {
    const cls = enclosingClass(e);
    for (const m of cls?.members ?? []) if (ts.isMethodDeclaration(m) && propName(m.name) === e.name.text) return m;
  }
  return null;
}

/** The initializer of the module- or function-level variable an identifier names. */
export function initializerOf(ctx: Ctx, expr: ts.Expression): ts.Expression | null {
  const e = unwrap(expr);
  if (!ts.isIdentifier(e)) return null;
  const decl = lookup(ctx, e);
  return decl && ts.isVariableDeclaration(decl) && decl.initializer ? unwrap(decl.initializer) : null;
}

/** Whether the file imports a module (ES import, `require`, `import()`). */
export function importsModule(ctx: Ctx, module: string): boolean {
  return ctx.importedModules.has(module) || ctx.facts.imports.some((i) => i.specifier === module);
}

/** A name for a handler passed by reference. */
export function handlerName(ctx: Ctx, expr: ts.Expression): string | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.getText(ctx.sf);
  return null;
}

/** Whether `node` lies inside `outer`. */
export function isInside(node: ts.Node, outer: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** Whether `node` sits in a function nested inside `fn` (a callback), rather than in `fn`'s own body. */
export function insideNestedFunction(node: ts.Node, fn: ts.Node): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) if (isFunctionLike(n)) return true;
  return false;
}
