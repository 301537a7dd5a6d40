// Service boundaries: import edges with services from roots, the boundary policy, the import graph, and both import rules' severities.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { boundaryPolicy, importGraph } from '../src/model/boundaries.js';
import { emptyFacts, type FileFacts, type ImportFact, type ImportKind } from '../src/extract/facts.js';
import { buildImportEdges } from '../src/model/imports.js';
import { createResolver } from '../src/model/resolve.js';
import type { ModelFile } from '../src/model/types.js';
import type { Service } from '../src/vocabulary.js';
import { scan } from '../src/run.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'rules');

function service(name: string, root: string, kind: Service['kind'] = 'service'): Service {
  return { name, kind, roots: [root], detectedBy: 'config' };
}

const SERVICES: Service[] = [
  service('auth', 'auth_service'),
  service('backend', 'netra_backend'),
  service('analytics', 'analytics_service'),
  service('web', 'apps/web'),
  service('api', 'apps/api'),
  service('shared', 'shared', 'shared'),
  service('common', 'common', 'shared'),
];

function imp(specifier: string, line: number, kind: ImportKind, extra: Partial<ImportFact> = {}): ImportFact {
  return {
    specifier,
    kind,
    bindings: [],
    typeOnly: false,
    inFunction: false,
    inTypeChecking: false,
    inTry: false,
    loc: { line, column: 6, endLine: line, endColumn: 6 + specifier.length },
    ...extra,
  };
}

function factsOf(path: string, imports: ImportFact[]): FileFacts {
  const f = emptyFacts(path, path.endsWith('.py') ? 'python' : 'ts');
  f.imports = imports;
  return f;
}

describe('boundaryPolicy', () => {
  const services = [
    service('auth', 'a'),
    service('backend', 'b'),
    service('billing', 'c'),
    service('shared', 's', 'shared'),
    service('legacy-utils', 'l', 'shared'),
  ];

  it('defaults: itself and shared libraries only; shared may import only shared', () => {
    const verdict = boundaryPolicy(services, { allow: [], forbid: [] });
    expect(verdict('auth', 'auth')).toEqual({ allowed: true, reason: 'same-service', entry: null, violation: null });
    expect(verdict('auth', 'shared')).toEqual({ allowed: true, reason: 'shared', entry: null, violation: null });
    expect(verdict('shared', 'legacy-utils')).toEqual({ allowed: true, reason: 'shared', entry: null, violation: null });
    expect(verdict('auth', 'backend')).toEqual({ allowed: false, reason: 'default', entry: null, violation: 'cross-service' });
    expect(verdict('shared', 'backend')).toEqual({ allowed: false, reason: 'default', entry: null, violation: 'shared-to-service' });
    expect(verdict(null, 'backend')).toEqual({ allowed: true, reason: 'outside', entry: null, violation: null });
    expect(verdict('auth', null)).toEqual({ allowed: true, reason: 'outside', entry: null, violation: null });
  });

  it('allow overrides the default; forbid wins over allow; globs match service names', () => {
    const verdict = boundaryPolicy(services, {
      allow: [
        { from: 'auth', to: 'b*' },
        { from: 'shared', to: 'backend' },
      ],
      forbid: [
        { from: '*', to: 'billing' },
        { from: 'auth', to: 'legacy-*' },
      ],
    });
    expect(verdict('auth', 'backend')).toEqual({ allowed: true, reason: 'allow', entry: { from: 'auth', to: 'b*' }, violation: null });
    expect(verdict('shared', 'backend')).toEqual({ allowed: true, reason: 'allow', entry: { from: 'shared', to: 'backend' }, violation: null });
    expect(verdict('auth', 'billing')).toEqual({ allowed: false, reason: 'forbid', entry: { from: '*', to: 'billing' }, violation: 'cross-service' });
    expect(verdict('auth', 'legacy-utils')).toEqual({
      allowed: false,
      reason: 'forbid',
      entry: { from: 'auth', to: 'legacy-*' },
      violation: 'cross-service',
    });
    expect(verdict('backend', 'legacy-utils').allowed).toBe(true);
    // A component always may import itself, whatever the lists say.
    expect(verdict('billing', 'billing').reason).toBe('same-service');
  });
});

describe('buildImportEdges', () => {
  const files = [
    'auth_service/pyproject.toml',
    'auth_service/auth_core/__init__.py',
    'auth_service/auth_core/users.py',
    'auth_service/app/db.py',
    'netra_backend/pyproject.toml',
    'netra_backend/app/__init__.py',
    'netra_backend/app/db.py',
    'netra_backend/app/models.py',
    'netra_backend/tests/factories.py',
    'netra_backend/ns/handlers.py',
    'analytics_service/requirements.txt',
    'analytics_service/analytics/__init__.py',
    'billing_service/requirements.txt',
    'billing_service/app/__init__.py',
    'shared/__init__.py',
    'shared/env.py',
    'apps/web/package.json',
    'apps/web/src/page.ts',
    'apps/api/package.json',
    'apps/api/src/user.ts',
  ];
  const resolver = createResolver({ files, readFile: () => undefined });
  // Only analysed files are in the files map: the backend's test factory is not.
  const analysed = new Map<string, ModelFile>(
    files
      .filter((f) => !f.includes('/tests/') && /\.(py|ts)$/.test(f))
      .map((path) => [path, { path, language: path.endsWith('.py') ? 'python' : 'ts', service: null, isTest: false }]),
  );
  for (const [path, file] of analysed) file.service = SERVICES.find((s) => path.startsWith(`${s.roots[0]}/`))?.name ?? null;

  const edges = buildImportEdges(
    [
      factsOf('auth_service/auth_core/users.py', [
        imp('netra_backend.app.models', 1, 'py-from', { bindings: [{ local: 'User', imported: 'User' }] }),
        imp('netra_backend.tests.factories', 2, 'py-from', { bindings: [{ local: 'make_user', imported: 'make_user' }] }),
        imp('app.db', 3, 'py-from', { bindings: [{ local: 'get_session', imported: 'get_session' }] }),
        imp('netra_backend.app', 4, 'py-from', { bindings: [{ local: 'db', imported: 'db' }] }),
        imp('netra_backend.ns', 5, 'py-from', { bindings: [{ local: 'handlers', imported: 'handlers' }] }),
        imp('analytics', 6, 'py-import'),
        imp('shared.env', 7, 'py-from', { inTypeChecking: true }),
        imp('requests', 8, 'py-import'),
        imp('billing_service', 9, 'py-import'),
      ]),
      factsOf('apps/web/src/page.ts', [imp('../../api/src/user', 1, 'static', { typeOnly: true }), imp('react', 2, 'static')]),
    ],
    analysed,
    resolver,
    SERVICES,
  );
  const summary = edges.map((e) => [e.file, e.loc.line, e.target, e.fromService, e.toService, e.boundary.reason]);

  it('resolves every import into another component once, with both services and the verdict; external ones and those within a component are dropped', () => {
    expect(summary).toEqual([
      ['auth_service/auth_core/users.py', 1, 'netra_backend/app/models.py', 'auth', 'backend', 'default'],
      // The target is a test file that was not analysed: its service still comes from the roots.
      ['auth_service/auth_core/users.py', 2, 'netra_backend/tests/factories.py', 'auth', 'backend', 'default'],
      // line 3: auth_service's own `app` package wins over the backend's same-named one, so the import
      // stays within the auth service and makes no edge (resolved to the backend's, it would be one).
      // `from pkg import module`: the submodule is the target, also in a namespace folder without __init__.py.
      ['auth_service/auth_core/users.py', 4, 'netra_backend/app/db.py', 'auth', 'backend', 'default'],
      ['auth_service/auth_core/users.py', 5, 'netra_backend/ns/handlers.py', 'auth', 'backend', 'default'],
      // Resolved by the layout: analytics_service is a source root, so `analytics` is its package.
      ['auth_service/auth_core/users.py', 6, 'analytics_service/analytics/__init__.py', 'auth', 'analytics', 'default'],
      ['auth_service/auth_core/users.py', 7, 'shared/env.py', 'auth', 'shared', 'shared'],
      // line 8 `requests` and line 9 `billing_service` (a folder that is no module) are external.
      ['apps/web/src/page.ts', 1, 'apps/api/src/user.ts', 'web', 'api', 'default'],
    ]);
  });

  it('carries the import flags through', () => {
    expect(edges.find((e) => e.loc.line === 7)?.inTypeChecking).toBe(true);
    expect(edges.find((e) => e.file === 'apps/web/src/page.ts')?.typeOnly).toBe(true);
    expect(edges.find((e) => e.loc.line === 1)?.boundary).toEqual({ allowed: false, reason: 'default', entry: null, violation: 'cross-service' });
  });
});

interface Row {
  file: string;
  line: number;
  rule: string;
  severity: string;
  messageId: string;
  key: string;
}

async function scanCase(rule: string, name: string): Promise<{ rows: Row[]; graph: ReturnType<typeof importGraph> }> {
  const dir = join(FIXTURES, rule, name);
  const { config } = loadConfig(dir);
  const { result, model } = await scan({ root: dir, config, jobs: 1 });
  const rows = result.findings
    .filter((f) => f.ruleId === 'forbidden-cross-service-import' || f.ruleId === 'shared-imports-service')
    .map((f) => ({ file: f.file, line: f.loc.line, rule: f.ruleId, severity: f.severity, messageId: f.messageId, key: f.key }));
  return { rows, graph: importGraph(model) };
}

describe('forbidden-cross-service-import severities', () => {
  it('auth importing the backend from several files: one finding per import statement, at the level its form calls for', async () => {
    const { rows } = await scanCase('forbidden-cross-service-import', 'bad-py-auth-imports-backend');
    const rule = 'forbidden-cross-service-import';
    expect(rows).toEqual([
      {
        file: 'auth_service/auth_core/oauth.py',
        line: 3,
        rule,
        severity: 'error',
        messageId: 'inFunction',
        key: 'auth_service|netra_backend|netra_backend/app/billing.py',
      },
      {
        file: 'auth_service/auth_core/routes.py',
        line: 4,
        rule,
        severity: 'error',
        messageId: 'runtime',
        key: 'auth_service|netra_backend|netra_backend/app/db/session.py',
      },
      {
        file: 'auth_service/auth_core/typing_helpers.py',
        line: 5,
        rule,
        severity: 'note',
        messageId: 'typeChecking',
        key: 'auth_service|netra_backend|netra_backend/app/models.py',
      },
    ]);
  });

  it.each([
    ['bad-ts-type-only', [['apps/web/src/components/user-badge.ts', 3, 'note', 'typeOnly']]],
    ['bad-py-type-checking', [['auth_service/auth_core/serializers.py', 7, 'note', 'typeChecking']]],
    ['bad-py-try-guarded', [['auth_service/auth_core/rate_limit.py', 3, 'error', 'inTry']]],
    ['bad-py-importlib', [['auth_service/auth_core/exports.py', 6, 'error', 'inFunction']]],
    [
      'bad-ts-require-and-dynamic',
      [
        ['apps/worker/src/jobs/nightly-export.ts', 2, 'error', 'runtime'],
        ['apps/worker/src/jobs/nightly-export.ts', 6, 'error', 'inFunction'],
      ],
    ],
    ['bad-ts-reexport-chain', [['apps/admin/src/lib/permissions.ts', 3, 'error', 'runtime']]],
  ])('%s', async (name, expected) => {
    const { rows } = await scanCase('forbidden-cross-service-import', name);
    expect(rows.map((r) => [r.file, r.line, r.severity, r.messageId])).toEqual(expected);
  });

  it('names both services and the imported module in the message data', async () => {
    const dir = join(FIXTURES, 'forbidden-cross-service-import', 'bad-ts-workspace-deep-import');
    const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
    const finding = result.findings.find((f) => f.ruleId === 'forbidden-cross-service-import');
    expect(finding?.data).toEqual({
      from: 'notifier',
      to: 'accounts',
      toKind: 'service',
      module: '@acme/accounts/src/db/user-store',
      target: 'services/accounts/src/db/user-store.ts',
      policy: 'a service may import only its own code and shared libraries',
    });
    expect(finding?.loc).toEqual({ line: 2, column: 31, endLine: 2, endColumn: 65 });
    expect(finding?.service).toBe('notifier');
  });
});

describe('shared-imports-service severities', () => {
  it('TypeScript: a runtime import at error, a type-only import at note', async () => {
    const { rows } = await scanCase('shared-imports-service', 'bad-ts-shared-reaches-service');
    expect(rows.map((r) => [r.file, r.line, r.rule, r.severity, r.messageId])).toEqual([
      ['libs/shared/src/roles.ts', 2, 'shared-imports-service', 'error', 'runtime'],
      ['libs/shared/src/roles.ts', 4, 'shared-imports-service', 'note', 'typeOnly'],
    ]);
    expect(rows[0].key).toBe('shared|api|apps/api/src/users/user.repository.ts');
  });

  it('Python: module level and in a function, both at error', async () => {
    const { rows } = await scanCase('shared-imports-service', 'bad-py-shared-reaches-service');
    expect(rows.map((r) => [r.file, r.line, r.rule, r.severity, r.messageId])).toEqual([
      ['shared/auth_helpers.py', 2, 'shared-imports-service', 'error', 'runtime'],
      ['shared/auth_helpers.py', 11, 'shared-imports-service', 'error', 'guarded'],
    ]);
  });
});

describe('importGraph', () => {
  it('summarises service → service edges with counts, the forbidden flag and every site', async () => {
    const { graph } = await scanCase('forbidden-cross-service-import', 'bad-py-auth-imports-backend');
    expect(graph.nodes).toEqual([
      { name: 'auth_service', kind: 'service' },
      { name: 'netra_backend', kind: 'service' },
    ]);
    expect(graph.edges.map((e) => ({ ...e, sites: e.sites.map((s) => `${s.file}:${s.loc.line} ${s.specifier} → ${s.target}`) }))).toEqual([
      {
        from: 'auth_service',
        to: 'netra_backend',
        count: 3,
        typeOnlyCount: 1,
        forbidden: true,
        reason: 'default',
        violation: 'cross-service',
        sites: [
          'auth_service/auth_core/oauth.py:3 netra_backend.app.billing → netra_backend/app/billing.py',
          'auth_service/auth_core/routes.py:4 netra_backend.app.db.session → netra_backend/app/db/session.py',
          'auth_service/auth_core/typing_helpers.py:5 netra_backend.app.models → netra_backend/app/models.py',
        ],
      },
    ]);
    expect(graph.edges[0].sites[2]).toMatchObject({ kind: 'py-from', inTypeChecking: true, typeOnly: false, inFunction: false, inTry: false });
  });

  it('lists allowed edges (service → shared) unflagged and leaves out imports within a service', async () => {
    const { graph } = await scanCase('shared-imports-service', 'ok-ts-shared-imports-shared');
    expect(graph.edges.map((e) => [e.from, e.to, e.count, e.forbidden, e.reason])).toEqual([
      ['api', 'shared', 1, false, 'shared'],
      ['shared', 'crypto', 1, false, 'shared'],
    ]);
  });

  it('marks an edge allowed by the config', async () => {
    const { graph, rows } = await scanCase('forbidden-cross-service-import', 'ok-py-allowed-by-config');
    expect(rows).toEqual([]);
    expect(graph.edges.map((e) => [e.from, e.to, e.count, e.forbidden, e.reason])).toEqual([['auth_service', 'netra_backend', 1, false, 'allow']]);
  });
});
