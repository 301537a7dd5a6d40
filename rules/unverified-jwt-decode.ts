// unverified-jwt-decode — claims taken from a token decoded without checking its signature.
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'unverified-jwt-decode',
    title: 'Claims are used from a JWT decoded without signature verification',
    category: 'secrets',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 8.1,
    tags: ['security', 'external/cwe/cwe-347', 'external/cwe/cwe-345'],
    messages: {
      unverified: 'Token claims are used after a {{library}} decode that does not verify the signature; anyone can forge them. Verify the token (with the canonical secret) before trusting its claims.',
    },
  },
  check(model, ctx) {
    for (const op of model.jwtOps) {
      if (op.op !== 'decode-unverified' || !op.claimsUsed || op.verifiedSameToken) continue;
      ctx.report({
        messageId: 'unverified',
        data: { library: op.library },
        file: op.file,
        loc: op.loc,
        // A WebSocket endpoint whose identity comes from this decode is named as the other end.
        related: model.wsEndpoints
          .filter((endpoint) => endpoint.decodeOps.includes(op))
          .map((endpoint) => ({
            file: endpoint.file,
            loc: endpoint.loc,
            message: `WebSocket endpoint ${endpoint.fullPath ?? endpoint.handler ?? ''} takes its identity from this decode`.replace('  ', ' '),
          })),
        key: [op.service ?? '', op.scope ?? '', op.library],
        service: op.service,
      });
    }
  },
});
