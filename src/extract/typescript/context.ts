// Per-file extraction state and cheap syntax lookups (scoped declarations, scopes, class members) over compiler nodes.
import { ts } from './compiler.js';
import type { FileFacts, Loc } from '../facts.js';

interface ImportBinding {
  module: string;
  /** `default`, `*` (namespace, import-equals, CommonJS module object) or the exported name. */
  imported: string;
}

/** A JWT operation found during the walk; its key is traced once every env read is known. */
export interface PendingOp {
  op: 'sign' | 'verify' | 'decode-unverified' | 'configure';
  library: string;
  loc: Loc;
  keyExpr: ts.Expression | null;
  /** The token argument (verify and decode ops), for decode-then-verify pairing. */
  token: ts.Expression | null;
  call: ts.Node;
  scope: string | null;
}

/** A function whose parameter names the env var it reads; `defaultParam` is the parameter used as the default, if any. */
interface EnvWrapper {
  decl: ts.Node;
  nameParam: number;
  defaultParam: number | null;
}

/** A read's default as written (`?? x`, a second `get` argument, a destructuring default). */
interface ReadDefault {
  expr: ts.Expression;
  /** True when the default is a `get('A', get('B'))`-style nested default. */
  nested: boolean;
}

export interface Ctx {
  sf: ts.SourceFile;
  facts: FileFacts;
  accessors: string[];
  /** The accessors' last names (`accessorLastNames` in `env.ts`). */
  accessorLastNames?: Set<string>;
  /** Module-scope import bindings: import declarations, import-equals and module-level `require`. */
  imports: Map<string, ImportBinding>;
  /** Modules imported anywhere at module level (specifier as written). */
  importedModules: Set<string>;
  /** Env-read expression (or binding element / schema key) → read id. */
  readByNode: Map<ts.Node, number>;
  /** The node each read was registered at, by read id. */
  readNodes: ts.Node[];
  readDefaults: (ReadDefault | null)[];
  /** An access inside a loop over a literal name list (`for (const k of ['A', 'B']) process.env[k]`) → one read per name. */
  loopReads: Map<ts.Node, number[]>;
  /** Schema-declared env (`cleanEnv`, `createEnv`, `z.object().parse`) call → key → read id. */
  schemaReads: Map<ts.Node, Map<string, number>>;
  /** Names of locals bound to `process.env`-like objects (`const env = process.env`). */
  envAliases: Set<string>;
  /** Same-file functions that read the env var their parameter names (`required(name, fallback)`): calls become reads. */
  envWrappers: Map<string, EnvWrapper>;
  /** The generic env access inside each wrapper (`process.env[name]`): not a read of its own. */
  wrapperReads: Set<ts.Node>;
  chains: ts.BinaryExpression[];
  ops: PendingOp[];
  /** Calls passing a secret-looking value to a function (traced after the walk). */
  keyCalls: ts.CallExpression[];
  secretLiteralStarts: Set<number>;
  declIndex: Map<ts.Node, Map<string, ts.Node>>;
  returnsCache: Map<ts.Node, ts.Expression[]>;
  classCache: Map<ts.Node, Map<string, ts.Node[]>>;
  /**
   * The secret-use sites recorded during the walk (`secret-uses.ts`), kept here rather than in a
   * module-level WeakMap keyed by the context: V8's young-generation collections kept that WeakMap's
   * values alive, and a site holds the file's syntax tree (see `FileState.wrappers` for Python).
   */
  secretUseSites?: unknown[];
}

/**
 * The registry slot a call reads or fills: `getMetadata(plugin.metadata.Secret)` (verb `get`, one argument)
 * or `setMetadata(plugin.metadata.Secret, value)` (verb `set`, two) → `Metadata:metadata.Secret`. The slot
 * is a property path of at least two names under a root binding, which is left out (each file imports the
 * plugin under its own name).
 */
export function slotKey(call: ts.CallExpression, verb: 'get' | 'set'): string | null {
  const callee = unwrap(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
  if (name === null || !name.startsWith(verb) || !/^[A-Z][A-Za-z0-9]*$/.test(name.slice(3))) return null;
  if (call.arguments.length !== (verb === 'get' ? 1 : 2)) return null;
  const path: string[] = [];
  let e = unwrap(call.arguments[0]);
  while (ts.isPropertyAccessExpression(e)) {
    path.unshift(e.name.text);
    e = unwrap(e.expression);
  }
  return ts.isIdentifier(e) && path.length >= 2 ? `${name.slice(3)}:${path.join('.')}` : null;
}

/** `===`, `!==`, `==`, `!=`. */
export const EQUALITY = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** `ts.SyntaxKind`, read once: the bundled `ts` namespace exposes it through a getter. */
export const SK = ts.SyntaxKind;

const WRAPPER_KINDS = new Set<ts.SyntaxKind>([
  SK.ParenthesizedExpression,
  SK.AsExpression,
  SK.NonNullExpression,
  SK.SatisfiesExpression,
  SK.TypeAssertionExpression,
  SK.AwaitExpression,
]);

type Wrapper = ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression | ts.TypeAssertion | ts.AwaitExpression;

/** Converts a UTF-16 offset range into a 1-based, end-exclusive location. */
export function spanLoc(sf: ts.SourceFile, start: number, end: number): Loc {
  const a = sf.getLineAndCharacterOfPosition(start);
  const b = sf.getLineAndCharacterOfPosition(end);
  return { line: a.line + 1, column: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}

/** The location of a node without its leading trivia. */
export function nodeLoc(sf: ts.SourceFile, node: ts.Node): Loc {
  return spanLoc(sf, node.getStart(sf), node.getEnd());
}

/** Strips parentheses, type assertions, `!`, `satisfies` and `await` around an expression. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (WRAPPER_KINDS.has(e.kind)) e = (e as Wrapper).expression;
  return e;
}

/** The nearest ancestor that is not a parenthesis, assertion, `!` or `await` wrapper. */
export function outerParent(node: ts.Node): { node: ts.Node; parent: ts.Node } {
  let n = node;
  let p = n.parent;
  while (p && WRAPPER_KINDS.has(p.kind)) {
    n = p;
    p = p.parent;
  }
  return { node: n, parent: p };
}

/** The text of a property name when it is static (identifier, string or numeric literal). */
export function propName(name: ts.PropertyName | ts.MemberName | ts.BindingName | undefined): string | null {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const inner = unwrap(name.expression);
    if (ts.isStringLiteralLike(inner)) return inner.text;
  }
  return null;
}

/** A string literal's value (plain or template without substitutions). */
export function stringValue(expr: ts.Node): string | null {
  return ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr) ? expr.text : null;
}

/** Whether a node is a function-like body owner (declaration, expression, arrow, method, accessor, constructor). */
export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return FUNCTION_KINDS.has(node.kind);
}

const FUNCTION_KINDS = new Set<ts.SyntaxKind>([
  SK.FunctionDeclaration,
  SK.FunctionExpression,
  SK.ArrowFunction,
  SK.MethodDeclaration,
  SK.Constructor,
  SK.GetAccessor,
  SK.SetAccessor,
]);

const SCOPE_KINDS = new Set<ts.SyntaxKind>([
  ...FUNCTION_KINDS,
  SK.SourceFile,
  SK.Block,
  SK.ModuleBlock,
  SK.CaseClause,
  SK.DefaultClause,
  SK.ForStatement,
  SK.ForOfStatement,
  SK.ForInStatement,
  SK.CatchClause,
]);

function classLabel(cls: ts.ClassLikeDeclaration): string {
  if (cls.name) return cls.name.text;
  if (ts.isVariableDeclaration(cls.parent) && ts.isIdentifier(cls.parent.name)) return cls.parent.name.text;
  return '<class>';
}

function ownName(fn: ts.FunctionLikeDeclaration): string | null {
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) return propName(fn.name) ?? '<computed>';
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const { parent } = outerParent(fn);
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return propName(parent.name);
  return null;
}

/** The nearest enclosing function-like node, or the source file at module level. */
export function enclosingFunction(node: ts.Node): ts.Node {
  for (let n = node.parent; n; n = n.parent) {
    if (isFunctionLike(n) || ts.isSourceFile(n)) return n;
  }
  return node.getSourceFile();
}

/**
 * Qualified name of the enclosing function (`AuthService.verify`, `outer.inner`, `getSecret`), or null
 * at module level. Anonymous callbacks are transparent (as Python lambdas are); class members are
 * qualified by their class; a class field initialiser's scope is the class.
 */
export function scopeName(node: ts.Node): string | null {
  let child = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if (isFunctionLike(n)) {
      const outer = scopeName(n);
      const name = ownName(n);
      return name === null ? outer : outer === null ? name : `${outer}.${name}`;
    }
    if (ts.isClassLike(n) && child.parent === n && ts.isClassElement(child)) {
      const outer = scopeName(n);
      const name = classLabel(n);
      return outer === null ? name : `${outer}.${name}`;
    }
  }
  return null;
}

function addBindingNames(name: ts.BindingName, decl: ts.Node, into: Map<string, ts.Node>): void {
  if (ts.isIdentifier(name)) {
    if (!into.has(name.text)) into.set(name.text, decl);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) addBindingNames(element.name, ts.isIdentifier(element.name) ? element : decl, into);
  }
}

function indexStatements(statements: ts.NodeArray<ts.Statement>, into: Map<string, ts.Node>): void {
  for (const st of statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) addBindingNames(d.name, d, into);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      if (!into.has(st.name.text)) into.set(st.name.text, st);
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const clause = st.importClause;
      if (clause.name) into.set(clause.name.text, clause);
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) into.set(nb.name.text, nb);
      if (nb && ts.isNamedImports(nb)) for (const s of nb.elements) into.set(s.name.text, s);
    } else if (ts.isImportEqualsDeclaration(st)) {
      into.set(st.name.text, st);
    }
  }
}

function declarationsOf(ctx: Ctx, node: ts.Node): Map<string, ts.Node> | null {
  if (!SCOPE_KINDS.has(node.kind)) return null;
  let index = ctx.declIndex.get(node);
  if (index) return index;
  if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
    index = new Map();
    indexStatements(node.statements, index);
  } else if (isFunctionLike(node)) {
    index = new Map();
    for (const p of node.parameters) addBindingNames(p.name, p, index);
    if ((ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name) index.set(node.name.text, node);
  } else if (
    (ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) &&
    node.initializer &&
    ts.isVariableDeclarationList(node.initializer)
  ) {
    index = new Map();
    for (const d of node.initializer.declarations) addBindingNames(d.name, d, index);
  } else if (ts.isCatchClause(node) && node.variableDeclaration) {
    index = new Map();
    addBindingNames(node.variableDeclaration.name, node.variableDeclaration, index);
  } else {
    return null;
  }
  ctx.declIndex.set(node, index);
  return index;
}

/**
 * Finds the declaration an identifier refers to by walking up its enclosing blocks and functions.
 * Returns a VariableDeclaration, BindingElement, Parameter, function/class declaration or an import node.
 */
export function lookup(ctx: Ctx, id: ts.Identifier): ts.Node | undefined {
  const name = id.text;
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    const index = declarationsOf(ctx, n);
    const found = index?.get(name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The module and export an identifier is bound to by a (value) import: `import env from './env'` gives
 * `{ module: './env', name: 'default' }`, `import { env as e } from './cfg'` `{ module: './cfg', name: 'env' }`.
 * Namespace imports are left out: their members are the module's exports, not an object's members.
 */
export function importedBinding(ctx: Ctx, id: ts.Identifier): { module: string; name: string } | null {
  const decl = lookup(ctx, id);
  if (!decl) return null;
  if (ts.isImportClause(decl) && decl.phaseModifier !== SK.TypeKeyword) {
    const module = stringValue(decl.parent.moduleSpecifier);
    return module === null ? null : { module, name: 'default' };
  }
  if (ts.isImportSpecifier(decl) && !decl.isTypeOnly && decl.parent.parent.phaseModifier !== SK.TypeKeyword) {
    const module = stringValue(decl.parent.parent.parent.moduleSpecifier);
    return module === null ? null : { module, name: (decl.propertyName ?? decl.name).text };
  }
  return null;
}

/** The same-file function a name is bound to: `function f() {}` or `const f = () => …` / `function () {}`. */
export function localFunction(ctx: Ctx, id: ts.Identifier): ts.FunctionLikeDeclaration | null {
  const decl = lookup(ctx, id);
  const fn = decl && ts.isVariableDeclaration(decl) && decl.initializer ? unwrap(decl.initializer) : decl;
  return fn && isFunctionLike(fn) ? fn : null;
}

/** The nearest enclosing class of a node (the class `this` refers to, approximately). */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n;
  }
  return undefined;
}

function typeIs(type: ts.TypeNode | undefined, typeName: string): boolean {
  if (!type || !ts.isTypeReferenceNode(type)) return false;
  const n = type.typeName;
  return ts.isIdentifier(n) ? n.text === typeName : n.right.text === typeName;
}

function newOf(expr: ts.Expression | undefined, typeName: string): boolean {
  if (!expr) return false;
  const e = unwrap(expr);
  return ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === typeName;
}

function memberHasType(cls: ts.ClassLikeDeclaration, name: string, typeName: string): boolean {
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && propName(m.name) === name) return typeIs(m.type, typeName) || newOf(m.initializer, typeName);
    if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) {
        if (ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length) return typeIs(p.type, typeName);
      }
    }
  }
  return false;
}

/** Whether an expression (`x`, `this.x`) is declared with type `typeName` or created with `new typeName()`. */
export function exprHasType(ctx: Ctx, expr: ts.Expression, typeName: string): boolean {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === SK.ThisKeyword) {
    const cls = enclosingClass(e);
    return cls ? memberHasType(cls, e.name.text, typeName) : false;
  }
  if (ts.isIdentifier(e)) {
    const decl = lookup(ctx, e);
    if (decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl))) {
      return typeIs(decl.type, typeName) || newOf(decl.initializer, typeName);
    }
  }
  return false;
}

/** The expressions a function returns (expression body, or `return` statements not inside nested functions). */
export function returnExprs(ctx: Ctx, fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const cached = ctx.returnsCache.get(fn);
  if (cached) return cached;
  const out: ts.Expression[] = [];
  const body = fn.body;
  if (body && !ts.isBlock(body)) {
    out.push(body);
  } else if (body) {
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n)) {
        if (n.expression) out.push(n.expression);
        return;
      }
      if (isFunctionLike(n) || ts.isClassLike(n)) return;
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
  }
  // Returns in a branch taken when a value is missing (`if (!secret) return 'dev'`) are tried last.
  const ordered = [...out].sort((a, b) => Number(inMissingBranch(a, fn)) - Number(inMissingBranch(b, fn)));
  ctx.returnsCache.set(fn, ordered);
  return ordered;
}

/** Whether a node sits in the `then` branch of an `if` that tests for a missing value (`!x`, `x == null`, `x === undefined`, `x === ''`). */
function inMissingBranch(node: ts.Node, fn: ts.Node): boolean {
  for (let child: ts.Node = node, p = node.parent; p && p !== fn; child = p, p = p.parent) {
    if (!ts.isIfStatement(p) || p.thenStatement !== child) continue;
    const c = unwrap(p.expression);
    if (ts.isPrefixUnaryExpression(c) && c.operator === SK.ExclamationToken) return true;
    if (ts.isBinaryExpression(c) && (c.operatorToken.kind === SK.EqualsEqualsToken || c.operatorToken.kind === SK.EqualsEqualsEqualsToken)) {
      const right = unwrap(c.right);
      if (right.kind === SK.NullKeyword || (ts.isIdentifier(right) && right.text === 'undefined') || stringValue(right) === '') return true;
    }
  }
  return false;
}

/**
 * Where a class member's value comes from: property initialisers, `this.x = …` in the constructor or
 * other methods (top-level statements), getters (the getter node itself) and constructor parameters.
 */
export function classMember(ctx: Ctx, cls: ts.ClassLikeDeclaration, name: string): ts.Node[] {
  let members = ctx.classCache.get(cls);
  if (!members) {
    members = new Map();
    const add = (key: string, value: ts.Node): void => {
      const list = members?.get(key);
      if (list) list.push(value);
      else members?.set(key, [value]);
    };
    for (const m of cls.members) {
      const key = propName(m.name);
      if (ts.isPropertyDeclaration(m) && key !== null) add(key, m.initializer ?? m);
      else if ((ts.isGetAccessorDeclaration(m) || ts.isMethodDeclaration(m)) && key !== null) add(key, m);
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) if (ts.isIdentifier(p.name) && ts.getModifiers(p)?.length) add(p.name.text, p);
      }
      if ((ts.isConstructorDeclaration(m) || ts.isMethodDeclaration(m)) && m.body) {
        for (const st of m.body.statements) {
          if (!ts.isExpressionStatement(st)) continue;
          const e = st.expression;
          if (
            ts.isBinaryExpression(e) &&
            e.operatorToken.kind === SK.EqualsToken &&
            ts.isPropertyAccessExpression(e.left) &&
            e.left.expression.kind === SK.ThisKeyword
          ) {
            add(e.left.name.text, e.right);
          }
        }
      }
    }
    ctx.classCache.set(cls, members);
  }
  return members.get(name) ?? [];
}

/** A short dotted description of a callee built from identifiers only (never literal text). */
export function calleeText(expr: ts.Expression): string {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === SK.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e)) return `${calleeText(e.expression)}.${e.name.text}`;
  if (ts.isCallExpression(e)) return `${calleeText(e.expression)}()`;
  if (ts.isNewExpression(e)) return `new ${calleeText(e.expression)}()`;
  if (ts.isElementAccessExpression(e)) return `${calleeText(e.expression)}[]`;
  return '…';
}
