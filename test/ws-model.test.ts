// The WebSocket model: endpoints of both fixture monorepos joined across files, with full paths, verification and verdicts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { scan } from '../src/run.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'monorepos');

async function rows(name: string): Promise<string[]> {
  const dir = join(ROOT, name);
  const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
  return (result.wsEndpoints ?? []).map(
    (r) =>
      `${r.service} ${r.path} ${r.framework} ${r.file}:${r.loc.line} token=${r.tokenSources.join('+')} ${r.verification}` +
      `${r.verifiedAt.map((v) => `@${v.file}:${v.loc.line}`).join('')} → ${r.verdict}`,
  );
}

async function fixtureRows(id: string, name: string): Promise<string[]> {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'rules', id, name);
  const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
  return (result.wsEndpoints ?? []).map((r) => `${r.path} ${r.framework} token=${r.tokenSources.join('+')} ${r.verification} → ${r.verdict}`);
}

describe('WebSocket endpoints of the fixture monorepos', () => {
  it('fastapi-platform: /ws verified from a query token, /ws/v2 only decoded unverified', async () => {
    expect(await rows('fastapi-platform')).toEqual([
      'netra_backend /ws fastapi netra_backend/app/routes/websocket.py:16 token=query verified@netra_backend/app/routes/websocket.py:21 → token-in-query',
      'netra_backend /ws/v2 fastapi netra_backend/app/routes/websocket.py:49 token=first-message unverified → unverified',
    ]);
  });

  it('nest-microservices: the gateway is verified through its guard in another file', async () => {
    expect(await rows('nest-microservices')).toEqual([
      'ws-gateway /events nestjs apps/ws-gateway/src/events/events.gateway.ts:14 token=auth-payload+header verified@apps/ws-gateway/src/auth/ws-jwt.guard.ts:18 → ok',
    ]);
  });
});

describe('verification kinds followed across files', () => {
  it('delegated: a helper hands the token to the auth service through a shared client', async () => {
    expect(await fixtureRows('ws-no-auth', 'ok-py-delegated-auth-service')).toEqual(['/live fastapi token=header delegated → ok']);
  });

  it('verified: a Nest guard in another file verifies with the registered JwtService', async () => {
    expect(await fixtureRows('ws-no-auth', 'ok-ts-nest-guard')).toEqual(['/notifications nestjs token=auth-payload verified → ok']);
  });

  it('verified: io.use middleware imported from another file; none: an open ws server', async () => {
    expect(await fixtureRows('ws-no-auth', 'ok-ts-io-use-middleware')).toEqual(['/ socket.io token=auth-payload verified → ok']);
    expect(await fixtureRows('ws-no-auth', 'bad-ts-open-ws-server')).toEqual(['/builds ws token= none → no-auth']);
  });

  it('a FastAPI dependency in another module verifies the header token', async () => {
    expect(await fixtureRows('ws-no-auth', 'ok-py-dependency-auth')).toEqual(['/notifications fastapi token=header verified → ok']);
  });
});

describe('pieces joined across files', () => {
  it('Channels: the consumer gets its route path and the ASGI middleware around the router verifies', async () => {
    expect(await fixtureRows('ws-no-auth', 'ok-py-channels-jwt-middleware')).toEqual([
      '^arena/match/(?P<match_id>\\d+)/$ django-channels token=header verified → ok',
    ]);
  });

  it('NestJS: the IoAdapter of the same service guards the gateway', async () => {
    expect(await fixtureRows('ws-no-auth', 'ok-ts-nest-io-adapter')).toEqual(['/rooms nestjs token=auth-payload verified → ok']);
  });

  it('socket.io: middleware and connection handlers in other files join their server; a server nothing handles is open', async () => {
    expect(await fixtureRows('ws-no-auth', 'ok-ts-io-middleware-other-file')).toEqual(['/ socket.io token=auth-payload verified → ok']);
    expect(await fixtureRows('ws-no-auth', 'bad-ts-io-server-without-handlers')).toEqual(['/ socket.io token= none → no-auth']);
  });

  it('python-socketio: a namespace inheriting its connect handler from another file', async () => {
    expect(await fixtureRows('ws-no-auth', 'bad-py-socketio-namespaces')).toEqual([
      '/duel python-socketio token= none → no-auth',
      '/league python-socketio token= none → no-auth',
    ]);
  });
});

describe('one finding per place', () => {
  it('no WebSocket fixture reports the same rule twice at one location', async () => {
    const root = join(import.meta.dirname, '..', 'fixtures', 'rules');
    const repeats: string[] = [];
    for (const id of readdirSync(root).filter((d) => d.startsWith('ws-'))) {
      for (const name of readdirSync(join(root, id))) {
        const dir = join(root, id, name);
        const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
        const seen = new Set<string>();
        for (const f of result.findings) {
          const key = `${f.ruleId} ${f.file}:${f.loc.line}:${f.loc.column}`;
          if (seen.has(key)) repeats.push(`${id}/${name}: ${key}`);
          seen.add(key);
        }
      }
    }
    expect(repeats).toEqual([]);
  });
});
