// Renders the benchmark corpus's deployment and manifest files: package.json, pyproject.toml, .env, compose, k8s, Dockerfile.
import type { Component, CorpusPlan, DeployFile } from './bench-plan.js';
import { JWT_SECRET_NAMES } from './bench-plan.js';
import { Prng } from './bench-prng.js';

const PLAIN_VARS = ['DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'PORT', 'SENTRY_DSN', 'FEATURE_FLAGS', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'CORS_ORIGINS'];

function plainValue(name: string, service: string): string {
  switch (name) {
    case 'DATABASE_URL':
      return `postgres://${service}@db:5432/${service}`;
    case 'REDIS_URL':
      return 'redis://redis:6379/0';
    case 'LOG_LEVEL':
      return 'info';
    case 'PORT':
      return '8080';
    case 'CORS_ORIGINS':
      return 'https://app.example.test';
    default:
      return '';
  }
}

function secretNames(prng: Prng): string[] {
  const first = prng.pick(JWT_SECRET_NAMES);
  return prng.chance(0.4) ? [first, prng.pick(JWT_SECRET_NAMES.filter((n) => n !== first))] : [first];
}

function manifest(file: DeployFile): string {
  const service = file.service;
  if (service === null && file.path === 'package.json') {
    return JSON.stringify({ name: 'bench-monorepo', private: true, workspaces: ['services/*', 'shared'] }, null, 2) + '\n';
  }
  if (service === null) {
    return JSON.stringify({ name: '@bench/shared', version: '0.1.0', type: 'module', main: 'src/index.js' }, null, 2) + '\n';
  }
  if (service.language === 'ts') {
    const pkg = {
      name: `@bench/${service.name}`,
      version: '0.1.0',
      type: 'module',
      scripts: { build: 'tsc -p tsconfig.json', start: 'node dist/main.js' },
      dependencies: { '@bench/shared': '*', '@nestjs/common': '^10.0.0', '@nestjs/config': '^3.0.0', jsonwebtoken: '^9.0.0' },
    };
    return JSON.stringify(pkg, null, 2) + '\n';
  }
  return [
    '[project]',
    `name = "${service.name}"`,
    'version = "0.1.0"',
    'requires-python = ">=3.11"',
    'dependencies = ["fastapi>=0.110", "pyjwt>=2.8", "pydantic-settings>=2.2"]',
    '',
    '[project.scripts]',
    `${service.name} = "${service.pyPackage}.main:run"`,
    '',
  ].join('\n');
}

function dotenv(service: Component, prng: Prng): string {
  const lines = [`# ${service.name} environment (benchmark corpus)`];
  for (const name of secretNames(prng)) lines.push(prng.chance(0.5) ? `${name}=` : `${name}=change-me`);
  for (const name of PLAIN_VARS) if (prng.chance(0.7)) lines.push(`${name}=${plainValue(name, service.name)}`);
  return lines.join('\n') + '\n';
}

function compose(plan: CorpusPlan, prng: Prng): string {
  const lines = ['services:'];
  for (const service of plan.components.filter((c) => !c.shared)) {
    if (!prng.chance(0.6)) continue;
    lines.push(`  ${service.name}:`, `    build: ./${service.root}`, '    environment:');
    for (const name of secretNames(prng)) lines.push(`      ${name}: \${${name}}`);
    lines.push('      LOG_LEVEL: info', `      PORT: "${prng.int(3000, 9000)}"`);
    if (prng.chance(0.5)) lines.push('    env_file:', `      - ./${service.root}/.env.development`);
    lines.push('    depends_on:', '      - db');
  }
  lines.push('  db:', '    image: postgres:16', '    environment:', '      POSTGRES_DB: app', '      POSTGRES_USER: app');
  return lines.join('\n') + '\n';
}

function k8s(file: DeployFile, service: Component, prng: Prng): string {
  const name = file.path.slice(file.path.lastIndexOf('/') + 1).replace(/\.yaml$/, '');
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${service.name}`,
    'spec:',
    `  replicas: ${prng.int(1, 4)}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${service.name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${service.name}`,
    '    spec:',
    '      containers:',
    `        - name: ${service.name}`,
    `          image: registry.example.test/${service.name}:1.${prng.int(0, 40)}.0`,
    '          env:',
  ];
  for (const secret of secretNames(prng)) {
    lines.push(
      `            - name: ${secret}`,
      '              valueFrom:',
      '                secretKeyRef:',
      `                  name: ${service.name}-jwt`,
      '                  key: secret',
    );
  }
  for (const plain of PLAIN_VARS) {
    if (prng.chance(0.5)) lines.push(`            - name: ${plain}`, `              value: "${plainValue(plain, service.name)}"`);
  }
  lines.push('          envFrom:', '            - configMapRef:', `                name: ${service.name}-config`);
  return lines.join('\n') + '\n';
}

function dockerfile(service: Component, prng: Prng): string {
  if (service.language === 'ts') {
    return [
      'FROM node:20-slim AS build',
      'WORKDIR /app',
      'COPY package.json ./',
      'RUN npm install',
      'COPY . .',
      'RUN npm run build',
      '',
      'FROM node:20-slim',
      'WORKDIR /app',
      'COPY --from=build /app/dist ./dist',
      'ENV NODE_ENV=production',
      `ENV PORT=${prng.int(3000, 9000)}`,
      'CMD ["node", "dist/main.js"]',
      '',
    ].join('\n');
  }
  return [
    'FROM python:3.12-slim',
    'WORKDIR /app',
    'COPY pyproject.toml ./',
    'RUN pip install --no-cache-dir .',
    'COPY . .',
    'ENV PYTHONUNBUFFERED=1',
    `ENV PORT=${prng.int(3000, 9000)}`,
    `CMD ["python", "-m", "${service.pyPackage}.main"]`,
    '',
  ].join('\n');
}

/** Renders one planned deployment or manifest file. */
export function renderDeploy(file: DeployFile, plan: CorpusPlan): string {
  const prng = new Prng(file.seed);
  if (file.kind === 'manifest') return manifest(file);
  if (file.kind === 'compose' || file.service === null) return compose(plan, prng);
  if (file.kind === 'dotenv') return dotenv(file.service, prng);
  if (file.kind === 'k8s') return k8s(file, file.service, prng);
  return dockerfile(file.service, prng);
}
