// Value classification for committed-secret-value: placeholders, generated values, typed words, defaults, public keys, paths, plain settings.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { classifyValue } from '../src/extract/deploy/values.js';
import { scan } from '../src/run.js';

const kind = (value: string, hints: string[] = []): string => {
  const c = classifyValue(value, hints);
  return c.state === 'set' ? (c.kind ?? 'set') : c.state;
};

describe('classifyValue', () => {
  it('recognises placeholders: markers, filler, instructions, self-declared dummies', () => {
    for (const v of [
      'change-me',
      '<your-key>',
      'xxxxxxxx',
      'aaaaaaaaaa',
      'your-secret-here',
      'sk-put-your-key-here',
      'use-secret-manager-in-production',
      'REPLACE_WITH_OAUTH_APP_SECRET',
      'generate_your_own_key',
      'get_the_key_from_the_console',
      'session-secret-48-chars-replace-me',
      'docs-build-not-a-real-secret',
      'secret-key',
      'AKIAIOSFODNN7EXAMPLE',
      'type a long random phrase for your sessions',
    ]) {
      expect(kind(v), v).toBe('placeholder');
    }
  });

  it('tells generated values from typed ones', () => {
    for (const v of [
      '7Hw3Nq9LzK2mVb6XcR1tPd4Y',
      'Vr8m2QpLz6Tx4Nc9',
      'Rk4nW7zq2P',
      '9e3b71c0d5a4f28e61b7c903da5e2f84',
      'qwhm ptzk rvbn xsdl',
      'GOCSPX-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9',
    ]) {
      expect(kind(v), v).toBe('random');
    }
    for (const v of [
      'qa_signing_secret_key_secure_48_chars_2023',
      'PreviewLoginPass2023!',
      'update-this-before-going-live',
      'DEMO_UPDATE7x',
      'orbit-bot-internal',
    ]) {
      expect(kind(v), v).toBe('words');
    }
  });

  it('recognises default credentials, from the vendor list or the block own names', () => {
    expect(kind('minioadmin')).toBe('default');
    expect(kind('local_dev_password')).toBe('default');
    expect(kind('shopx123', ['shopx'])).toBe('default');
    expect(kind('shopx123')).toBe('words');
  });

  it('recognises public material, paths, plain settings and references', () => {
    expect(kind('-----BEGIN PUBLIC KEY-----\nMFkw')).toBe('public');
    expect(kind('pk_test_51Hq2Zx8Wc3Vb6Nm9')).toBe('public');
    expect(kind('certs/node1/node1.key')).toBe('path');
    expect(kind('/run/secrets/jwt')).toBe('path');
    expect(kind('60/minute')).toBe('plain');
    expect(kind('production')).toBe('plain');
    expect(kind('${JWT_SECRET}')).toBe('reference');
    expect(kind('${JWT_SECRET:?required}')).toBe('reference');
    expect(kind('${JWT_SECRET:-}')).toBe('reference');
    expect(kind('arn:aws:secretsmanager:eu-west-1:1:secret:x')).toBe('reference');
  });

  it('classifies the literal default of ${NAME:-default} and locates it', () => {
    const value = '${SECRET_KEY:-k3x9q0vzt7mw2hd5rb8ny4pj6cf1ls}';
    const c = classifyValue(value);
    expect(c).toMatchObject({ state: 'set', kind: 'random' });
    expect(value.slice(c.defaultAt?.start, c.defaultAt?.end)).toBe('k3x9q0vzt7mw2hd5rb8ny4pj6cf1ls');
    expect(classifyValue('${A:-${B:-change-me}}').state).toBe('placeholder');
  });
});

describe('committed-secret-value severities', () => {
  const fixture = (name: string): string => join(import.meta.dirname, '..', 'fixtures', 'rules', 'committed-secret-value', name);
  const severities = async (name: string): Promise<string[]> => {
    const { result } = await scan({ root: fixture(name), config: parseConfig({}, 'test'), jobs: 1 });
    return result.findings.filter((f) => f.ruleId === 'committed-secret-value').map((f) => `${f.file}:${f.loc.line} ${f.severity} ${f.messageId}`);
  };

  it('reports generated values in example files and JWT placeholders baked into an image as warnings', async () => {
    expect(await severities('bad-ts-example-realistic')).toEqual(['apps/mailer/.env.example:3 warning example', 'apps/mailer/.env.example:5 warning example']);
    expect(await severities('bad-ts-baked-example')).toEqual(['apps/gateway/src/.example.env:3 warning placeholder']);
  });

  it('reports guessable credentials made of the block own names as notes, other committed deployment values as errors', async () => {
    expect(await severities('bad-py-default-credential')).toEqual([
      'catalog_service/.env.production:3 error committed',
      'stack.yml:7 error committed',
      'stack.yml:9 note default',
      'stack.yml:17 note default',
    ]);
  });
});
