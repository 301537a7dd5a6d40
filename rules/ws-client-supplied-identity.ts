// ws-client-supplied-identity — a WebSocket handler takes the user id from the client's message, path or query.
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'ws-client-supplied-identity',
    title: 'A WebSocket handler trusts a user id sent by the client',
    category: 'websocket',
    defaultSeverity: 'error',
    precision: 'medium',
    securitySeverity: 8.1,
    tags: ['security', 'websocket', 'external/cwe/cwe-639'],
    messages: {
      identity:
        "The WebSocket endpoint {{path}} takes the user id `{{name}}` from the client's {{source}}; any client can claim to be any user. Take the identity from the verified token instead.",
    },
  },
  check(model, ctx) {
    const reported = new Set<string>();
    for (const endpoint of model.wsEndpoints) {
      const path = endpoint.fullPath ?? endpoint.handler ?? '(unnamed)';
      for (const id of endpoint.clientIdentity ?? []) {
        const at = `${endpoint.file}:${id.loc.line}:${id.loc.column}`;
        if (reported.has(at)) continue;
        reported.add(at);
        ctx.report({
          messageId: 'identity',
          data: { path, name: id.name, source: id.source },
          file: endpoint.file,
          loc: id.loc,
          key: [endpoint.service ?? '', path, id.source, id.name],
          service: endpoint.service,
        });
      }
    }
  },
});
