// Provision attribution (service hints, env-file links, environments), the deployment index and the provision matrix.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../src/config/load.js';
import type { Loc, Service } from '../src/vocabulary.js';
import { emptyFacts, type FileFacts, type Provision } from '../src/extract/facts.js';
import { buildProvisions, normalizeEnvironmentName, serviceForHint } from '../src/model/provision.js';
import type { Model, ModelFile } from '../src/model/types.js';
import { scan } from '../src/run.js';
import { provisionMatrix } from '../src/summarize/provision-matrix.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'monorepos');

const SERVICES: Service[] = [
  { name: 'auth_service', kind: 'service', roots: ['auth_service'], detectedBy: 'Dockerfile' },
  { name: 'netra_backend', kind: 'service', roots: ['netra_backend'], detectedBy: 'pyproject.toml' },
  { name: 'api', kind: 'service', roots: ['apps/api'], detectedBy: 'package.json' },
  { name: 'ws-gateway', kind: 'service', roots: ['apps/ws-gateway'], detectedBy: 'package.json' },
  { name: 'shared', kind: 'shared', roots: ['libs/shared'], detectedBy: 'package.json (no start script)' },
];

const at = (line: number): Loc => ({ line, column: 1, endLine: line, endColumn: 5 });

function provision(name: string, over: Partial<Provision> = {}): Provision {
  return { name, source: 'compose', environment: null, serviceHint: null, valueState: 'reference', loc: at(1), ...over };
}

function facts(path: string, language: FileFacts['language'], provisions: Provision[]): FileFacts {
  return { ...emptyFacts(path, language), provisions };
}

describe('serviceForHint', () => {
  it('maps folders to the service whose root holds them', () => {
    expect(serviceForHint('auth_service', SERVICES)).toBe('auth_service');
    expect(serviceForHint('apps/api/docker', SERVICES)).toBe('api');
    expect(serviceForHint('./apps/ws-gateway/', SERVICES)).toBe('ws-gateway');
  });
  it('maps deployed names with other separators, environment words and prefixes', () => {
    expect(serviceForHint('auth-service', SERVICES)).toBe('auth_service');
    expect(serviceForHint('netra-backend', SERVICES)).toBe('netra_backend');
    expect(serviceForHint('api-staging', SERVICES)).toBe('api');
    expect(serviceForHint('platform-ws-gateway', SERVICES)).toBe('ws-gateway');
    expect(serviceForHint('auth', SERVICES)).toBe('auth_service');
    expect(serviceForHint('backend', SERVICES)).toBe('netra_backend');
  });
  it('maps a name deployments call a service (its alias), like a compose service in an override file', () => {
    const aliased: Service[] = [
      { name: 'ledger_api', kind: 'service', roots: ['ledger_api'], detectedBy: 'x', aliases: ['books'] },
      { name: 'reports', kind: 'service', roots: ['reports'], detectedBy: 'x' },
    ];
    expect(serviceForHint('books', aliased)).toBe('ledger_api');
  });
  it('gives null for unknown, ambiguous and shared-library hints', () => {
    expect(serviceForHint('postgres', SERVICES)).toBeNull();
    expect(serviceForHint('shared', SERVICES)).toBeNull();
    expect(serviceForHint(null, SERVICES)).toBeNull();
    const twins: Service[] = [
      { name: 'orders-api', kind: 'service', roots: ['orders/api'], detectedBy: 'x' },
      { name: 'users-api', kind: 'service', roots: ['users/api'], detectedBy: 'x' },
    ];
    expect(serviceForHint('api', twins)).toBeNull();
  });
});

describe('normalizeEnvironmentName', () => {
  it('normalises aliases and case', () => {
    expect(['prod', 'Production', 'stg', 'dev', 'testing', 'preview', 'eu-west', null].map(normalizeEnvironmentName)).toEqual([
      'production',
      'production',
      'staging',
      'development',
      'test',
      'preview',
      'eu-west',
      null,
    ]);
  });
});

describe('buildProvisions', () => {
  const files: ModelFile[] = [
    { path: 'docker-compose.yml', language: 'yaml', service: null, isTest: false },
    { path: '.env.staging', language: 'dotenv', service: null, isTest: false },
    { path: 'apps/api/.env.example', language: 'dotenv', service: 'api', isTest: false },
    { path: 'deploy/k8s.yaml', language: 'yaml', service: null, isTest: false },
  ];
  const all = [
    facts('docker-compose.yml', 'yaml', [
      provision('*', { serviceHint: 'netra_backend', environment: 'dev', envFile: '.env.staging', loc: at(4) }),
      provision('JWT_SECRET', { serviceHint: 'netra_backend', environment: 'dev', loc: at(6) }),
      provision('POSTGRES_PASSWORD', { serviceHint: 'postgres', loc: at(9) }),
    ]),
    facts('.env.staging', 'dotenv', [
      provision('JWT_SECRET_KEY', { source: 'dotenv', environment: 'staging', valueState: 'placeholder', loc: at(1) }),
      provision('ENVIRONMENT', { source: 'dotenv', environment: 'staging', valueState: 'set', valueLength: 7, loc: at(2) }),
    ]),
    facts('apps/api/.env.example', 'dotenv', [provision('JWT_SECRET', { source: 'dotenv', serviceHint: 'apps/api', valueState: 'placeholder' })]),
    facts('deploy/k8s.yaml', 'yaml', [provision('WS_JWT_SECRET', { source: 'k8s', serviceHint: 'ws-gateway', environment: 'prod', loc: at(12) })]),
  ];
  const rows = buildProvisions(all, files, SERVICES).map((p) => [p.file, p.loc.line, p.name, p.service, p.environment, p.valueState]);

  it('attributes by hint, expands env_file links into the linking service, drops the unattributed linked copies', () => {
    expect(rows).toEqual([
      ['apps/api/.env.example', 1, 'JWT_SECRET', 'api', 'example', 'placeholder'],
      ['deploy/k8s.yaml', 12, 'WS_JWT_SECRET', 'ws-gateway', 'production', 'reference'],
      ['docker-compose.yml', 4, '*', 'netra_backend', 'development', 'reference'],
      ['.env.staging', 1, 'JWT_SECRET_KEY', 'netra_backend', 'development', 'placeholder'],
      ['.env.staging', 2, 'ENVIRONMENT', 'netra_backend', 'development', 'set'],
      ['docker-compose.yml', 6, 'JWT_SECRET', 'netra_backend', 'development', 'reference'],
      ['docker-compose.yml', 9, 'POSTGRES_PASSWORD', null, null, 'reference'],
    ]);
  });

  it('what a compose file gives a ready-made image is not the service the file lies in', () => {
    const root: Service[] = [{ name: 'wiki', kind: 'service', roots: [''], detectedBy: 'test' }];
    const compose = {
      ...facts('docker-compose.yml', 'yaml', [
        provision('POSTGRES_PASSWORD', { serviceHint: 'postgres', loc: at(5) }),
        provision('SIGNING_KEY', { serviceHint: 'web', loc: at(9) }),
      ]),
      deployUnits: [{ kind: 'compose' as const, name: 'web', context: '', dockerfile: null, loc: at(7) }],
    };
    const out = buildProvisions([compose], [{ path: 'docker-compose.yml', language: 'yaml', service: 'wiki', isTest: false }], root);
    // `postgres` runs an image; `web` builds the repository, which is the wiki service.
    expect(out.map((p) => [p.name, p.service])).toEqual([
      ['POSTGRES_PASSWORD', null],
      ['SIGNING_KEY', 'wiki'],
    ]);
  });

  it('an env file linked without an environment keeps its own', () => {
    const linkOnly = [
      facts('compose.yaml', 'yaml', [provision('*', { serviceHint: 'auth_service', envFile: 'auth_service/.env.production' })]),
      facts('auth_service/.env.production', 'dotenv', [provision('JWT_SECRET_KEY', { source: 'dotenv', environment: 'production' })]),
    ];
    const out = buildProvisions(linkOnly, [{ path: 'auth_service/.env.production', language: 'dotenv', service: 'auth_service', isTest: false }], SERVICES);
    expect(out.map((p) => [p.file, p.name, p.service, p.environment])).toEqual([
      ['auth_service/.env.production', 'JWT_SECRET_KEY', 'auth_service', 'production'],
      ['compose.yaml', '*', 'auth_service', null],
      ['auth_service/.env.production', 'JWT_SECRET_KEY', 'auth_service', 'production'],
    ]);
  });
});

async function modelOf(name: string): Promise<Model> {
  const dir = join(ROOT, name);
  return (await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 })).model;
}

const cell = (r: ReturnType<typeof provisionMatrix>[number]): string =>
  `${r.service ?? '-'} ${r.environment} ${r.name} ${r.state} [${r.provided.map((p) => `${p.file}:${p.loc.line}`).join(' ')}]`;

describe('provision matrix of the fixture monorepos', () => {
  it('fastapi-platform: every deploy file attributed to its service and environment', async () => {
    const model = await modelOf('fastapi-platform');
    const rows = provisionMatrix(model);
    const jwt = rows.filter((r) => r.family === 'jwt').map(cell);
    expect(jwt).toEqual([
      'analytics_service default JWT_SECRET both [cloudbuild.yaml:37 docker-compose.yml:26]',
      'analytics_service production JWT_SECRET missing []',
      'analytics_service production JWT_SECRET_KEY provided [.github/workflows/deploy-production.yml:24]',
      'auth_service development JWT_SECRET_KEY both [docker-compose.yml:10]',
      'auth_service production JWT_SECRET_KEY both [.github/workflows/deploy-production.yml:16 auth_service/.env.production:4]',
      'auth_service staging JWT_SECRET_KEY both [cloudbuild.yaml:18]',
      'frontend default JWT_SECRET_KEY both [docker-compose.yml:32]',
      'frontend production JWT_SECRET_KEY both [infra/production/frontend.tf:13]',
      'netra_backend development JWT_SECRET both [docker-compose.yml:20]',
      'netra_backend development JWT_SECRET_KEY both [.env.staging:4]',
      'netra_backend development JWT_SECRET_STAGING both [.env.staging:5]',
      'netra_backend development WEBSOCKET_JWT_SECRET both [.env.staging:6]',
      'netra_backend production JWT_SECRET read []',
      'netra_backend production JWT_SECRET_KEY both [.github/workflows/deploy-production.yml:20]',
      'netra_backend production JWT_SECRET_STAGING read []',
      'netra_backend production WEBSOCKET_JWT_SECRET both [.github/workflows/deploy-production.yml:20]',
      'netra_backend staging JWT_SECRET read []',
      'netra_backend staging JWT_SECRET_KEY read []',
      'netra_backend staging JWT_SECRET_STAGING both [cloudbuild.yaml:28]',
      'netra_backend staging WEBSOCKET_JWT_SECRET both [cloudbuild.yaml:28]',
    ]);
    // Every provision of the scan is in some row (links excepted).
    const inMatrix = new Set(rows.flatMap((r) => r.provided.map((p) => `${r.service ?? '-'}|${p.file}:${p.loc.line}:${p.loc.column}`)));
    for (const p of model.provisions) {
      if (p.name === '*') continue;
      expect(inMatrix.has(`${p.service ?? '-'}|${p.file}:${p.loc.line}:${p.loc.column}`), `${p.file}:${p.loc.line} ${p.name}`).toBe(true);
    }
    expect(rows.filter((r) => r.service === null).map(cell)).toEqual([
      '- default POSTGRES_DB provided [docker-compose.yml:38]',
      '- default POSTGRES_PASSWORD provided [docker-compose.yml:37]',
      '- default POSTGRES_USER provided [docker-compose.yml:36]',
    ]);
    expect(rows.find((r) => r.service === 'netra_backend' && r.environment === 'production' && r.name === 'APP_ENV')?.state).toBe('provided');
    expect(rows.find((r) => r.service === 'frontend' && r.environment === 'production' && r.name === 'NEXT_PUBLIC_API_URL')?.state).toBe('both');
  });

  it('nest-microservices: k8s containers by name, a shared read reached through the api counts for the api', async () => {
    const model = await modelOf('nest-microservices');
    const jwt = provisionMatrix(model)
      .filter((r) => r.family === 'jwt')
      .map(cell);
    expect(jwt).toEqual([
      'api default JWT_SECRET both [deploy/k8s/platform.yaml:19]',
      'api default JWT_SECRET_KEY missing []',
      'worker default JWT_SIGNING_KEY both [deploy/k8s/platform.yaml:65]',
      'ws-gateway default JWT_SECRET read []',
      'ws-gateway default WS_JWT_SECRET both [deploy/k8s/platform.yaml:43]',
      '- example JWT_SECRET provided [.env.example:3]',
      '- example JWT_SIGNING_KEY provided [.env.example:5]',
      '- example WS_JWT_SECRET provided [.env.example:4]',
    ]);
    const api = model.deployment.services.find((s) => s.service === 'api');
    expect(
      api?.secretReads.map((u) => [u.file, u.loc.line, u.names.join('>'), u.literalFallbackLength, u.via ? `${u.via.file}:${u.via.loc.line}` : null]),
    ).toEqual([
      ['apps/api/src/auth/auth.module.ts', 17, 'JWT_SECRET', null, null],
      ['libs/shared/src/auth-config.ts', 4, 'JWT_SECRET_KEY', 10, 'apps/api/src/auth/jwt.strategy.ts:13'],
    ]);
    expect(model.deployment.familyOfName).toEqual({ JWT_SECRET: 'jwt', JWT_SIGNING_KEY: 'jwt', WS_JWT_SECRET: 'jwt' });
    expect(api?.targets.map((t) => [t.environment, t.uncovered, t.provisions.map((p) => `${p.name}:${p.read ? 'read' : 'unread'}`)])).toEqual([
      ['default', [1], ['JWT_SECRET:read', 'DATABASE_URL:unread']],
    ]);
  });

  it('the selector names are a rule option', async () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'rules', 'secret-provided-not-read', 'bad-py-selector');
    const findings = async (options: Record<string, unknown> | null) => {
      const config = parseConfig(options ? { rules: { 'secret-provided-not-read': { options } } } : {}, 'test');
      const { result } = await scan({ root: dir, config, jobs: 1 });
      return result.findings.filter((f) => f.ruleId === 'secret-provided-not-read').map((f) => `${f.file}:${f.loc.line} ${f.messageId} ${f.data.name}`);
    };
    expect(await findings(null)).toEqual(['.github/workflows/deploy-production.yml:15 selector APP_ENV']);
    expect(await findings({ environmentVariables: ['ENVIRONMENT', 'STAGE'] })).toEqual([]);
  });

  it('the matrix carries names, spans and states only, never a value', async () => {
    const model = await modelOf('fastapi-platform');
    const text = JSON.stringify(provisionMatrix(model));
    expect(text).not.toContain('Zq7Lm2');
    expect(text).not.toContain('replace-me');
  });
});
