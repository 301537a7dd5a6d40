// TypeScript/JavaScript extraction: one walk over compiler nodes, then key tracing, exports, suppressions and parse errors.
import { ts } from './compiler.js';
import { DEFAULT_ENV_ACCESSORS } from '../../config/schema.js';
import { emptyFacts, type FileFacts, type JwtOp } from '../facts.js';
import { parseSuppressionComment } from '../../util/suppression.js';
import type { ExtractOptions } from '../facts.js';
import { type Ctx, SK, nodeLoc, spanLoc, unwrap } from './context.js';
import { collectEnvWrappers, finishEnv, markSecretLiteral, visitEnv } from './env.js';
import { collectExports } from './exports.js';
import { collectModuleImports, visitImportCall } from './imports.js';
import { analyseDecode, isBrowserFile } from './decode.js';
import { usesJwtLibrary, visitJwt } from './jwt.js';
import { traceValue } from './trace.js';
import { startsServers, visitServerEntry } from './entries.js';
import { buildKeyCalls, isKeyCall, keyParameter } from './key-calls.js';
import { resolveSecretUses, visitSecretUse } from './secret-uses.js';
import { collectWebSockets } from './ws/index.js';
import { comparePositions, compareText, reverseFrom } from '../../util/order.js';
import { parseSourceFile } from '../typescript-lib.js';
import { factLines } from '../facts.js';
import { tokensOnLines } from '../token-ranges.js';
import { maskedLiteralKinds, typescriptLineTokens, typescriptTokenRanges } from './tokens.js';

function accessorList(options: ExtractOptions): string[] {
  const all = new Set<string>([...DEFAULT_ENV_ACCESSORS.typescript, ...options.envAccessors.typescript]);
  return [...all].sort((a, b) => b.length - a.length || compareText(a, b));
}

const forEachChild = ts.forEachChild;
const CALL = SK.CallExpression;
const NEW = SK.NewExpression;
const USE_KINDS = new Set<ts.SyntaxKind>([SK.CallExpression, SK.BinaryExpression, SK.PropertyAssignment]);
const ENV_KINDS = new Set<ts.SyntaxKind>([SK.PropertyAccessExpression, SK.ElementAccessExpression, SK.VariableDeclaration, SK.BinaryExpression]);
const LITERALS = maskedLiteralKinds();
/**
 * One pre-order walk (explicit stack: nesting depth is not limited by the JS stack) for env reads,
 * imports, server entries, JWT sites and secret uses; it also collects, in source order, the
 * literals snippets mask.
 */
function walk(ctx: Ctx, literals: ts.Node[]): void {
  const jwt = usesJwtLibrary(ctx);
  const servers = startsServers(ctx);
  const { first, last, skipped } = LITERALS;
  const stack: ts.Node[] = [ctx.sf];
  const push = (child: ts.Node): void => void stack.push(child);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const kind = node.kind;
    if (kind >= first && kind <= last && kind !== skipped) literals.push(node);
    if (USE_KINDS.has(kind)) visitSecretUse(ctx, node);
    if (kind === CALL && ts.isCallExpression(node)) {
      visitEnv(ctx, node);
      visitImportCall(ctx, node);
      if (servers) visitServerEntry(ctx, node);
      if (jwt) visitJwt(ctx, node);
      if (isKeyCall(ctx, node)) ctx.keyCalls.push(node);
    } else if (kind === NEW && ts.isNewExpression(node)) {
      if (servers) visitServerEntry(ctx, node);
      if (jwt) visitJwt(ctx, node);
    } else if (ENV_KINDS.has(kind)) {
      visitEnv(ctx, node);
    }
    // The children go on the stack in reverse, so they are visited in source order.
    const mark = stack.length;
    forEachChild(node, push);
    reverseFrom(stack, mark);
  }
}

function resolveOps(ctx: Ctx): void {
  let browser: boolean | null = null;
  const isBrowser = (): boolean => (browser ??= isBrowserFile(ctx));
  for (const pending of ctx.ops) {
    const op: JwtOp = { op: pending.op, library: pending.library, loc: pending.loc, key: null, scope: pending.scope };
    if (pending.keyExpr) {
      const sources = traceValue(ctx, pending.keyExpr);
      for (const s of sources) {
        if (s.kind !== 'env') continue;
        const def = ctx.readDefaults[s.read];
        if (def && ctx.facts.envReads[s.read].defaultKind === 'literal') markSecretLiteral(ctx, unwrap(def.expr));
      }
      op.key = { loc: nodeLoc(ctx.sf, pending.keyExpr), trace: { sources } };
      const keyParam = keyParameter(ctx, pending.keyExpr, pending.call);
      if (keyParam) op.keyParam = keyParam;
    }
    if (pending.op === 'decode-unverified') Object.assign(op, analyseDecode(ctx, pending, isBrowser));
    ctx.facts.jwtOps.push(op);
  }
}

function commentAt(sf: ts.SourceFile, pos: number): ts.CommentRange | undefined {
  let node: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    for (const child of node.getChildren(sf)) {
      if (pos < child.pos || pos >= child.end) continue;
      if (ts.isJSDoc(child)) return { pos: child.pos, end: child.end, kind: SK.MultiLineCommentTrivia };
      if (pos < child.getStart(sf)) {
        const ranges = [...(ts.getTrailingCommentRanges(sf.text, child.pos) ?? []), ...(ts.getLeadingCommentRanges(sf.text, child.pos) ?? [])];
        return ranges.find((r) => pos >= r.pos && pos < r.end);
      }
      next = child;
      break;
    }
    if (!next) return undefined;
    node = next;
  }
}

function collectSuppressions(ctx: Ctx): void {
  const { sf } = ctx;
  const text = sf.text;
  const seen = new Set<number>();
  for (let at = text.indexOf('jwtfrag-ignore'); at >= 0; at = text.indexOf('jwtfrag-ignore', at + 1)) {
    const range = commentAt(sf, at);
    if (!range || seen.has(range.pos)) continue;
    seen.add(range.pos);
    const parsed = parseSuppressionComment(text.slice(range.pos, range.end));
    if (!parsed) continue;
    const loc = spanLoc(sf, range.pos, range.end);
    ctx.facts.suppressions.push({ ruleId: parsed.ruleId, reason: parsed.reason, line: loc.line, loc });
  }
}

/** The parser's own diagnostics (syntax errors); the compiler keeps them on the source file without a public accessor. */
function syntaxErrors(sf: ts.SourceFile): readonly ts.Diagnostic[] {
  return (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
}

function parseError(ctx: Ctx, path: string): void {
  const first = syntaxErrors(ctx.sf)[0];
  if (!first) return;
  const start = first.start ?? 0;
  const loc = spanLoc(ctx.sf, start, Math.min(start + (first.length ?? 0), ctx.sf.text.length));
  ctx.facts.notifications.push({
    level: 'warning',
    id: 'parse-error',
    message: `syntax error at ${loc.line}:${loc.column}; facts were extracted from the parts that parse`,
    file: path,
    loc,
  });
}

/** Extracts facts from a TypeScript or JavaScript file (syntax only: no type checker, no module resolution). */
export function extractTypeScript(path: string, text: string, language: 'ts' | 'js', options: ExtractOptions): FileFacts {
  const facts = emptyFacts(path, language);
  const sf = parseSourceFile(path, text, language);
  const ctx: Ctx = {
    sf,
    facts,
    accessors: accessorList(options),
    imports: new Map(),
    importedModules: new Set(),
    readByNode: new Map(),
    readNodes: [],
    readDefaults: [],
    schemaReads: new Map(),
    loopReads: new Map(),
    envAliases: new Set(),
    envWrappers: new Map(),
    wrapperReads: new Set(),
    chains: [],
    ops: [],
    secretLiteralStarts: new Set(),
    declIndex: new Map(),
    returnsCache: new Map(),
    keyCalls: [],
    classCache: new Map(),
  };
  parseError(ctx, path);
  collectModuleImports(ctx);
  collectEnvWrappers(ctx);
  const literals: ts.Node[] = [];
  walk(ctx, literals);
  finishEnv(ctx);
  resolveOps(ctx);
  resolveSecretUses(ctx);
  buildKeyCalls(ctx, ctx.keyCalls);
  collectExports(ctx);
  collectWebSockets(ctx, options.functionFacts === true);
  if (text.includes('jwtfrag-ignore')) collectSuppressions(ctx);
  facts.imports.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column);
  facts.secretLiterals.sort(comparePositions);
  // A finding is on a fact's line: its snippet then needs only these lines' ranges. The compiler's line
  // starts are `lineStarts(text, true)`'s (the same breaks: LF, CRLF, CR, U+2028, U+2029).
  const lines = factLines(facts);
  if (lines.size > 0) {
    const starts = sf.getLineStarts();
    const clean = syntaxErrors(sf).length === 0;
    const tokens = clean ? typescriptLineTokens(sf, literals, lines, starts) : tokensOnLines(text, typescriptTokenRanges(sf, literals), lines, starts);
    if (tokens) facts.snippetTokens = tokens;
  }
  return facts;
}
