// Deployment environments: normalised names, and inference from paths, words and ENVIRONMENT-style settings.
import { posix } from 'node:path';

const ALIASES: Record<string, string> = {
  production: 'production',
  prod: 'production',
  prd: 'production',
  staging: 'staging',
  stage: 'staging',
  stg: 'staging',
  development: 'development',
  develop: 'development',
  dev: 'development',
  test: 'test',
  testing: 'test',
  qa: 'qa',
  uat: 'uat',
  preview: 'preview',
  sandbox: 'sandbox',
  local: 'local',
};

/** Env names whose literal value names the environment (`ENVIRONMENT=staging`). */
const ENVIRONMENT_VARIABLES = new Set(['ENVIRONMENT', 'ENV', 'APP_ENV', 'APP_ENVIRONMENT', 'DEPLOY_ENV', 'DEPLOYMENT_ENV', 'ENVIRONMENT_NAME', 'STAGE']);

/** Runtime-mode variables (`NODE_ENV=test`): they name the environment only for `test` and `development` (`NODE_ENV=production` is set in staging too). */
const RUNTIME_MODE_VARIABLES = new Set(['NODE_ENV', 'RAILS_ENV', 'RACK_ENV', 'FLASK_ENV', 'MIX_ENV', 'DJANGO_ENV', 'PYTHON_ENV']);

/** `prod` → `production`, `stg` → `staging`, `dev` → `development`; null when not an environment word. */
export function normalizeEnvironment(word: string): string | null {
  return ALIASES[word.trim().toLowerCase()] ?? null;
}

/** The first environment word in free text (`Deploy to Staging`, `api-prod`); `local` only when nothing else. */
export function environmentFromWords(text: string | null | undefined): string | null {
  if (!text) return null;
  let local: string | null = null;
  for (const word of text.split(/[^A-Za-z0-9]+/)) {
    const env = normalizeEnvironment(word);
    if (env === 'local') local = env;
    else if (env) return env;
  }
  return local;
}

/**
 * The environment a file's path implies: words of the file name (`.env.staging`,
 * `docker-compose.prod.yml`, `cloudbuild-staging.yaml`), else the nearest folder named after one
 * (`overlays/staging/`); `test` folders are not environments.
 */
export function environmentFromPath(path: string): string | null {
  const segments = path.split('/');
  const fromName = environmentFromWords(segments[segments.length - 1]);
  if (fromName) return fromName;
  for (let i = segments.length - 2; i >= 0; i--) {
    const env = normalizeEnvironment(segments[i]);
    if (env && env !== 'test') return env;
  }
  return null;
}

/** An environment named by an `ENVIRONMENT=…`-style entry among a block's literal values, else the test or development mode a `NODE_ENV=…`-style entry names. */
export function environmentFromEntries(entries: { name: string; literal: string | null }[]): string | null {
  for (const entry of entries) {
    if (entry.literal !== null && ENVIRONMENT_VARIABLES.has(entry.name.toUpperCase())) {
      const env = normalizeEnvironment(entry.literal);
      if (env) return env;
    }
  }
  for (const entry of entries) {
    if (entry.literal === null || !RUNTIME_MODE_VARIABLES.has(entry.name.toUpperCase())) continue;
    const mode = normalizeEnvironment(entry.literal);
    if (mode === 'test' || mode === 'development') return mode;
  }
  return null;
}

/** Resolves `ref` against the folder of `fromFile`: repo-relative posix, `''` for the root. */
export function resolveRepoPath(fromFile: string, ref: string): string {
  const cleaned = ref.trim().replace(/\\/g, '/');
  if (cleaned.startsWith('/') || cleaned.includes('$')) return cleaned;
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), cleaned));
  if (joined === '.' || joined === './') return '';
  return joined.replace(/^\.\//, '').replace(/\/$/, '');
}

/** A folder of the file as a service hint, or null at the repository root. */
export function folderHint(path: string): string | null {
  const dir = posix.dirname(path);
  return dir === '.' || dir === '' ? null : dir;
}
