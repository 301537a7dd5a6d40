// committed-secret-value — a real-looking secret value committed in a tracked deployment or env file.
import { envFileUse, type EnvFileUse } from '../src/model/query.js';
import type { ModelProvision } from '../src/model/types.js';
import { z } from 'zod';
import { defineRule } from '../src/rule-api.js';
import type { Severity } from '../src/vocabulary.js';

const SECRET_WORDS = new Set([
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWD',
  'PWD',
  'PASS',
  'TOKEN',
  'APIKEY',
  'PRIVATE',
  'CREDENTIAL',
  'CREDENTIALS',
  'KEY',
  'SALT',
  'SIGNING',
]);
/** A last word that makes the name metadata about a secret (`TOKEN_TTL`, `API_KEY_RATE_LIMIT`), not the secret. */
// prettier-ignore
const NOT_SECRET_LAST = new Set([
  'EXPIRE', 'EXPIRES', 'EXPIRY', 'EXPIRATION', 'MINUTES', 'SECONDS', 'HOURS', 'DAYS', 'TTL', 'LIFETIME', 'DURATION', 'AGE', 'MAXAGE',
  'URL', 'URI', 'HOST', 'HOSTNAME', 'PORT', 'DOMAIN', 'ENDPOINT', 'ALGORITHM', 'ALG', 'NAME', 'PATH', 'FILE', 'DIR', 'DIRECTORY', 'HEADER',
  'LENGTH', 'ISSUER', 'AUDIENCE', 'TYPE', 'KIND', 'ID', 'ENABLED', 'ENABLE', 'DISABLED', 'REQUIRED', 'PREFIX', 'SUFFIX', 'VERSION',
  'REGION', 'LIMIT', 'RATE', 'COUNT', 'SIZE', 'MAX', 'MIN', 'TIMEOUT', 'INTERVAL', 'LEVEL', 'MODE', 'FORMAT', 'STRATEGY', 'PROVIDER',
  'LOCATION', 'FIELD', 'PARAM', 'HASH', 'ROTATION', 'SCOPE', 'SCOPES', 'POLICY', 'USER', 'USERNAME', 'EMAIL', 'COOKIE', 'STORE', 'BACKEND',
]);
/** Names of values that are public by design: publishable keys, public keys, client-bundle variables, Firebase web config. */
const PUBLIC_NAME = /(^|_)(PUBLIC|PUBLISHABLE|PUB|PUBKEY)(_|$)|^(NEXT|NUXT|EXPO|GATSBY)_PUBLIC_|^PUBLIC_|FIREBASE(_WEB)?_API_?KEY$/i;
/** Dotenv and config templates: examples, samples, templates (`.env.example`, `.env.production.template`, `example.env`). */
const EXAMPLE_FILE = /(^|[._-])(example|examples|sample|samples|template|tmpl|tpl|dist)([._-]|$)/i;
const EXAMPLE_FOLDER = /(^|\/)(examples?|samples?)\//i;
/** Folders of test harnesses and fixtures (`tests/`, `ws-tests/`, `e2e/`, `cypress/`). */
const TEST_FOLDER = /(^|\/)([\w.]*[-_])?(tests?|e2e|specs?|__tests__|cypress|playwright|fixtures?|testdata|test[-_]data)\//i;
/** Folders of developer tooling whose `docker run` commands start local containers. */
const TOOLING_FOLDER = /(^|\/)(scripts?|tools?|bin|hack|dev|local|\.devcontainer)\//i;
/** Container definitions: a guessable credential there bootstraps a container of the same stack. */
const CONTAINER_SOURCES = new Set(['compose', 'docker-run', 'k8s']);
/** Sources whose values are handed to a running container or service. */
const RUNTIME_SOURCES = new Set(['compose', 'k8s', 'cloudrun', 'dockerfile', 'docker-run', 'gcloud', 'cloudbuild', 'terraform']);
const DEFAULT_MIN_LENGTH = 8;

type Role = 'test' | 'ci' | 'example' | 'local' | 'deployed';

/** Whether an env name reads like it holds secret material (`JWT_SECRET`, `DB_PASSWORD`), not metadata about one (`TOKEN_TTL`). */
function looksSecret(name: string): boolean {
  const words = name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0 || NOT_SECRET_LAST.has(words[words.length - 1])) return false;
  return words.some((w) => SECRET_WORDS.has(w) || w.endsWith('SECRET') || w.endsWith('PASSWORD') || w.endsWith('TOKEN'));
}

/** The environments of the blocks that load this env file without setting the name themselves. */
function loadedIn(p: ModelProvision, use: EnvFileUse): (string | null)[] {
  return (use.loaders.get(p.file) ?? []).filter((l) => !l.own.has(p.name)).map((l) => l.environment);
}

/** Whether the value reaches a running container: a runtime source, an env file baked into an image, or one loaded without the name being overridden. */
function reachesRuntime(p: ModelProvision, use: EnvFileUse): boolean {
  if (RUNTIME_SOURCES.has(p.source)) return true;
  return p.source === 'dotenv' && (use.baked.has(p.file) || loadedIn(p, use).length > 0);
}

const isLocal = (environment: string | null): boolean => environment === 'development' || environment === 'local';

function roleOf(p: ModelProvision, use: EnvFileUse): Role {
  const name = p.file.slice(p.file.lastIndexOf('/') + 1);
  if (p.environment === 'test' || TEST_FOLDER.test(p.file) || /(^|[._-])(test|tests|testing|spec)([._-]|$)/i.test(name)) return 'test';
  if (p.source === 'dotenv') {
    // An env file the deployment loads takes the role of what loads it, whatever its name says.
    if (use.baked.has(p.file)) return 'deployed';
    const loaders = loadedIn(p, use);
    if (loaders.some((e) => e !== 'test' && !isLocal(e))) return 'deployed';
    if (loaders.some(isLocal)) return 'local';
    if (loaders.length > 0) return 'test';
  }
  if (EXAMPLE_FILE.test(name) || EXAMPLE_FOLDER.test(p.file) || p.environment === 'example') return 'example';
  // Workflows say per job whether they deploy (`ciJob`); other files named `ci` (`.env.ci`) configure CI runs.
  if (p.ciJob || (p.source !== 'github-actions' && /(^|[._-])ci([._-]|$)/i.test(name))) return 'ci';
  if (isLocal(p.environment)) return 'local';
  if (p.source === 'docker-run' && TOOLING_FOLDER.test(p.file)) return 'local';
  return 'deployed';
}

interface Verdict {
  messageId: 'committed' | 'placeholder' | 'example' | 'ci' | 'default';
  severity: Severity;
}

/**
 * The policy (see the rule doc): generated values are reported wherever they are committed (at
 * warning in templates and CI jobs); typed values only in deployment files; placeholders only for
 * JWT signing secrets whose value reaches a running container; guessable credentials in container
 * definitions as notes; test files, public keys, paths and plain settings never.
 */
function judge(p: ModelProvision, role: Role, family: boolean, use: EnvFileUse): Verdict | null {
  if (role === 'test') return null;
  if (p.valueState === 'placeholder') {
    return family && role === 'deployed' && reachesRuntime(p, use) ? { messageId: 'placeholder', severity: 'warning' } : null;
  }
  switch (p.valueKind) {
    case 'random':
      if (role === 'example') return { messageId: 'example', severity: 'warning' };
      if (role === 'ci') return { messageId: 'ci', severity: 'warning' };
      return { messageId: 'committed', severity: 'error' };
    case 'words':
    case undefined:
      return role === 'deployed' ? { messageId: 'committed', severity: 'error' } : null;
    case 'default':
      if (role !== 'deployed') return null;
      return family || !CONTAINER_SOURCES.has(p.source) ? { messageId: 'committed', severity: 'error' } : { messageId: 'default', severity: 'note' };
    default:
      return null;
  }
}

export default defineRule({
  meta: {
    id: 'committed-secret-value',
    title: 'A secret value is committed in a configuration file',
    category: 'deployment',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 8.6,
    tags: ['security', 'external/cwe/cwe-798', 'external/cwe/cwe-540'],
    options: z.strictObject({ minLength: z.number().int().min(0).default(DEFAULT_MIN_LENGTH) }),
    messages: {
      committed: '{{name}} has a committed value («redacted, {{length}} chars»){{how}} in this {{source}} file; anyone with the repository has the secret.',
      placeholder:
        '{{name}} is deployed with a committed placeholder value («redacted, {{length}} chars»){{how}}; the JWT library signs with whatever string it gets, so unless every deploy overrides it this is the signing key.',
      example:
        '{{name}} has a generated-looking value («redacted, {{length}} chars») in this example file; if it is a real credential, rotate it and commit a placeholder.',
      ci: '{{name}} has a generated-looking value («redacted, {{length}} chars») in a CI job; if it is a real credential, move it to a repository secret.',
      default:
        '{{name}} is set to a well-known or guessable default credential («redacted, {{length}} chars»){{how}}; fine for a container only reachable on its own network, not for anything exposed.',
    },
  },
  check(model, ctx) {
    const { minLength } = ctx.options;
    const use = envFileUse(model);
    const seen = new Set<string>();
    // Names whose code refuses to start with a literal value (`if KEY == "change-me": raise`): a placeholder there stops the service instead of signing.
    const refused = new Set(model.envReads.filter((r) => r.refusesLiteral === true && r.name !== null).map((r) => r.name as string));
    for (const p of model.provisions) {
      if ((p.valueState !== 'set' && p.valueState !== 'placeholder') || p.name === '*') continue;
      if (p.valueState === 'placeholder' && refused.has(p.name)) continue;
      const length = p.valueLength ?? 0;
      if (length < minLength) continue;
      const family = model.deployment.familyOfName[p.name] !== undefined;
      if (PUBLIC_NAME.test(p.name) || (!family && !looksSecret(p.name))) continue;
      const at = `${p.file}:${p.loc.line}:${p.loc.column}`;
      if (seen.has(at)) continue;
      const verdict = judge(p, roleOf(p, use), family, use);
      if (!verdict) continue;
      seen.add(at);
      ctx.report({
        messageId: verdict.messageId,
        data: { name: p.name, length, source: p.source, how: p.valueIsDefault ? ` as the default of \${${p.name}:-…}` : '' },
        file: p.file,
        loc: p.loc,
        key: [p.file, p.name],
        service: p.service,
        severity: verdict.severity,
        precision: family ? 'very-high' : 'high',
      });
    }
  },
});
