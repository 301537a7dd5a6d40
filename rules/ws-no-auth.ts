// ws-no-auth — a WebSocket endpoint whose connection path never reads or checks a credential.
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'ws-no-auth',
    title: 'A WebSocket endpoint accepts connections without any credential check',
    category: 'websocket',
    defaultSeverity: 'error',
    precision: 'medium',
    securitySeverity: 8.2,
    tags: ['security', 'websocket', 'external/cwe/cwe-306'],
    messages: {
      noAuth: 'The {{framework}} WebSocket endpoint {{path}} accepts connections without reading or checking any credential (handler, middleware, guards and the helpers they call were followed).',
    },
  },
  check(model, ctx) {
    for (const endpoint of model.wsEndpoints) {
      if (endpoint.verdict !== 'no-auth') continue;
      const path = endpoint.fullPath ?? endpoint.handler ?? '(unnamed)';
      ctx.report({
        messageId: 'noAuth',
        data: { framework: endpoint.framework, path },
        file: endpoint.file,
        loc: endpoint.loc,
        key: [endpoint.service ?? '', endpoint.framework, path],
        service: endpoint.service,
      });
    }
  },
});
