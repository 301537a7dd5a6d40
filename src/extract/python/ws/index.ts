// Python WebSocket extraction: discover the endpoints of a file, analyse each one's handlers, and record the pieces the model joins across files.
import { startsFollow, type WsEndpoint } from '../../facts.js';
import { emptyCollect, endpointFrom } from '../../websocket.js';
import type { FileState, Scope } from '../scopes.js';
import { collectParams, functionFacts, newWalk, NO_SEEDS, walkFunction, type PathWalk } from './handlers.js';
import { discoverEndpoints, type Registration } from './endpoints.js';
import { loc, paramNames } from './syntax.js';

const RECEIVE_METHODS = /^(receive|receive_json|on_receive|websocket_receive)$/;

function walkEvents(w: PathWalk, events: Scope[], messageFrom: number): void {
  for (const event of events) walkFunction(w, event, { msg: paramNames(w.state, event).slice(messageFrom), auth: [], query: [] });
}

/** Analyses one registration's handlers into its endpoint fact. */
function analyse(state: FileState, reg: Registration): WsEndpoint {
  const c = emptyCollect();
  c.calls.push(...reg.calls);
  const w = newWalk(state, c, { sharedSelf: reg.kind === 'socketio-namespace' });
  const handler = reg.handler;
  if (reg.kind === 'class' && handler && 'bases' in handler) {
    c.spans.push(loc(state, handler.node));
    for (const [name, method] of handler.scope.functions) {
      const msg = RECEIVE_METHODS.test(name) ? paramNames(state, method).slice(1) : [];
      walkFunction(w, method, { msg, auth: [], query: [] });
    }
  } else if (reg.kind === 'function' && handler && !('bases' in handler)) {
    if (reg.head.framework === 'fastapi' || reg.head.framework === 'starlette') collectParams(state, handler, reg.head.path, c);
    walkFunction(w, handler, NO_SEEDS);
  } else if (reg.kind === 'socketio-connect' || reg.kind === 'socketio-namespace') {
    if (reg.cls) c.spans.push(loc(state, reg.cls.node));
    if (handler && !('bases' in handler)) {
      const auth = reg.authParam === null ? [] : paramNames(state, handler).slice(reg.authParam, reg.authParam + 1);
      walkFunction(w, handler, { msg: [], auth, query: [] });
    }
    walkEvents(w, reg.events, reg.messageFrom);
  }
  return endpointFrom(reg.head, c);
}

/**
 * Adds WebSocket endpoints, router mounts, socket servers and Channels routing to a Python file's
 * facts. Function facts only when asked (computed on demand, see `extract/functions.ts`), or for a
 * file with an endpoint or a socket server: following its auth path asks for them first.
 */
export function collectWebSockets(state: FileState, withFunctions: boolean): void {
  const found = discoverEndpoints(state);
  for (const reg of found.registrations) state.facts.wsEndpoints.push(analyse(state, reg));
  if (found.mounts.length > 0) state.facts.routerMounts = found.mounts;
  if (found.servers.length > 0) state.facts.wsServers = found.servers;
  if (found.routes.length > 0) state.facts.wsRoutes = found.routes;
  if (found.stacks.length > 0) state.facts.wsRouterStacks = found.stacks;
  if (withFunctions || startsFollow(state.facts)) collectFunctionFacts(state);
}

/** The function facts of a file that has functions; they read only the scopes and import bindings (`collectScopes`). */
export function collectFunctionFacts(state: FileState): void {
  if ([...state.scopeOf.values()].some((s) => s.kind === 'function')) state.facts.functions = functionFacts(state);
}
