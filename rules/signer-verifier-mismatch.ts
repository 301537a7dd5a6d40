// signer-verifier-mismatch — a verifier resolves a different secret than a signer in another service.
import { defineRule } from '../src/rule-api.js';
import { primaryOf, signs } from '../src/model/query.js';

function describe(primary: string): string {
  if (primary === '«literal»') return 'a literal key';
  if (primary === '«derived»') return 'a key derived from constants';
  return primary;
}

export default defineRule({
  meta: {
    id: 'signer-verifier-mismatch',
    title: 'A token verifier uses a different secret than the service that signs the tokens',
    category: 'secrets',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 7.5,
    tags: ['security', 'correctness', 'external/cwe/cwe-347'],
    messages: {
      mismatch: '{{service}} verifies tokens with {{verifierName}}{{verifierChain}}, but {{signerServices}} {{signVerb}} them with {{signerNames}}; unless both variables hold the same value, verification fails (401/403, WebSocket close 1006).',
    },
  },
  check(model, ctx) {
    const servicesThatSign = new Set(model.jwtOps.filter((op) => op.op === 'sign').map((op) => op.service));
    const signers = model.jwtOps.filter((op) => signs(op) && op.secret && primaryOf(op.secret) !== null);
    for (const op of model.jwtOps) {
      const verifier = op.op === 'verify' || (op.op === 'configure' && !servicesThatSign.has(op.service));
      if (!verifier || !op.key) continue;
      const primary = primaryOf(op.secret);
      if (!primary) continue;
      const mismatching = signers.filter((s) => s.service !== op.service && primaryOf(s.secret) !== primary);
      if (mismatching.length === 0) continue;
      const signerNames = [...new Set(mismatching.map((s) => describe(primaryOf(s.secret) ?? '')))].sort();
      const signerServices = [...new Set(mismatching.map((s) => s.service ?? '(no service)'))].sort();
      ctx.report({
        messageId: 'mismatch',
        data: {
          service: op.service ?? '(no service)',
          verifierName: describe(primary),
          verifierChain: (op.secret?.chain.length ?? 0) > 1 ? ` (first set of ${op.secret?.chain.map(describe).join(' → ')})` : '',
          signVerb: signerServices.length === 1 ? 'signs' : 'sign',
          signerServices: signerServices.join(', '),
          signerNames: signerNames.join(', '),
        },
        file: op.file,
        loc: op.key.loc,
        related: mismatching.map((s) => ({
          file: s.file,
          loc: s.key?.loc ?? s.loc,
          message: `${s.service ?? '(no service)'} signs with ${describe(primaryOf(s.secret) ?? '')}`,
        })),
        key: [op.service ?? '', primary, signerNames.join('|')],
        service: op.service,
      });
    }
  },
});
