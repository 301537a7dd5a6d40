// TS/JS WebSocket extraction: discover the endpoints of a file, analyse each one's handlers, and record the pieces the model joins across files.
import { startsFollow, type WsEndpoint, type WsMiddlewareFact } from '../../facts.js';
import { dedupeCalls, emptyCollect, endpointFrom, pushSource } from '../../websocket.js';
import { type Ctx, isFunctionLike, nodeLoc, unwrap } from '../context.js';
import { discoverEndpoints, type MiddlewareSite, type Registration } from './endpoints.js';
import { functionFacts, newWalk, walkNode } from './handlers.js';
import { callRef, isInside, sameFileFunction } from './syntax.js';

function analyse(ctx: Ctx, reg: Registration): WsEndpoint {
  const c = emptyCollect();
  for (const root of reg.roots) {
    const w = newWalk(ctx, c, {
      sharedThis: reg.sharedThis,
      perConnection: root.perConnection,
      connection: reg.connection && isInside(reg.connection, root.node) ? reg.connection : null,
    });
    walkNode(w, root.node);
  }
  for (const ref of reg.refs) {
    const r = callRef(ctx, unwrap(ref), nodeLoc(ctx.sf, ref));
    if (r) c.calls.push(r);
  }
  for (const s of reg.extraSources) pushSource(c, s.source, s.loc);
  return endpointFrom(reg.head, c);
}

function middlewareFact(ctx: Ctx, site: MiddlewareSite): WsMiddlewareFact {
  const c = emptyCollect();
  const fn = unwrap(site.fn);
  const local = isFunctionLike(fn) ? fn : sameFileFunction(ctx, fn);
  if (local) walkNode(newWalk(ctx, c, { perConnection: false }), local);
  else {
    const r = callRef(ctx, fn, nodeLoc(ctx.sf, fn));
    if (r) c.calls.push(r);
  }
  return {
    framework: site.framework,
    server: site.server,
    namespace: site.namespace,
    calls: dedupeCalls(c.calls),
    tokenSources: c.tokenSources,
    delegations: c.delegations,
    spans: c.spans,
    loc: nodeLoc(ctx.sf, site.at),
  };
}

/**
 * Adds WebSocket endpoints, socket servers and connection middleware to a TS/JS file's facts. Function
 * facts only when asked (computed on demand, see `extract/functions.ts`), or for a file with an
 * endpoint or a socket server: following its auth path asks for them first.
 */
export function collectWebSockets(ctx: Ctx, withFunctions: boolean): void {
  const found = discoverEndpoints(ctx);
  for (const reg of found.registrations) ctx.facts.wsEndpoints.push(analyse(ctx, reg));
  if (found.servers.length > 0) ctx.facts.wsServers = found.servers;
  if (found.middleware.length > 0) ctx.facts.wsMiddleware = found.middleware.map((m) => middlewareFact(ctx, m));
  if ((withFunctions || startsFollow(ctx.facts)) && /\bclass\b|function|=>/.test(ctx.sf.text)) ctx.facts.functions = functionFacts(ctx);
}
