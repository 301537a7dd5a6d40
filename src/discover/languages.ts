// Maps file names to the language jwtfrag analyses them as, and recognises test code.
import type { Language } from '../vocabulary.js';

const EXTENSIONS: Record<string, Language> = {
  '.ts': 'ts',
  '.tsx': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.js': 'js',
  '.jsx': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.py': 'python',
  '.pyi': 'python',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.sh': 'shell',
  '.bash': 'shell',
  '.mk': 'shell',
  '.tf': 'hcl',
  '.dockerfile': 'dockerfile',
  '.env': 'dotenv',
};

/** The language of a repo-relative posix path, or null when jwtfrag does not analyse it. */
export function languageOf(path: string): Language | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base.endsWith('.d.ts') || base.endsWith('.d.mts') || base.endsWith('.d.cts')) return null;
  if (isGeneratedFile(path)) return null;
  if (base === '.env' || base.startsWith('.env.')) return 'dotenv';
  if (base === 'Dockerfile' || base.startsWith('Dockerfile.')) return 'dockerfile';
  if (base === 'Makefile' || base === 'GNUmakefile') return 'shell';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return EXTENSIONS[base.slice(dot).toLowerCase()] ?? null;
}

/** JavaScript/TypeScript file names of the languages that get minified and bundled. */
const CODE_FILE = /\.[cm]?[jt]sx?$/i;

/**
 * Vendored or generated files that nobody edits: Yarn's committed releases and plugins, the
 * Plug'n'Play loader, minified files (`*.min.js`) and bundles (`*.bundle.js`, `*-bundle.js`), and
 * pnpm's lockfile (megabytes of YAML that provide no environment). Not analysed, counted as
 * `generated`. Minified and bundled are script files only: a `docker-compose.min.yaml` is still read.
 */
export function isGeneratedFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'pnpm-lock.yaml') return true;
  if (!CODE_FILE.test(base)) return false;
  if (/(^|\/)\.yarn\/(releases|plugins)\//.test(path)) return true;
  if (/^\.pnp\.(c|m|loader\.m)?js$/.test(base)) return true;
  return /\.min\.[cm]?[jt]sx?$/i.test(base) || /[.-]bundle\.[cm]?js$/i.test(base);
}

/**
 * Whether a JavaScript text looks minified or generated (TypeScript is source, never minified output): a line longer than `maxLine`
 * characters, with such lines holding at least half of the text (a hand-written file with one long
 * embedded string or SVG path is still analysed). Every line break counts (LF, CRLF, CR, U+2028/9).
 * `maxLine` 0 turns the check off.
 */
export function looksMinified(text: string, maxLine: number): boolean {
  if (maxLine <= 0 || text.length <= maxLine) return false;
  let long = 0;
  let start = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029) continue;
    if (i - start > maxLine) long += i - start;
    start = i + 1;
  }
  return long * 2 >= n;
}

const TEST_DIRS = new Set(['tests', 'test', '__tests__', '__mocks__', 'e2e', 'cypress', 'playwright', 'testing', 'fixtures', 'mocks', 'testutils']);

/** Folder names of test support code: `test_framework`, `test-utils`, `integration_tests`, `api-e2e`. */
const TEST_DIR_NAME = /^test[-_]|[-_](tests?|e2e)$/i;

/** Whether a repo-relative posix path is test code (excluded from findings by default). */
export function isTestPath(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1];
  for (let i = 0; i < parts.length - 1; i++) {
    if (TEST_DIRS.has(parts[i]) || TEST_DIR_NAME.test(parts[i])) return true;
  }
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(base) ||
    /^test_.*\.py$/.test(base) ||
    /_test\.py$/.test(base) ||
    base === 'conftest.py' ||
    // Test-runner configuration (`jest.config.real.cjs`, `cypress.parallel.config.ts`, `playwright.config.ts`).
    /^(jest|vitest|cypress|playwright|karma|mocha)(\.[\w-]+)*\.config(\.[\w-]+)*\.[cm]?[jt]s$/.test(base) ||
    /^(jest|vitest)\.setup(\.[\w-]+)*\.[cm]?[jt]sx?$/.test(base)
  );
}

/** Built-in folder excludes: dependencies, build output, virtualenvs, caches, VCS. */
export const DEFAULT_EXCLUDES = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/coverage/**',
  '**/.venv/**',
  '**/venv/**',
  '**/.tox/**',
  '**/__pycache__/**',
  '**/.mypy_cache/**',
  '**/.pytest_cache/**',
  '**/.git/**',
  '**/.hg/**',
  '**/.svn/**',
  '**/vendor/**',
  '**/third_party/**',
  '**/site-packages/**',
  '**/.terraform/**',
  '**/.jwtfrag-cache/**',
  // Copies kept aside: backups and unfinished work are not what is deployed.
  '**/backups/**',
  '**/*_backups/**',
  '**/*-backups/**',
  '**/*work_in_progress*/**',
  '**/*work-in-progress*/**',
];
