// Key-parameter wrappers in TS/JS: a JWT operation whose key is its function's parameter, and the calls that pass a secret-looking value to a function.
import { ts } from './compiler.js';
import type { JwtOp, KeyCall } from '../facts.js';
import { KEY_ARGUMENT } from '../shared-patterns.js';
import {
  type Ctx,
  enclosingClass,
  enclosingFunction,
  importedBinding,
  isFunctionLike,
  localFunction,
  lookup,
  nodeLoc,
  propName,
  scopeName,
  stringValue,
  unwrap,
} from './context.js';
import { traceValue } from './trace.js';

/** The parameter of the function enclosing `call` that a key expression is, or tries first (`secret ?? getSecret()`). */
export function keyParameter(ctx: Ctx, keyExpr: ts.Expression, call: ts.Node): JwtOp['keyParam'] {
  let key = unwrap(keyExpr);
  while (
    ts.isBinaryExpression(key) &&
    (key.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || key.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    key = unwrap(key.left);
  }
  if (!ts.isIdentifier(key)) return undefined;
  const decl = lookup(ctx, key);
  if (!decl || !ts.isParameter(decl) || !ts.isIdentifier(decl.name) || decl.dotDotDotToken || enclosingFunction(call) !== decl.parent) return undefined;
  const fn = decl.parent;
  return { name: decl.name.text, position: fn.parameters.indexOf(decl) };
}

/** Whether a call passes a secret-looking, non-literal argument (checked during the walk; traced later). */
export function isKeyCall(ctx: Ctx, call: ts.CallExpression): boolean {
  return call.arguments.some((a) => stringValue(a) === null && !ts.isSpreadElement(a) && KEY_ARGUMENT.test(a.getText(ctx.sf)));
}

/** The qualified name a function's operations carry as their scope. */
function functionName(fn: ts.Node): string | null {
  const body = isFunctionLike(fn) ? fn.body : undefined;
  return body ? scopeName(body) : null;
}

/** The function a call names: one of this file (by qualified name) or an imported one. */
function callee(ctx: Ctx, call: ts.CallExpression): { module: string | null; name: string } | null {
  const target = unwrap(call.expression);
  if (ts.isIdentifier(target)) {
    const imported = importedBinding(ctx, target);
    if (imported) return imported;
    const fn = localFunction(ctx, target);
    const name = fn ? functionName(fn) : null;
    return name === null ? null : { module: null, name };
  }
  if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) {
    // `this.sign(…)`: a method of the same class.
    const cls = enclosingClass(call);
    const method = cls?.members.find((m) => ts.isMethodDeclaration(m) && propName(m.name) === target.name.text);
    const name = method ? functionName(method) : null;
    return name === null ? null : { module: null, name };
  }
  return null;
}

/** Turns the walk's key calls into `KeyCall`s with their secret-looking arguments traced. */
export function buildKeyCalls(ctx: Ctx, calls: ts.CallExpression[]): void {
  for (const call of calls) {
    const target = callee(ctx, call);
    if (!target) continue;
    const args: KeyCall['args'] = [];
    call.arguments.forEach((a, position) => {
      if (stringValue(a) !== null || ts.isSpreadElement(a) || !KEY_ARGUMENT.test(a.getText(ctx.sf))) return;
      args.push({ position, keyword: null, value: { loc: nodeLoc(ctx.sf, a), trace: { sources: traceValue(ctx, a, false) } } });
    });
    if (args.length === 0) continue;
    const expr = unwrap(call.expression);
    const name = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
    (ctx.facts.keyCalls ??= []).push({ ...target, bound: false, loc: nodeLoc(ctx.sf, name), scope: scopeName(call), args });
  }
}
