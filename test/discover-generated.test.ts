// Vendored and generated JavaScript is not analysed but counted: Yarn releases and plugins, the PnP loader, minified and bundled files, and files mostly on very long lines.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { isGeneratedFile, languageOf, looksMinified } from '../src/discover/languages.js';
import { scan } from '../src/run.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-gen-'));
  roots.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const SIGN = "const jwt = require('jsonwebtoken');\nmodule.exports = (p) => jwt.sign(p, 'literal-signing-value-one');\n";

describe('generated and vendored JavaScript', () => {
  it('is recognised by name: minified and bundled script files, and the pnpm lockfile', () => {
    for (const p of [
      '.yarn/releases/yarn-4.1.0.cjs',
      'tools/.yarn/plugins/@yarnpkg/plugin-x.cjs',
      '.pnp.cjs',
      '.pnp.loader.mjs',
      'web/a.min.js',
      'web/a.min.mjs',
      'web/app.bundle.js',
      'web/app-bundle.js',
      'pnpm-lock.yaml',
      'common/config/rush/pnpm-lock.yaml',
    ]) {
      expect(isGeneratedFile(p), p).toBe(true);
      expect(languageOf(p), p).toBeNull();
    }
    for (const p of [
      '.yarn/releases/README.md',
      'deploy/docker-compose.min.yaml',
      'web/minify.js',
      'web/bundle.ts',
      'src/.yarnrc.js',
      'pnpm-workspace.yaml',
      'deploy/lock.yaml',
    ])
      expect(isGeneratedFile(p), p).toBe(false);
    expect(languageOf('deploy/docker-compose.min.yaml')).toBe('yaml');
  });

  it('looks minified when most of the text is on lines longer than the bound (every line break counts)', () => {
    const long = 'x'.repeat(200);
    expect(looksMinified(`${long}\n${long}`, 100)).toBe(true);
    expect(looksMinified(`${long}\r${'y;\r'.repeat(10)}`, 100)).toBe(true);
    // One long line among many ordinary ones: a hand-written file with an embedded string.
    expect(looksMinified(`${long}\n${'const a = 1;\n'.repeat(40)}`, 100)).toBe(false);
    // Short lines whatever the break: LF, CRLF, CR, U+2028.
    expect(looksMinified('a = 1;\r'.repeat(100), 100)).toBe(false);
    expect(looksMinified('a = 1;\u2028'.repeat(100), 100)).toBe(false);
    expect(looksMinified(`${long}${long}`, 0)).toBe(false);
  });

  it('is skipped and counted in the summary (TypeScript never counts as minified); maxLineLength 0 analyses minified JavaScript', async () => {
    const minified = `const jwt=require("jsonwebtoken");${'var a="b";'.repeat(2_000)}module.exports=function(p){return jwt.sign(p,"literal-signing-value-two")};\n`;
    const dir = repo({
      'api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node .' }, dependencies: { express: '4', jsonwebtoken: '9' } }),
      'api/src/sign.js': SIGN,
      'api/src/icons/logo.tsx': `export const Logo = () => <svg><path d="${'M0 0L1 1'.repeat(2_000)}" /></svg>;\n`,
      'api/src/svg-icon.js': `module.exports = '${'M0 0L1 1'.repeat(2_000)}';\n${'// a hand-written file with one long line\n'.repeat(600)}`,
      'api/public/app.js': minified,
      'api/public/vendor.min.js': SIGN,
      'api/public/main.bundle.js': SIGN,
      '.yarn/releases/yarn-4.1.0.cjs': SIGN,
      '.yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs': SIGN,
      '.pnp.cjs': SIGN,
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\nimporters:\n  api:\n    dependencies:\n      jsonwebtoken:\n        specifier: '9'\n        version: 9.0.2\n",
    });
    const { result } = await scan({ root: dir, config: parseConfig({}, 'test'), jobs: 1 });
    expect(result.files.skipped).toEqual({ generated: 6, 'skipped-minified': 1 });
    expect(result.files.scanned).toBe(3);
    expect(result.findings.filter((f) => f.ruleId === 'hardcoded-jwt-secret').map((f) => f.file)).toEqual(['api/src/sign.js']);
    expect(result.notifications.filter((n) => n.id === 'skipped-minified').map((n) => n.file)).toEqual(['api/public/app.js']);

    const all = await scan({ root: dir, config: parseConfig({ maxLineLength: 0 }, 'test'), jobs: 1 });
    expect(all.result.files.skipped).toEqual({ generated: 6 });
    expect(
      all.result.findings
        .filter((f) => f.ruleId === 'hardcoded-jwt-secret')
        .map((f) => f.file)
        .sort(),
    ).toEqual(['api/public/app.js', 'api/src/sign.js']);
  });
});
