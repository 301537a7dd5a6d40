// Cross-file tracing in the model: imported constants, re-exported objects, `export *` barrels, Python packages.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { scan } from '../src/run.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-trace-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function ops(files: Record<string, string>) {
  const { model } = await scan({ root: repo(files), config: parseConfig({}, 'test'), jobs: 1 });
  return model.jwtOps.map(
    (op) => `${op.file} ${op.op} ${op.secret?.chain.join(' > ') ?? 'no key'}${op.secret?.unknown.length ? ` ?${op.secret.unknown.join(',')}` : ''}`,
  );
}

describe('model tracing across files', () => {
  it('follows a TS barrel (export *) and a nested attribute of an exported object', async () => {
    expect(
      await ops({
        'libs/auth/src/config.ts': 'export const authConfig = { jwt: { secret: process.env.AUTH_JWT_SECRET } };\n',
        'libs/auth/src/index.ts': "export * from './other';\nexport * from './config';\n",
        'libs/auth/src/other.ts': 'export const unrelated = 1;\n',
        'apps/api/src/verify.ts':
          "import jwt from 'jsonwebtoken';\nimport { authConfig } from '../../../libs/auth/src';\nexport const check = (t: string) => jwt.verify(t, authConfig.jwt.secret);\n",
      }),
    ).toEqual(['apps/api/src/verify.ts verify AUTH_JWT_SECRET']);
  });

  it('follows a Python getter imported from a shared package and a settings attribute', async () => {
    expect(
      await ops({
        'shared/__init__.py': '',
        'shared/keys.py': 'import os\n\ndef get_jwt_secret():\n    return os.getenv("JWT_SECRET_KEY")\n',
        'shared/conf.py': 'from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    jwt_signing_secret: str\n\nsettings = Settings()\n',
        'svc/auth.py':
          'import jwt\nfrom shared.keys import get_jwt_secret\nfrom shared.conf import settings\n\ndef a(p):\n    return jwt.encode(p, get_jwt_secret(), algorithm="HS256")\n\ndef b(t):\n    return jwt.decode(t, settings.jwt_signing_secret, algorithms=["HS256"])\n',
      }),
    ).toEqual(['svc/auth.py sign JWT_SECRET_KEY', 'svc/auth.py verify JWT_SIGNING_SECRET']);
  });

  it('a member of an imported env object is a read of that variable; a member of an imported settings object is not', async () => {
    const files = {
      'server/environment.ts':
        'function withFiles(env: Record<string, string | undefined>) {\n  return new Proxy(env, { get: (t, p) => (typeof p === "string" ? t[p] : undefined) });\n}\nexport default withFiles(process.env);\n',
      'server/env.ts':
        "import environment from './environment';\nclass Env {\n  public SIGNING_KEY = environment.SIGNING_KEY ?? '';\n  public MAX_UPLOAD = environment.MAX_UPLOAD;\n}\nexport default new Env();\n",
      'server/files.ts':
        "import jwt from 'jsonwebtoken';\nimport env from './env';\nexport const sign = (k: string) => jwt.sign({ k }, env.SIGNING_KEY);\nexport const limit = () => env.MAX_UPLOAD;\n",
      'package.json': '{"name":"srv","scripts":{"start":"node server/files.js"},"dependencies":{"koa":"2"}}\n',
    };
    expect(await ops(files)).toEqual(['server/files.ts sign SIGNING_KEY > «literal»']);
    const { model } = await scan({ root: repo(files), config: parseConfig({}, 'test'), jobs: 1 });
    // The reads are where the env object is read (server/env.ts), not where the settings object is.
    expect(model.envReads.map((r) => `${r.file}:${r.loc.line} ${r.name ?? ''} ${r.accessor}`)).toEqual([
      'server/env.ts:3 SIGNING_KEY process.env via ./environment',
      'server/env.ts:4 MAX_UPLOAD process.env via ./environment',
    ]);
    expect(model.fallbackGroups.map((g) => `${g.file}:${g.loc.line} ${g.reads.length}`)).toEqual(['server/env.ts:3 1']);
  });

  it('a member of what a same-file function returns, with its arguments bound', async () => {
    expect(
      await ops({
        'api/apple.ts':
          "import { sign } from 'jsonwebtoken';\nconst getConfig = () => {\n  const { APPLE_KEY } = process.env;\n  return { privateKey: APPLE_KEY!.replace(/\\\\n/g, '\\n') };\n};\nfunction pick(env: NodeJS.ProcessEnv) {\n  return env.OTHER_KEY;\n}\nexport const a = () => sign({}, getConfig().privateKey, { algorithm: 'ES256' });\nexport const b = () => sign({}, pick(process.env)!, { algorithm: 'HS256' });\n",
      }),
    ).toEqual(['api/apple.ts sign APPLE_KEY', 'api/apple.ts sign OTHER_KEY']);
  });

  it('a key passed to a wrapper is the key of the wrapper operation at the call; a token only signed for a third party is not `jwt`', async () => {
    const files = {
      'app/__init__.py': '',
      'app/tokens.py':
        'import jwt\n\ndef sign_token(payload, signing_key, algorithm="HS256"):\n    return jwt.encode(payload, signing_key, algorithm=algorithm)\n',
      'app/github.py':
        'import os\nfrom app.tokens import sign_token\n\nAPP_PRIVATE_KEY = os.getenv("GITHUB_APP_PRIVATE_KEY", "")\n\ndef app_jwt():\n    return sign_token({"iss": "1"}, APP_PRIVATE_KEY, algorithm="RS256")\n',
      'app/session.py': 'import os\n\nJWT_SECRET = os.getenv("JWT_SECRET")\n',
    };
    expect(await ops(files)).toEqual(['app/tokens.py sign  ?parameter signing_key', 'app/github.py sign GITHUB_APP_PRIVATE_KEY']);
    const { model } = await scan({ root: repo(files), config: parseConfig({}, 'test'), jobs: 1 });
    expect(model.families.map((f) => `${f.id} ${f.canonical ?? ''}`)).toEqual(['jwt JWT_SECRET', 'github-app-private-key GITHUB_APP_PRIVATE_KEY']);
  });

  it('a wrapper reached through a barrel, whose key falls back to its own name, keeps its operation for callers that pass nothing', async () => {
    const files = {
      'libs/tokens/src/sign.ts':
        "import jwt from 'jsonwebtoken';\nexport function signToken(claims: object, secret?: string): string {\n  return jwt.sign(claims, secret ?? (process.env.DEFAULT_TOKEN_KEY as string));\n}\n",
      'libs/tokens/src/index.ts': "export * from './sign';\n",
      'apps/api/src/main.ts':
        "import { signToken } from '../../../libs/tokens/src';\nconst appTokenKey = process.env.APP_TOKEN_KEY as string;\nexport const a = () => signToken({ sub: 'a' }, appTokenKey);\nexport const b = () => signToken({ sub: 'b' });\n",
    };
    expect(await ops(files)).toEqual(['libs/tokens/src/sign.ts sign DEFAULT_TOKEN_KEY ?parameter secret', 'apps/api/src/main.ts sign APP_TOKEN_KEY']);
    const { model } = await scan({ root: repo(files), config: parseConfig({}, 'test'), jobs: 1 });
    expect(
      model.jwtOps.map(
        (op) =>
          `${op.file}:${op.loc.line} ${op.wrapped === true ? 'wrapped' : ''}${op.wrapper ? `via ${op.wrapper.file}:${op.wrapper.loc.line} ${op.wrapper.param}` : ''}`,
      ),
    ).toEqual(['libs/tokens/src/sign.ts:3 ', 'apps/api/src/main.ts:3 via libs/tokens/src/sign.ts:3 secret']);
  });

  it('a call of an env helper imported from another module is a read of the name it passes; a call of anything else is not', async () => {
    const files = {
      'app/__init__.py': '',
      'app/env.py': 'import os\n\ndef env_str(name, default=None):\n    return os.environ.get(name, default)\n',
      'app/vault.py':
        'import hvac\n\ndef kv_get(key):\n    bundle = hvac.Client().secrets.kv.v2.read_secret_version(path="app")\n    return bundle["data"]["data"][key]\n',
      'app/tokens.py':
        'import jwt\nimport logging\nfrom app.env import env_str\nfrom app import vault\n\nlog = logging.getLogger("TOKENS")\n\ndef issue(sub):\n    return jwt.encode({"sub": sub}, env_str("APP_JWT_SECRET"), algorithm="HS256")\n\ndef partner(sub):\n    return jwt.encode({"sub": sub}, vault.kv_get("PARTNER_JWT_KEY"), algorithm="HS256")\n',
      'web/src/env.ts':
        'export function required(name: string): string {\n  const value = process.env[name];\n  if (!value) throw new Error(name);\n  return value;\n}\n',
      'web/src/token.ts':
        "import jwt from 'jsonwebtoken';\nimport { required } from './env';\nimport { t } from './i18n';\nexport const title = t('PAGE_TITLE');\nexport const sign = (sub: string) => jwt.sign({ sub }, required('WEB_JWT_SECRET'));\n",
      'web/src/i18n.ts': 'export const t = (key: string): string => key.toLowerCase();\n',
    };
    const { model } = await scan({ root: repo(files), config: parseConfig({}, 'test'), jobs: 1 });
    expect(
      model.envReads.filter((r) => r.viaImport).map((r) => `${r.file}:${r.loc.line} ${r.name ?? ''} ${r.accessor}${r.store ? ` (${r.store})` : ''}`),
    ).toEqual([
      'app/tokens.py:9 APP_JWT_SECRET env_str() via app.env',
      'app/tokens.py:12 PARTNER_JWT_KEY vault.kv_get() via app.vault (Vault)',
      'web/src/token.ts:5 WEB_JWT_SECRET required() via ./env',
    ]);
    expect(await ops(files)).toEqual(['app/tokens.py sign APP_JWT_SECRET', 'app/tokens.py sign PARTNER_JWT_KEY', 'web/src/token.ts sign WEB_JWT_SECRET']);
  });

  it('a key made per object from a secret is a token of its own, named after the secret; Django settings are found without DJANGO_SETTINGS_MODULE', async () => {
    const families = async (files: Record<string, string>) =>
      (await scan({ root: repo(files), config: parseConfig({}, 'test'), jobs: 1 })).model.families.map(
        (f) => `${f.id} ${f.canonical ?? ''} [${f.names.join(' ')}] ${f.signers.length}/${f.verifiers.length}`,
      );
    expect(
      await families({
        'webapp/config/settings.py':
          'import os\n\nSECRET_KEY = os.environ["SITE_SECRET_KEY"]\nSIMPLE_JWT = {"SIGNING_KEY": os.getenv("SITE_JWT_KEY") or SECRET_KEY}\n',
        'webapp/shares/links.py':
          'import jwt\nfrom django.conf import settings\n\ndef key(doc):\n    return f"{doc.slug}-{settings.SECRET_KEY}"\n\ndef issue(doc):\n    return jwt.encode({"doc": doc.slug}, key(doc), algorithm="HS256")\n\ndef check(doc, token):\n    return jwt.decode(token, key(doc), algorithms=["HS256"])\n',
        'webapp/accounts/views.py':
          'from rest_framework_simplejwt.tokens import RefreshToken\n\ndef login(user):\n    return str(RefreshToken.for_user(user))\n',
      }),
    ).toEqual(['jwt SITE_JWT_KEY [SITE_JWT_KEY SITE_SECRET_KEY] 1/1', 'site-secret-key SITE_SECRET_KEY [SITE_SECRET_KEY] 1/1']);
    expect(
      await families({
        'api/src/links.ts':
          "import jwt from 'jsonwebtoken';\nconst key = (doc: { slug: string }) => `${doc.slug}-${process.env.LINK_SECRET}`;\nexport const issue = (doc: { slug: string }) => jwt.sign({ doc: doc.slug }, key(doc));\nexport const check = (doc: { slug: string }, t: string) => jwt.verify(t, key(doc));\n",
        'api/src/auth.ts':
          "import jwt from 'jsonwebtoken';\nexport const login = (id: string) => jwt.sign({ sub: id }, process.env.LINK_SECRET as string);\nexport const me = (t: string) => jwt.verify(t, process.env.LINK_SECRET as string);\n",
      }),
    ).toEqual(['jwt LINK_SECRET [LINK_SECRET] 1/1', 'link-secret LINK_SECRET [LINK_SECRET] 1/1']);
  });

  it('an import that leaves the repository stays unknown instead of guessed', async () => {
    expect(
      await ops({
        'svc/auth.py': 'import jwt\nfrom vault_client import fetch_key\n\ndef a(p):\n    return jwt.encode(p, fetch_key(), algorithm="HS256")\n',
      }),
    ).toEqual(['svc/auth.py sign  ?fetch_key from vault_client']);
  });
});
