// ws-secret-mismatch — WebSocket auth resolves a different secret than the service's HTTP auth (or than the signers).
import { defineRule } from '../src/rule-api.js';
import type { ModelJwtOp } from '../src/model/types.js';
import { primaryOf } from '../src/model/query.js';

function describe(primary: string): string {
  if (primary === '«literal»') return 'a literal key';
  if (primary === '«derived»') return 'a key derived from constants';
  return primary;
}

function keyed(op: ModelJwtOp): boolean {
  return op.key !== null && primaryOf(op.secret) !== null;
}

export default defineRule({
  meta: {
    id: 'ws-secret-mismatch',
    title: 'WebSocket auth verifies tokens with a different secret than HTTP auth',
    category: 'websocket',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 8.1,
    tags: ['security', 'correctness', 'websocket', 'external/cwe/cwe-287'],
    messages: {
      http: 'WebSocket auth for {{path}} in {{service}} verifies with {{wsName}}, but the HTTP auth of {{service}} verifies with {{httpNames}}; tokens that work over HTTP fail on the socket (close 1006/4401) whenever the two variables differ.',
      signer:
        'WebSocket auth for {{path}} in {{service}} verifies with {{wsName}}, but the tokens are signed with {{signerNames}} ({{signerServices}}); sockets fail (close 1006/4401) unless the variables hold the same value.',
    },
  },
  check(model, ctx) {
    const wsOps = new Set<ModelJwtOp>();
    for (const endpoint of model.wsEndpoints) for (const op of endpoint.verifyOps) wsOps.add(op);
    const reported = new Set<ModelJwtOp>();
    for (const endpoint of model.wsEndpoints) {
      const path = endpoint.fullPath ?? endpoint.handler ?? '(unnamed)';
      for (const op of endpoint.verifyOps) {
        if (!keyed(op) || reported.has(op) || !op.key) continue;
        const wsName = primaryOf(op.secret) ?? '';
        const service = op.service ?? endpoint.service;
        const http = model.jwtOps.filter((o) => o.service === service && (o.op === 'verify' || o.op === 'configure') && !wsOps.has(o) && keyed(o));
        const base = { file: op.file, loc: op.key.loc, service, key: [service ?? '', wsName] };
        if (http.length > 0) {
          const httpNames = [...new Set(http.map((o) => primaryOf(o.secret) ?? ''))].sort();
          if (httpNames.includes(wsName)) continue;
          reported.add(op);
          ctx.report({
            ...base,
            messageId: 'http',
            data: { path, service: service ?? '(no service)', wsName: describe(wsName), httpNames: httpNames.map(describe).join(', ') },
            related: http.map((o) => ({ file: o.file, loc: o.key?.loc ?? o.loc, message: `HTTP auth verifies with ${describe(primaryOf(o.secret) ?? '')}` })),
            key: [...base.key, httpNames.join('|')],
          });
          continue;
        }
        const signers = model.jwtOps.filter((o) => (o.op === 'sign' || o.op === 'configure') && o.service !== service && keyed(o));
        if (signers.length === 0) continue;
        const signerNames = [...new Set(signers.map((o) => primaryOf(o.secret) ?? ''))].sort();
        if (signerNames.includes(wsName)) continue;
        reported.add(op);
        ctx.report({
          ...base,
          messageId: 'signer',
          data: {
            path,
            service: service ?? '(no service)',
            wsName: describe(wsName),
            signerNames: signerNames.map(describe).join(', '),
            signerServices: [...new Set(signers.map((o) => o.service ?? '(no service)'))].sort().join(', '),
          },
          related: signers.map((o) => ({
            file: o.file,
            loc: o.key?.loc ?? o.loc,
            message: `${o.service ?? '(no service)'} signs with ${describe(primaryOf(o.secret) ?? '')}`,
          })),
          key: [...base.key, signerNames.join('|')],
        });
      }
    }
  },
});
