// Leak corpus: secrets planted in every supported file type and syntax, scanned and rendered in every format; no planted value, nor any 8 characters of one, may appear.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleInfos } from '../../src/cli/catalog.js';
import { parseConfig } from '../../src/config/load.js';
import { FORMATS, formatNames } from '../../src/report/index.js';
import { MAX_SNIPPET_WIDTH } from '../../src/extract/snippet.js';
import { scan } from '../../src/run.js';

/** Per-case limit: a regression shows as a failure, not a hang. */
const CASE_LIMIT_MS = 30_000;
const GRAM = 8;

// Deterministic secrets: mixed-case letters and digits from a fixed-seed generator, so every 8-character
// piece of a planted value is gibberish that no output could contain by chance.
function generator(seed: number): () => string {
  let state = seed >>> 0;
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return () => {
    let out = '';
    for (let i = 0; i < 20; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out += alphabet[state % alphabet.length];
    }
    return out;
  };
}

interface Case {
  name: string;
  files: (s: () => string) => Record<string, string>;
  /** At least this many findings must carry a snippet, so the case is not vacuous. */
  minSnippets: number;
  /** Files that must have a finding with a snippet. */
  snippetFiles: string[];
}

const NODE_SERVICE = {
  'apps/api/package.json': '{ "name": "api", "version": "1.0.0", "scripts": { "start": "node dist/main.js" }, "dependencies": { "jsonwebtoken": "^9.0.0" } }\n',
};
const PY_SERVICE = { 'auth_service/requirements.txt': 'fastapi\npyjwt\n' };

const CASES: Case[] = [
  {
    name: 'TypeScript and JavaScript: defaults, literal keys, templates, comments, regex, CRLF, U+2028, minified lines',
    minSnippets: 4,
    snippetFiles: ['apps/api/src/sign.ts', 'apps/api/src/crlf.ts', 'apps/api/src/separator.ts', 'apps/api/src/bundle.js'],
    files: (s) => ({
      ...NODE_SERVICE,
      'apps/api/src/sign.ts': [
        "import jwt from 'jsonwebtoken';",
        `export function sign(p: object) { return jwt.sign(p, process.env.JWT_SECRET ?? '${s()}'); } /* ${s()} */ const other = "${s()}";`,
        `export function mint(p: object) { return jwt.sign(p, \`${s()}\`, { algorithm: 'HS256' }); } // todo-${s()}`,
        `export function keyed() { return jwt.sign({ '${s()}': 1, [\`k\${1}${s()}\`]: 2 }, process.env.JWT_SECRET ?? 'x'); }`,
        `const pem = \`-----BEGIN PRIVATE KEY-----`,
        `${s()}\`; export const check = (t: string) => jwt.verify(t, 'example${s()}');`,
        `const re = /${s()}/; export const v2 = (t: string) => jwt.verify(t, process.env.JWT_SECRET || "dummy_${s()}");`,
        '',
      ].join('\n'),
      'apps/api/src/crlf.ts': `import jwt from 'jsonwebtoken';\r\nexport const k = (p: object) => jwt.sign(p, process.env.JWT_SECRET ?? '${s()}');\r\n`,
      'apps/api/src/separator.ts': `import jwt from 'jsonwebtoken';\nconst note = 'a\u2028b'; export const k = (p: object) => jwt.sign(p, process.env.JWT_SECRET ?? '${s()}'); // ${s()}\n`,
      'apps/api/src/bundle.js': `const jwt = require('jsonwebtoken');${Array.from({ length: 300 }, (_, i) => `var v${i}="${s()}";`).join('')}module.exports=function(p){return jwt.sign(p,process.env.JWT_SECRET||"${s()}")};${Array.from({ length: 300 }, (_, i) => `var w${i}='${s()}';`).join('')}\n`,
    }),
  },
  {
    name: 'Python: defaults, literal keys, f-strings, bytes, triple quotes, comments, CR-only lines',
    minSnippets: 2,
    snippetFiles: ['auth_service/app/tokens.py'],
    files: (s) => ({
      ...PY_SERVICE,
      'auth_service/app/tokens.py': [
        'import os',
        'import jwt',
        `KEY = os.getenv("JWT_SECRET", "${s()}")  # ${s()}`,
        `def sign(p): return jwt.encode(p, "${s()}", algorithm="HS256"), f"{p}${s()}", b"${s()}"`,
        `def keyed(): return jwt.encode({"${s()}": 1}, os.getenv("JWT_SECRET", "x"), algorithm="HS256")`,
        `NOTE = """`,
        `${s()}"""; OTHER = jwt.encode({}, os.getenv("JWT_SECRET", 'todo-${s()}'), algorithm="HS256")`,
        '',
      ].join('\n'),
      'auth_service/app/cr_only.py': `import jwt\rdef sign(p):\r    return jwt.encode(p, "${s()}", algorithm="HS256")  # ${s()}\r`,
    }),
  },
  {
    name: 'dotenv: plain, quoted, export, comments, multi-line PEM, placeholder words, lone CR and CRLF',
    minSnippets: 5,
    snippetFiles: ['auth_service/.env.production', 'auth_service/.env.staging', 'auth_service/.env.prod'],
    files: (s) => ({
      ...PY_SERVICE,
      'auth_service/.env.production': [
        `JWT_SECRET=${s()} # previous: ${s()}`,
        `export API_TOKEN="${s()}"`,
        `DB_PASSWORD='${s()}'`,
        `SIGNING_KEY="-----BEGIN PRIVATE KEY-----`,
        s(),
        `-----END PRIVATE KEY-----"`,
        `REFRESH_SECRET=todo-${s()}`,
        `SESSION_SECRET=example${s()}`,
        `WEBHOOK_SECRET=dummy_${s()}`,
        '',
      ].join('\n'),
      'auth_service/.env.staging': `ENVIRONMENT=staging\rJWT_SECRET=${s()}\rAPI_TOKEN=${s()}\r`,
      'auth_service/.env.prod': `JWT_SECRET=${s()}\r\nAPI_TOKEN="${s()}" # ${s()}\r\n`,
      // An unquoted multi-line key: its last line reads like `NAME=` to a line parser.
      'auth_service/.env.preview': `JWT_PRIVATE_KEY=-----BEGIN RSA PRIVATE KEY-----\n${s()}${s()}${s()}\n${s()}${s()}==\n-----END RSA PRIVATE KEY-----\n`,
      'auth_service/.env.qa': `\uFEFFNOTE=a\u2028JWT_SECRET=${s()}\u2029API_TOKEN=${s()}\n`,
    }),
  },
  {
    name: 'YAML: compose maps, lists, flow maps and ${X:-default}; Kubernetes, Helm values, GitHub Actions, Cloud Build',
    minSnippets: 6,
    snippetFiles: ['docker-compose.yml', 'k8s/api.yaml', '.github/workflows/deploy.yml', 'cloudbuild.yaml'],
    files: (s) => ({
      ...NODE_SERVICE,
      'docker-compose.yml': [
        'services:',
        '  api:',
        '    build: ./apps/api',
        '    environment:',
        `      JWT_SECRET: \${JWT_SECRET:-${s()}}  # ${s()}`,
        `      OTHER_TOKEN: ${s()}`,
        `      API_TOKEN: "${s()}"`,
        '  worker:',
        '    build: ./apps/api',
        '    environment:',
        `      - SIGNING_KEY=${s()}`,
        `      - "REFRESH_SECRET=${s()}"`,
        '  gateway:',
        '    build: ./apps/api',
        `    environment: { JWT_SECRET_KEY: ${s()}, DB_PASSWORD: "${s()}" }`,
        '',
      ].join('\n'),
      'k8s/api.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: api }',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: api',
        '          env:',
        `            - { name: JWT_SECRET, value: "${s()}" }`,
        '            - name: API_TOKEN',
        `              value: ${s()}`,
        '',
      ].join('\n'),
      'charts/api/values.yaml': `env:\n  JWT_SECRET: ${s()}\n  API_TOKEN: "${s()}" # ${s()}\n`,
      '.github/workflows/deploy.yml': [
        'name: deploy',
        'on: push',
        'jobs:',
        '  deploy:',
        '    runs-on: ubuntu-latest',
        '    environment: production',
        '    env:',
        `      JWT_SECRET: ${s()}  # ${s()}`,
        '    steps:',
        `      - run: docker run -e JWT_SECRET=${s()} -e API_TOKEN="${s()}" acme/api`,
        '      - run: |',
        `          gcloud run deploy api --set-env-vars JWT_SECRET=${s()},API_TOKEN=${s()}`,
        '',
      ].join('\n'),
      'cloudbuild.yaml': `steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: [run, deploy, api, --set-env-vars=JWT_SECRET=${s()}]\n`,
      // JSON and TOML are not analysed; their values must not reach an output either.
      'k8s/worker.json': `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "worker"}, "spec": {"template": {"spec": {"containers": [{"name": "worker", "env": [{"name": "JWT_SECRET", "value": "${s()}"}]}]}}}}\n`,
      'pyproject.toml': `[tool.app]\njwt_secret = "${s()}"\n`,
    }),
  },
  {
    name: 'shell, Dockerfile and Terraform: docker run -e, gcloud --set-env-vars, heredocs, ENV/ARG, env blocks',
    minSnippets: 5,
    snippetFiles: ['deploy/run.sh', 'apps/api/Dockerfile', 'infra/main.tf'],
    files: (s) => ({
      ...NODE_SERVICE,
      'deploy/run.sh': [
        '#!/bin/sh',
        `docker run -e JWT_SECRET=${s()} -e API_TOKEN="${s()}" --env=DB_PASSWORD=${s()} acme/api # ${s()}`,
        `gcloud run deploy api --set-env-vars "JWT_SECRET=${s()},OTHER_SECRET=${s()}"`,
        'cat <<EOF > .env',
        `JWT_SECRET=${s()}`,
        'EOF',
        '',
      ].join('\n'),
      'apps/api/Dockerfile': [
        'FROM node:20',
        `ENV JWT_SECRET=${s()} API_TOKEN="${s()}"`,
        `ARG SIGNING_KEY=${s()}`,
        `ENV LEGACY_SECRET ${s()}`,
        `RUN echo ${s()} > /tmp/x # ${s()}`,
        'CMD ["node", "dist/main.js"]',
        '',
      ].join('\n'),
      'infra/main.tf': [
        'resource "google_cloud_run_service" "api" {',
        `  env { name = "JWT_SECRET" value = "${s()}" } # ${s()}`,
        `  env { name = "API_TOKEN", value = <<EOT`,
        s(),
        'EOT',
        '  }',
        '}',
        '',
      ].join('\n'),
    }),
  },
];

CASES.push({
  name: 'a one-line bundle of about 1.5 MB: the snippet is cut around the span',
  minSnippets: 1,
  snippetFiles: ['apps/api/src/server.js'],
  files: (s) => {
    const half = (prefix: string): string => Array.from({ length: 25_000 }, (_, i) => `var ${prefix}${i}="${s()}";`).join('');
    return {
      ...NODE_SERVICE,
      'apps/api/src/server.js': `const jwt=require("jsonwebtoken");${half('a')}module.exports=function(p){return jwt.sign(p,process.env.JWT_SECRET||"${s()}")};${half('b')}\n`,
    };
  },
});

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function plant(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'jwtfrag-leak-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Every 8-character piece of every planted value, found anywhere in `output`. */
function leaks(output: string, grams: Map<string, string>): string[] {
  const found = new Set<string>();
  for (let i = 0; i + GRAM <= output.length; i++) {
    const secret = grams.get(output.slice(i, i + GRAM));
    if (secret !== undefined) found.add(secret);
  }
  return [...found];
}

describe('leak corpus: no planted secret reaches any output', () => {
  CASES.forEach((c, index) => {
    it(
      c.name,
      async () => {
        const planted: string[] = [];
        const next = generator(0x5eed + index * 7919);
        const s = (): string => {
          const value = next();
          planted.push(value);
          return value;
        };
        const root = plant(c.files(s));
        const grams = new Map<string, string>();
        for (const value of planted) for (let i = 0; i + GRAM <= value.length; i++) grams.set(value.slice(i, i + GRAM), value);
        // Minified files are analysed here (maxLineLength 0): their snippets are under test.
        const { result } = await scan({ root, config: parseConfig({ maxLineLength: 0 }, 'test'), jobs: 1 });
        const withSnippet = result.findings.filter((f) => f.snippet !== undefined);
        expect(withSnippet.length, 'findings with snippets').toBeGreaterThanOrEqual(c.minSnippets);
        for (const file of c.snippetFiles)
          expect(
            withSnippet.some((f) => f.file === file),
            `a snippet in ${file}`,
          ).toBe(true);
        for (const f of withSnippet) expect((f.snippet ?? '').length, `snippet width in ${f.file}`).toBeLessThanOrEqual(MAX_SNIPPET_WIDTH + 60);
        const context = { rules: ruleInfos(), color: false, includeSuppressed: true };
        for (const format of formatNames()) {
          const output = FORMATS[format](result, context);
          expect(leaks(output, grams), `${format} output`).toEqual([]);
        }
      },
      CASE_LIMIT_MS,
    );
  });
});
