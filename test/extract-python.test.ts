// Tests for the Python extractor: exact env reads, groups, JWT ops, traces, imports, exports, locations.
import { describe, expect, it } from 'vitest';
import { extractPython } from '../src/extract/python/index.js';
import type { Loc } from '../src/vocabulary.js';
import type { FileFacts } from '../src/extract/facts.js';
import { Tree } from 'web-tree-sitter';
import { runGuarded } from '../src/extract/guard.js';
import { loadPythonParser, parsePython, parsePythonLoaded, resetPythonParser } from '../src/extract/python/parser.js';
import type { PyNode } from '../src/extract/python/tree.js';

const OPTIONS = { envAccessors: { python: [] as string[], typescript: [] as string[] } };

async function extract(code: string, path = 'svc/app/mod.py', accessors: string[] = []): Promise<FileFacts> {
  return extractPython(path, code, { envAccessors: { python: accessors, typescript: [] } });
}

function reads(facts: FileFacts): [string | null, string | null, string, string][] {
  return facts.envReads.map((read) => [read.name, read.pattern, read.accessor, read.defaultKind]);
}

function at(line: number, column: number, endColumn: number, endLine = line): Loc {
  return { line, column, endLine, endColumn };
}

describe('extractPython: env reads', () => {
  it('recognises the os forms with names, accessors and defaults', async () => {
    const facts = await extract(
      [
        'import os',
        'from os import environ, getenv as ge',
        'a = os.environ["A_NAME"]',
        'b = os.environ.get("B_NAME", "dflt")',
        'c = os.getenv("C_NAME", compute())',
        'd = environ.get("D_NAME")',
        'e = environ["E_NAME"]',
        'f = ge("F_NAME", None)',
        'g = os.getenv(key="G_NAME", default=3)',
      ].join('\n'),
    );
    expect(reads(facts)).toEqual([
      ['A_NAME', null, 'os.environ[]', 'none'],
      ['B_NAME', null, 'os.environ.get', 'literal'],
      ['C_NAME', null, 'os.getenv', 'expression'],
      ['D_NAME', null, 'environ.get', 'none'],
      ['E_NAME', null, 'environ[]', 'none'],
      ['F_NAME', null, 'os.getenv', 'none'],
      ['G_NAME', null, 'os.getenv', 'literal'],
    ]);
    expect(facts.envReads[1].defaultLength).toBe(4);
    expect(facts.envReads[6].defaultLength).toBe(1);
    expect(facts.envReads[0].loc).toEqual(at(3, 16, 24));
    expect(facts.envReads.every((read) => read.scope === null && read.group === null)).toBe(true);
  });

  it('honours an `import os as` alias and ignores look-alike receivers', async () => {
    const facts = await extract('import os as _os\nx = _os.getenv("X1")\ny = payload.get("sub")\nz = environ.get("NOPE_NOT_OS")');
    // `environ.get` is also a default wrapper accessor, so the unbound `environ` still counts, labelled as such.
    expect(reads(facts)).toEqual([
      ['X1', null, 'os.getenv', 'none'],
      ['NOPE_NOT_OS', null, 'environ.get', 'none'],
    ]);
  });

  it('resolves names held in constants and builds patterns for dynamic names', async () => {
    const facts = await extract(
      [
        'import os',
        'NAME = "JWT_SECRET"',
        'PREFIX = "JWT_"',
        'def load(env, region):',
        '    a = os.getenv(NAME)',
        '    b = os.getenv(f"JWT_SECRET_{env.upper()}")',
        '    c = os.getenv("JWT_SECRET_" + env)',
        '    d = os.getenv("JWT_%s" % env)',
        '    e = os.getenv("JWT_{}_KEY".format(region))',
        '    f = os.getenv(PREFIX + "SIGNING_" + env)',
        '    g = os.getenv(env)',
        '    h = os.getenv("JWT_" + "SECRET")',
      ].join('\n'),
    );
    expect(facts.envReads.map((read) => [read.name, read.pattern])).toEqual([
      ['JWT_SECRET', null],
      [null, 'JWT_SECRET_*'],
      [null, 'JWT_SECRET_*'],
      [null, 'JWT_*'],
      [null, 'JWT_*_KEY'],
      [null, 'JWT_SIGNING_*'],
      ['JWT_SECRET', null],
    ]);
    expect(facts.envReads[1].loc).toEqual(at(6, 19, 46));
    expect(new Set(facts.envReads.map((read) => read.scope))).toEqual(new Set(['load']));
  });

  it('keeps the text around escapes in a name, as written', async () => {
    // tree-sitter hides the plain runs of a string's content between its escapes: the name is read
    // from the text between the quotes, not from the content's visible children.
    const facts = await extract(['import os', 'def load(env):', '    a = os.getenv("JWT_\\x53ECRET")', '    b = os.getenv(f"JWT_{{x}}_{env}_KEY")'].join('\n'));
    expect(facts.envReads.map((read) => [read.name, read.pattern])).toEqual([
      ['JWT_\\x53ECRET', null],
      [null, 'JWT_{{x}}_*_KEY'],
    ]);
  });

  it('matches configured wrapper accessors through variables, self attributes and calls', async () => {
    const facts = await extract(
      [
        'from shared.isolated_environment import get_env',
        'from shared import cfg',
        'env = get_env()',
        'A = get_env().get("JWT_SECRET_KEY")',
        'B = env.get("B_KEY", "x")',
        'class Svc:',
        '    def __init__(self):',
        '        self._env = get_env()',
        '        self.c = self._env.get("C_KEY")',
        '    def run(self):',
        '        return cfg.require("D_KEY")',
      ].join('\n'),
      'svc/app/mod.py',
      ['cfg.require'],
    );
    expect(reads(facts)).toEqual([
      ['JWT_SECRET_KEY', null, 'get_env().get', 'none'],
      ['B_KEY', null, 'get_env().get', 'literal'],
      ['C_KEY', null, 'get_env().get', 'none'],
      ['D_KEY', null, 'cfg.require', 'none'],
    ]);
    expect(facts.envReads.map((read) => read.scope)).toEqual([null, null, 'Svc.__init__', 'Svc.run']);
    expect(facts.envReads[0].loc).toEqual(at(4, 19, 35));
  });
});

describe('extractPython: fallback groups', () => {
  it('groups `or` chains in order and keeps a literal final fallback by length only', async () => {
    const facts = await extract('import os\nS = os.getenv("JWT_KEY_A") or os.getenv("JWT_KEY_B") or os.environ.get("JWT_KEY_C") or "dev-secret"');
    expect(facts.fallbackGroups).toEqual([
      {
        id: 0,
        reads: [0, 1, 2],
        literalFallback: { length: 10, loc: at(2, 88, 100) },
        loc: at(2, 5, 100),
        form: 'or',
      },
    ]);
    expect(facts.envReads.map((read) => read.group)).toEqual([0, 0, 0]);
    expect(facts.secretLiterals).toEqual([at(2, 88, 100)]);
    const plain = await extract('import os\nS = os.getenv("LOG_LEVEL") or "info"');
    expect(plain.fallbackGroups.map((group) => group.reads)).toEqual([[0]]);
    expect(plain.secretLiterals).toEqual([]);
  });

  it('groups nested defaults and loops over literal name lists', async () => {
    const facts = await extract(
      [
        'import os',
        'A = os.getenv("JWT_A", os.getenv("JWT_B", os.getenv("JWT_C")))',
        'def find(env):',
        '    for name in ["K_ONE", "K_TWO", "K_THREE"]:',
        '        value = env.get(name)',
        '        if value:',
        '            return value',
      ].join('\n'),
    );
    expect(facts.envReads.map((read) => [read.name, read.defaultKind, read.group])).toEqual([
      ['JWT_A', 'env', 0],
      ['JWT_B', 'env', 0],
      ['JWT_C', 'none', 0],
      ['K_ONE', 'none', 1],
      ['K_TWO', 'none', 1],
      ['K_THREE', 'none', 1],
    ]);
    expect(facts.fallbackGroups.map((group) => [group.form, group.reads])).toEqual([
      ['nested-default', [0, 1, 2]],
      ['loop', [3, 4, 5]],
    ]);
    expect(facts.envReads[3].loc).toEqual(at(4, 18, 25));
    expect(facts.envReads[5].accessor).toBe('env.get');
    expect(facts.exports.find((value) => value.name === 'find')?.value.sources).toEqual([
      { kind: 'env', read: 3 },
      { kind: 'env', read: 4 },
      { kind: 'env', read: 5 },
    ]);
  });

  it('does not group a single read or an `and`', async () => {
    const facts = await extract('import os\nA = os.getenv("ONE") or other\nB = os.getenv("TWO") and os.getenv("THREE")');
    expect(facts.fallbackGroups).toEqual([]);
    expect(facts.envReads).toHaveLength(3);
  });
});

describe('extractPython: pydantic settings', () => {
  it('turns annotated fields into reads with prefix, Field env/alias and AliasChoices', async () => {
    const facts = await extract(
      [
        'from pydantic_settings import BaseSettings, SettingsConfigDict',
        'from pydantic import Field, AliasChoices',
        'class AuthSettings(BaseSettings):',
        '    model_config = SettingsConfigDict(env_prefix="AUTH_")',
        '    jwt_secret: str = "changeme"',
        '    other: str = Field(..., env="OTHER_NAME")',
        '    aliased: str = Field(None, alias="ALIASED_NAME")',
        '    choice: str = Field(validation_alias=AliasChoices("CH_A", "CH_B"))',
        '    _hidden: str = "x"',
        'class Child(AuthSettings):',
        '    extra: int',
        'class Legacy(BaseSettings):',
        '    token: str',
        '    class Config:',
        '        env_prefix = "leg_"',
        'settings = AuthSettings()',
      ].join('\n'),
      'svc/settings/auth_conf.py',
    );
    expect(reads(facts)).toEqual([
      ['AUTH_JWT_SECRET', null, 'pydantic', 'literal'],
      ['OTHER_NAME', null, 'pydantic', 'none'],
      ['ALIASED_NAME', null, 'pydantic', 'none'],
      ['CH_A', null, 'pydantic', 'none'],
      ['CH_B', null, 'pydantic', 'none'],
      ['AUTH_EXTRA', null, 'pydantic', 'none'],
      ['LEG_TOKEN', null, 'pydantic', 'none'],
    ]);
    expect(facts.envReads[0].loc).toEqual(at(5, 5, 15));
    expect(facts.envReads[0].defaultLength).toBe(8);
    expect(facts.envReads[0].scope).toBe('AuthSettings');
    expect(facts.fallbackGroups.map((group) => [group.form, group.reads])).toEqual([['alias-choices', [3, 4]]]);
    expect(facts.secretLiterals).toEqual([at(5, 23, 33)]);
    const exported = Object.fromEntries(facts.exports.map((value) => [value.name, value.value.sources]));
    expect(exported['settings.jwt_secret']).toEqual([{ kind: 'env', read: 0 }]);
    expect(exported['settings.choice']).toEqual([
      { kind: 'env', read: 3 },
      { kind: 'env', read: 4 },
    ]);
  });
});

describe('extractPython: JWT operations and key tracing', () => {
  it('handles the reference JWTConfig shape: class attribute through an instance created in place', async () => {
    const facts = await extract(
      [
        'from shared.isolated_environment import get_env',
        'import jwt',
        'class JWTConfig:',
        '    def __init__(self):',
        '        self._env = get_env()',
        '        self.secret = self._env.get("JWT_SECRET_STAGING") or self._env.get("JWT_SECRET_KEY") or self._env.get("JWT_SECRET")',
        '    def get_secret(self, environment: str) -> str:',
        '        return get_env().get(f"JWT_SECRET_{environment.upper()}") or self.secret',
        'def create_token(payload):',
        '    return jwt.encode(payload, JWTConfig().secret, algorithm="HS256")',
      ].join('\n'),
    );
    expect(reads(facts)).toEqual([
      ['JWT_SECRET_STAGING', null, 'get_env().get', 'none'],
      ['JWT_SECRET_KEY', null, 'get_env().get', 'none'],
      ['JWT_SECRET', null, 'get_env().get', 'none'],
      [null, 'JWT_SECRET_*', 'get_env().get', 'none'],
    ]);
    expect(facts.fallbackGroups.map((group) => [group.form, group.reads])).toEqual([['or', [0, 1, 2]]]);
    expect(facts.jwtOps).toEqual([
      {
        op: 'sign',
        library: 'pyjwt',
        loc: at(10, 16, 22),
        key: {
          loc: at(10, 32, 50),
          trace: {
            sources: [
              { kind: 'env', read: 0 },
              { kind: 'env', read: 1 },
              { kind: 'env', read: 2 },
            ],
          },
        },
        scope: 'create_token',
      },
    ]);
    expect(facts.exports.find((value) => value.name === 'JWTConfig.secret')?.value.sources).toHaveLength(3);
  });

  it('traces keys through locals, module constants, getter functions, self attributes and imports', async () => {
    const facts = await extract(
      [
        'import os',
        'import jwt',
        'from app.core.config import settings, get_settings',
        'import app.core.keys as keys',
        'SECRET = os.getenv("MOD_SECRET")',
        'def get_jwt_secret():',
        '    return os.environ["FN_SECRET"]',
        'class Signer:',
        '    def __init__(self):',
        '        self.key = get_jwt_secret()',
        '    def sign(self, p):',
        '        return jwt.encode(p, self.key)',
        'def a(p):',
        '    key = SECRET',
        '    return jwt.encode(p, key, algorithm="HS256")',
        'def b(t):',
        '    return jwt.decode(t, settings.jwt.secret_key, algorithms=["HS256"])',
        'def c(t):',
        '    return jwt.decode(t, get_settings().JWT_SECRET.get_secret_value(), algorithms=["HS256"])',
        'def d(t):',
        '    return jwt.decode(t, keys.SIGNING_KEY, algorithms=["HS256"])',
        'def e(t, secret):',
        '    return jwt.decode(t, secret, algorithms=["HS256"])',
      ].join('\n'),
    );
    const traces = facts.jwtOps.map((op) => [
      op.op,
      op.scope,
      op.key?.trace.sources.map((s) =>
        s.kind === 'import' ? [s.module, s.name, s.path, s.call] : s.kind === 'env' ? s.read : s.kind === 'unknown' ? s.text : s.kind,
      ),
    ]);
    expect(traces).toEqual([
      ['sign', 'Signer.sign', [1]],
      ['sign', 'a', [0]],
      ['verify', 'b', [['app.core.config', 'settings', ['jwt', 'secret_key'], false]]],
      ['verify', 'c', [['app.core.config', 'get_settings', ['JWT_SECRET'], true]]],
      ['verify', 'd', [['app.core.keys', 'SIGNING_KEY', [], false]]],
      ['verify', 'e', ['parameter secret']],
    ]);
  });

  it('records literal and constant-derived keys without their text', async () => {
    const facts = await extract(
      [
        'import hashlib',
        'import jwt',
        'BASE = "team-secret-base"',
        'DERIVED = hashlib.sha256(BASE.encode()).hexdigest()',
        'def a(p):',
        '    return jwt.encode(p, "super-secret-literal")',
        'def b(p):',
        '    return jwt.encode(p, DERIVED)',
        'def c(p):',
        '    return jwt.encode(p, b"x" * 32)',
      ].join('\n'),
    );
    expect(facts.jwtOps.map((op) => op.key?.trace.sources)).toEqual([
      [{ kind: 'literal', length: 20, loc: at(6, 26, 48) }],
      [{ kind: 'constant-derived', loc: at(4, 11, 52), description: 'hashlib.sha256().hexdigest()' }],
      [{ kind: 'constant-derived', loc: at(10, 26, 35), description: 'str * number' }],
    ]);
    expect(facts.secretLiterals).toContainEqual(at(6, 26, 48));
    const json = JSON.stringify(facts);
    expect(json).not.toContain('super-secret-literal');
    expect(json).not.toContain('team-secret-base');
  });

  it('traces a key derived from another secret (decoded, hashed, loaded from a JWK) to that secret', async () => {
    const facts = await extract(
      [
        'import base64',
        'import hashlib',
        'import os',
        'import jwt',
        'from jwt.algorithms import RSAAlgorithm',
        'def a(p):',
        '    return jwt.encode(p, base64.b64decode(os.environ["SIGNING_KEY_B64"]))',
        'def b(p):',
        '    return jwt.encode(p, hashlib.sha256(os.environ["SIGNING_SEED"].encode()).digest())',
        'def c(t):',
        '    return jwt.decode(t, RSAAlgorithm.from_jwk(os.environ["VERIFY_JWK"]), algorithms=["RS256"])',
        'def d(p):',
        '    return jwt.encode(p, os.environ["LONG_SEED"][:32])',
        'def e(p):',
        '    return jwt.encode(p, hashlib.sha256("fixed phrase".encode()).hexdigest()[:32])',
        'def f(p):',
        '    return jwt.encode(p, os.environ["APP_PEM"].replace("\\\\n", "\\n"), algorithm="RS256")',
      ].join('\n'),
    );
    const names = facts.jwtOps.map((op) => (op.key?.trace.sources ?? []).map((s) => (s.kind === 'env' ? facts.envReads[s.read].name : s.kind)));
    expect(names).toEqual([['SIGNING_KEY_B64'], ['SIGNING_SEED'], ['VERIFY_JWK'], ['LONG_SEED'], ['constant-derived'], ['APP_PEM']]);
  });

  it('identifies libraries from imports and ignores an unrelated `jwt` object', async () => {
    const facts = await extract(
      [
        'import os',
        'from jose import jwt as jose_jwt',
        'from authlib.jose import jwt as auth_jwt',
        'from jwt import decode as pdecode',
        'K = os.getenv("JWT_SECRET")',
        'def f(t, p, jwt):',
        '    jose_jwt.decode(t, K, algorithms=["HS256"])',
        '    jose_jwt.get_unverified_claims(t)',
        '    auth_jwt.encode({"alg": "HS256"}, p, K)',
        '    pdecode(t, K, algorithms=["HS256"])',
        '    jwt.encode(p, K)',
      ].join('\n'),
    );
    expect(facts.jwtOps.map((op) => [op.library, op.op, op.loc.line, op.key?.trace.sources[0]?.kind ?? null])).toEqual([
      ['python-jose', 'verify', 7, 'env'],
      ['python-jose', 'decode-unverified', 8, null],
      ['authlib', 'sign', 9, 'env'],
      ['pyjwt', 'verify', 10, 'env'],
    ]);
  });

  it('marks unverified decodes with claimsUsed and verifiedSameToken', async () => {
    const facts = await extract(
      [
        'import jwt',
        'def peek(token):',
        '    claims = jwt.decode(token, options={"verify_signature": False})',
        '    return claims["sub"]',
        'def check(token, key):',
        '    jwt.decode(token, options={"verify_signature": False})',
        '    return jwt.decode(token, key, algorithms=["HS256"])',
        'def who(token):',
        '    user_id = jwt.decode(token, verify=False)',
        'def ignore(token):',
        '    header = jwt.decode(token, None, options={"verify_signature": False})',
        '    print("seen")',
      ].join('\n'),
    );
    expect(facts.jwtOps.map((op) => [op.op, op.scope, op.claimsUsed, op.verifiedSameToken])).toEqual([
      ['decode-unverified', 'peek', true, false],
      ['decode-unverified', 'check', false, true],
      ['verify', 'check', undefined, undefined],
      ['decode-unverified', 'who', true, false],
      ['decode-unverified', 'ignore', false, false],
    ]);
    expect(facts.jwtOps[0].key).toBeNull();
    expect(facts.jwtOps[0].loc).toEqual(at(3, 18, 24));
  });

  it('finds configure sites for flask, Django SIMPLE_JWT and fastapi-jwt-auth', async () => {
    const facts = await extract(
      [
        'import os',
        'from flask import Flask',
        'from fastapi_jwt_auth import AuthJWT',
        'from pydantic_settings import BaseSettings',
        'app = Flask(__name__)',
        'app.config["JWT_SECRET_KEY"] = os.environ["FLASK_JWT"]',
        'SIMPLE_JWT = {"ALGORITHM": "HS256", "SIGNING_KEY": os.getenv("DJANGO_JWT")}',
        'class AuthSettings(BaseSettings):',
        '    authjwt_secret_key: str',
        '@AuthJWT.load_config',
        'def get_config():',
        '    return AuthSettings()',
      ].join('\n'),
    );
    expect(facts.jwtOps.map((op) => [op.library, op.op, op.loc, op.key?.trace.sources])).toEqual([
      ['flask-jwt-extended', 'configure', at(6, 12, 28), [{ kind: 'env', read: 0 }]],
      ['django-simplejwt', 'configure', at(7, 37, 50), [{ kind: 'env', read: 1 }]],
      ['fastapi-jwt-auth', 'configure', at(9, 5, 23), [{ kind: 'env', read: 2 }]],
    ]);
    expect(facts.envReads[2].name).toBe('AUTHJWT_SECRET_KEY');
  });
});

describe('extractPython: settings objects', () => {
  it('traces SecretStr fields through get_settings(), self attributes and properties', async () => {
    const facts = await extract(
      [
        'from functools import lru_cache',
        'from pydantic_settings import BaseSettings',
        'from pydantic import SecretStr',
        'import jwt',
        'class Settings(BaseSettings):',
        '    JWT_SECRET: SecretStr',
        '@lru_cache',
        'def get_settings() -> Settings:',
        '    return Settings()',
        'settings = get_settings()',
        'class AuthService:',
        '    def __init__(self):',
        '        self.s = get_settings()',
        '    def a(self, t):',
        '        return jwt.decode(t, self.s.JWT_SECRET.get_secret_value(), algorithms=["HS256"])',
        '    @property',
        '    def key(self):',
        '        return settings.JWT_SECRET.get_secret_value()',
        '    def c(self, p):',
        '        return jwt.encode(p, self.key)',
      ].join('\n'),
      'svc/core/jwt_conf.py',
    );
    expect(facts.jwtOps.map((op) => [op.op, op.scope, op.key?.trace.sources])).toEqual([
      ['verify', 'AuthService.a', [{ kind: 'env', read: 0 }]],
      ['sign', 'AuthService.c', [{ kind: 'env', read: 0 }]],
    ]);
    expect(facts.exports.map((value) => [value.name, value.kind])).toEqual([
      ['settings.JWT_SECRET', 'attribute'],
      ['get_settings.JWT_SECRET', 'attribute'],
      ['Settings.JWT_SECRET', 'attribute'],
      // Methods are exported with what they return (`AuthService.key()` from another module).
      ['AuthService.a', 'function'],
      ['AuthService.key', 'function'],
      ['AuthService.c', 'function'],
    ]);
  });

  it('survives empty, CRLF and garbage input', async () => {
    expect((await extract('')).envReads).toEqual([]);
    const crlf = await extract('import os\r\nA = os.getenv("CRLF_NAME")\r\n');
    expect(crlf.envReads[0].loc).toEqual(at(2, 15, 26));
    const garbage = await extract(')))) ((( def class import\n\x00\u2028 os.getenv("G")');
    expect(garbage.notifications.map((n) => n.id)).toEqual(['parse-error']);
  });
});

describe('extractPython: imports', () => {
  it('records every import form with bindings and flags', async () => {
    const facts = await extract(
      [
        'import a.b as c, d',
        'from ..models.user import User as U, Role',
        'from . import sibling',
        'from typing import TYPE_CHECKING',
        'if TYPE_CHECKING:',
        '    from app.db import Session',
        'try:',
        '    import ujson as json',
        'except ImportError:',
        '    import json',
        'def load():',
        '    import importlib',
        '    plugin = importlib.import_module("app.plugins.x")',
        '    __import__("legacy.mod")',
      ].join('\n'),
    );
    expect(facts.imports.map((fact) => [fact.specifier, fact.kind, fact.bindings, fact.inFunction, fact.inTypeChecking, fact.inTry])).toEqual([
      ['a.b', 'py-import', [{ local: 'c', imported: '*' }], false, false, false],
      ['d', 'py-import', [{ local: 'd', imported: '*' }], false, false, false],
      [
        '..models.user',
        'py-from',
        [
          { local: 'U', imported: 'User' },
          { local: 'Role', imported: 'Role' },
        ],
        false,
        false,
        false,
      ],
      ['.', 'py-from', [{ local: 'sibling', imported: 'sibling' }], false, false, false],
      ['typing', 'py-from', [{ local: 'TYPE_CHECKING', imported: 'TYPE_CHECKING' }], false, false, false],
      ['app.db', 'py-from', [{ local: 'Session', imported: 'Session' }], false, true, false],
      ['ujson', 'py-import', [{ local: 'json', imported: '*' }], false, false, true],
      ['json', 'py-import', [{ local: 'json', imported: '*' }], false, false, true],
      ['importlib', 'py-import', [{ local: 'importlib', imported: '*' }], true, false, false],
      ['app.plugins.x', 'py-importlib', [{ local: 'plugin', imported: '*' }], true, false, false],
      ['legacy.mod', 'py-importlib', [], true, false, false],
    ]);
    expect(facts.imports[0].loc).toEqual(at(1, 8, 11));
    expect(facts.imports[2].loc).toEqual(at(2, 6, 19));
    expect(facts.imports[9].loc).toEqual(at(13, 38, 53));
    expect(facts.imports.every((fact) => !fact.typeOnly)).toBe(true);
  });
});

describe('extractPython: exports', () => {
  it('passes names on through a module-level star import (Django settings modules), never one inside a function', async () => {
    const facts = await extract(
      ['import os', 'from .common import *  # noqa', 'DEBUG = os.environ.get("DEBUG")', 'def f():', '    from .extra import *'].join('\n'),
      'api/settings/production.py',
    );
    const stars = facts.exports.filter((e) => e.name === '*').map((e) => e.value.sources.map((s) => (s.kind === 'import' ? `${s.module}#${s.name}` : s.kind)));
    expect(stars).toEqual([['.common#*']]);
  });

  it('exports constants, functions, class attributes and __init__ re-exports', async () => {
    const code = [
      'import os',
      'from .config import settings',
      'JWT_SECRET = os.getenv("JWT_SECRET")',
      '_PRIVATE = os.getenv("PRIV")',
      'def get_secret():',
      '    return JWT_SECRET',
      'class Config:',
      '    SECRET = os.environ["CFG_SECRET"]',
      '    def __init__(self):',
      '        self.algo = os.getenv("ALGO")',
      'router = object()',
    ].join('\n');
    const plain = await extract(code, 'svc/app/core.py');
    expect(plain.exports.map((value) => [value.name, value.kind, value.value.sources])).toEqual([
      ['JWT_SECRET', 'const', [{ kind: 'env', read: 0 }]],
      ['_PRIVATE', 'const', [{ kind: 'env', read: 1 }]],
      ['get_secret', 'function', [{ kind: 'env', read: 0 }]],
      ['Config.SECRET', 'attribute', [{ kind: 'env', read: 2 }]],
      ['Config.algo', 'attribute', [{ kind: 'env', read: 3 }]],
    ]);
    expect(plain.exports[0].loc).toEqual(at(3, 1, 11));
    const init = await extract(code, 'svc/app/__init__.py');
    expect(init.exports.at(-1)).toEqual({
      name: 'settings',
      kind: 'const',
      value: { sources: [{ kind: 'import', module: '.config', name: 'settings', path: [], call: false, loc: at(2, 21, 29) }] },
      loc: at(2, 21, 29),
    });
  });
});

describe('parsePython: the tree', () => {
  const shape = (text: string, node: PyNode): string => {
    const kids = node.children.map((kid) => shape(text, kid)).join(' ');
    const label = `${node.field ? `${node.field}:` : ''}${node.type}«${text.slice(node.start, node.end)}»`;
    return kids ? `(${label} ${kids})` : label;
  };
  /** The shapes of a parse's top-level statements. */
  const statements = async (text: string): Promise<string[]> => (await parsePython(text)).root.children.map((kid) => shape(text, kid));

  it('leaves out punctuation, and every node still spans its whole text', async () => {
    expect(await statements('f(a, b=[1])\nfrom .. import x\n')).toEqual([
      '(expression_statement«f(a, b=[1])» (call«f(a, b=[1])» function:identifier«f» (arguments:argument_list«(a, b=[1])» identifier«a» ' +
        '(keyword_argument«b=[1]» name:identifier«b» (value:list«[1]» integer«1»)))))',
      // The dots of a relative import are all punctuation: the prefix keeps its span.
      '(import_from_statement«from .. import x» from«from» (module_name:relative_import«..» import_prefix«..») import«import» (name:dotted_name«x» identifier«x»))',
    ]);
  });

  it("gives a string's content and escapes no node: the string keeps its quotes and interpolations", async () => {
    expect(await statements('x = f"a\\n{b}c{{d}}"\n')).toEqual([
      '(expression_statement«x = f"a\\n{b}c{{d}}"» (assignment«x = f"a\\n{b}c{{d}}"» left:identifier«x» ' +
        '(right:string«f"a\\n{b}c{{d}}"» string_start«f"» (interpolation«{b}» expression:identifier«b») string_end«"»)))',
    ]);
  });

  it('frees the tree of a walk the time limit stopped, once the parser is reset', async () => {
    await loadPythonParser();
    const proto = Tree.prototype as unknown as { delete: () => void };
    const rootNode = Object.getOwnPropertyDescriptor(Tree.prototype, 'rootNode');
    const remove = proto.delete;
    const deleted: unknown[] = [];
    let stuck = true;
    // The walk asks for the root right after the parse: there it never ends, and the time limit stops it.
    Object.defineProperty(Tree.prototype, 'rootNode', {
      configurable: true,
      get(this: Tree): unknown {
        for (let spins = 0; stuck; spins++) if (spins < 0) break;
        return rootNode?.get?.call(this);
      },
    });
    proto.delete = function (this: Tree): void {
      deleted.push(this);
      remove.call(this);
    };
    try {
      expect(runGuarded(() => parsePythonLoaded('x = 1\n'), 50).done).toBe(false);
      // Stopped code runs no `finally` block: the tree is still there.
      expect(deleted).toEqual([]);
      stuck = false;
      resetPythonParser();
      expect(deleted).toHaveLength(1);
      // Nothing is freed twice, and the next parse goes on as usual.
      resetPythonParser();
      expect(parsePythonLoaded('y = 2\n').root.children.map((kid) => kid.type)).toEqual(['expression_statement']);
      expect(deleted).toHaveLength(2);
    } finally {
      if (rootNode) Object.defineProperty(Tree.prototype, 'rootNode', rootNode);
      proto.delete = remove;
    }
  });

  it('keeps operators with a field and tokens the parser inserted as missing', async () => {
    const text = 'a == b or c[1:2]\nz = f([1, 2)\n';
    const { root, firstError } = await parsePython(text);
    expect(shape(text, root.children[0])).toBe(
      '(expression_statement«a == b or c[1:2]» (boolean_operator«a == b or c[1:2]» (left:comparison_operator«a == b» identifier«a» operators:==«==» identifier«b») ' +
        'operator:or«or» (right:subscript«c[1:2]» value:identifier«c» (subscript:slice«1:2» integer«1» integer«2»))))',
    );
    // `[1, 2)`: tree-sitter inserts the missing `]` before `)`, and it is the first error.
    expect(firstError && [firstError.type, firstError.start, firstError.end]).toEqual([']', 28, 28]);
    expect(shape(text, root.children[1])).toContain('(list«[1, 2» integer«1» integer«2» ]«»)');
  });
});

describe('extractPython: locations, comments and errors', () => {
  it('counts columns in UTF-16 code units after non-ASCII text', async () => {
    const facts = await extract('x = "ü😀"; y = os.getenv("JWT_SECRET")\nimport os');
    expect(facts.envReads[0].loc).toEqual(at(1, 26, 38));
  });

  it('reads jwtfrag-ignore suppression comments', async () => {
    const facts = await extract(
      'import os\n# jwtfrag-ignore secret-fallback-chain: migrating in Q3\nA = os.getenv("A") or os.getenv("B")  # jwtfrag-ignore dynamic-secret-name\n# plain comment',
    );
    expect(facts.suppressions).toEqual([
      { ruleId: 'secret-fallback-chain', reason: 'migrating in Q3', line: 2, loc: at(2, 1, 56) },
      { ruleId: 'dynamic-secret-name', reason: null, line: 3, loc: at(3, 39, 75) },
    ]);
  });

  it('reports a parse error once and still extracts the rest', async () => {
    const facts = await extract('import os\nA = os.getenv("BEFORE")\ndef broken(:\n    pass\nB = os.getenv("AFTER")\n');
    expect(facts.notifications).toEqual([
      {
        level: 'warning',
        id: 'parse-error',
        message: 'syntax error at 3:12; facts were extracted from the parts that parse',
        file: 'svc/app/mod.py',
        loc: at(3, 12, 12),
      },
    ]);
    expect(facts.envReads.map((read) => read.name)).toEqual(['BEFORE', 'AFTER']);
  });

  it('never puts a secret literal into the facts', async () => {
    const code = [
      'import os, jwt',
      'from pydantic_settings import BaseSettings',
      'class S(BaseSettings):',
      '    jwt_secret: str = "pydantic-default-s3cr3t"',
      'KEY = os.getenv("JWT_SECRET", "getenv-default-s3cr3t") or "or-fallback-s3cr3t"',
      'def f(p):',
      '    return jwt.encode(p, "inline-s3cr3t")',
      'SIMPLE_JWT = {"SIGNING_KEY": "django-s3cr3t"}',
    ].join('\n');
    const facts = await extract(code);
    const json = JSON.stringify(facts);
    for (const secret of ['pydantic-default-s3cr3t', 'getenv-default-s3cr3t', 'or-fallback-s3cr3t', 'inline-s3cr3t', 'django-s3cr3t']) {
      expect(json).not.toContain(secret);
    }
    expect(facts.secretLiterals).toHaveLength(5);
  });

  it('extracts every op and group of a 200-line module (speed is measured by npm run bench)', async () => {
    const block = [
      'import os',
      'import jwt',
      'class Service{i}:',
      '    def __init__(self):',
      '        self.secret = os.getenv("JWT_SECRET_{i}") or os.getenv("JWT_SECRET")',
      '    def sign(self, payload):',
      '        data = {"a": 1, "b": [1, 2, 3], "c": payload}',
      '        return jwt.encode(data, self.secret, algorithm="HS256")',
      '    def verify(self, token):',
      '        return jwt.decode(token, self.secret, algorithms=["HS256"])',
    ];
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) for (const line of block) lines.push(line.replaceAll('{i}', String(i)));
    const code = lines.join('\n');
    const facts = await extractPython('bench.py', code, OPTIONS);
    expect(facts.jwtOps).toHaveLength(40);
    expect(facts.fallbackGroups).toHaveLength(20);
  });
});
