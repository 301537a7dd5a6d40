// Service detection on synthetic repositories: deployed units are services, workspace packages libraries, tooling neither.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { scan } from '../src/run.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-svc-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const defaults = parseConfig({}, 'defaults');
const FASTAPI = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

async function detect(files: Record<string, string>) {
  const { result } = await scan({ root: repo(files), config: defaults, jobs: 1 });
  return {
    services: result.services.map((s) => `${s.name}:${s.kind}:${s.roots.join(',')}`),
    byName: new Map(result.services.map((s) => [s.name, s])),
    excluded: new Map((result.excludedFolders ?? []).map((e) => [e.folder, e.reason])),
    findings: result.findings.map((f) => `${f.ruleId}@${f.file}:${f.loc.line}`),
  };
}

describe('service detection', () => {
  it('a Dockerfile in a tooling folder deploys the folder its command runs, named after that folder, with the compose name as an alias', async () => {
    const d = await detect({
      'docker/docker-compose.yml': 'services:\n  backend:\n    build:\n      context: ..\n      dockerfile: dockerfiles/backend.Dockerfile\n',
      'dockerfiles/backend.Dockerfile':
        'FROM python:3.12\nWORKDIR /app\nCOPY netra_backend/ ./netra_backend/\nCOPY shared/ ./shared/\nCMD ["uvicorn", "netra_backend.app.main:app"]\n',
      'dockerfiles/__init__.py': '',
      'netra_backend/__init__.py': '',
      'netra_backend/app/__init__.py': '',
      'netra_backend/app/main.py': 'from shared.env import read\n',
      'auth_service/requirements.txt': 'fastapi\n',
      'auth_service/main.py': FASTAPI,
      'shared/__init__.py': '',
      'shared/env.py': 'def read():\n    return 1\n',
      'scripts/setup.py': 'from netra_backend.app import main\n',
      'test_framework/__init__.py': '',
      'test_framework/helpers.py': 'from auth_service import main\n',
      'logs/requirements.txt': 'x\n',
    });
    expect(d.services).toEqual(['auth_service:service:auth_service', 'netra_backend:service:netra_backend', 'shared:shared:shared']);
    expect(d.byName.get('netra_backend')?.aliases).toContain('backend');
    expect(d.byName.get('netra_backend')?.evidence?.[0]).toMatch(/compose service backend .* its command runs netra_backend\.app\.main:app/);
    // Tooling imports of services are never boundary findings.
    expect(d.findings.filter((f) => f.startsWith('forbidden-cross-service-import'))).toEqual([]);
  });

  it("a build that copies its context's manifest and then its source folder deploys the project at the context", async () => {
    const d = await detect({
      'docker-compose.yml': 'services:\n  gateway:\n    build:\n      context: ./edge\n    environment:\n      EDGE_TOKEN_SECRET: ${EDGE_TOKEN_SECRET}\n',
      'edge/Dockerfile':
        'FROM node:22-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY tsconfig.json ./\nCOPY src ./src\nRUN npm run build\nCMD ["node", "dist/index.js"]\n',
      'edge/package.json': JSON.stringify({ name: 'edge', scripts: { start: 'node dist/index.js' }, dependencies: { fastify: '4', jsonwebtoken: '9' } }),
      'edge/src/settings.ts':
        "function need(name: string): string {\n  const v = process.env[name];\n  if (!v) throw new Error(name);\n  return v;\n}\nexport const tokenSecret = need('EDGE_TOKEN_SECRET');\n",
      'edge/src/index.ts':
        "import jwt from 'jsonwebtoken';\nimport Fastify from 'fastify';\nimport { tokenSecret } from './settings';\nconst app = Fastify();\napp.get('/me', (req) => jwt.verify(String(req.headers.authorization), tokenSecret));\napp.listen({ port: 4000 });\n",
    });
    expect(d.services).toEqual(['edge:service:edge']);
    expect(d.byName.get('edge')?.aliases).toContain('gateway');
    expect(d.byName.get('edge')?.evidence?.[0]).toMatch(/it builds the project at its context \(copies package\*\.json\)/);
    // The secret the deployment gives the gateway is the one its code reads.
    expect(d.findings.filter((f) => f.startsWith('secret-provided-not-read'))).toEqual([]);
  });

  it('a compose service that only runs a front-end build is a build step, not a service', async () => {
    const d = await detect({
      'compose.yml': 'services:\n  web_builder:\n    build: ./web\n    command: "npm run build"\n  api:\n    build: ./api\n',
      'web/Dockerfile': 'FROM node:22-alpine\nCOPY . /workspace\nWORKDIR /workspace\nRUN npm install\nCMD ["npm", "start"]\n',
      'web/package.json': JSON.stringify({
        name: 'web',
        scripts: { start: 'react-scripts start', build: 'react-scripts build' },
        dependencies: { react: '18' },
      }),
      'web/src/App.js': 'export default function App() { return null; }\n',
      'api/Dockerfile': 'FROM python:3.12\nCOPY . /app\nCMD ["uvicorn", "main:app"]\n',
      'api/requirements.txt': 'fastapi\n',
      'api/main.py': FASTAPI,
    });
    expect(d.services.filter((x) => x.includes(':service:'))).toEqual(['api:service:api']);
    expect(d.excluded.get('web')).toMatch(/only runs `npm run build` in it: a build step/);
  });

  it('published packages with a watch-build start script are libraries; apps import them by name', async () => {
    const d = await detect({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*', 'packages/*'] }),
      'apps/api/package.json': JSON.stringify({
        name: '@org/api',
        scripts: { start: 'node dist/main.js' },
        dependencies: { '@nestjs/core': '10', '@org/sdk': '*' },
      }),
      'apps/api/src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport { client } from '@org/sdk';\nNestFactory.create(client);\n",
      'packages/sdk/package.json': JSON.stringify({
        name: '@org/sdk',
        main: 'dist/index.js',
        types: 'dist/index.d.ts',
        scripts: { start: 'tsc -w' },
        dependencies: { ws: '8' },
      }),
      'packages/sdk/src/index.ts': 'export const client = 1;\n',
    });
    expect(d.services).toEqual(['api:service:apps/api', 'sdk:shared:packages/sdk']);
    expect(d.findings.filter((f) => f.includes('import'))).toEqual([]);
  });

  it('an image that only runs a command-line tool its folder declares is not a service', async () => {
    const d = await detect({
      'orchestrator/pyproject.toml': '[project]\nname = "orch"\n[project.scripts]\norch = "orch.cli:main"\n',
      'orchestrator/Dockerfile': 'FROM python:3.12\nCOPY . .\nENTRYPOINT ["orch"]\nCMD ["--help"]\n',
      'orchestrator/orch/cli.py': 'def main():\n    return 0\n',
    });
    expect(d.services).toEqual([]);
    expect(d.excluded.get('orchestrator')).toMatch(/command-line tool orch/);
  });

  it('a service whose manifest declares another unit as a dependency may import it', async () => {
    const d = await detect({
      'core_api/requirements.txt': 'fastapi\n',
      'core_api/__init__.py': '',
      'core_api/server.py': FASTAPI,
      'core_api/models.py': 'X = 1\n',
      'enterprise_api/pyproject.toml': '[tool.poetry]\nname = "ent"\n[tool.poetry.dependencies]\ncore-api = { path = "../core_api", develop = true }\n',
      'enterprise_api/main.py': `${FASTAPI}from core_api.models import X\n`,
      'billing_api/requirements.txt': 'fastapi\n',
      'billing_api/main.py': `${FASTAPI}from core_api.models import X\n`,
    });
    expect(d.byName.get('enterprise_api')?.dependsOn).toEqual(['core_api']);
    expect(d.findings).toEqual(['forbidden-cross-service-import@billing_api/main.py:4']);
  });

  it('Nest CLI monorepo projects are units of their own; a single-app root takes in folders without a manifest', async () => {
    const nest = await detect({
      'package.json': JSON.stringify({ name: 'chat', scripts: { start: 'nest start' }, dependencies: { '@nestjs/core': '10' } }),
      'nest-cli.json': JSON.stringify({
        monorepo: true,
        projects: { auth: { type: 'application', root: 'apps/auth' }, db: { type: 'library', root: 'libs/db' } },
      }),
      'apps/auth/src/main.ts': "import { NestFactory } from '@nestjs/core';\nNestFactory.create({});\n",
      'libs/db/src/index.ts': 'export const db = 1;\n',
    });
    expect(nest.services).toEqual(['auth:service:apps/auth', 'db:shared:libs/db']);
    expect(nest.excluded.get('')).toMatch(/other unit\(s\) deploy on their own/);
    const single = await detect({
      'package.json': JSON.stringify({ name: '@acme/wiki', scripts: { start: 'node build/server' }, dependencies: { koa: '2' } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@server/*': ['server/*'], '@shared/*': ['shared/*'] } } }),
      'server/index.ts': "import Koa from 'koa';\nimport { x } from '@shared/x';\nnew Koa();\n",
      'shared/x.ts': 'export const x = 1;\n',
    });
    expect(single.services).toEqual(['wiki:service:']);
    expect(single.findings).toEqual([]);
  });

  it('builds it cannot tie to code, infrastructure images and command-line apps are left out with a reason', async () => {
    const d = await detect({
      'compose.yml': 'services:\n  cache:\n    build: ./redis\n',
      'redis/Dockerfile': 'FROM redis:7\nCOPY redis.conf /etc/redis.conf\n',
      'redis/redis.conf': 'x\n',
      'apps/cli/package.json': JSON.stringify({ name: 'cli', scripts: { start: 'node dist/main.js' } }),
      'apps/cli/src/main.ts':
        "import { NestFactory } from '@nestjs/core';\nimport { CommandService } from 'nestjs-command';\nNestFactory.createApplicationContext({});\n",
    });
    expect(d.excluded.get('redis')).toMatch(/no code/);
    expect(d.excluded.get('apps/cli')).toMatch(/command-line tool/);
    expect(d.services).toEqual([]);
  });
});
