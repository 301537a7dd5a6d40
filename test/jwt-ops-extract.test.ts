// Tests for JWT operation recognition (libraries, forms) and the unverified-decode details in both extractors.
import { describe, expect, it } from 'vitest';
import { extractPython } from '../src/extract/python/index.js';
import { extractTypeScript } from '../src/extract/typescript/index.js';
import type { FileFacts, JwtOp } from '../src/extract/facts.js';

const OPTIONS = { envAccessors: { python: [] as string[], typescript: [] as string[] } };

function ts(lines: string[], path = 'services/api/src/a.ts'): FileFacts {
  return extractTypeScript(path, lines.join('\n'), /\.tsx?$/.test(path) ? 'ts' : 'js', OPTIONS);
}

async function py(lines: string[], path = 'svc/app/mod.py'): Promise<FileFacts> {
  return extractPython(path, lines.join('\n'), OPTIONS);
}

function ops(f: FileFacts): [string, string, number, string | null][] {
  return f.jwtOps.map((o) => [o.library, o.op, o.loc.line, o.key ? keyText(o) : null]);
}

function keyText(o: JwtOp): string {
  const s = o.key?.trace.sources[0];
  if (!s) return 'none';
  return s.kind === 'unknown' ? `unknown:${s.text}` : s.kind;
}

/** For each unverified decode: [line, claimsUsed, verifiedSameToken, decodeContext]. */
function decodes(f: FileFacts): [number, boolean | undefined, boolean | undefined, string | null][] {
  return f.jwtOps.filter((o) => o.op === 'decode-unverified').map((o) => [o.loc.line, o.claimsUsed, o.verifiedSameToken, o.decodeContext ?? null]);
}

describe('TypeScript JWT libraries', () => {
  it('recognises jwt-simple through named, aliased, default and require bindings; decode verifies unless noVerify is true', () => {
    const f = ts([
      "import { decode as readToken, encode } from 'jwt-simple';",
      "import simple from 'jwt-simple';",
      "const legacy = require('jwt-simple');",
      'export const sign = (p: object) => encode(p, process.env.GRANT_SECRET);',
      'export function read(t: string, verify = true) { return readToken(t, process.env.GRANT_SECRET, !verify); }',
      'export function peek(t: string) { return simple.decode(t, "", true).sub; }',
      'export function old(t: string) { return legacy.decode(t, process.env.GRANT_SECRET); }',
    ]);
    expect(ops(f)).toEqual([
      ['jwt-simple', 'sign', 4, 'env'],
      ['jwt-simple', 'verify', 5, 'env'],
      ['jwt-simple', 'decode-unverified', 6, null],
      ['jwt-simple', 'verify', 7, 'env'],
    ]);
    expect(f.jwtOps[1].loc).toEqual({ line: 5, column: 57, endLine: 5, endColumn: 66 });
  });

  it('recognises fast-jwt factories and decoder calls', () => {
    const f = ts([
      "import { createDecoder, createSigner, createVerifier } from 'fast-jwt';",
      'const signer = createSigner({ key: process.env.FAST_SECRET });',
      'const verifier = createVerifier({ key: process.env.FAST_SECRET });',
      'const peek = createDecoder();',
      'export function who(t: string) { return peek(t).sub; }',
    ]);
    expect(ops(f)).toEqual([
      ['fast-jwt', 'sign', 2, 'env'],
      ['fast-jwt', 'verify', 3, 'env'],
      ['fast-jwt', 'decode-unverified', 5, null],
    ]);
  });

  it('recognises @hapi/jwt token operations and the jwt auth strategy; verify of the decoded artifacts pairs with the decode', () => {
    const f = ts([
      "import Jwt from '@hapi/jwt';",
      'export function issue(p: object) { return Jwt.token.generate(p, { key: process.env.HAPI_SECRET, algorithm: "HS256" }); }',
      'export function check(t: string) {',
      '  const artifacts = Jwt.token.decode(t);',
      '  Jwt.token.verify(artifacts, process.env.HAPI_SECRET);',
      '  return artifacts.decoded.payload;',
      '}',
      'export function plugin(server: any) { server.auth.strategy("session", "jwt", { keys: process.env.HAPI_SECRET }); }',
    ]);
    expect(ops(f)).toEqual([
      ['@hapi/jwt', 'sign', 2, 'env'],
      ['@hapi/jwt', 'decode-unverified', 4, null],
      ['@hapi/jwt', 'verify', 5, 'env'],
      ['@hapi/jwt', 'configure', 8, 'env'],
    ]);
    expect(decodes(f)).toEqual([[4, true, true, null]]);
  });

  it('recognises koa-jwt, jose UnsecuredJWT/jwtDecrypt/compactVerify and the jose v2 JWT namespace', () => {
    const f = ts([
      "import koaJwt from 'koa-jwt';",
      "import { UnsecuredJWT, compactVerify, jwtDecrypt, JWT } from 'jose';",
      'export const mw = koaJwt({ secret: process.env.KOA_SECRET });',
      'export const a = (t: string, k: any) => jwtDecrypt(t, k);',
      'export const b = (t: string, k: any) => compactVerify(t, k);',
      'export const c = (t: string) => UnsecuredJWT.decode(t).payload.sub;',
      'export const d = (t: string) => JWT.verify(t, process.env.KOA_SECRET);',
    ]);
    expect(ops(f).map(([library, op, line]) => [library, op, line])).toEqual([
      ['koa-jwt', 'verify', 3],
      ['jose', 'verify', 4],
      ['jose', 'verify', 5],
      ['jose', 'decode-unverified', 6],
      ['jose', 'verify', 7],
    ]);
  });

  it('does not take a local or parameter that shadows an imported JWT name for an operation', () => {
    const f = ts([
      "import { decode } from 'jwt-simple';",
      "import jwt from 'jsonwebtoken';",
      'export function a(t: string) { const decode = (x: string) => x; return decode(t); }',
      'export function b(jwt: { sign(x: string): string }) { return jwt.sign("x"); }',
      'export function c(t: string) { return decode(t, process.env.K_SECRET); }',
    ]);
    expect(ops(f).map(([library, op, line]) => [library, op, line])).toEqual([['jwt-simple', 'verify', 5]]);
  });
});

describe('TypeScript unverified decodes', () => {
  it('does not count logging, exp/iat/nbf, the header, existence checks or asserts as claims use', () => {
    const f = ts([
      "import assert from 'node:assert';",
      "import jwt from 'jsonwebtoken';",
      'const logger = console;',
      'export function a(t: string) { const p = jwt.decode(t) as any; logger.warn("bad token", { p }); }',
      'export function b(t: string) { const p = jwt.decode(t) as any; return p && p.exp < Date.now() / 1000; }',
      'export function c(t: string) { const { exp, iat } = jwt.decode(t) as any; return exp - iat; }',
      'export function d(t: string) { const full = jwt.decode(t, { complete: true }); return full?.header.kid; }',
      'export function e(t: string, id: string) { const p = jwt.decode(t) as any; assert(p.sub === id); if (!p) throw new Error("x"); }',
      'export function f(t: string) { const p = jwt.decode(t, { complete: true }) as any; return p.payload.role; }',
    ]);
    expect(decodes(f)).toEqual([
      [4, false, false, null],
      [5, false, false, null],
      [6, false, false, null],
      [7, false, false, null],
      [8, false, false, null],
      [9, true, false, null],
    ]);
  });

  it('pairs a decode in a helper with verifies in every same-file caller, and only then', () => {
    const f = ts([
      "import jwt from 'jsonwebtoken';",
      'function peek(token: string) { const p = jwt.decode(token); if (!p) throw new Error("x"); return p; }',
      'export function one(token: string, key: string) { const p = peek(token); jwt.verify(token, key); return p; }',
      'export function two(token: string, key: string) { const p = peek(token); jwt.verify(token, key); return p; }',
      'function peek2(token: string) { return jwt.decode(token); }',
      'export function three(token: string, key: string) { const p = peek2(token); jwt.verify(token, key); return p; }',
      'export function four(token: string) { return peek2(token); }',
      'export function peek3(token: string) { return jwt.decode(token); }',
    ]);
    expect(decodes(f)).toEqual([
      [2, true, true, null],
      [5, true, false, null],
      [8, true, false, null],
    ]);
  });

  it('pairs a branch-only decode with a verify in another method of the class, and a token read from a verified token', () => {
    const f = ts([
      "import jwt from 'jsonwebtoken';",
      'export class Provider {',
      '  route(code: string) { const p = jwt.decode(code) as any; if (p && p.iss === "x") return code; return null; }',
      '  user(token: string, key: string) { return jwt.verify(token, key); }',
      '}',
      'export class Guard {',
      '  allow(token: string) { const p = jwt.decode(token) as any; if (p.aud !== "w") return false; return true; }',
      '}',
      'export function cookie(c: string, key: string) { const outer = jwt.verify(c, key) as any; const inner = outer.provider; return (jwt.decode(inner) as any).sub; }',
    ]);
    expect(decodes(f)).toEqual([
      [3, true, true, null],
      [7, true, false, null],
      [9, true, true, null],
    ]);
  });

  it('marks back-channel id_tokens, response bodies and URL-only claims, but not a client-posted id_token', () => {
    const f = ts([
      "import jwt from 'jsonwebtoken';",
      'export function cb(params: { id_token: string }) { return (jwt.decode(params.id_token) as any).email; }',
      'export async function info(response: Response) { const text = await response.text(); return jwt.decode(text.trim()); }',
      'export function url(accessToken: string) { const p = jwt.decode(accessToken) as any; return fetch(`https://idp.test/${p.tid}/token`); }',
      'export function post(req: any) { const body = req.body; return (jwt.decode(body.id_token) as any).sub; }',
      'export function param(id_token: string) { return (jwt.decode(id_token) as any).sub; }',
    ]);
    expect(decodes(f)).toEqual([
      [2, true, false, 'id-token'],
      [3, true, false, 'provider-response'],
      [4, true, false, 'outbound-url'],
      [5, true, false, null],
      [6, true, false, null],
    ]);
  });

  it('marks front-end files, but not server files in a front-end folder', () => {
    const display = ["import { jwtDecode } from 'jwt-decode';", 'export const name = (t: string) => jwtDecode<{ name: string }>(t).name;'];
    expect(decodes(ts(["'use client';", ...display], 'src/banner.tsx'))).toEqual([[3, true, false, 'browser']]);
    expect(decodes(ts(["import { ref } from 'vue';", ...display], 'src/store.ts'))).toEqual([[3, true, false, 'browser']]);
    expect(decodes(ts(display, 'web-frontend/utils/name.ts'))).toEqual([[2, true, false, 'browser']]);
    expect(decodes(ts(display, 'frontend/middleware.ts'))).toEqual([[2, true, false, null]]);
    expect(decodes(ts(["import { NextResponse } from 'next/server';", ...display], 'frontend/app/api/me/route.ts'))).toEqual([[3, true, false, null]]);
    expect(decodes(ts(display, 'services/api/src/name.ts'))).toEqual([[2, true, false, null]]);
  });
});

describe('Python JWT libraries', () => {
  it('recognises djangorestframework-simplejwt token classes', async () => {
    const f = await py([
      'from rest_framework_simplejwt.tokens import AccessToken, RefreshToken',
      'def issue(user):',
      '    return str(RefreshToken.for_user(user))',
      'def check(raw):',
      '    return AccessToken(raw)["user_id"]',
      'def peek(raw):',
      '    return AccessToken(raw, verify=False)["user_id"]',
      'def fresh():',
      '    return RefreshToken()',
    ]);
    expect(ops(f)).toEqual([
      ['django-simplejwt', 'sign', 3, null],
      ['django-simplejwt', 'verify', 5, null],
      ['django-simplejwt', 'decode-unverified', 7, null],
    ]);
    expect(decodes(f)).toEqual([[7, true, false, null]]);
  });

  it('recognises PyJWT instances and jwt.api_jwt', async () => {
    const f = await py([
      'import os',
      'import jwt',
      'from jwt import PyJWT',
      'K = os.environ["PY_SECRET"]',
      'def a(t):',
      '    return PyJWT().decode(t, K, algorithms=["HS256"])',
      'def b(t):',
      '    return jwt.PyJWT().decode(t, K, algorithms=["HS256"])',
      'def c(t):',
      '    return jwt.api_jwt.decode(t, K, algorithms=["HS256"])',
    ]);
    expect(ops(f)).toEqual([
      ['pyjwt', 'verify', 6, 'env'],
      ['pyjwt', 'verify', 8, 'env'],
      ['pyjwt', 'verify', 10, 'env'],
    ]);
  });
});

describe('Python unverified decodes', () => {
  const OFF = 'options={"verify_signature": False}';

  it('does not count logging, exp/iat/nbf, existence checks or asserts as claims use', async () => {
    const f = await py([
      'import logging',
      'import time',
      'import jwt',
      'logger = logging.getLogger(__name__)',
      'def a(t):',
      `    p = jwt.decode(t, ${OFF})`,
      '    logger.info("rejected", extra={"token": p})',
      'def b(t, uid):',
      `    p = jwt.decode(t, ${OFF})`,
      '    assert p["sub"] == uid',
      '    exp = p.get("exp")',
      '    return exp and exp < time.time()',
      'def c(t):',
      `    p = jwt.decode(t, ${OFF})`,
      '    if not p:',
      '        raise ValueError("x")',
      '    return p["role"]',
    ]);
    expect(decodes(f)).toEqual([
      [6, false, false, null],
      [9, false, false, null],
      [14, true, false, null],
    ]);
  });

  it('pairs a helper decode with verifying callers, a branch decode with a verify in the class, and a token inside a verified token', async () => {
    const f = await py([
      'import jwt',
      'def _peek(token):',
      `    return jwt.decode(token, ${OFF})`,
      'def user_for(token, key):',
      '    claims = _peek(token)',
      '    jwt.decode(token, key, algorithms=["HS256"])',
      '    return claims["sub"]',
      'class Provider:',
      '    def route(self, code):',
      `        p = jwt.decode(code, ${OFF})`,
      '        if p.get("iss") == "x":',
      '            return code',
      '    def user(self, token, key):',
      '        return jwt.decode(token, key, algorithms=["RS256"])',
      'def cookie(c, key):',
      '    outer = jwt.decode(c, key, algorithms=["HS256"])',
      '    inner = outer["provider"]',
      `    return jwt.decode(inner, ${OFF})["sub"]`,
      'def lonely(token):',
      `    return jwt.decode(token, ${OFF})`,
    ]);
    expect(decodes(f)).toEqual([
      [3, true, true, null],
      [10, true, true, null],
      [18, true, true, null],
      [20, true, false, null],
    ]);
  });

  it('marks back-channel id_tokens, response bodies and URL-only claims, but not a client-posted id_token', async () => {
    const f = await py([
      'import jwt',
      'import requests',
      'def exchange(code):',
      '    tokens = requests.post("https://idp.test/token", data={"code": code}).json()',
      `    return jwt.decode(tokens["id_token"], ${OFF})["email"]`,
      'def info(access):',
      '    resp = requests.get("https://idp.test/userinfo")',
      `    return jwt.decode(resp.text, ${OFF})`,
      'def url(access):',
      `    p = jwt.decode(access, ${OFF})`,
      '    return f"https://idp.test/{p[\'tid\']}/token"',
      'async def post(request):',
      '    payload = await request.json()',
      `    return jwt.decode(payload["id_token"], ${OFF})["sub"]`,
    ]);
    expect(decodes(f)).toEqual([
      [5, true, false, 'id-token'],
      [8, true, false, 'provider-response'],
      [10, true, false, 'outbound-url'],
      [14, true, false, null],
    ]);
  });
});
