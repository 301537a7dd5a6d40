// Python extraction through web-tree-sitter: parse once, collect scopes, walk for reads and JWT sites, then trace.
import { DEFAULT_ENV_ACCESSORS } from '../../config/schema.js';
import { emptyFacts, type FileFacts } from '../facts.js';
import { parseSuppressionComment } from '../../util/suppression.js';
import type { ExtractOptions } from '../facts.js';
import { collectEnvHelpers, collectSettingsFields, envReadsAt, groupAt, isSettingsClass, loopFrameOf, type LoopFrame } from './env.js';
import { djangoSettingsAt, importsServerModule, serverEntryAt } from './entries.js';
import { collectExports } from './exports.js';
import { assignmentSites, buildJwtOps, jwtCallSite, otherSites, type JwtSite } from './jwt.js';
import { loadPythonParser, parsePythonLoaded } from './parser.js';

/** The parser's life cycle, for `src/extract/index.ts` (which loads this module dynamically). @public */
export { loadPythonParser, resetPythonParser } from './parser.js';
import { buildKeyCalls, isKeyCallSite, type KeyCallSite } from './key-calls.js';
import { buildSecretUses, secretUseSites, type SecretUseSite } from './secret-uses.js';
import { collectScopes, moduleScope, textOf, type FileState, type Scope } from './scopes.js';
import { LineMap, type PyNode } from './tree.js';
import { collectFunctionFacts, collectWebSockets } from './ws/index.js';
import { comparePositions } from '../../util/order.js';

/** Pass 2: env reads, fallback groups, pydantic fields and JWT sites, in source order (pre-order, explicit stack). */
function walk(state: FileState, sites: JwtSite[], uses: SecretUseSite[], keyCalls: KeyCallSite[]): void {
  const servers = importsServerModule(state);
  const django = state.text.includes('DJANGO_SETTINGS_MODULE');
  // Three parallel stacks (the node, its scope, the loops around it) rather than an object per node.
  const nodes: PyNode[] = [state.module.node];
  const scopes: Scope[] = [state.module];
  const loopStack: LoopFrame[][] = [[]];
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) {
    const scope = scopes.pop() as Scope;
    const loops = loopStack.pop() as LoopFrame[];
    let inner = scope;
    let body: PyNode | null = null;
    let bodyLoops = loops;
    switch (node.type) {
      case 'function_definition':
        inner = state.scopeOf.get(node) ?? scope;
        break;
      case 'class_definition': {
        inner = state.scopeOf.get(node) ?? scope;
        if (inner.cls && isSettingsClass(state, inner.cls)) collectSettingsFields(state, inner.cls);
        break;
      }
      case 'for_statement': {
        const loop = loopFrameOf(state, node);
        if (loop) {
          body = loop.body;
          bodyLoops = [...loops, loop];
        }
        break;
      }
      case 'boolean_operator':
        groupAt(state, node, scope, loops);
        break;
      case 'subscript':
        envReadsAt(state, node, scope, loops);
        break;
      case 'comparison_operator':
        uses.push(...secretUseSites(state, node, scope));
        break;
      case 'call': {
        uses.push(...secretUseSites(state, node, scope));
        if (servers) serverEntryAt(state, node, scope);
        if (django) djangoSettingsAt(state, node);
        if (envReadsAt(state, node, scope, loops)) groupAt(state, node, scope, loops);
        else {
          const site = jwtCallSite(state, node, scope);
          if (site) sites.push(site);
          else sites.push(...otherSites(state, node, scope));
          if (!site && isKeyCallSite(state, node)) keyCalls.push({ call: node, scope });
        }
        break;
      }
      case 'assignment':
        uses.push(...secretUseSites(state, node, scope));
        sites.push(...assignmentSites(state, node, scope));
        break;
      case 'tuple':
        sites.push(...otherSites(state, node, scope));
        break;
      default:
        break;
    }
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      nodes.push(kids[i]);
      scopes.push(inner);
      loopStack.push(kids[i] === body ? bodyLoops : loops);
    }
  }
}

function collectSuppressions(state: FileState, comments: PyNode[]): void {
  for (const comment of comments) {
    const parsed = parseSuppressionComment(textOf(state, comment));
    if (!parsed) continue;
    const loc = state.lines.loc(comment.start, comment.end);
    state.facts.suppressions.push({ ruleId: parsed.ruleId, reason: parsed.reason, line: loc.line, loc });
  }
}

/** Extracts facts from a Python file (EXTRACTION.md); syntax errors become a `parse-error` notification. */
export async function extractPython(path: string, text: string, options: ExtractOptions): Promise<FileFacts> {
  await loadPythonParser();
  return extractPythonLoaded(path, text, options);
}

/** `extractPython`, synchronously, once the parser is initialised (`loadPythonParser`). */
export function extractPythonLoaded(path: string, text: string, options: ExtractOptions): FileFacts {
  const facts = emptyFacts(path, 'python');
  const parsed = parsePythonLoaded(text);
  const accessors = [...new Set([...options.envAccessors.python, ...DEFAULT_ENV_ACCESSORS.python])];
  const state: FileState = {
    text,
    lines: new LineMap(text),
    facts,
    module: moduleScope(parsed.root),
    scopeOf: new Map(),
    bindings: new Map(),
    readsAt: new Map(),
    readDefaultLoc: new Map(),
    accessors,
    isInit: /(^|\/)__init__\.py$/.test(path.replace(/\\/g, '/')),
    secretStarts: new Set(),
  };
  if (parsed.firstError) {
    const loc = state.lines.loc(parsed.firstError.start, parsed.firstError.end);
    facts.notifications.push({
      level: 'warning',
      id: 'parse-error',
      message: `syntax error at ${loc.line}:${loc.column}; facts were extracted from the parts that parse`,
      file: path,
      loc,
    });
  }
  collectScopes(state);
  if (options.functionFacts === true && options.functionsOnly === true) {
    collectFunctionFacts(state);
    return facts;
  }
  const sites: JwtSite[] = [];
  const uses: SecretUseSite[] = [];
  const keyCalls: KeyCallSite[] = [];
  walk(state, sites, uses, keyCalls);
  buildJwtOps(state, sites);
  buildKeyCalls(state, keyCalls);
  collectEnvHelpers(state);
  buildSecretUses(state, uses);
  collectExports(state);
  collectWebSockets(state, options.functionFacts === true);
  collectSuppressions(state, parsed.comments);
  facts.secretLiterals.sort(comparePositions);
  return facts;
}
