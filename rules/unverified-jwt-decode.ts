// unverified-jwt-decode — claims taken from a token decoded without checking its signature.
import { defineRule } from '../src/rule-api.js';

/** The message for each lower-risk context of a decode (reported as a note). */
const CONTEXT_MESSAGE = {
  browser: 'browser',
  'id-token': 'idToken',
  'provider-response': 'providerResponse',
  'outbound-url': 'outboundUrl',
} as const;

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
      unverified:
        'Token claims are used after a {{library}} decode that does not verify the signature; anyone can forge them. Verify the token (with the canonical secret) before trusting its claims.',
      browser:
        'Front-end code uses claims of a {{library}} decode without signature check; a browser bundle cannot verify a token, so treat these claims as display hints and let the server decide anything that matters.',
      idToken:
        'An OpenID Connect id_token taken from a token-endpoint response is decoded with {{library}} without checking its signature; OIDC Core 3.1.3.7 accepts TLS server validation for a token received directly from the token endpoint, but verify it if it can ever arrive from a client.',
      providerResponse:
        'A JWT that is the body of an HTTP response (such as an application/jwt userinfo answer) is decoded with {{library}} without checking its signature; it came over TLS from the provider, but a signed response is only trustworthy once verified.',
      outboundUrl:
        "Claims of a {{library}} decode without signature check only build the URL of an outgoing request (such as a tenant id for the provider's token endpoint); no trust decision is taken from them here.",
      outsideService:
        'Token claims are used after a {{library}} decode that does not verify the signature, in code that belongs to no deployed service (tooling, scripts, test helpers); verify the token before this code is ever deployed.',
    },
  },
  check(model, ctx) {
    const hasServices = model.services.some((service) => service.kind === 'service');
    const reported = new Set<string>();
    for (const op of model.jwtOps) {
      if (op.op !== 'decode-unverified' || !op.claimsUsed || op.verifiedSameToken) continue;
      const at = `${op.file}:${op.loc.line}:${op.loc.column}`;
      if (reported.has(at)) continue;
      reported.add(at);
      const messageId = op.decodeContext ? CONTEXT_MESSAGE[op.decodeContext] : op.service === null && hasServices ? 'outsideService' : 'unverified';
      ctx.report({
        messageId,
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
        ...(messageId === 'unverified' ? {} : { severity: 'note' as const }),
      });
    }
  },
});
