// ws-token-in-query — a WebSocket credential read from the URL: the query string or a path segment (both end up in proxy and access logs).
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'ws-token-in-query',
    title: 'A WebSocket credential is taken from the URL query string or path',
    category: 'websocket',
    defaultSeverity: 'warning',
    precision: 'high',
    securitySeverity: 5.3,
    tags: ['security', 'websocket', 'external/cwe/cwe-598'],
    messages: {
      inQuery:
        'The WebSocket endpoint {{path}} takes its credential from the query string; URLs are written to proxy, load-balancer and access logs, so the token leaks. Send it in the Sec-WebSocket-Protocol header, a cookie or the first message.',
      inPath:
        'The WebSocket endpoint {{path}} takes its credential from the URL path; URLs are written to proxy, load-balancer and access logs, so the token leaks. Send it in the Sec-WebSocket-Protocol header, a cookie or the first message.',
    },
  },
  check(model, ctx) {
    const seen = new Set<string>();
    // Endpoints that accept connections first: a source shared with one that refuses everything is told for the one that serves.
    const endpoints = [...model.wsEndpoints].sort((a, b) => Number(a.rejectsAll ?? false) - Number(b.rejectsAll ?? false));
    for (const endpoint of endpoints) {
      const path = endpoint.fullPath ?? endpoint.handler ?? '(unnamed)';
      for (const source of endpoint.credentialSources) {
        if (source.source !== 'query' && source.source !== 'path') continue;
        const at = `${source.file}:${source.loc.line}:${source.loc.column}`;
        if (seen.has(at)) continue;
        seen.add(at);
        ctx.report({
          messageId: source.source === 'query' ? 'inQuery' : 'inPath',
          data: { path },
          file: source.file,
          loc: source.loc,
          related:
            source.file === endpoint.file && source.loc.line === endpoint.loc.line
              ? []
              : [{ file: endpoint.file, loc: endpoint.loc, message: `the endpoint ${path}` }],
          key: source.source === 'query' ? [endpoint.service ?? '', path] : [endpoint.service ?? '', path, 'path'],
          service: endpoint.service,
        });
      }
    }
  },
});
