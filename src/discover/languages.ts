// Maps file names to the language jwtfrag analyses them as, and recognises test code.
import type { Language } from '../model/facts.js';

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
  if (/\.min\.[cm]?js$/.test(base) || /[.-]bundle\.[cm]?js$/.test(base)) return null;
  if (base === '.env' || base.startsWith('.env.')) return 'dotenv';
  if (base === 'Dockerfile' || base.startsWith('Dockerfile.')) return 'dockerfile';
  if (base === 'Makefile' || base === 'GNUmakefile') return 'shell';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return EXTENSIONS[base.slice(dot).toLowerCase()] ?? null;
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
    base === 'conftest.py'
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
