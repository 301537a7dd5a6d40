// The inventory of both fixture monorepos lists every secret name with every read site and role (EXPECTED.md).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import type { RunResult } from '../src/summarize/result.js';
import { scan } from '../src/run.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'monorepos');

async function inventory(name: string): Promise<{ result: RunResult; rows: string[] }> {
  const dir = join(ROOT, name);
  const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
  const rows = result.inventory.flatMap((e) =>
    e.reads.map((r) => `${e.name} ${r.service} ${r.file}:${r.loc.line} ${r.accessor} ${r.roles.join('+') || '-'}${r.chain ? ` [${r.chain.join(' > ')}]` : ''}`),
  );
  return { result, rows: rows.sort() };
}

describe('inventory (as written in each EXPECTED.md)', () => {
  it('fastapi-platform', async () => {
    const { result, rows } = await inventory('fastapi-platform');
    const jwt = result.families.find((f) => f.id === 'jwt');
    expect(jwt).toMatchObject({
      canonical: 'JWT_SECRET_KEY',
      canonicalReason: 'signer',
      names: ['JWT_SECRET', 'JWT_SECRET_KEY', 'JWT_SECRET_STAGING', 'WEBSOCKET_JWT_SECRET'],
      patterns: ['JWT_SECRET_*'],
    });
    const chain = '[JWT_SECRET_STAGING > JWT_SECRET_KEY > JWT_SECRET]';
    const ws = '[WEBSOCKET_JWT_SECRET > JWT_SECRET_KEY]';
    expect(rows).toEqual(
      [
        'JWT_SECRET_KEY auth_service auth_service/auth_core/config.py:7 get_env().get sign+verify',
        `JWT_SECRET_KEY netra_backend netra_backend/app/core/jwt_config.py:17 get_env().get verify ${chain}`,
        `JWT_SECRET_KEY netra_backend netra_backend/app/routes/websocket.py:13 get_env().get verify ${ws}`,
        'JWT_SECRET_KEY frontend frontend/middleware.ts:6 process.env verify',
        `JWT_SECRET_STAGING netra_backend netra_backend/app/core/jwt_config.py:15 get_env().get verify ${chain}`,
        `JWT_SECRET netra_backend netra_backend/app/core/jwt_config.py:19 get_env().get verify ${chain}`,
        'JWT_SECRET analytics_service analytics_service/analytics/keys.py:5 os.getenv verify',
        `WEBSOCKET_JWT_SECRET netra_backend netra_backend/app/routes/websocket.py:13 get_env().get verify ${ws}`,
        'JWT_SECRET_* netra_backend netra_backend/app/core/jwt_config.py:26 get_env().get -',
      ].sort(),
    );
    expect(
      rows.some((r) => r.includes('TEST_JWT_SECRET')),
      'test code stays out of the default inventory',
    ).toBe(false);
  });

  it('nest-microservices', async () => {
    const { result, rows } = await inventory('nest-microservices');
    expect(result.families.find((f) => f.id === 'jwt')).toMatchObject({
      canonical: 'JWT_SECRET',
      canonicalReason: 'configured',
      names: ['JWT_SECRET', 'JWT_SECRET_KEY', 'JWT_SIGNING_KEY', 'WS_JWT_SECRET'],
      patterns: [],
    });
    expect(rows).toEqual(
      [
        'JWT_SECRET api apps/api/src/auth/auth.module.ts:17 configService.get sign+verify',
        'JWT_SECRET ws-gateway apps/ws-gateway/src/auth/ws-secret.ts:6 process.env verify [WS_JWT_SECRET > JWT_SECRET]',
        'WS_JWT_SECRET ws-gateway apps/ws-gateway/src/auth/ws-secret.ts:4 process.env verify [WS_JWT_SECRET > JWT_SECRET]',
        'JWT_SIGNING_KEY worker apps/worker/src/config/signing.ts:4 process.env sign',
        'JWT_SECRET_KEY shared libs/shared/src/auth-config.ts:4 process.env verify',
      ].sort(),
    );
  });
});
