// ws-long-lived-db-session — a DB session injected into a WebSocket endpoint (directly or through another dependency) or opened around its receive loop.
import { z } from 'zod';
import { defineRule } from '../src/rule-api.js';

const DEFAULT_DEPENDENCIES = ['get_db', 'get_session', 'get_async_session', 'get_db_session', 'get_database', 'get_connection', 'get_conn'];

function dependencyNames(options: { dependencies: string[]; replaceDefaults: boolean }): Set<string> {
  return new Set([...(options.replaceDefaults ? [] : DEFAULT_DEPENDENCIES), ...options.dependencies]);
}

function lastName(name: string): string {
  return name.split('.').pop() ?? name;
}

export default defineRule({
  meta: {
    id: 'ws-long-lived-db-session',
    title: 'A database session lives as long as a WebSocket connection',
    category: 'websocket',
    defaultSeverity: 'warning',
    precision: 'medium',
    tags: ['reliability', 'performance', 'websocket'],
    options: z.strictObject({ dependencies: z.array(z.string()).default([]), replaceDefaults: z.boolean().default(false) }),
    messages: {
      dependency:
        'The WebSocket endpoint {{path}} injects `{{name}}`; the session stays open for the whole connection (hours), holding a pooled connection and an open transaction. Open a session per message instead.',
      throughDependency:
        'The WebSocket endpoint {{path}} injects `{{name}}`, which depends on `{{session}}` ({{chain}}); the session stays open for the whole connection (hours), holding a pooled connection. Open a session per message instead.',
      aroundLoop:
        'The WebSocket endpoint {{path}} opens `{{name}}` before its receive loop; the session stays open for the whole connection. Open it per message, inside the loop.',
    },
  },
  check(model, ctx) {
    const names = dependencyNames(ctx.options);
    const reported = new Set<string>();
    const once = (file: string, line: number, column: number): boolean => {
      const at = `${file}:${line}:${column}`;
      if (reported.has(at)) return false;
      reported.add(at);
      return true;
    };
    for (const endpoint of model.wsEndpoints) {
      const path = endpoint.fullPath ?? endpoint.handler ?? '(unnamed)';
      const base = { file: endpoint.file, service: endpoint.service };
      for (const dep of endpoint.dependencies ?? []) {
        if (!names.has(lastName(dep.name)) && !names.has(dep.name)) continue;
        if (!once(endpoint.file, dep.loc.line, dep.loc.column)) continue;
        ctx.report({ ...base, messageId: 'dependency', data: { path, name: dep.name }, loc: dep.loc, key: [endpoint.service ?? '', path, dep.name] });
      }
      for (const { dependency, chain } of endpoint.dependencyChains) {
        const session = chain[chain.length - 1];
        if (!names.has(lastName(session)) && !names.has(session)) continue;
        if (!once(endpoint.file, dependency.loc.line, dependency.loc.column)) continue;
        ctx.report({
          ...base,
          messageId: 'throughDependency',
          data: { path, name: dependency.name, session, chain: chain.join(' → ') },
          loc: dependency.loc,
          key: [endpoint.service ?? '', path, chain.join('>')],
        });
      }
      for (const session of endpoint.dbSessions ?? []) {
        if (!once(endpoint.file, session.loc.line, session.loc.column)) continue;
        ctx.report({
          ...base,
          messageId: 'aroundLoop',
          data: { path, name: session.name },
          loc: session.loc,
          key: [endpoint.service ?? '', path, session.name],
        });
      }
    }
  },
});
