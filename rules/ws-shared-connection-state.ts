// ws-shared-connection-state — module- or class-level state written per connection and never removed for it.
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'ws-shared-connection-state',
    title: 'WebSocket connections write shared state that is never cleaned up per connection',
    category: 'websocket',
    defaultSeverity: 'warning',
    precision: 'medium',
    tags: ['reliability', 'security', 'websocket', 'external/cwe/cwe-362'],
    messages: {
      shared:
        "The WebSocket endpoint {{path}} writes the shared `{{name}}` ({{how}}) for each connection and never removes its entry; entries leak, and one connection can see or overwrite another's state.",
      defaults:
        "The WebSocket endpoint {{path}} writes `{{name}}`, the headers of an HTTP client every request of the process shares; one connection's credentials leak into every other connection's calls.",
    },
  },
  check(model, ctx) {
    const reported = new Set<string>();
    for (const endpoint of model.wsEndpoints) {
      const path = endpoint.fullPath ?? endpoint.handler ?? '(unnamed)';
      for (const state of endpoint.sharedState ?? []) {
        const defaults = state.httpClient === true;
        if (state.cleaned && !defaults) continue;
        const at = `${endpoint.file}:${state.loc.line}:${state.loc.column}`;
        if (reported.has(at)) continue;
        reported.add(at);
        ctx.report({
          messageId: defaults ? 'defaults' : 'shared',
          data: { path, name: state.name, how: state.how },
          file: endpoint.file,
          loc: state.loc,
          key: [endpoint.service ?? '', path, state.name],
          service: endpoint.service,
        });
      }
    }
  },
});
