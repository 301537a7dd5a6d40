// Tests deployment provision extraction for every supported format, including the secret-value canary.
import { describe, expect, it } from 'vitest';
import type { Loc } from '../src/vocabulary.js';
import type { FileFacts } from '../src/extract/facts.js';
import { extractDeployment } from '../src/extract/deploy/index.js';

const CANARY = 'Zq9-CANARY-v4lue';

type Row = [name: string, source: string, environment: string | null, serviceHint: string | null, state: string, length?: number];

function rows(facts: FileFacts): Row[] {
  return facts.provisions.map((p) => {
    const row: Row = [p.name, p.source, p.environment, p.serviceHint, p.valueState];
    if (p.valueLength !== undefined) row.push(p.valueLength);
    return row;
  });
}

const at = (loc: Loc): string => `${loc.line}:${loc.column}-${loc.endLine}:${loc.endColumn}`;

function locOf(facts: FileFacts, name: string, index = 0): string {
  const found = facts.provisions.filter((p) => p.name === name)[index];
  expect(found, `provision ${name}`).toBeDefined();
  return at(found.loc);
}

/** The text a span covers. */
function cover(text: string, loc: Loc): string {
  const lines = text.split('\n');
  if (loc.line === loc.endLine) return lines[loc.line - 1].slice(loc.column - 1, loc.endColumn - 1);
  return [lines[loc.line - 1].slice(loc.column - 1), ...lines.slice(loc.line, loc.endLine - 1), lines[loc.endLine - 1].slice(0, loc.endColumn - 1)].join('\n');
}

/** Every provision's span covers exactly its name (or, for `*` links, the referenced path). */
function expectNameSpans(facts: FileFacts, text: string): void {
  for (const p of facts.provisions) {
    if (p.name === '*') expect(p.envFile?.endsWith(cover(text, p.loc).replace(/^(\.\.?\/)+/, ''))).toBe(true);
    else expect(cover(text, p.loc)).toBe(p.name);
  }
}

describe('dotenv', () => {
  const text = [
    '# API service, staging',
    `JWT_SECRET=${CANARY} # jwtfrag-ignore committed-secret-value: rotated weekly`,
    'export API_KEY="two words"',
    'EMPTY=',
    'PH=changeme',
    'ALSO_PH=your-secret-here',
    'REF=${OTHER_SECRET}',
    'MULTI="line1',
    'line2"',
    '',
  ].join('\n');
  const facts = extractDeployment('services/api/.env.staging', text, 'dotenv');

  it('reports each name with value state, environment from the file name and folder hint', () => {
    expect(rows(facts)).toEqual([
      ['JWT_SECRET', 'dotenv', 'staging', 'services/api', 'set', CANARY.length],
      ['API_KEY', 'dotenv', 'staging', 'services/api', 'set', 9],
      ['EMPTY', 'dotenv', 'staging', 'services/api', 'empty'],
      ['PH', 'dotenv', 'staging', 'services/api', 'placeholder', 8],
      ['ALSO_PH', 'dotenv', 'staging', 'services/api', 'placeholder', 16],
      ['REF', 'dotenv', 'staging', 'services/api', 'reference'],
      ['MULTI', 'dotenv', 'staging', 'services/api', 'set', 11],
    ]);
  });

  it('spans names and set or placeholder values exactly', () => {
    expect(locOf(facts, 'JWT_SECRET')).toBe('2:1-2:11');
    expect(locOf(facts, 'API_KEY')).toBe('3:8-3:15');
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual([CANARY, 'two words', 'changeme', 'your-secret-here', 'line1\nline2']);
  });

  it('collects jwtfrag-ignore comments', () => {
    expect(facts.suppressions).toEqual([
      {
        ruleId: 'committed-secret-value',
        reason: 'rotated weekly',
        line: 2,
        loc: { line: 2, column: 29, endLine: 2, endColumn: 84 },
      },
    ]);
  });

  it('takes the environment from an ENVIRONMENT entry and handles CRLF', () => {
    const crlf = extractDeployment('.env', 'APP_ENV=prod\r\nJWT_SECRET=abc\r\n', 'dotenv');
    expect(rows(crlf)).toEqual([
      ['APP_ENV', 'dotenv', 'production', null, 'set', 4],
      ['JWT_SECRET', 'dotenv', 'production', null, 'set', 3],
    ]);
    expect(at(crlf.secretLiterals[1])).toBe('2:12-2:15');
  });
});

describe('docker-compose', () => {
  const text = `x-common: &common
  LOG_LEVEL: info
services:
  api:
    build:
      context: ./services/api
    environment:
      <<: *common
      JWT_SECRET: ${CANARY}
      PASS_THROUGH:
      FROM_HOST: \${JWT_SECRET_HOST}
      "QUOTED_KEY": ""
    env_file:
      - ./services/api/.env
      - path: ../shared.env
        required: false
  worker:
    build:
      context: .
      dockerfile: services/worker/Dockerfile
    environment:
      - "JWT_SECRET_KEY=${CANARY}"
      - OTHER
      - BLANK=
  ws:
    image: gcr.io/acme/ws-gateway:1.4
    env_file: .env.ws
`;
  const facts = extractDeployment('deploy/docker-compose.prod.yml', text, 'yaml');

  it('reads map and list environments, merges, env_file links and build hints', () => {
    expect(rows(facts)).toEqual([
      ['LOG_LEVEL', 'compose', 'production', 'deploy/services/api', 'set', 4],
      ['JWT_SECRET', 'compose', 'production', 'deploy/services/api', 'set', CANARY.length],
      ['PASS_THROUGH', 'compose', 'production', 'deploy/services/api', 'reference'],
      ['FROM_HOST', 'compose', 'production', 'deploy/services/api', 'reference'],
      ['QUOTED_KEY', 'compose', 'production', 'deploy/services/api', 'empty'],
      ['*', 'compose', 'production', 'deploy/services/api', 'reference'],
      ['*', 'compose', 'production', 'deploy/services/api', 'reference'],
      ['JWT_SECRET_KEY', 'compose', 'production', 'deploy/services/worker', 'set', CANARY.length],
      ['OTHER', 'compose', 'production', 'deploy/services/worker', 'reference'],
      ['BLANK', 'compose', 'production', 'deploy/services/worker', 'empty'],
      ['*', 'compose', 'production', 'ws', 'reference'],
    ]);
    expect(facts.provisions.filter((p) => p.name === '*').map((p) => [p.envFile, at(p.loc)])).toEqual([
      ['deploy/services/api/.env', '14:9-14:28'],
      ['shared.env', '15:15-15:28'],
      ['deploy/.env.ws', '27:15-27:22'],
    ]);
  });

  it('spans names without quotes and list entries inside the scalar', () => {
    expect(locOf(facts, 'JWT_SECRET')).toBe('9:7-9:17');
    expect(locOf(facts, 'QUOTED_KEY')).toBe('12:8-12:18');
    expect(locOf(facts, 'JWT_SECRET_KEY')).toBe('22:10-22:24');
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual(['info', CANARY, CANARY]);
  });
});

describe('kubernetes and Cloud Run', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: gcr.io/p/migrate:1
          env:
            - name: DB_URL
              valueFrom:
                configMapKeyRef: {name: db, key: url}
      containers:
        - name: api-server
          image: gcr.io/p/api:1.0
          env:
            - name: JWT_SECRET
              valueFrom:
                secretKeyRef:
                  name: jwt
                  key: secret
            - name: PORT
              value: "8080"
            - name: SIGNING_KEY
              value: ${CANARY}
          envFrom:
            - secretRef:
                name: everything
---
apiVersion: v1
kind: Pod
metadata:
  name: ws
  namespace: acme-prod
spec:
  containers:
    - image: registry.local/team/ws-gateway:2
      env:
        - name: WS_JWT_SECRET
          value: $(JWT_SECRET)
        - name: UNSET
`;
  const facts = extractDeployment('k8s/overlays/staging/deployment.yaml', text, 'yaml');

  it('reads env of every container in every document; namespace beats the overlay folder', () => {
    expect(rows(facts)).toEqual([
      ['DB_URL', 'k8s', 'staging', 'migrate', 'reference'],
      ['JWT_SECRET', 'k8s', 'staging', 'api-server', 'reference'],
      ['PORT', 'k8s', 'staging', 'api-server', 'set', 4],
      ['SIGNING_KEY', 'k8s', 'staging', 'api-server', 'set', CANARY.length],
      ['WS_JWT_SECRET', 'k8s', 'production', 'ws-gateway', 'reference'],
      ['UNSET', 'k8s', 'production', 'ws-gateway', 'empty'],
    ]);
    expect(locOf(facts, 'JWT_SECRET')).toBe('19:21-19:31');
    expectNameSpans(facts, text);
  });

  it('reads Cloud Run service YAML with the service name as hint', () => {
    const run = extractDeployment(
      'deploy/cloudrun/auth.yaml',
      `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: auth-service
spec:
  template:
    spec:
      containers:
        - image: gcr.io/p/auth
          env:
            - name: JWT_SECRET_KEY
              valueFrom:
                secretKeyRef: {key: latest, name: jwt-secret}
            - name: AUDIENCE
              value: <your audience>
`,
      'yaml',
    );
    expect(rows(run)).toEqual([
      ['JWT_SECRET_KEY', 'cloudrun', null, 'auth-service', 'reference'],
      ['AUDIENCE', 'cloudrun', null, 'auth-service', 'placeholder', 15],
    ]);
    expect(run.secretLiterals).toHaveLength(1);
  });
});

describe('helm', () => {
  it('parses templates with actions blanked: templated values are references, templated names skipped', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "api.fullname" . }}
  labels:
    {{- include "api.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            - name: JWT_SECRET
              value: {{ .Values.jwtSecret | quote }}
            - name: PLAIN
              value: "${CANARY}"
            {{- range $k, $v := .Values.extraEnv }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
`;
    const facts = extractDeployment('charts/api/templates/deployment.yaml', text, 'yaml');
    expect(rows(facts)).toEqual([
      ['JWT_SECRET', 'helm', null, 'api', 'reference'],
      ['PLAIN', 'helm', null, 'api', 'set', CANARY.length],
    ]);
    expect(locOf(facts, 'PLAIN')).toBe('16:21-16:26');
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual([CANARY]);
    expect(facts.notifications).toEqual([]);
  });

  it('falls back to a line scanner for templates that generate structure, and says so', () => {
    const text = `{{- if .Values.enabled }}
apiVersion: apps/v1
kind: Deployment
spec:
  containers:
  - name: ws
    ports:
    - name: http
      containerPort: 80
    env:
{{ toYaml .Values.env | indent 4 }}
    - name: WS_SECRET
      value: "{{ .Values.ws }}"
    - name: FIXED
      value: ${CANARY}
  {{ if .x }}: bad: [
{{- end }}
`;
    const facts = extractDeployment('charts/ws/templates/deploy.yaml', text, 'yaml');
    expect(rows(facts)).toEqual([
      ['WS_SECRET', 'helm', null, 'ws', 'reference'],
      ['FIXED', 'helm', null, 'ws', 'set', CANARY.length],
    ]);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual([CANARY]);
    expect(facts.notifications.map((n) => [n.level, n.id])).toEqual([['note', 'template-line-scan']]);
  });

  it('reads values files: env maps and k8s-style lists, environment from the file name', () => {
    const facts = extractDeployment(
      'charts/api/values-stg.yaml',
      `image:
  repository: x
env:
  JWT_SECRET: "${CANARY}"
  LOG_LEVEL: info
  lowercase_not_env: 1
extraEnv:
  - name: SERVICE_SECRET
    valueFrom:
      secretKeyRef: {name: s, key: k}
`,
      'yaml',
    );
    expect(rows(facts)).toEqual([
      ['JWT_SECRET', 'helm', 'staging', 'api', 'set', CANARY.length],
      ['LOG_LEVEL', 'helm', 'staging', 'api', 'set', 4],
      ['SERVICE_SECRET', 'helm', 'staging', 'api', 'reference'],
    ]);
    expect(locOf(facts, 'JWT_SECRET')).toBe('4:3-4:13');
  });
});

describe('Cloud Build', () => {
  const text = `substitutions:
  _SERVICE: api
  _ENV: stg
steps:
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', 'gcr.io/$PROJECT_ID/api', '.']
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - $_SERVICE
      - --image=gcr.io/$PROJECT_ID/api
      - --set-env-vars=JWT_SECRET=${CANARY},NODE_ENV=production
      - '--set-secrets=SERVICE_SECRET=svc:latest,/etc/keys/jwt=jwt:1'
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: bash
    args:
      - -c
      - |
        gcloud beta run deploy ws-gateway --region us-central1 \\
          --update-env-vars WS_SECRET=$$WS_SECRET
  - name: gcr.io/cloud-builders/gcloud
    args: 'run deploy worker --source ./services/worker --set-env-vars=^:^A=1:B=x,y'
`;
  const facts = extractDeployment('cloudbuild.yaml', text, 'yaml');

  it('reads gcloud run deploy in list args, bash -c scripts and single-string args', () => {
    expect(rows(facts)).toEqual([
      ['JWT_SECRET', 'cloudbuild', 'staging', 'api', 'set', CANARY.length],
      ['NODE_ENV', 'cloudbuild', 'staging', 'api', 'set', 10],
      ['SERVICE_SECRET', 'cloudbuild', 'staging', 'api', 'reference'],
      ['WS_SECRET', 'cloudbuild', 'staging', 'ws-gateway', 'reference'],
      ['A', 'cloudbuild', 'staging', 'services/worker', 'set', 1],
      ['B', 'cloudbuild', 'staging', 'services/worker', 'set', 3],
    ]);
    expect(locOf(facts, 'JWT_SECRET')).toBe('14:24-14:34');
    expect(locOf(facts, 'SERVICE_SECRET')).toBe('15:24-15:38');
    expect(locOf(facts, 'WS_SECRET')).toBe('22:29-22:38');
    expect(locOf(facts, 'B')).toBe('24:79-24:80');
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual([CANARY, 'production', '1', 'x,y']);
  });
});

describe('GitHub Actions', () => {
  const text = `name: Deploy
on: push
env:
  REGISTRY: gcr.io
jobs:
  deploy-api:
    runs-on: ubuntu-latest
    environment: staging
    env:
      JWT_SECRET: \${{ secrets.STAGING_JWT_SECRET }}
    steps:
      - uses: actions/checkout@v4
      - name: Deploy
        working-directory: services/api
        env:
          API_KEY: ${CANARY}
        run: |
          gcloud run deploy api --set-env-vars "JWT_SECRET=\${{ secrets.JWT_SECRET }}" --set-secrets SERVICE_SECRET=svc:latest
          echo "\${{ secrets.DEPLOY_TOKEN }}" | docker login -u x --password-stdin
          docker run --rm -e WS_SECRET=\${{ secrets.WS }} --env-file ./ws.env ws:latest
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: auth-prod
          env_vars: |
            AUTH_SECRET=${CANARY}
            OTHER=\${{ secrets.OTHER }}
          secrets: |
            JWT_SECRET_KEY=jwt:latest
  release:
    name: Release to Production
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ secrets.GITHUB_TOKEN }} \${{ secrets.PROD_ONLY }}
`;
  const facts = extractDeployment('.github/workflows/deploy.yml', text, 'yaml');

  it('reads env at every level, run commands, deploy-cloudrun inputs and stray secrets references', () => {
    expect(rows(facts)).toEqual([
      ['REGISTRY', 'github-actions', null, null, 'set', 6],
      ['JWT_SECRET', 'github-actions', 'staging', null, 'reference'],
      ['API_KEY', 'github-actions', 'staging', 'services/api', 'set', CANARY.length],
      ['JWT_SECRET', 'gcloud', 'staging', 'api', 'reference'],
      ['SERVICE_SECRET', 'gcloud', 'staging', 'api', 'reference'],
      ['DEPLOY_TOKEN', 'github-actions', 'staging', 'services/api', 'reference'],
      ['WS_SECRET', 'docker-run', 'staging', 'ws', 'reference'],
      ['*', 'docker-run', 'staging', 'ws', 'reference'],
      ['AUTH_SECRET', 'github-actions', 'production', 'auth-prod', 'set', CANARY.length],
      ['OTHER', 'github-actions', 'production', 'auth-prod', 'reference'],
      ['JWT_SECRET_KEY', 'github-actions', 'production', 'auth-prod', 'reference'],
      ['PROD_ONLY', 'github-actions', 'production', null, 'reference'],
    ]);
    expect(locOf(facts, 'JWT_SECRET', 1)).toBe('18:49-18:59');
    expect(locOf(facts, 'PROD_ONLY')).toBe('33:59-33:68');
    expectNameSpans(facts, text);
    expect(facts.provisions.find((p) => p.name === '*')?.envFile).toBe('ws.env');
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual(['gcr.io', CANARY, CANARY]);
  });

  it('a job that calls a reusable workflow provides nothing here: its inputs and secrets go to that workflow', () => {
    const caller = `name: Triage
on: issues
jobs:
  triage:
    uses: example-org/bots/.github/workflows/triage.yml@main
    with:
      model: \${{ vars.MODEL }}
    secrets:
      BOT_API_KEY: \${{ secrets.BOT_API_KEY }}
  notify:
    runs-on: ubuntu-latest
    steps:
      - run: ./notify.sh
        env:
          HOOK_TOKEN: \${{ secrets.HOOK_TOKEN }}
`;
    expect(rows(extractDeployment('.github/workflows/triage.yml', caller, 'yaml'))).toEqual([['HOOK_TOKEN', 'github-actions', null, null, 'reference']]);
  });
});

describe('shell scripts and Makefiles', () => {
  it('reads gcloud run deploy flags, docker run -e/--env and ENVIRONMENT=…', () => {
    const text = `#!/usr/bin/env bash
set -euo pipefail
# jwtfrag-ignore secret-provided-not-read: consumed by the sidecar
gcloud run deploy api \\
  --source ./services/api \\
  --set-env-vars "ENVIRONMENT=production,JWT_SECRET=${CANARY}" \\
  --set-secrets=SERVICE_SECRET=svc-secret:latest
docker run -d --name ws -p 8080:8080 -e JWT_SECRET --env=WS_KEY=${CANARY} acme/ws-gateway:latest node server.js
`;
    const facts = extractDeployment('scripts/deploy-staging.sh', text, 'shell');
    expect(rows(facts)).toEqual([
      ['ENVIRONMENT', 'gcloud', 'production', 'services/api', 'set', 10],
      ['JWT_SECRET', 'gcloud', 'production', 'services/api', 'set', CANARY.length],
      ['SERVICE_SECRET', 'gcloud', 'production', 'services/api', 'reference'],
      ['JWT_SECRET', 'docker-run', 'staging', 'ws-gateway', 'reference'],
      ['WS_KEY', 'docker-run', 'staging', 'ws-gateway', 'set', CANARY.length],
    ]);
    expect(locOf(facts, 'JWT_SECRET')).toBe('6:42-6:52');
    expect(locOf(facts, 'WS_KEY')).toBe('8:58-8:64');
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual(['production', CANARY, CANARY]);
    expect(facts.suppressions.map((s) => [s.ruleId, s.reason, s.line])).toEqual([['secret-provided-not-read', 'consumed by the sidecar', 3]]);
  });

  it('reads Makefile recipes with @-prefixed commands and make references', () => {
    const text = `deploy-dev:
\t@gcloud run deploy api-dev --update-env-vars=JWT_SECRET=$(JWT_SECRET),DEBUG=1
`;
    expect(rows(extractDeployment('Makefile', text, 'shell'))).toEqual([
      ['JWT_SECRET', 'gcloud', 'development', 'api-dev', 'reference'],
      ['DEBUG', 'gcloud', 'development', 'api-dev', 'set', 1],
    ]);
  });
});

describe('Dockerfile', () => {
  it('reads ENV (both forms, continuations) and ARG', () => {
    const text = `FROM node:20 AS base
ARG JWT_SECRET
ARG BUILD_KEY=${CANARY}
ENV NODE_ENV=production \\
    JWT_KEY="${CANARY}"
ENV LEGACY_SECRET ${CANARY}
# ENV COMMENTED=x
`;
    const facts = extractDeployment('services/ws/Dockerfile.prod', text, 'dockerfile');
    expect(rows(facts)).toEqual([
      ['JWT_SECRET', 'dockerfile', 'production', 'services/ws', 'empty'],
      ['BUILD_KEY', 'dockerfile', 'production', 'services/ws', 'set', CANARY.length],
      ['NODE_ENV', 'dockerfile', 'production', 'services/ws', 'set', 10],
      ['JWT_KEY', 'dockerfile', 'production', 'services/ws', 'set', CANARY.length],
      ['LEGACY_SECRET', 'dockerfile', 'production', 'services/ws', 'set', CANARY.length],
    ]);
    expect(locOf(facts, 'JWT_KEY')).toBe('5:5-5:12');
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual([CANARY, 'production', CANARY, CANARY]);
  });

  it('follows Docker: comment lines inside a continuation, the escape directive, heredocs, JSON-form COPY with flags', () => {
    const text = `# escape=\`
FROM node:20
ENV APP_MODE=worker \`
    # a comment line does not end the instruction
    SIGNING_KEY="${CANARY}"
RUN <<EOF
cp config/.env.sample .env
ENV NOT_AN_INSTRUCTION=1
EOF
COPY --chown=1000:1000 ["apps/api", ".env.production", "./"]
COPY --from=build /out/.env /app/
`;
    const facts = extractDeployment('services/api/Dockerfile', text, 'dockerfile');
    expect(rows(facts)).toEqual([
      ['APP_MODE', 'dockerfile', null, 'services/api', 'set', 6],
      ['SIGNING_KEY', 'dockerfile', null, 'services/api', 'set', CANARY.length],
    ]);
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual(['worker', CANARY]);
    expect(facts.deployUnits?.[0]).toMatchObject({ copies: ['apps/api', '.env.production'], envFiles: ['config/.env.sample', '.env.production'] });
  });

  it('uses the suffix of a root-level Dockerfile.<name> as hint', () => {
    expect(rows(extractDeployment('Dockerfile.api', 'ENV A=1\n', 'dockerfile'))).toEqual([['A', 'dockerfile', null, 'api', 'set', 1]]);
  });
});

describe('Terraform', () => {
  const text = `# Cloud Run services
resource "google_cloud_run_v2_service" "api" {
  name     = "api-service"
  location = var.region
  template {
    containers {
      image = "gcr.io/\${var.project}/api"
      env {
        name  = "JWT_SECRET"
        value = "${CANARY}"
      }
      env {
        name = "SERVICE_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.svc.secret_id
            version = "latest"
          }
        }
      }
      env {
        name  = "FROM_VAR" // jwtfrag-ignore secret-provided-not-read: read by a sidecar
        value = var.from_var
      }
      dynamic "env" {
        for_each = var.extra
        content {
          name  = env.key
          value = env.value
        }
      }
    }
  }
}

resource "kubernetes_deployment" "ws" {
  metadata {
    name = "ws-gateway"
  }
  spec {
    template {
      spec {
        container {
          env {
            name  = "WS_SECRET"
            value = "\${var.ws}"
          }
        }
      }
    }
  }
}
`;
  const facts = extractDeployment('infra/environments/prod/main.tf', text, 'hcl');

  it('reads env blocks with literal, secret and expression values; resource names as hints', () => {
    expect(rows(facts)).toEqual([
      ['JWT_SECRET', 'terraform', 'production', 'api-service', 'set', CANARY.length],
      ['SERVICE_SECRET', 'terraform', 'production', 'api-service', 'reference'],
      ['FROM_VAR', 'terraform', 'production', 'api-service', 'reference'],
      ['WS_SECRET', 'terraform', 'production', 'ws-gateway', 'reference'],
    ]);
    expect(locOf(facts, 'JWT_SECRET')).toBe('9:18-9:28');
    expectNameSpans(facts, text);
    expect(facts.secretLiterals.map((l) => cover(text, l))).toEqual([CANARY]);
    expect(facts.suppressions.map((s) => [s.ruleId, s.line])).toEqual([['secret-provided-not-read', 22]]);
    expect(facts.notifications).toEqual([]);
  });

  it('reads one-line env blocks', () => {
    const text = 'resource "google_cloud_run_service" "ws" {\n  env { name = "WS_SECRET" value = "' + CANARY + '" }\n  env { name = "B", value = var.b }\n}\n';
    const facts = extractDeployment('ws.tf', text, 'hcl');
    expect(rows(facts)).toEqual([
      ['WS_SECRET', 'terraform', null, 'ws', 'set', CANARY.length],
      ['B', 'terraform', null, 'ws', 'reference'],
    ]);
    expectNameSpans(facts, text);
  });

  it('reports unbalanced braces as a parse error and keeps what parsed', () => {
    const broken = extractDeployment('main.tf', 'resource "x" "y" {\n  env {\n    name = "A"\n  }\n', 'hcl');
    expect(rows(broken)).toEqual([['A', 'terraform', null, 'y', 'empty']]);
    expect(broken.notifications.map((n) => [n.level, n.id])).toEqual([['warning', 'parse-error']]);
  });
});

describe('robustness', () => {
  it('reports invalid YAML once, without quoting the source, and keeps going', () => {
    const facts = extractDeployment('docker-compose.yml', `services:\n  api:\n    environment:\n      JWT_SECRET: ${CANARY}\n   - broken: [\n`, 'yaml');
    expect(rows(facts)).toEqual([['JWT_SECRET', 'compose', null, 'api', 'set', CANARY.length]]);
    expect(facts.notifications).toEqual([
      {
        level: 'warning',
        id: 'parse-error',
        message: 'syntax error at 5:1; facts were extracted from the parts that parse',
        file: 'docker-compose.yml',
        loc: { line: 5, column: 1, endLine: 5, endColumn: 1 },
      },
    ]);
  });

  it('ignores YAML and JSON that is no known deployment format', () => {
    expect(extractDeployment('.pre-commit-config.yaml', 'repos:\n  - repo: x\n', 'yaml').provisions).toEqual([]);
    expect(extractDeployment('app.json', '{"env": {"JWT_SECRET": "x"}}', 'json').provisions).toEqual([]);
  });

  it('reads JSON Cloud Build configs through the YAML path', () => {
    const text = '{\n  "steps": [\n    {"name": "gcr.io/cloud-builders/gcloud", "args": ["run", "deploy", "api", "--set-secrets=JWT_SECRET=jwt:1"]}\n  ]\n}\n';
    const facts = extractDeployment('cloudbuild.json', text, 'json');
    expect(rows(facts)).toEqual([['JWT_SECRET', 'cloudbuild', null, 'api', 'reference']]);
    expect(locOf(facts, 'JWT_SECRET')).toBe('3:94-3:104');
    expectNameSpans(facts, text);
  });

  it('counts UTF-16 code units in columns', () => {
    const facts = extractDeployment('.env', '# 🔑 keys\nJWT_SECRET=é🔑x # ok\n', 'dotenv');
    expect(at(facts.secretLiterals[0])).toBe('2:12-2:16');
    expect(facts.provisions[0].valueLength).toBe(4);
  });
});

describe('canary: no secret value leaves the extractor', () => {
  const inputs: [string, string, Parameters<typeof extractDeployment>[2]][] = [
    ['.env', `JWT_SECRET=${CANARY}\nQ="${CANARY}"\n`, 'dotenv'],
    ['docker-compose.yml', `services:\n  a:\n    environment:\n      - S=${CANARY}\n      T: x\n`, 'yaml'],
    ['docker-compose.yml', `services:\n  a:\n    environment:\n      S: ${CANARY}\n  bad: [\n`, 'yaml'],
    ['k8s/d.yaml', `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      env:\n        - name: S\n          value: ${CANARY}\n`, 'yaml'],
    ['charts/c/templates/d.yaml', `spec:\n  containers:\n    - name: a\n      env:\n        - name: S\n          value: ${CANARY}\n{{ bad\n`, 'yaml'],
    ['cloudbuild.yaml', `steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: [run, deploy, a, --set-env-vars=S=${CANARY}]\n`, 'yaml'],
    ['.github/workflows/d.yml', `on: push\njobs:\n  d:\n    env:\n      S: ${CANARY}\n    steps:\n      - run: docker run -e S=${CANARY} img\n`, 'yaml'],
    ['deploy.sh', `gcloud run deploy a --set-env-vars=S=${CANARY}\ndocker run --env S=${CANARY} img\n`, 'shell'],
    ['Dockerfile', `ENV S=${CANARY}\nENV T ${CANARY}\nARG U=${CANARY}\n`, 'dockerfile'],
    ['main.tf', `resource "r" "a" {\n  env {\n    name = "S"\n    value = "${CANARY}"\n  }\n  x = <<EOT\n${CANARY}\nEOT\n`, 'hcl'],
  ];
  for (const [path, text, language] of inputs) {
    it(`${language}: ${path}`, () => {
      const facts = extractDeployment(path, text, language);
      expect(facts.provisions.some((p) => p.valueState === 'set' && p.valueLength === CANARY.length)).toBe(true);
      for (const p of facts.provisions) if (p.name !== '*') expect(cover(text, p.loc)).toBe(p.name);
      const json = JSON.stringify(facts);
      expect(json).not.toContain(CANARY);
      expect(json).not.toContain('CANARY');
      for (const loc of facts.secretLiterals) expect(cover(text, loc).length).toBeGreaterThan(0);
    });
  }
});
