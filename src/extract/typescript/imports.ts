// Imports in TS/JS: static, type-only, re-export, import-equals (module level), require and dynamic import() (anywhere).
import { ts } from './compiler.js';
import type { ImportFact } from '../facts.js';
import { type Ctx, SK, isFunctionLike, nodeLoc, outerParent, propName, stringValue } from './context.js';

type Bindings = ImportFact['bindings'];

function fact(ctx: Ctx, specifier: ts.Node, kind: ImportFact['kind'], bindings: Bindings, typeOnly: boolean, at: ts.Node): ImportFact {
  const value = stringValue(specifier) ?? '';
  let inFunction = false;
  let inTry = false;
  for (let n: ts.Node = at, p = at.parent; p; n = p, p = p.parent) {
    if (isFunctionLike(p)) {
      inFunction = true;
      break;
    }
    if (ts.isTryStatement(p) && p.tryBlock === n) inTry = true;
  }
  return { specifier: value, kind, bindings, typeOnly, inFunction, inTypeChecking: false, inTry, loc: nodeLoc(ctx.sf, specifier) };
}

function remember(ctx: Ctx, module: string, bindings: Bindings): void {
  ctx.importedModules.add(module);
  for (const b of bindings) ctx.imports.set(b.local, { module, imported: b.imported });
}

/** Records module-level import declarations, import-equals and re-exports, and the bindings they create. */
export function collectModuleImports(ctx: Ctx): void {
  for (const st of ctx.sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const module = stringValue(st.moduleSpecifier);
      if (module === null) continue;
      const clause = st.importClause;
      const bindings: Bindings = [];
      let typeOnly = clause?.phaseModifier === SK.TypeKeyword;
      if (clause?.name) bindings.push({ local: clause.name.text, imported: 'default' });
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) bindings.push({ local: nb.name.text, imported: '*' });
      if (nb && ts.isNamedImports(nb)) {
        for (const s of nb.elements) bindings.push({ local: s.name.text, imported: (s.propertyName ?? s.name).text });
        if (!clause?.name && nb.elements.length > 0 && nb.elements.every((s) => s.isTypeOnly)) typeOnly = true;
      }
      ctx.facts.imports.push(fact(ctx, st.moduleSpecifier, 'static', bindings, typeOnly, st));
      remember(ctx, module, bindings);
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
      const spec = st.moduleReference.expression;
      const module = stringValue(spec);
      if (module === null) continue;
      const bindings = [{ local: st.name.text, imported: '*' }];
      ctx.facts.imports.push(fact(ctx, spec, 'import-equals', bindings, st.isTypeOnly, st));
      remember(ctx, module, bindings);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      const bindings: Bindings = [];
      let typeOnly = st.isTypeOnly;
      const clause = st.exportClause;
      if (clause && ts.isNamespaceExport(clause)) bindings.push({ local: propName(clause.name) ?? '*', imported: '*' });
      if (clause && ts.isNamedExports(clause)) {
        for (const s of clause.elements) {
          bindings.push({ local: propName(s.name) ?? '', imported: propName(s.propertyName ?? s.name) ?? '' });
        }
        if (clause.elements.length > 0 && clause.elements.every((s) => s.isTypeOnly)) typeOnly = true;
      }
      ctx.facts.imports.push(fact(ctx, st.moduleSpecifier, 're-export', bindings, typeOnly, st));
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const r = d.initializer ? requireCall(d.initializer) : null;
        if (r) remember(ctx, r.module, declBindings(d.name, r.member));
      }
    }
  }
}

function requireCall(expr: ts.Expression): { module: string; member: string | null } | null {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
  let member: string | null = null;
  if (ts.isPropertyAccessExpression(e)) {
    member = e.name.text;
    e = e.expression;
  }
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1) {
    const module = stringValue(e.arguments[0]);
    return module === null ? null : { module, member };
  }
  return null;
}

function declBindings(name: ts.BindingName, member: string | null): Bindings {
  if (ts.isIdentifier(name)) return [{ local: name.text, imported: member ?? '*' }];
  const out: Bindings = [];
  if (ts.isObjectBindingPattern(name) && member === null) {
    for (const el of name.elements) {
      if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
      out.push({ local: el.name.text, imported: el.propertyName ? (propName(el.propertyName) ?? '') : el.name.text });
    }
  }
  return out;
}

function bindingsAround(call: ts.Node, member: string | null): Bindings {
  const { parent } = outerParent(call);
  if (ts.isVariableDeclaration(parent)) return declBindings(parent.name, member);
  if (ts.isPropertyAccessExpression(parent) && member === null) {
    const up = outerParent(parent).parent;
    if (ts.isVariableDeclaration(up)) return declBindings(up.name, parent.name.text);
  }
  return [];
}

/** Records a `require('x')` or `import('x')` call with a literal specifier (called once per call by the walk). */
export function visitImportCall(ctx: Ctx, call: ts.CallExpression): void {
  const arg = call.arguments[0];
  if (!arg || stringValue(arg) === null) return;
  if (call.expression.kind === SK.ImportKeyword) {
    ctx.facts.imports.push(fact(ctx, arg, 'dynamic', bindingsAround(call, null), false, call));
  } else if (ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1) {
    ctx.facts.imports.push(fact(ctx, arg, 'require', bindingsAround(call, null), false, call));
  }
}
