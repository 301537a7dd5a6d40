// unverified-jwt-decode severities: lower-risk contexts and code outside services are notes, the rest errors.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFixture } from './helpers/fixture-check.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'rules', 'unverified-jwt-decode');

async function findings(name: string): Promise<[string, string, string][]> {
  const { result } = await checkFixture(join(ROOT, name), new Set(['unverified-jwt-decode']));
  return result.findings.filter((f) => f.ruleId === 'unverified-jwt-decode').map((f) => [`${f.file}:${f.loc.line}`, f.severity, f.messageId]);
}

describe('unverified-jwt-decode severities', () => {
  it('reports provider tokens as notes and a client-posted id_token as an error (TypeScript)', async () => {
    expect(await findings('bad-ts-provider-tokens')).toEqual([
      ['apps/web/src/oauth/provider-login.ts:14', 'note', 'idToken'],
      ['apps/web/src/oauth/provider-login.ts:22', 'note', 'providerResponse'],
      ['apps/web/src/oauth/provider-login.ts:29', 'note', 'outboundUrl'],
      ['apps/web/src/oauth/provider-login.ts:36', 'error', 'unverified'],
    ]);
  });

  it('reports provider tokens as notes and a client-posted id_token as an error (Python)', async () => {
    expect(await findings('bad-py-provider-tokens')).toEqual([
      ['accounts/sso/provider_login.py:14', 'note', 'idToken'],
      ['accounts/sso/provider_login.py:21', 'note', 'providerResponse'],
      ['accounts/sso/provider_login.py:27', 'note', 'outboundUrl'],
      ['accounts/sso/provider_login.py:35', 'error', 'unverified'],
    ]);
  });

  it('reports browser code as a note', async () => {
    expect(await findings('bad-ts-vue-store')).toEqual([['web-frontend/store/session.js:12', 'note', 'browser']]);
    expect(await findings('bad-ts-nextjs-display')).toEqual([['frontend/components/SessionBanner.tsx:8', 'note', 'browser']]);
  });

  it('reports code that belongs to no service as a note', async () => {
    expect(await findings('bad-py-tooling-outside-service')).toEqual([['support_desk/impersonate.py:10', 'note', 'outsideService']]);
  });

  it('reports server decodes as errors', async () => {
    expect(await findings('bad-ts-jwt-simple-noverify')).toEqual([['services/files/src/download-grant.ts:13', 'error', 'unverified']]);
    expect(await findings('bad-py-simplejwt-verify-false')).toEqual([['backend/api/impersonation.py:7', 'error', 'unverified']]);
  });
});
