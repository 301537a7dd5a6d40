// ws-no-auth — a WebSocket endpoint whose connection path never reads or checks a credential.
import { defineRule } from '../src/rule-api.js';
import type { Model, ModelWsEndpoint } from '../src/model/types.js';

/** Development doubles: a mock or fake server folder is not what a deployment serves. */
const DEV_DOUBLE = /(^|\/)(mocks?|__mocks__|fakes?|stubs?)\//;

/** Nothing on the connection path (handler, middleware, guards and the helpers they call) reads or checks a credential. */
function checksNoCredential(endpoint: ModelWsEndpoint): boolean {
  return endpoint.verification === 'none' && endpoint.credentialSources.length === 0;
}

/** Code outside every service and library (tooling, scripts) is not deployed, when the repository has services at all. */
function outsideServices(model: Model, endpoint: ModelWsEndpoint): boolean {
  return endpoint.service === null && model.services.some((s) => s.kind === 'service');
}

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
      noAuth:
        'The {{framework}} WebSocket endpoint {{path}} accepts connections without reading or checking any credential (handler, middleware, guards and the helpers they call were followed).',
    },
  },
  check(model, ctx) {
    const reported = new Set<string>();
    for (const endpoint of model.wsEndpoints) {
      if (endpoint.rejectsAll || !checksNoCredential(endpoint)) continue;
      if (DEV_DOUBLE.test(endpoint.file) || outsideServices(model, endpoint)) continue;
      const at = `${endpoint.file}:${endpoint.loc.line}:${endpoint.loc.column}`;
      if (reported.has(at)) continue;
      reported.add(at);
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
