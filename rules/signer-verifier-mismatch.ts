// signer-verifier-mismatch — a verifier resolves a different secret than the signer of its token; tokens signed or verified only on one side are notes.
import { defineRule } from '../src/rule-api.js';
import { keyIdentity, primaryOf } from '../src/model/query.js';
import type { ModelJwtOp } from '../src/model/types.js';

function describe(primary: string): string {
  if (primary === '«literal»') return 'a literal key';
  if (primary === '«derived»') return 'a key derived from constants';
  return primary;
}

/** The signer's and verifier's first names agree when they are the same key (or the two halves of one key pair). */
function sameKey(a: string, b: string): boolean {
  return a === b || (!a.startsWith('«') && !b.startsWith('«') && keyIdentity(a) === keyIdentity(b));
}

const service = (op: ModelJwtOp): string => op.service ?? '(no service)';

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
      mismatch:
        '{{service}} verifies tokens with {{verifierName}}{{verifierChain}}, but {{signerServices}} {{signVerb}} them with {{signerNames}}; unless both variables hold the same value, verification fails (401/403, WebSocket close 1006).',
      signedElsewhere:
        '{{service}} verifies tokens with {{verifierName}}, a key no code in this repository signs with; the tokens come from another issuer (a third party or another repository) — check it is meant to be trusted here.',
      notVerified:
        '{{service}} signs tokens with {{signerName}} that no code in this repository verifies; they are for another party (a partner or another repository), or the verifier reads a name jwtfrag could not trace.',
    },
  },
  check(model, ctx) {
    const deployed = new Set(model.services.filter((s) => s.kind === 'service').map((s) => s.name));
    for (const family of model.families) {
      const signers = family.signers.filter((op) => primaryOf(op.secret) !== null);
      const verifiers = family.verifiers.filter((op) => op.key !== null && primaryOf(op.secret) !== null);
      if (signers.length === 0) {
        for (const op of verifiers) {
          if (op.op !== 'verify' || !op.key) continue;
          ctx.report({
            messageId: 'signedElsewhere',
            data: { service: service(op), verifierName: describe(primaryOf(op.secret) ?? '') },
            file: op.file,
            loc: op.key.loc,
            key: ['signed-elsewhere', family.id, op.service ?? '', primaryOf(op.secret) ?? ''],
            service: op.service,
            severity: 'note',
            precision: 'medium',
          });
        }
        continue;
      }
      // A registration (`SIMPLE_JWT`, `JwtModule.register`) sets the key its library verifies with too: tokens are verified there.
      if (verifiers.filter((op) => !signers.includes(op)).length === 0 && !signers.some((op) => op.op === 'configure')) {
        const op = signers[0];
        if (op.key) {
          ctx.report({
            messageId: 'notVerified',
            data: { service: service(op), signerName: describe(primaryOf(op.secret) ?? '') },
            file: op.file,
            loc: op.key.loc,
            key: ['not-verified', family.id, op.service ?? '', primaryOf(op.secret) ?? ''],
            service: op.service,
            severity: 'note',
            precision: 'medium',
          });
        }
      }
      // A registration (`JwtModule.register`) sets a key that can sign too: compared with as a signer, never with itself.
      const keyHolders = [...signers, ...verifiers.filter((op) => op.op === 'configure' && !signers.includes(op))];
      for (const op of verifiers) {
        // A library acting with the key a service stores in its registry slot signs and verifies alike: names that differ between services are sprawl, not a verifier of its own.
        if (!op.key || signers.includes(op) || op.via) continue;
        const primary = primaryOf(op.secret) ?? '';
        // Signers in other services: a service that signs and verifies with its own key, and library code (no service), are not the issuer it trusts.
        const mismatching = keyHolders.filter(
          (s) => s !== op && s.service !== null && deployed.has(s.service) && s.service !== op.service && !sameKey(primaryOf(s.secret) ?? '', primary),
        );
        if (!mismatching.some((s) => signers.includes(s))) continue;
        const signerNames = [...new Set(mismatching.map((s) => describe(primaryOf(s.secret) ?? '')))].sort();
        const signerServices = [...new Set(mismatching.map(service))].sort();
        ctx.report({
          messageId: 'mismatch',
          data: {
            service: service(op),
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
            message: `${service(s)} signs with ${describe(primaryOf(s.secret) ?? '')}`,
          })),
          key: [op.service ?? '', primary, signerNames.join('|')],
          service: op.service,
        });
      }
    }
  },
});
