// ws-long-lived-db-session — a DB session injected into a WebSocket endpoint or opened around its receive loop.
import { defineRule } from '../src/rule-api.js';

const DEFAULT_DEPENDENCIES = ['get_db', 'get_session', 'get_async_session', 'get_db_session', 'get_database', 'get_connection', 'get_conn'];

function dependencyNames(options: Record<string, unknown>): Set<string> {
  const configured = options.dependencies;
  const extra = Array.isArray(configured) ? configured.filter((x): x is string => typeof x === 'string') : [];
  const replace = options.replaceDefaults === true;
  return new Set([...(replace ? [] : DEFAULT_DEPENDENCIES), ...extra]);
}

export default defineRule({
  meta: {
    id: 'ws-long-lived-db-session',
    title: 'A database session lives as long as a WebSocket connection',
    category: 'websocket',
    defaultSeverity: 'warning',
    precision: 'medium',
    tags: ['reliability', 'performance', 'websocket'],
    messages: {
      dependency: 'The WebSocket endpoint {{path}} injects `{{name}}`; the session stays open for the whole connection (hours), holding a pooled connection and an open transaction. Open a session per message instead.',
      aroundLoop: 'The WebSocket endpoint {{path}} opens `{{name}}` before its receive loop; the session stays open for the whole connection. Open it per message, inside the loop.',
    },
  },
  check(model, ctx) {
    const names = dependencyNames(ctx.options);
    for (const endpoint of model.wsEndpoints) {
      const path = endpoint.fullPath ?? endpoint.handler ?? '(unnamed)';
      for (const dep of endpoint.dependencies ?? []) {
        const last = dep.name.split('.').pop() ?? dep.name;
        if (!names.has(last) && !names.has(dep.name)) continue;
        ctx.report({ messageId: 'dependency', data: { path, name: dep.name }, file: endpoint.file, loc: dep.loc, key: [endpoint.service ?? '', path, dep.name], service: endpoint.service });
      }
      for (const session of endpoint.dbSessions ?? []) {
        ctx.report({ messageId: 'aroundLoop', data: { path, name: session.name }, file: endpoint.file, loc: session.loc, key: [endpoint.service ?? '', path, session.name], service: endpoint.service });
      }
    }
  },
});
