// hardcoded-jwt-secret severities: an empty default is a note that says what the library does with it; a literal default an error.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFixture } from './helpers/fixture-check.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'rules', 'hardcoded-jwt-secret');

async function findings(name: string): Promise<[string, string, string, string][]> {
  const { result } = await checkFixture(join(ROOT, name), new Set(['hardcoded-jwt-secret']));
  return result.findings.filter((f) => f.ruleId === 'hardcoded-jwt-secret').map((f) => [`${f.file}:${f.loc.line}`, f.severity, f.messageId, f.message]);
}

describe('hardcoded-jwt-secret severities', () => {
  it('an empty default is a note naming what the library does with an empty key', async () => {
    const ts = await findings('bad-ts-empty-default');
    expect(ts.map((f) => f.slice(0, 3))).toEqual([['apps/inbox/src/token-guard.ts:7', 'note', 'emptyDefault']]);
    expect(ts[0]?.[3]).toMatch(/jsonwebtoken rejects an empty key/);
    const py = await findings('bad-py-empty-default');
    expect(py.map((f) => f.slice(0, 3))).toEqual([['inbox_api/token_guard.py:10', 'note', 'emptyDefault']]);
    expect(py[0]?.[3]).toMatch(/pyjwt signs and verifies with an empty key/);
  });

  it('a literal default passed through an env helper is an error', async () => {
    expect((await findings('bad-ts-env-helper-default')).map((f) => f.slice(0, 3))).toEqual([
      ['services/chat-gateway/src/settings.ts:14', 'error', 'literalDefault'],
    ]);
    expect((await findings('bad-py-env-helper-default')).map((f) => f.slice(0, 3))).toEqual([
      ['chat_gateway/gateway_settings.py:14', 'error', 'literalDefault'],
    ]);
  });
});
