// Tests module resolution over realistic mini monorepo layouts (TS/JS relative, tsconfig, workspaces; Python roots and relatives).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResolver } from '../src/model/resolve.js';
import { normalisePath } from '../src/model/resolve-index.js';
import { parseJsonObject } from '../src/model/resolve-json.js';
import type { ModuleResolver, ResolverInput } from '../src/model/resolve.js';

interface Repo {
  resolver: ModuleResolver;
  reads: string[];
}

/** A virtual repository: every key is a discovered file; values are the text of config files. */
function repo(layout: Record<string, string>, extra: Partial<ResolverInput> = {}): Repo {
  const reads: string[] = [];
  const resolver = createResolver({
    files: Object.keys(layout),
    readFile(path) {
      reads.push(path);
      return layout[path];
    },
    ...extra,
  });
  return { resolver, reads };
}

const ts = (r: Repo, from: string, spec: string): string | null => r.resolver.resolve(from, spec, 'ts');
const py = (r: Repo, from: string, spec: string): string | null => r.resolver.resolve(from, spec, 'python');

describe('TS/JS relative imports', () => {
  const r = repo({
    'apps/web/src/auth/client.ts': '',
    'apps/web/src/auth/index.tsx': '',
    'apps/web/src/lib/index.ts': '',
    'apps/web/src/config.ts': '',
    'apps/web/src/Button.tsx': '',
    'apps/web/src/util.mts': '',
    'apps/web/src/legacy.js': '',
    'apps/web/src/types.js': '',
    'apps/web/src/types.d.ts': '',
    'apps/web/src/data.json': '',
    'apps/web/src/vendor/package.json': JSON.stringify({ main: './dist/vendor.js' }),
    'apps/web/src/vendor/dist/vendor.js': '',
    'apps/api/src/jwt.ts': '',
    'apps/api/src/ws/index.js': '',
  });

  it('climbs out of one app into another', () => {
    expect(ts(r, 'apps/web/src/auth/client.ts', '../../../api/src/jwt')).toBe('apps/api/src/jwt.ts');
    expect(ts(r, 'apps/web/src/auth/client.ts', '../../../api/src/ws')).toBe('apps/api/src/ws/index.js');
  });

  it('maps a .js-family extension written in source to the TypeScript file', () => {
    expect(ts(r, 'apps/web/src/auth/client.ts', '../config.js')).toBe('apps/web/src/config.ts');
    expect(ts(r, 'apps/web/src/auth/client.ts', '../Button.jsx')).toBe('apps/web/src/Button.tsx');
    expect(ts(r, 'apps/web/src/auth/client.ts', '../util.mjs')).toBe('apps/web/src/util.mts');
    expect(ts(r, 'apps/web/src/auth/client.ts', '../legacy.js')).toBe('apps/web/src/legacy.js');
  });

  it('probes extensions, preferring code over declarations', () => {
    expect(ts(r, 'apps/web/src/auth/client.ts', '../config')).toBe('apps/web/src/config.ts');
    expect(ts(r, 'apps/web/src/auth/client.ts', '../types')).toBe('apps/web/src/types.js');
    expect(ts(r, 'apps/web/src/auth/client.ts', '../data.json')).toBe('apps/web/src/data.json');
  });

  it('resolves folders to index files and package.json entries', () => {
    expect(ts(r, 'apps/web/src/config.ts', './lib')).toBe('apps/web/src/lib/index.ts');
    expect(ts(r, 'apps/web/src/config.ts', './lib/')).toBe('apps/web/src/lib/index.ts');
    expect(ts(r, 'apps/web/src/auth/client.ts', '.')).toBe('apps/web/src/auth/index.tsx');
    expect(ts(r, 'apps/web/src/config.ts', './vendor')).toBe('apps/web/src/vendor/dist/vendor.js');
  });

  it('returns null for missing files and for paths above the repository root', () => {
    expect(ts(r, 'apps/web/src/config.ts', './missing')).toBeNull();
    expect(ts(r, 'apps/web/src/config.ts', '../../../../../etc/passwd')).toBeNull();
    expect(ts(r, 'apps/web/src/config.ts', '/etc/passwd')).toBeNull();
  });

  it('uses the same rules for JavaScript importers', () => {
    expect(r.resolver.resolve('apps/api/src/ws/index.js', '../jwt.js', 'js')).toBe('apps/api/src/jwt.ts');
  });
});

describe('tsconfig baseUrl and paths', () => {
  const layout: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'platform', private: true, workspaces: ['packages/*', 'apps/*'] }),
    'tsconfig.base.json': `{
      // shared compiler options
      "compilerOptions": {
        "baseUrl": ".",
        "paths": {
          "@shared/*": ["packages/shared/src/*"],
          "@shared/jwt/legacy": ["packages/shared/src/old-jwt.ts"],
          "@config": ["packages/config/src/index.ts"],
        },
      },
    }`,
    'packages/tsconfig/package.json': JSON.stringify({ name: '@org/tsconfig' }),
    'packages/tsconfig/node.json': JSON.stringify({ extends: '../../tsconfig.base.json' }),
    'packages/shared/src/jwt.ts': '',
    'packages/shared/src/old-jwt.ts': '',
    'packages/shared/src/ws/index.ts': '',
    'packages/config/src/index.ts': '',
    'apps/web/tsconfig.json': JSON.stringify({ extends: './tsconfig.app' }),
    'apps/web/tsconfig.app.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "strict": true } }',
    'apps/web/src/auth/session.ts': '',
    'apps/admin/tsconfig.json': JSON.stringify({
      extends: '@org/tsconfig/node.json',
      compilerOptions: { paths: { '~/*': ['apps/admin/src/*'] } },
    }),
    'apps/mobile/tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '~/*': ['./src/*'] } } }),
    'apps/mobile/src/keys.ts': '',
    'apps/legacy/tsconfig.json': JSON.stringify({
      extends: ['@tsconfig/node20/tsconfig.json', 'some-preset', '../../tsconfig.base.json'],
    }),
    'apps/legacy/src/index.ts': '',
    'apps/mobile/src/screens/login.ts': '',
    'apps/admin/src/secrets.ts': '',
    'apps/admin/src/pages/login.ts': '',
    'apps/worker/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: 'src' } }),
    'apps/worker/src/lib/token.ts': '',
    'apps/worker/src/main.ts': '',
    'apps/cron/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.template.json' }),
    'tsconfig.template.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['${configDir}/src/*'] } } }),
    'apps/cron/src/jobs/rotate.ts': '',
    'apps/cron/src/env.ts': '',
  };

  it('follows a relative extends chain to the alias of the base config', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/web/src/auth/session.ts', '@shared/jwt')).toBe('packages/shared/src/jwt.ts');
    expect(ts(r, 'apps/web/src/auth/session.ts', '@shared/ws')).toBe('packages/shared/src/ws/index.ts');
    expect(ts(r, 'apps/web/src/auth/session.ts', '@config')).toBe('packages/config/src/index.ts');
  });

  it('prefers an exact paths key over a wildcard one', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/web/src/auth/session.ts', '@shared/jwt/legacy')).toBe('packages/shared/src/old-jwt.ts');
  });

  it('resolves own paths against the baseUrl inherited through a workspace-package extends', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/admin/src/pages/login.ts', '~/secrets')).toBe('apps/admin/src/secrets.ts');
    // The child's paths replace the base's paths.
    expect(ts(r, 'apps/admin/src/pages/login.ts', '@shared/jwt')).toBeNull();
  });

  it('resolves paths declared without any baseUrl relative to their config', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/mobile/src/screens/login.ts', '~/keys')).toBe('apps/mobile/src/keys.ts');
  });

  it('resolves bare specifiers against baseUrl', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/worker/src/main.ts', 'lib/token')).toBe('apps/worker/src/lib/token.ts');
  });

  it('substitutes ${configDir} with the folder of the config that extends', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/cron/src/jobs/rotate.ts', '@/env')).toBe('apps/cron/src/env.ts');
  });

  it('uses the nearest tsconfig only', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/worker/src/main.ts', '@shared/jwt')).toBeNull();
  });

  it('reads only tsconfig and package.json files, each at most once', () => {
    const r = repo(layout);
    ts(r, 'apps/web/src/auth/session.ts', '@shared/jwt');
    ts(r, 'apps/web/src/auth/session.ts', '@config');
    ts(r, 'apps/admin/src/pages/login.ts', '~/secrets');
    ts(r, 'apps/web/src/auth/session.ts', 'express');
    expect(ts(r, 'apps/legacy/src/index.ts', '@shared/jwt')).toBe('packages/shared/src/jwt.ts');
    for (const path of r.reads) expect(path).toMatch(/(^|\/)(tsconfig[^/]*\.json|package\.json|node\.json)$/);
    expect(new Set(r.reads).size).toBe(r.reads.length);
    expect(r.reads).toContain('apps/web/tsconfig.app.json');
    expect(r.reads).toContain('packages/tsconfig/node.json');
  });
});

describe('package.json workspaces', () => {
  const layout: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'root', workspaces: ['apps/*', 'packages/**', '!packages/internal/*'] }),
    'apps/api/package.json': JSON.stringify({ name: '@org/api', main: 'dist/index.js' }),
    'apps/api/src/index.ts': '',
    'apps/api/src/auth/jwt.ts': '',
    'apps/redis/package.json': JSON.stringify({ name: '@org/redis-worker' }),
    'apps/redis/index.ts': '',
    'apps/web/package.json': JSON.stringify({ name: '@org/web' }),
    'apps/web/src/socket.ts': '',
    'packages/libs/shared/package.json': JSON.stringify({
      name: '@org/shared',
      exports: {
        '.': { types: './src/index.ts', import: './dist/index.js' },
        './jwt': './src/jwt/index.ts',
        './env/*': './src/env/*.ts',
      },
    }),
    'packages/libs/shared/src/index.ts': '',
    'packages/libs/shared/src/jwt/index.ts': '',
    'packages/libs/shared/src/env/secrets.ts': '',
    'packages/internal/hidden/package.json': JSON.stringify({ name: '@org/hidden' }),
    'packages/internal/hidden/index.ts': '',
    'scripts/package.json': JSON.stringify({ name: 'redis' }),
    'scripts/index.ts': '',
  };

  it('maps a package name to its source entry when main points at build output', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/web/src/socket.ts', '@org/api')).toBe('apps/api/src/index.ts');
  });

  it('maps deep imports into the package folder', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/web/src/socket.ts', '@org/api/src/auth/jwt')).toBe('apps/api/src/auth/jwt.ts');
    expect(ts(r, 'apps/web/src/socket.ts', '@org/api/src/auth/jwt.js')).toBe('apps/api/src/auth/jwt.ts');
  });

  it('follows exports conditions and subpath patterns of a nested workspace package', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/web/src/socket.ts', '@org/shared')).toBe('packages/libs/shared/src/index.ts');
    expect(ts(r, 'apps/web/src/socket.ts', '@org/shared/jwt')).toBe('packages/libs/shared/src/jwt/index.ts');
    expect(ts(r, 'apps/web/src/socket.ts', '@org/shared/env/secrets')).toBe('packages/libs/shared/src/env/secrets.ts');
  });

  it('leaves external packages unresolved', () => {
    const r = repo(layout);
    for (const spec of ['express', 'jsonwebtoken', '@nestjs/jwt', 'node:fs', 'fs', '@org/missing', '@org']) {
      expect(ts(r, 'apps/web/src/socket.ts', spec)).toBeNull();
    }
  });

  it('does not take a service folder name, or a package outside the workspaces, for an npm package', () => {
    const r = repo(layout);
    expect(ts(r, 'apps/web/src/socket.ts', 'redis')).toBeNull();
    expect(ts(r, 'apps/web/src/socket.ts', 'api')).toBeNull();
    expect(ts(r, 'apps/web/src/socket.ts', '@org/hidden')).toBeNull();
  });

  it('accepts the { packages: [] } form', () => {
    const r = repo({
      'package.json': JSON.stringify({ private: true, workspaces: { packages: ['services/*'], nohoist: ['**'] } }),
      'services/auth/package.json': JSON.stringify({ name: 'auth-service', types: './src/main.ts' }),
      'services/auth/src/main.ts': '',
      'services/gateway/src/app.ts': '',
    });
    expect(ts(r, 'services/gateway/src/app.ts', 'auth-service')).toBe('services/auth/src/main.ts');
  });

  it('reads pnpm-workspace.yaml packages and bolt workspaces', () => {
    const pnpm = repo({
      'package.json': JSON.stringify({ name: 'root', private: true }),
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - libs/**\n  - '!libs/fixtures/**'\n",
      'apps/api/package.json': JSON.stringify({ name: '@acme/api' }),
      'apps/api/src/main.ts': '',
      'apps/web/src/page.ts': '',
      'libs/auth/package.json': JSON.stringify({ name: '@acme/auth', types: './src/index.ts' }),
      'libs/auth/src/index.ts': '',
      'libs/fixtures/auth/package.json': JSON.stringify({ name: '@acme/auth-fixture' }),
      'libs/fixtures/auth/index.ts': '',
    });
    expect(ts(pnpm, 'apps/web/src/page.ts', '@acme/auth')).toBe('libs/auth/src/index.ts');
    expect(ts(pnpm, 'apps/web/src/page.ts', '@acme/api/src/main')).toBe('apps/api/src/main.ts');
    expect(ts(pnpm, 'apps/web/src/page.ts', '@acme/auth-fixture')).toBeNull();
    const bolt = repo({
      'package.json': JSON.stringify({ name: 'root', bolt: { workspaces: ['services/*'] } }),
      'services/auth/package.json': JSON.stringify({ name: 'auth-service', types: './src/main.ts' }),
      'services/auth/src/main.ts': '',
      'services/gateway/src/app.ts': '',
    });
    expect(ts(bolt, 'services/gateway/src/app.ts', 'auth-service')).toBe('services/auth/src/main.ts');
  });

  it('resolves package.json imports (#subpath)', () => {
    const r = repo({
      'apps/api/package.json': JSON.stringify({ name: 'api', imports: { '#auth/*': './src/auth/*.js' } }),
      'apps/api/src/auth/keys.ts': '',
      'apps/api/src/main.ts': '',
    });
    expect(ts(r, 'apps/api/src/main.ts', '#auth/keys')).toBe('apps/api/src/auth/keys.ts');
    expect(ts(r, 'apps/api/src/main.ts', '#nope')).toBeNull();
  });
});

describe('Python absolute imports', () => {
  const layout: Record<string, string> = {
    'netra_backend/pyproject.toml': '',
    'netra_backend/app/__init__.py': '',
    'netra_backend/app/main.py': '',
    'netra_backend/app/core/__init__.py': '',
    'netra_backend/app/core/config.py': '',
    'netra_backend/app/routes/websocket.py': '',
    'auth_service/auth_core/jwt_handler.py': '',
    'auth_service/main.py': '',
    'shared/__init__.py': '',
    'shared/config/__init__.py': '',
    'shared/config/env.py': '',
    'shared/types.pyi': '',
    'redis/redis.conf': '',
    'services/api/requirements.txt': '',
    'services/api/app/__init__.py': '',
    'services/api/app/db.py': '',
    'services/api/app/main.py': '',
    'services/worker/pyproject.toml': '',
    'services/worker/app/__init__.py': '',
    'services/worker/app/db.py': '',
    'services/worker/app/tasks.py': '',
    'services/billing/pyproject.toml': '',
    'services/billing/src/billing/__init__.py': '',
    'services/billing/src/billing/tokens.py': '',
    'services/billing/tests/test_tokens.py': '',
    'services/jwt/pyproject.toml': '',
    'services/jwt/main.py': '',
    'src/platform_lib/__init__.py': '',
    'src/platform_lib/secrets.py': '',
    'tests/test_secrets.py': '',
    'libs/python/common/jwt_keys.py': '',
  };

  it('resolves a package module from the repository root and from its service folder', () => {
    const r = repo(layout);
    const from = 'netra_backend/app/routes/websocket.py';
    expect(py(r, from, 'netra_backend.app.core.config')).toBe('netra_backend/app/core/config.py');
    expect(py(r, from, 'app.core.config')).toBe('netra_backend/app/core/config.py');
    expect(py(r, from, 'app.core')).toBe('netra_backend/app/core/__init__.py');
  });

  it('resolves namespace packages (no __init__.py) whose first segment is a top-level folder', () => {
    const r = repo(layout);
    expect(py(r, 'netra_backend/app/main.py', 'auth_service.auth_core.jwt_handler')).toBe('auth_service/auth_core/jwt_handler.py');
    expect(py(r, 'netra_backend/app/main.py', 'auth_service.main')).toBe('auth_service/main.py');
    // The namespace folder itself is not a file.
    expect(py(r, 'netra_backend/app/main.py', 'auth_service')).toBeNull();
  });

  it('prefers a module file, then a package __init__.py, then a stub', () => {
    const r = repo(layout);
    expect(py(r, 'auth_service/main.py', 'shared.config')).toBe('shared/config/__init__.py');
    expect(py(r, 'auth_service/main.py', 'shared.config.env')).toBe('shared/config/env.py');
    expect(py(r, 'auth_service/main.py', 'shared')).toBe('shared/__init__.py');
    expect(py(r, 'auth_service/main.py', 'shared.types')).toBe('shared/types.pyi');
  });

  it('resolves the same package name to the importing service first', () => {
    const r = repo(layout);
    expect(py(r, 'services/api/app/main.py', 'app.db')).toBe('services/api/app/db.py');
    expect(py(r, 'services/worker/app/tasks.py', 'app.db')).toBe('services/worker/app/db.py');
  });

  it('resolves src/ layouts, at the root and inside a service', () => {
    const r = repo(layout);
    expect(py(r, 'tests/test_secrets.py', 'platform_lib.secrets')).toBe('src/platform_lib/secrets.py');
    expect(py(r, 'services/billing/tests/test_tokens.py', 'billing.tokens')).toBe('services/billing/src/billing/tokens.py');
    expect(py(r, 'netra_backend/app/main.py', 'billing.tokens')).toBe('services/billing/src/billing/tokens.py');
  });

  it('resolves a service imported by its folder name from a sibling service', () => {
    const r = repo(layout);
    expect(py(r, 'services/api/app/main.py', 'worker.app.tasks')).toBe('services/worker/app/tasks.py');
  });

  it('leaves external modules unresolved, even when a folder shares their name', () => {
    const r = repo(layout);
    for (const spec of ['os', 'os.path', 'fastapi', 'jose.jwt', 'redis', 'redis.asyncio', 'jwt', 'jwt.algorithms']) {
      expect(py(r, 'services/api/app/main.py', spec)).toBeNull();
    }
    expect(py(r, 'services/api/app/main.py', 'not a module')).toBeNull();
  });

  it('uses configured python roots', () => {
    expect(py(repo(layout), 'services/api/app/main.py', 'common.jwt_keys')).toBeNull();
    const r = repo(layout, { pythonRoots: ['libs/python/'] });
    expect(py(r, 'services/api/app/main.py', 'common.jwt_keys')).toBe('libs/python/common/jwt_keys.py');
  });

  it('uses service roots given by the model', () => {
    const r = repo(
      { 'backend/core/settings.py': '', 'backend/main.py': '', 'frontend/api/client.py': '' },
      {
        serviceRoots: ['backend'],
      },
    );
    expect(py(r, 'backend/main.py', 'core.settings')).toBe('backend/core/settings.py');
    expect(py(r, 'frontend/api/client.py', 'core.settings')).toBe('backend/core/settings.py');
    expect(py(r, 'frontend/api/client.py', 'backend.core.settings')).toBe('backend/core/settings.py');
  });
});

describe('Python relative imports', () => {
  const r = repo({
    'app/__init__.py': '',
    'app/api/__init__.py': '',
    'app/api/v1/__init__.py': '',
    'app/api/v1/ws.py': '',
    'app/api/v1/deps.py': '',
    'app/api/auth.py': '',
    'app/core/__init__.py': '',
    'app/core/security.py': '',
    'app/settings/jwt_conf.py': '',
    'tools/rotate.py': '',
  });

  it('resolves one, two and three dots from the importing package', () => {
    expect(py(r, 'app/api/v1/ws.py', '.deps')).toBe('app/api/v1/deps.py');
    expect(py(r, 'app/api/v1/ws.py', '..auth')).toBe('app/api/auth.py');
    expect(py(r, 'app/api/v1/ws.py', '...core.security')).toBe('app/core/security.py');
    expect(py(r, 'app/api/v1/ws.py', '...settings.jwt_conf')).toBe('app/settings/jwt_conf.py');
  });

  it('resolves bare dots to the package __init__.py', () => {
    expect(py(r, 'app/api/v1/ws.py', '.')).toBe('app/api/v1/__init__.py');
    expect(py(r, 'app/api/v1/ws.py', '...')).toBe('app/__init__.py');
    expect(py(r, 'app/api/v1/__init__.py', '..')).toBe('app/api/__init__.py');
  });

  it('climbs beyond the top-level package by folders, and is clamped at the repository root', () => {
    expect(py(r, 'app/api/v1/ws.py', '....tools.rotate')).toBe('tools/rotate.py');
    expect(py(r, 'app/api/v1/ws.py', '....')).toBeNull();
    expect(py(r, 'app/api/v1/ws.py', '.....tools.rotate')).toBeNull();
    expect(py(r, 'tools/rotate.py', '...app')).toBeNull();
  });

  it('returns null for a relative module that is not there', () => {
    expect(py(r, 'app/api/v1/ws.py', '.missing')).toBeNull();
  });
});

describe('caching and scale', () => {
  it('answers repeated queries from the cache on a large tree, reading each config file once', () => {
    const layout: Record<string, string> = {
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@p/*': ['packages/*/src'] } } }),
    };
    for (let i = 0; i < 400; i += 1) {
      layout[`packages/p${i}/package.json`] = JSON.stringify({ name: `@org/p${i}` });
      for (let j = 0; j < 20; j += 1) layout[`packages/p${i}/src/m${j}.ts`] = '';
      layout[`packages/p${i}/src/index.ts`] = '';
      layout[`py/svc${i}/app/__init__.py`] = '';
      layout[`py/svc${i}/app/m.py`] = '';
    }
    const r = repo(layout);
    for (let i = 0; i < 400; i += 1) {
      expect(ts(r, `packages/p${i}/src/m0.ts`, `@org/p${(i + 1) % 400}/src/m3`)).toBe(`packages/p${(i + 1) % 400}/src/m3.ts`);
      expect(ts(r, `packages/p${i}/src/m0.ts`, `@p/p${i}`)).toBe(`packages/p${i}/src/index.ts`);
      expect(py(r, `py/svc${i}/app/m.py`, 'app.m')).toBe(`py/svc${i}/app/m.py`);
    }
    const readsBefore = r.reads.length;
    expect(ts(r, 'packages/p0/src/m0.ts', '@org/p1/src/m3')).toBe('packages/p1/src/m3.ts');
    expect(r.reads.length).toBe(readsBefore);
    expect(new Set(r.reads).size).toBe(r.reads.length);
  });
});

describe('normalisePath', () => {
  it('returns a normal path as it is and normalises the rest', () => {
    for (const path of ['src/app.ts', 'a', '.env', '.github/workflows/ci.yml', 'a/.b/c', 'a/..b', 'a/b..', 'a/...', '']) expect(normalisePath(path)).toBe(path);
    const cases: [string, string][] = [
      ['./a', 'a'],
      ['a/./b', 'a/b'],
      ['a//b', 'a/b'],
      ['a/', 'a'],
      ['/a/b', 'a/b'],
      ['a\\b\\c.py', 'a/b/c.py'],
      ['a/b/../c', 'a/c'],
      ['a/..', ''],
      ['../a', ''],
      ['.', ''],
      ['..', ''],
      ['a/.', 'a'],
    ];
    expect(cases.map(([path]) => normalisePath(path))).toEqual(cases.map(([, want]) => want));
  });
});

describe('parseJsonObject', () => {
  it('reads tsconfig text as tsc does: comments and trailing commas, else single quotes and unquoted keys', () => {
    const jsonc = '{\n  // paths\n  "compilerOptions": { "baseUrl": ".", /* all */ "paths": { "@/*": ["./src/*",], }, },\n}';
    expect(parseJsonObject('tsconfig.json', jsonc)).toEqual({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } });
    expect(parseJsonObject('tsconfig.json', "{ compilerOptions: { 'baseUrl': 'src' } }")).toEqual({ compilerOptions: { baseUrl: 'src' } });
    expect(parseJsonObject('tsconfig.json', '{ "extends": "./base.json" "include": ["src"] }')).toEqual({ extends: './base.json', include: ['src'] });
    expect(parseJsonObject('package.json', '{"name": "@org/api"}')).toEqual({ name: '@org/api' });
    expect(parseJsonObject('tsconfig.json', '[1]')).toEqual({});
    expect(parseJsonObject('tsconfig.json', '"text"')).toEqual({});
  });

  it('loads the TypeScript compiler only for text that JSON with comments does not read', () => {
    // In a fresh process: whether the compiler's module (ts-morph's bundled `typescript.js`) was loaded after parsing `text`.
    const loadsCompiler = (text: string): { config: unknown; loaded: boolean } => {
      const script = [
        "import { createRequire } from 'node:module';",
        "import { parseJsonObject } from './src/model/resolve-json.ts';",
        `const config = parseJsonObject('tsconfig.json', ${JSON.stringify(text)});`,
        'const loaded = Object.keys(createRequire(import.meta.url).cache).some((p) => /[\\\\/]typescript\\.js$/.test(p));',
        'console.log(JSON.stringify({ config, loaded }));',
      ].join('\n');
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '..'),
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { config: unknown; loaded: boolean };
    };
    expect(loadsCompiler('{ // base\n "include": ["src",], }')).toEqual({ config: { include: ['src'] }, loaded: false });
    expect(loadsCompiler("{ 'include': ['src'] }")).toEqual({ config: { include: ['src'] }, loaded: true });
  });
});
