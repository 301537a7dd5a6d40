// Module exports in TS/JS (ESM and CommonJS) as traced values, for cross-file tracing in the model.
import { ts } from './compiler.js';
import type { ExportedValue, ValueSource } from '../facts.js';
import { type Ctx, SK, classMember, localFunction, lookup, nodeLoc, propName, returnExprs, stringValue, unwrap } from './context.js';
import { traceValue } from './trace.js';

const MAX_OBJECT_DEPTH = 4;
const SECRETISH = /secret|key|token|password/i;

function traceExport(ctx: Ctx, name: string, expr: ts.Expression): ValueSource[] {
  return traceValue(ctx, expr, SECRETISH.test(name));
}

function useful(sources: ValueSource[]): boolean {
  return sources.some((s) => s.kind !== 'unknown');
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) ? (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false) : false;
}

function push(ctx: Ctx, name: string, kind: ExportedValue['kind'], sources: ValueSource[], at: ts.Node): void {
  if (useful(sources)) ctx.facts.exports.push({ name, kind, value: { sources }, loc: nodeLoc(ctx.sf, at) });
}

function functionValue(ctx: Ctx, name: string, fn: ts.FunctionLikeDeclaration): ValueSource[] {
  const out: ValueSource[] = [];
  for (const r of returnExprs(ctx, fn)) out.push(...traceExport(ctx, name, r));
  return out;
}

function classAttributes(ctx: Ctx, prefix: string, cls: ts.ClassLikeDeclaration, wantStatic: boolean, at: ts.Node): void {
  const names = new Set<string>();
  for (const m of cls.members) {
    const n = propName(m.name);
    if (n !== null && (ts.isPropertyDeclaration(m) || ts.isGetAccessorDeclaration(m)) && hasModifier(m, SK.StaticKeyword) === wantStatic) {
      names.add(n);
    }
    if (ts.isConstructorDeclaration(m) && !wantStatic && m.body) {
      for (const st of m.body.statements) {
        const e = ts.isExpressionStatement(st) ? st.expression : null;
        if (e && ts.isBinaryExpression(e) && ts.isPropertyAccessExpression(e.left) && e.left.expression.kind === SK.ThisKeyword) {
          names.add(e.left.name.text);
        }
      }
    }
  }
  for (const name of names) {
    const sources: ValueSource[] = [];
    for (const v of classMember(ctx, cls, name)) {
      if (ts.isGetAccessorDeclaration(v)) sources.push(...functionValue(ctx, name, v));
      else if (ts.isExpression(v)) sources.push(...traceExport(ctx, name, v));
    }
    push(ctx, `${prefix}.${name}`, 'attribute', sources, at);
  }
}

function localClass(ctx: Ctx, expr: ts.Expression): ts.ClassDeclaration | null {
  const e = unwrap(expr);
  if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression)) return null;
  const decl = lookup(ctx, e.expression);
  return decl && ts.isClassDeclaration(decl) ? decl : null;
}

/**
 * The object an immediately invoked function builds and returns (`const config = (() => { const params
 * = {…}; …; return params as Config })()`): its object literal, when every return gives the same one.
 */
function iifeObject(ctx: Ctx, e: ts.Expression): ts.ObjectLiteralExpression | null {
  if (!ts.isCallExpression(e) || e.arguments.length > 0) return null;
  const fn = unwrap(e.expression);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return null;
  let found: ts.ObjectLiteralExpression | null = null;
  for (const r of returnExprs(ctx, fn)) {
    let v = unwrap(r);
    if (ts.isIdentifier(v)) {
      const decl = lookup(ctx, v);
      if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return null;
      v = unwrap(decl.initializer);
    }
    if (!ts.isObjectLiteralExpression(v) || (found && found !== v)) return null;
    found = v;
  }
  return found;
}

/**
 * The env schema a value is the parsed result of: the schema call itself, `result.data` of a
 * `safeParse` result, a local holding one, or what a same-file function (`validateEnv()`) returns.
 */
function schemaOf(ctx: Ctx, expr: ts.Expression, depth: number): Map<string, number> | null {
  const e = unwrap(expr);
  const direct = ctx.schemaReads.get(e);
  if (direct || depth > 4) return direct ?? null;
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'data') return schemaOf(ctx, e.expression, depth + 1);
  if (ts.isIdentifier(e)) {
    const decl = lookup(ctx, e);
    return decl && ts.isVariableDeclaration(decl) && decl.initializer ? schemaOf(ctx, decl.initializer, depth + 1) : null;
  }
  const callee = ts.isCallExpression(e) && e.arguments.length === 0 ? unwrap(e.expression) : null;
  if (callee && ts.isIdentifier(callee)) {
    const fn = localFunction(ctx, callee);
    if (!fn) return null;
    let found: Map<string, number> | null = null;
    for (const r of returnExprs(ctx, fn)) {
      const inner = schemaOf(ctx, r, depth + 1);
      if (!inner || (found && found !== inner)) return null;
      found = inner;
    }
    return found;
  }
  return null;
}

function emitValue(ctx: Ctx, name: string, value: ts.Expression, at: ts.Node, depth: number): void {
  const e = unwrap(value);
  if (ts.isObjectLiteralExpression(e)) {
    if (depth >= MAX_OBJECT_DEPTH) return;
    for (const p of e.properties) {
      const key = propName(p.name);
      if (key === null) continue;
      if (ts.isPropertyAssignment(p)) emitValue(ctx, `${name}.${key}`, p.initializer, p.name, depth + 1);
      else if (ts.isShorthandPropertyAssignment(p)) push(ctx, `${name}.${key}`, 'attribute', traceExport(ctx, key, p.name), p.name);
      else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p)) {
        push(ctx, `${name}.${key}`, ts.isMethodDeclaration(p) ? 'function' : 'attribute', functionValue(ctx, key, p), p.name);
      }
    }
    return;
  }
  const built = iifeObject(ctx, e);
  if (built) {
    if (depth < MAX_OBJECT_DEPTH) emitValue(ctx, name, built, at, depth + 1);
    return;
  }
  const kind = name.includes('.') ? 'attribute' : 'const';
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    push(ctx, name, 'function', functionValue(ctx, name, e), at);
    return;
  }
  const schema = schemaOf(ctx, e, 0);
  if (schema) {
    for (const [key, read] of schema) push(ctx, `${name}.${key}`, 'attribute', [{ kind: 'env', read }], at);
    return;
  }
  const cls = localClass(ctx, e);
  if (cls) {
    classAttributes(ctx, name, cls, false, at);
    return;
  }
  push(ctx, name, kind, traceExport(ctx, name, e), at);
}

function emitLocal(ctx: Ctx, exported: string, local: ts.Identifier, at: ts.Node): void {
  const decl = lookup(ctx, local);
  if (!decl) return;
  if (ts.isVariableDeclaration(decl)) {
    if (decl.initializer) emitValue(ctx, exported, decl.initializer, at, 0);
  } else if (ts.isFunctionDeclaration(decl)) {
    push(ctx, exported, 'function', functionValue(ctx, exported, decl), at);
  } else if (ts.isClassDeclaration(decl)) {
    classAttributes(ctx, exported, decl, true, at);
  } else {
    push(ctx, exported, 'const', traceExport(ctx, exported, local), at);
  }
}

function commonJsTarget(expr: ts.Expression): string[] | null {
  const path: string[] = [];
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e)) {
    path.unshift(e.name.text);
    e = unwrap(e.expression);
  }
  if (!ts.isIdentifier(e)) return null;
  if (e.text === 'exports') return path;
  if (e.text === 'module' && path[0] === 'exports') return path.slice(1);
  return null;
}

/** Records the module's exported values (after the walk, so env reads are known). */
export function collectExports(ctx: Ctx): void {
  for (const st of ctx.sf.statements) {
    const exported = hasModifier(st, SK.ExportKeyword);
    const isDefault = hasModifier(st, SK.DefaultKeyword);
    if (ts.isVariableStatement(st) && exported) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer) emitValue(ctx, d.name.text, d.initializer, d.name, 0);
      }
    } else if (ts.isFunctionDeclaration(st) && exported) {
      const name = isDefault ? 'default' : st.name?.text;
      if (name) push(ctx, name, 'function', functionValue(ctx, name, st), st.name ?? st);
    } else if (ts.isClassDeclaration(st) && exported) {
      const name = isDefault ? 'default' : st.name?.text;
      if (name) classAttributes(ctx, name, st, true, st.name ?? st);
    } else if (ts.isExportAssignment(st) && !st.isExportEquals) {
      const e = unwrap(st.expression);
      if (ts.isIdentifier(e)) emitLocal(ctx, 'default', e, st.expression);
      else emitValue(ctx, 'default', st.expression, st.expression, 0);
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
      const module = st.moduleSpecifier ? stringValue(st.moduleSpecifier) : null;
      const clause = st.exportClause;
      if (module !== null) {
        const at = st.moduleSpecifier ?? st;
        if (!clause) {
          ctx.facts.exports.push({ name: '*', kind: 'const', value: { sources: [reexport(ctx, module, '*', at)] }, loc: nodeLoc(ctx.sf, at) });
        } else if (ts.isNamespaceExport(clause)) {
          const name = propName(clause.name) ?? '*';
          ctx.facts.exports.push({ name, kind: 'const', value: { sources: [reexport(ctx, module, '*', at)] }, loc: nodeLoc(ctx.sf, clause.name) });
        } else {
          for (const s of clause.elements) {
            if (s.isTypeOnly) continue;
            const name = propName(s.name) ?? '';
            const imported = propName(s.propertyName ?? s.name) ?? '';
            ctx.facts.exports.push({ name, kind: 'const', value: { sources: [reexport(ctx, module, imported, at)] }, loc: nodeLoc(ctx.sf, s.name) });
          }
        }
      } else if (clause && ts.isNamedExports(clause)) {
        for (const s of clause.elements) {
          const local = s.propertyName ?? s.name;
          if (!s.isTypeOnly && ts.isIdentifier(local)) emitLocal(ctx, propName(s.name) ?? local.text, local, s.name);
        }
      }
    } else if (ts.isExpressionStatement(st)) {
      const e = st.expression;
      if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== SK.EqualsToken) continue;
      const path = commonJsTarget(e.left);
      if (!path) continue;
      if (path.length === 0) {
        const value = unwrap(e.right);
        if (ts.isObjectLiteralExpression(value)) {
          for (const p of value.properties) {
            const key = propName(p.name);
            if (key === null) continue;
            if (ts.isPropertyAssignment(p)) emitValue(ctx, key, p.initializer, p.name, 0);
            else if (ts.isShorthandPropertyAssignment(p)) emitLocal(ctx, key, p.name, p.name);
          }
        } else if (ts.isIdentifier(value)) {
          emitLocal(ctx, 'default', value, value);
        } else {
          emitValue(ctx, 'default', value, value, 0);
        }
      } else {
        const value = unwrap(e.right);
        if (ts.isIdentifier(value)) emitLocal(ctx, path.join('.'), value, e.left);
        else emitValue(ctx, path.join('.'), e.right, e.left, 0);
      }
    }
  }
}

function reexport(ctx: Ctx, module: string, name: string, at: ts.Node): ValueSource {
  return { kind: 'import', module, name, path: [], call: false, loc: nodeLoc(ctx.sf, at) };
}
