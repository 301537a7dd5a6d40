// Tests for the TypeScript/JavaScript extractor: env reads, fallback groups, JWT ops, tracing, imports, exports, suppressions.
import { describe, expect, it } from 'vitest';
import { extractTypeScript } from '../src/extract/typescript/index.js';
import type { FileFacts, JwtOp, ValueSource } from '../src/extract/facts.js';
import { parseSourceFile, typescriptLib } from '../src/extract/typescript-lib.js';

const OPTIONS = { envAccessors: { python: [], typescript: [] } };

function x(src: string, path = 'src/a.ts', typescript: string[] = []): FileFacts {
  return extractTypeScript(path, src, path.endsWith('.ts') || path.endsWith('.tsx') ? 'ts' : 'js', {
    envAccessors: { python: [], typescript },
  });
}

function reads(f: FileFacts): [string | null, string | null, string][] {
  return f.envReads.map((r) => [r.name, r.pattern, r.accessor]);
}

function names(f: FileFacts): (string | null)[] {
  return f.envReads.map((r) => r.name ?? r.pattern);
}

/** Sources with locations dropped, env reads replaced by their names. */
function sources(f: FileFacts, op: JwtOp | undefined): unknown[] {
  return (op?.key?.trace.sources ?? []).map((s: ValueSource) => {
    if (s.kind === 'env') {
      const read = f.envReads[s.read];
      // A member of an imported binding is an env read only if the model finds an env object behind the import.
      if (read.viaImport) return `import:${read.viaImport.module}#${read.viaImport.name}.${read.name ?? ''}`;
      return `env:${read.name ?? read.pattern}`;
    }
    if (s.kind === 'literal') return `literal:${s.length}`;
    if (s.kind === 'constant-derived') return `derived:${s.description}`;
    if (s.kind === 'import') return `import:${s.module}#${s.name}${s.path.map((p) => `.${p}`).join('')}${s.call ? '()' : ''}`;
    if (s.kind === 'slot') return `slot:${s.key}`;
    if (s.kind === 'env-object') return `env-object:${s.accessor}`;
    return `unknown:${s.text}`;
  });
}

function sourceLoc(op: JwtOp | undefined): unknown {
  const s = op?.key?.trace.sources[0];
  return s && s.kind !== 'env' ? s.loc : null;
}

function ops(f: FileFacts): [string, string, string | null][] {
  return f.jwtOps.map((o) => [o.op, o.library, o.scope]);
}

describe('parseSourceFile', () => {
  it('sets the parent of every node, JSDoc included, exactly as the compiler does', () => {
    const ts = typescriptLib();
    const text = [
      '/** The key. @param {string} name the name */',
      'export function key(name: string): string { return process.env[name] ?? `x${name}`; }',
      'const o = { a: [1, (2 + 3) as number], ...rest };',
      'class C<T> { @dec() m(/** p */ p?: T) { return () => this; } }',
    ].join('\n');
    for (const [path, language, kind] of [
      ['a.ts', 'ts', ts.ScriptKind.TS],
      ['a.js', 'js', ts.ScriptKind.JS],
    ] as const) {
      const expected = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
      const actual = parseSourceFile(path, text, language);
      const shape = (root: import('ts-morph').ts.Node): string[] => {
        const out: string[] = [];
        const visit = (node: import('ts-morph').ts.Node): void => {
          out.push(`${ts.SyntaxKind[node.kind]} ${node.pos}-${node.end} in ${node.parent ? `${ts.SyntaxKind[node.parent.kind]} ${node.parent.pos}` : '-'}`);
          ts.forEachChild(node, visit);
          for (const doc of (node as { jsDoc?: import('ts-morph').ts.Node[] }).jsDoc ?? []) visit(doc);
        };
        visit(root);
        return out;
      };
      const nodes = shape(actual);
      expect(nodes).toEqual(shape(expected));
      expect(nodes.filter((n) => n.startsWith('JSDoc')).length).toBeGreaterThan(1);
      expect(nodes.slice(1).every((n) => !n.endsWith(' in -'))).toBe(true);
    }
  });
});

describe('env reads: process.env and friends', () => {
  it('reads process.env.X with the span of the property name', () => {
    const f = x('const a = process.env.JWT_SECRET;\n');
    expect(reads(f)).toEqual([['JWT_SECRET', null, 'process.env']]);
    expect(f.envReads[0]).toMatchObject({ id: 0, defaultKind: 'none', group: null, scope: null });
    expect(f.envReads[0].loc).toEqual({ line: 1, column: 23, endLine: 1, endColumn: 33 });
  });

  it('reads element access with the string literal span including quotes', () => {
    const f = x("const a = process.env['JWT_SECRET'];\nconst b = process.env[`API_KEY`];\n");
    expect(reads(f)).toEqual([
      ['JWT_SECRET', null, 'process.env'],
      ['API_KEY', null, 'process.env'],
    ]);
    expect(f.envReads[0].loc).toEqual({ line: 1, column: 23, endLine: 1, endColumn: 35 });
  });

  it('reads each destructured property, with aliases and defaults', () => {
    const f = x("const { JWT_SECRET, API_KEY: apiKey = 'dev-key', ...rest } = process.env;\n");
    expect(reads(f)).toEqual([
      ['JWT_SECRET', null, 'process.env'],
      ['API_KEY', null, 'process.env'],
    ]);
    expect(f.envReads[1]).toMatchObject({ defaultKind: 'literal', defaultLength: 7 });
    expect(f.envReads[1].loc).toEqual({ line: 1, column: 21, endLine: 1, endColumn: 28 });
    expect(f.secretLiterals).toEqual([{ line: 1, column: 39, endLine: 1, endColumn: 48 }]);
  });

  it('reads import.meta.env, Bun.env, Deno.env.get and an aliased process.env', () => {
    const f = x(
      [
        'const a = import.meta.env.VITE_API_URL;',
        'const b = Bun.env.BUN_SECRET;',
        "const c = Deno.env.get('DENO_SECRET');",
        'const env = process.env;',
        'const d = env.ALIASED;',
      ].join('\n'),
    );
    expect(reads(f)).toEqual([
      ['VITE_API_URL', null, 'import.meta.env'],
      ['BUN_SECRET', null, 'Bun.env'],
      ['DENO_SECRET', null, 'Deno.env.get'],
      ['ALIASED', null, 'process.env'],
    ]);
    expect(f.envReads[2].loc).toEqual({ line: 3, column: 24, endLine: 3, endColumn: 37 });
  });

  it('does not count writes, deletes, unrelated get calls or wholly unknown names', () => {
    const f = x(
      [
        "process.env.NODE_ENV = 'test';",
        'delete process.env.OLD;',
        "const m = new Map(); m.get('JWT_SECRET');",
        'function f(k: string) { return process.env[k]; }',
      ].join('\n'),
    );
    expect(f.envReads).toEqual([]);
  });

  it('reads NestJS ConfigService getters by name, by injected type and with type arguments', () => {
    const f = x(
      [
        "import { ConfigService } from '@nestjs/config';",
        'export class S {',
        '  constructor(private readonly configService: ConfigService, private readonly cfg: ConfigService) {}',
        "  a() { return this.configService.get<string>('A_SECRET'); }",
        "  b() { return this.cfg.getOrThrow('B_SECRET'); }",
        '}',
        "function c(conf: ConfigService) { return conf.get('C_SECRET'); }",
        "const d = config.get('D_SECRET');",
      ].join('\n'),
    );
    expect(reads(f)).toEqual([
      ['A_SECRET', null, 'configService.get'],
      ['B_SECRET', null, 'configService.getOrThrow'],
      ['C_SECRET', null, 'configService.get'],
      ['D_SECRET', null, 'config.get'],
    ]);
    expect(f.envReads.map((r) => r.scope)).toEqual(['S.a', 'S.b', 'c', null]);
  });

  it('reads configured accessors, normalising calls and locals assigned from calls', () => {
    const src = ['const s = getSecrets();', "const a = s.read('A_SECRET');", "const b = getSecrets().read('B_SECRET');", "const c = other.read('C');"].join(
      '\n',
    );
    expect(reads(x(src))).toEqual([]);
    expect(reads(x(src, 'src/a.ts', ['getSecrets().read']))).toEqual([
      ['A_SECRET', null, 'getSecrets().read'],
      ['B_SECRET', null, 'getSecrets().read'],
    ]);
  });

  it('reads ConfigService obtained from the Nest container, by the local name or by the call', () => {
    const f = x(
      [
        'async function bootstrap() {',
        '  const app = await NestFactory.create(AppModule);',
        '  const config = app.get(ConfigService);',
        '  const cs = app.get(ConfigService);',
        "  await app.listen(config.get('PORT') ?? 3000, cs.getOrThrow('HOST'));",
        "  const secret = app.get(ConfigService).get('JWT_SECRET');",
        '}',
      ].join('\n'),
    );
    expect(reads(f)).toEqual([
      ['PORT', null, 'configService.get'],
      ['HOST', null, 'configService.getOrThrow'],
      ['JWT_SECRET', null, 'configService.get'],
    ]);
  });

  it('reads envalid cleanEnv keys with defaults', () => {
    const f = x(
      [
        "import { cleanEnv, str, port } from 'envalid';",
        "export const env = cleanEnv(process.env, { JWT_SECRET: str(), PORT: port({ default: 3000 }), API_TOKEN: str({ default: 'abc' }) });",
      ].join('\n'),
    );
    expect(reads(f)).toEqual([
      ['JWT_SECRET', null, 'envalid'],
      ['PORT', null, 'envalid'],
      ['API_TOKEN', null, 'envalid'],
    ]);
    expect(f.envReads.map((r) => [r.defaultKind, r.defaultLength])).toEqual([
      ['none', undefined],
      ['literal', 4],
      ['literal', 3],
    ]);
    expect(f.envReads[0].loc).toEqual({ line: 2, column: 44, endLine: 2, endColumn: 54 });
  });

  it('reads t3-env createEnv server/client keys and z.object(...).parse(process.env)', () => {
    const f = x(
      [
        "import { createEnv } from '@t3-oss/env-nextjs';",
        "import { z } from 'zod';",
        'export const env = createEnv({',
        "  server: { JWT_SECRET: z.string().min(32), DB_URL: z.string().default('x') },",
        '  client: { NEXT_PUBLIC_URL: z.string() },',
        '  runtimeEnv: {},',
        '});',
        'const Schema = z.object({ SERVICE_SECRET: z.string() }).strict();',
        'export const parsed = Schema.parse(process.env);',
        'const other = z.object({ NOT_ENV: z.string() }).parse(body);',
      ].join('\n'),
    );
    expect(reads(f)).toEqual([
      ['JWT_SECRET', null, 'zod-env'],
      ['DB_URL', null, 'zod-env'],
      ['NEXT_PUBLIC_URL', null, 'zod-env'],
      ['SERVICE_SECRET', null, 'zod-env'],
    ]);
    expect(f.envReads[1]).toMatchObject({ defaultKind: 'literal', defaultLength: 1 });
  });
});

describe('env reads: dynamic names', () => {
  it('turns templates and concatenations into patterns and resolves constant names', () => {
    const f = x(
      [
        'const stage = getStage();',
        'const a = process.env[`JWT_${stage}_SECRET`];',
        "const b = process.env['JWT_SECRET_' + stage];",
        "const KEY = 'JWT_SECRET';",
        'const c = process.env[KEY];',
        "const PREFIX = 'JWT';",
        'const d = process.env[`${PREFIX}_KEY`];',
        "enum Keys { Jwt = 'ENUM_SECRET' }",
        'const e = process.env[Keys.Jwt];',
      ].join('\n'),
    );
    expect(f.envReads.map((r) => [r.name, r.pattern])).toEqual([
      [null, 'JWT_*_SECRET'],
      [null, 'JWT_SECRET_*'],
      ['JWT_SECRET', null],
      ['JWT_KEY', null],
      ['ENUM_SECRET', null],
    ]);
    expect(f.envReads[0].loc).toEqual({ line: 2, column: 23, endLine: 2, endColumn: 44 });
  });

  it('makes patterns from configService.get with a dynamic key', () => {
    const f = x('function f(cs: ConfigService, t: string) { return cs.get(`${t}_JWT_SECRET`); }');
    expect(reads(f)).toEqual([[null, '*_JWT_SECRET', 'configService.get']]);
  });
});

describe('scopes', () => {
  it('qualifies scopes like the Python extractor: classes, nested functions, transparent callbacks', () => {
    const f = x(
      [
        'class Svc {',
        '  key = process.env.FIELD_A;',
        '  handler = () => process.env.FIELD_B;',
        '  run() { function inner() { return process.env.INNER; } [1].map(() => process.env.IN_CALLBACK); }',
        '}',
        'app.use((req) => process.env.MODULE_CALLBACK);',
        'const getSecret = () => process.env.ARROW;',
        'export default function () { return process.env.ANON_DEFAULT; }',
      ].join('\n'),
    );
    expect(f.envReads.map((r) => [r.name, r.scope])).toEqual([
      ['FIELD_A', 'Svc'],
      ['FIELD_B', 'Svc.handler'],
      ['INNER', 'Svc.run.inner'],
      ['IN_CALLBACK', 'Svc.run'],
      ['MODULE_CALLBACK', null],
      ['ARROW', 'getSecret'],
      ['ANON_DEFAULT', null],
    ]);
  });
});

describe('fallback groups and defaults', () => {
  it('groups a ?? chain in order with a literal final fallback', () => {
    const f = x("const secret = process.env.JWT_SECRET ?? process.env.JWT_SECRET_KEY ?? 'dev';\n");
    expect(names(f)).toEqual(['JWT_SECRET', 'JWT_SECRET_KEY']);
    expect(f.envReads.map((r) => [r.defaultKind, r.group])).toEqual([
      ['env', 0],
      ['literal', 0],
    ]);
    expect(f.fallbackGroups).toEqual([
      {
        id: 0,
        reads: [0, 1],
        literalFallback: { length: 3, loc: { line: 1, column: 72, endLine: 1, endColumn: 77 } },
        loc: { line: 1, column: 16, endLine: 1, endColumn: 77 },
        form: '??',
      },
    ]);
    expect(f.secretLiterals).toEqual([{ line: 1, column: 72, endLine: 1, endColumn: 77 }]);
  });

  it('groups || chains of mixed accessors', () => {
    const f = x("const s = process.env.WEBSOCKET_JWT_SECRET || import.meta.env.JWT_SECRET || configService.get('JWT_KEY');");
    expect(f.fallbackGroups.map((g) => [g.form, g.reads, g.literalFallback])).toEqual([['||', [0, 1, 2], null]]);
    expect(f.envReads.map((r) => r.defaultKind)).toEqual(['env', 'env', 'none']);
  });

  it('groups nested get defaults', () => {
    const f = x("const s = config.get('JWT_SECRET', config.get('JWT_KEY', 'fallback'));");
    expect(names(f)).toEqual(['JWT_SECRET', 'JWT_KEY']);
    expect(f.fallbackGroups).toEqual([
      {
        id: 0,
        reads: [0, 1],
        literalFallback: { length: 8, loc: { line: 1, column: 58, endLine: 1, endColumn: 68 } },
        loc: { line: 1, column: 11, endLine: 1, endColumn: 70 },
        form: 'nested-default',
      },
    ]);
  });

  it('groups one read with a final string literal, like Python `or`, and folds nested defaults into an outer chain', () => {
    const f = x(
      ["const a = process.env.JWT_SECRET || 'dev';", "const b = config.get('A_SECRET', config.get('B_SECRET')) ?? process.env.C_SECRET ?? 'zz';"].join('\n'),
    );
    expect(f.fallbackGroups.map((g) => [g.form, g.reads, g.literalFallback?.length ?? null])).toEqual([
      ['||', [0], 3],
      ['??', [1, 2, 3], 2],
    ]);
    expect(f.secretLiterals).toEqual([
      { line: 1, column: 37, endLine: 1, endColumn: 42 },
      { line: 2, column: 85, endLine: 2, endColumn: 89 },
    ]);
  });

  it('reads one name per literal in a loop or array callback, grouped as a loop (the Python twin)', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        "const NAMES = ['JWT_SECRET', 'JWT_SECRET_KEY'] as const;",
        'function secret() {',
        '  for (const k of NAMES) { const v = process.env[k]; if (v) return v; }',
        "  throw new Error('missing');",
        '}',
        "const viaFind = ['WS_SECRET', 'JWT_SECRET'].map((n) => config.get(n)).find(Boolean);",
        'jwt.verify(t, secret());',
      ].join('\n'),
    );
    expect(f.envReads.map((r) => [r.name, r.accessor, r.scope, r.group])).toEqual([
      ['JWT_SECRET', 'process.env', 'secret', 0],
      ['JWT_SECRET_KEY', 'process.env', 'secret', 0],
      ['WS_SECRET', 'config.get', null, 1],
      ['JWT_SECRET', 'config.get', null, 1],
    ]);
    expect(f.envReads[1].loc).toEqual({ line: 2, column: 30, endLine: 2, endColumn: 46 });
    expect(f.fallbackGroups.map((g) => [g.form, g.reads, g.loc])).toEqual([
      ['loop', [0, 1], { line: 2, column: 15, endLine: 2, endColumn: 47 }],
      ['loop', [2, 3], { line: 7, column: 17, endLine: 7, endColumn: 44 }],
    ]);
    expect(sources(f, f.jwtOps[0])).toEqual(['env:JWT_SECRET', 'env:JWT_SECRET_KEY']);
  });

  it('records single-read defaults without a group and keeps non-secret literals out of secretLiterals', () => {
    const f = x('const port = process.env.PORT ?? 3000;\nconst host = process.env.HOST || computeHost();\n');
    expect(f.envReads.map((r) => [r.name, r.defaultKind, r.defaultLength, r.group])).toEqual([
      ['PORT', 'literal', 4, null],
      ['HOST', 'expression', undefined, null],
    ]);
    expect(f.fallbackGroups).toEqual([]);
    expect(f.secretLiterals).toEqual([]);
  });
});

describe('JWT operations: jsonwebtoken', () => {
  it('finds default-import sign/verify/decode with the method-name span and traces keys through locals', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        'const SECRET = process.env.JWT_SECRET!;',
        'export function issue(user: { id: string }) {',
        "  return jwt.sign({ sub: user.id }, SECRET, { expiresIn: '1h' });",
        '}',
        'export function check(token: string) {',
        '  const key = process.env.JWT_VERIFY_KEY;',
        '  return jwt.verify(token, key);',
        '}',
      ].join('\n'),
    );
    expect(ops(f)).toEqual([
      ['sign', 'jsonwebtoken', 'issue'],
      ['verify', 'jsonwebtoken', 'check'],
    ]);
    expect(f.jwtOps[0].loc).toEqual({ line: 4, column: 14, endLine: 4, endColumn: 18 });
    expect(f.jwtOps[0].key?.loc).toEqual({ line: 4, column: 37, endLine: 4, endColumn: 43 });
    expect(sources(f, f.jwtOps[0])).toEqual(['env:JWT_SECRET']);
    expect(sources(f, f.jwtOps[1])).toEqual(['env:JWT_VERIFY_KEY']);
  });

  it('finds namespace, named and require forms', () => {
    const ns = x("import * as jwt from 'jsonwebtoken';\njwt.verify(t, process.env.A_SECRET);");
    const named = x("import { sign as signToken, decode } from 'jsonwebtoken';\nsignToken(p, process.env.B_SECRET);\ndecode(t);");
    const req = x(
      "const jwt = require('jsonwebtoken');\nconst { verify } = require('jsonwebtoken');\njwt.sign(p, 'literal-secret');\nverify(t, k);",
      'src/a.js',
    );
    expect(ops(ns)).toEqual([['verify', 'jsonwebtoken', null]]);
    expect(ops(named)).toEqual([
      ['sign', 'jsonwebtoken', null],
      ['decode-unverified', 'jsonwebtoken', null],
    ]);
    expect(named.jwtOps[0].loc).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 10 });
    expect(named.jwtOps[1].key).toBeNull();
    expect(ops(req)).toEqual([
      ['sign', 'jsonwebtoken', null],
      ['verify', 'jsonwebtoken', null],
    ]);
    expect(sources(req, req.jwtOps[0])).toEqual(['literal:14']);
    expect(sources(req, req.jwtOps[1])).toEqual(['unknown:global k']);
    expect(req.secretLiterals).toEqual([{ line: 3, column: 13, endLine: 3, endColumn: 29 }]);
  });

  it('ignores calls on an object named jwt without a JWT import', () => {
    const f = x('const jwt = makeHelper();\njwt.sign(p, process.env.JWT_SECRET);\njwt.verify(t, k);');
    expect(f.jwtOps).toEqual([]);
    expect(names(f)).toEqual(['JWT_SECRET']);
  });
});

describe('JWT operations: jose and constant-derived keys', () => {
  it('finds the SignJWT chain, jwtVerify and decodeJwt and traces TextEncoder keys', () => {
    const f = x(
      [
        "import { SignJWT, jwtVerify, decodeJwt } from 'jose';",
        'const secret = new TextEncoder().encode(process.env.JOSE_SECRET);',
        "const fixed = new TextEncoder().encode('not-a-real-secret');",
        'export async function issue() {',
        "  return await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('2h').sign(secret);",
        '}',
        'export async function check(t: string) { return jwtVerify(t, fixed); }',
        'export function peek(t: string) { return decodeJwt(t).sub; }',
      ].join('\n'),
    );
    expect(ops(f)).toEqual([
      ['sign', 'jose', 'issue'],
      ['verify', 'jose', 'check'],
      ['decode-unverified', 'jose', 'peek'],
    ]);
    expect(f.jwtOps[0].loc).toEqual({ line: 5, column: 99, endLine: 5, endColumn: 103 });
    expect(sources(f, f.jwtOps[0])).toEqual(['env:JOSE_SECRET']);
    expect(sources(f, f.jwtOps[1])).toEqual(['derived:TextEncoder of a literal']);
    expect(f.jwtOps[2]).toMatchObject({ key: null, claimsUsed: true, verifiedSameToken: false });
    expect(f.secretLiterals).toEqual([{ line: 3, column: 40, endLine: 3, endColumn: 59 }]);
  });

  it('treats hashes of literals and Buffer.from of literals as constant-derived, of env as env', () => {
    const f = x(
      [
        "import * as jwt from 'jsonwebtoken';",
        "import { createHash } from 'node:crypto';",
        "const k1 = createHash('sha256').update('fixed-seed').digest('hex');",
        "const k2 = Buffer.from('fixed-buffer');",
        "const k3 = crypto.createHash('sha256').update(process.env.SEED_SECRET).digest();",
        "const k4 = 'abc' + 'def';",
        'jwt.sign(p, k1); jwt.sign(p, k2); jwt.sign(p, k3); jwt.sign(p, k4);',
      ].join('\n'),
    );
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([
      ['derived:hash of a literal'],
      ['derived:Buffer.from of a literal'],
      ['env:SEED_SECRET'],
      ['derived:concatenation of literals'],
    ]);
    expect(sourceLoc(f.jwtOps[0])).toEqual({ line: 3, column: 12, endLine: 3, endColumn: 67 });
  });
});

describe('JWT operations: NestJS', () => {
  const nest = [
    "import { Module, Injectable } from '@nestjs/common';",
    "import { JwtModule, JwtService } from '@nestjs/jwt';",
    "import { ConfigService } from '@nestjs/config';",
    '@Module({ imports: [JwtModule.registerAsync({ inject: [ConfigService],',
    "  useFactory: (config: ConfigService) => ({ secret: config.get<string>('JWT_SECRET') ?? config.get('JWT_SECRET_KEY') }) })] })",
    'export class AuthModule {}',
    '@Injectable() export class WsJwtGuard { constructor(private readonly jwt: JwtService, private readonly cfg: ConfigService) {}',
    '  canActivate(ctx) { const token = ctx.switchToWs().getClient().handshake.auth.token;',
    "    return !!this.jwt.verify(token, { secret: this.cfg.get('WEBSOCKET_JWT_SECRET') }); } }",
  ].join('\n');

  it('handles the registerAsync factory and the injected JwtService/ConfigService guard', () => {
    const f = x(nest, 'apps/api/src/auth/auth.module.ts');
    expect(reads(f)).toEqual([
      ['JWT_SECRET', null, 'configService.get'],
      ['JWT_SECRET_KEY', null, 'configService.get'],
      ['WEBSOCKET_JWT_SECRET', null, 'configService.get'],
    ]);
    expect(f.fallbackGroups.map((g) => [g.form, g.reads])).toEqual([['??', [0, 1]]]);
    expect(ops(f)).toEqual([
      ['configure', '@nestjs/jwt', null],
      ['verify', '@nestjs/jwt', 'WsJwtGuard.canActivate'],
    ]);
    expect(f.jwtOps[0].loc).toEqual({ line: 4, column: 31, endLine: 4, endColumn: 44 });
    expect(sources(f, f.jwtOps[0])).toEqual(['env:JWT_SECRET', 'env:JWT_SECRET_KEY']);
    expect(sources(f, f.jwtOps[1])).toEqual(['env:WEBSOCKET_JWT_SECRET']);
    expect(f.envReads[2].loc).toEqual({ line: 9, column: 60, endLine: 9, endColumn: 82 });
  });

  it('handles register, block-bodied factories and JwtService sign/verify/decode', () => {
    const f = x(
      [
        "import { JwtModule, JwtService } from '@nestjs/jwt';",
        'JwtModule.register({ secret: process.env.SYNC_SECRET });',
        'JwtModule.registerAsync({ useFactory: async (c: ConfigService) => { const s = c.get("ASYNC_SECRET"); return { secret: s, signOptions: {} }; } });',
        'JwtModule.register({ signOptions: {} });',
        'class Auth {',
        '  constructor(private jwtService: JwtService) {}',
        '  issue(p: object) { return this.jwtService.signAsync(p, { secret: process.env.SIGN_SECRET }); }',
        '  check(t: string) { return this.jwtService.verifyAsync(t); }',
        '  peek(t: string) { const payload = this.jwtService.decode(t); return payload; }',
        '}',
      ].join('\n'),
    );
    expect(ops(f)).toEqual([
      ['configure', '@nestjs/jwt', null],
      ['configure', '@nestjs/jwt', null],
      ['configure', '@nestjs/jwt', null],
      ['sign', '@nestjs/jwt', 'Auth.issue'],
      ['verify', '@nestjs/jwt', 'Auth.check'],
      ['decode-unverified', '@nestjs/jwt', 'Auth.peek'],
    ]);
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['env:SYNC_SECRET'], ['env:ASYNC_SECRET'], [], ['env:SIGN_SECRET'], [], []]);
    expect(f.jwtOps[2].key).toBeNull();
    expect(f.jwtOps[4].key).toBeNull();
    expect(f.jwtOps[5]).toMatchObject({ claimsUsed: true, verifiedSameToken: false });
  });

  it('finds passport-jwt secretOrKey in super() of a PassportStrategy class and in new Strategy()', () => {
    const f = x(
      [
        "import { PassportStrategy } from '@nestjs/passport';",
        "import { ExtractJwt, Strategy } from 'passport-jwt';",
        "import { Strategy as LocalStrategy } from 'passport-local';",
        'export class JwtStrategy extends PassportStrategy(Strategy) {',
        '  constructor(configService: ConfigService) {',
        "    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: configService.get('PASSPORT_SECRET') });",
        '  }',
        '}',
        'export class Local extends PassportStrategy(LocalStrategy) { constructor() { super({ usernameField: "email" }); } }',
        'passport.use(new Strategy({ secretOrKey: process.env.RAW_SECRET }, verifyCb));',
      ].join('\n'),
    );
    expect(ops(f)).toEqual([
      ['verify', 'passport-jwt', 'JwtStrategy.constructor'],
      ['verify', 'passport-jwt', null],
    ]);
    expect(f.jwtOps[0].loc).toEqual({ line: 6, column: 71, endLine: 6, endColumn: 82 });
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['env:PASSPORT_SECRET'], ['env:RAW_SECRET']]);
  });
});

describe('JWT operations: express-jwt, @fastify/jwt, jwt-decode', () => {
  it('recognises each library from its import', () => {
    const f = x(
      [
        "import { expressjwt } from 'express-jwt';",
        "import fastifyJwt from '@fastify/jwt';",
        "import { jwtDecode } from 'jwt-decode';",
        "app.use(expressjwt({ secret: process.env.EXPRESS_SECRET!, algorithms: ['HS256'] }));",
        'fastify.register(fastifyJwt, { secret: process.env.FASTIFY_SECRET });',
        'fastify.register(cors, { origin: true });',
        'export function who(t: string) { const user = jwtDecode(t); }',
      ].join('\n'),
    );
    expect(ops(f)).toEqual([
      ['verify', 'express-jwt', null],
      ['configure', '@fastify/jwt', null],
      ['decode-unverified', 'jwt-decode', 'who'],
    ]);
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['env:EXPRESS_SECRET'], ['env:FASTIFY_SECRET'], []]);
    expect(f.jwtOps[1].loc).toEqual({ line: 5, column: 9, endLine: 5, endColumn: 17 });
    expect(f.jwtOps[2]).toMatchObject({ claimsUsed: true, verifiedSameToken: false });
  });

  it('recognises the CommonJS express-jwt default and require of @fastify/jwt', () => {
    const f = x(
      "const jwt = require('express-jwt');\napp.use(jwt({ secret }));\nfastify.register(require('@fastify/jwt'), { secret: 'abc' });",
      'src/server.js',
    );
    expect(ops(f)).toEqual([
      ['verify', 'express-jwt', null],
      ['configure', '@fastify/jwt', null],
    ]);
    expect(sources(f, f.jwtOps[0])).toEqual(['unknown:global secret']);
    expect(sources(f, f.jwtOps[1])).toEqual(['literal:3']);
  });
});

describe('decode-unverified: claimsUsed and verifiedSameToken', () => {
  it('distinguishes used claims, unused decodes and decode-then-verify', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        'function a(t: string) { jwt.decode(t); }',
        'function b(t: string) { const decoded = jwt.decode(t); log("x"); }',
        'function c(t: string) { const decoded = jwt.decode(t) as any; return decoded.sub; }',
        'function d(req: any) { const header = jwt.decode(req.token, { complete: true }); jwt.verify(req.token, process.env.K_SECRET); }',
        'function e(t: string) { const sub = jwt.decode(t); }',
        'function g(t: string) { if (jwt.decode(t)?.role === "admin") return 1; }',
      ].join('\n'),
    );
    const decodes = f.jwtOps.filter((o) => o.op === 'decode-unverified');
    expect(decodes.map((o) => [o.scope, o.claimsUsed, o.verifiedSameToken])).toEqual([
      ['a', false, false],
      ['b', false, false],
      ['c', true, false],
      ['d', false, true],
      ['e', true, false],
      ['g', true, false],
    ]);
  });
});

describe('key tracing', () => {
  it('traces through class fields, constructor assignments, getters, methods and same-file functions', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        'function getSecret() { return process.env.FN_SECRET; }',
        'const arrow = () => process.env.ARROW_SECRET;',
        'class Svc {',
        '  private readonly field = process.env.FIELD_SECRET;',
        '  private ctorKey: string;',
        '  constructor(private readonly injected: string) { this.ctorKey = process.env.CTOR_SECRET ?? "x"; }',
        '  get key() { return process.env.GETTER_SECRET; }',
        '  secretFor() { return getSecret(); }',
        '  run(t: string) {',
        '    jwt.verify(t, this.field); jwt.verify(t, this.ctorKey); jwt.verify(t, this.key);',
        '    jwt.verify(t, this.secretFor()); jwt.verify(t, arrow()); jwt.verify(t, this.injected);',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([
      ['env:FIELD_SECRET'],
      ['env:CTOR_SECRET', 'literal:1'],
      ['env:GETTER_SECRET'],
      ['env:FN_SECRET'],
      ['env:ARROW_SECRET'],
      ['unknown:constructor parameter injected'],
    ]);
  });

  it('stops at a class member assigned from itself instead of following it forever', () => {
    // `this.current = this.current.next` made each hop a longer path of the same member: the file was dropped as nested too deeply.
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        'class Keys {',
        '  current: any = null;',
        '  constructor() { this.current = { secret: process.env.ROTATING_SECRET }; }',
        '  rotate() { this.current = this.current.next; }',
        '  sign(p: object) { return jwt.sign(p, this.current.secret); }',
        '}',
        'export const first = new Keys().current.value;',
      ].join('\n'),
    );
    expect(f.notifications).toEqual([]);
    // Each value the member is given, once: the field's null, the constructor's object, and one step
    // into the self-assignment (`next` of either), where the walk meets the assignment again and stops.
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['unknown:….secret', 'env:ROTATING_SECRET', 'unknown:….next.secret', 'unknown:property next']]);
  });

  it('traces key objects made from key material (node:crypto, jose) to the material', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        "import { createPublicKey } from 'node:crypto';",
        "import * as crypto from 'node:crypto';",
        "import { importSPKI, jwtVerify } from 'jose';",
        'export function a(t: string) { return jwt.verify(t, createPublicKey(process.env.VERIFY_PEM as string)); }',
        'export function b(p: object) { return jwt.sign(p, crypto.createPrivateKey(process.env.SIGN_PEM as string), { algorithm: "RS256" }); }',
        "export async function c(t: string) { return jwtVerify(t, await importSPKI(process.env.JOSE_PEM as string, 'RS256')); }",
      ].join('\n'),
    );
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['env:VERIFY_PEM'], ['env:SIGN_PEM'], ['env:JOSE_PEM']]);
  });

  it('traces a PEM key through the replace that restores its newlines, and LiveKit access tokens to the API secret', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        "import { AccessToken } from 'livekit-server-sdk';",
        "export function app(p: object) { return jwt.sign(p, (process.env.APP_PEM || '').replace(/\\\\n/g, '\\n'), { algorithm: 'RS256' }); }",
        'export function room(identity: string) { return new AccessToken(process.env.LIVEKIT_API_KEY, process.env.LIVEKIT_API_SECRET, { identity }); }',
      ].join('\n'),
    );
    expect(ops(f)).toEqual([
      ['sign', 'jsonwebtoken', expect.anything()],
      ['sign', 'livekit-server-sdk', expect.anything()],
    ]);
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['env:APP_PEM', 'literal:0'], ['env:LIVEKIT_API_SECRET']]);
  });

  it('traces imports, namespace members, calls of imported functions and config objects', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        "import { JWT_SECRET } from '@org/shared/config';",
        "import * as cfg from './settings';",
        "import loadKey from '../keys';",
        'const local = { jwt: { secret: process.env.OBJ_SECRET } };',
        'const { jwt: { secret: destructured } } = local;',
        'jwt.sign(p, JWT_SECRET); jwt.sign(p, cfg.auth.secret); jwt.sign(p, loadKey()); jwt.sign(p, local.jwt.secret);',
        'jwt.sign(p, destructured); jwt.sign(p, cfg.getKey());',
      ].join('\n'),
    );
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([
      ['import:@org/shared/config#JWT_SECRET'],
      ['import:./settings#auth.secret'],
      ['import:../keys#default()'],
      ['env:OBJ_SECRET'],
      ['env:OBJ_SECRET'],
      ['import:./settings#getKey()'],
    ]);
    expect(sourceLoc(f.jwtOps[0])).toEqual({ line: 7, column: 13, endLine: 7, endColumn: 23 });
  });

  it('traces a computed lookup in a same-file object to all its values, and JWT library results to unknown', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        'const KEYS: Record<string, string | undefined> = { current: process.env.KEY_CURRENT, previous: process.env.KEY_PREVIOUS };',
        'export function check(t: string, kid: string) { return jwt.verify(t, KEYS[kid]); }',
        'export function mint() { return jwt.sign({}, jwt.sign({}, process.env.INNER_SECRET!)); }',
      ].join('\n'),
    );
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([
      ['env:KEY_CURRENT', 'env:KEY_PREVIOUS'],
      ['unknown:result of jsonwebtoken.default.sign()'],
      ['env:INNER_SECRET'],
    ]);
    expect(f.exports.map((e) => e.name)).toEqual([]);
  });

  it('is cycle-safe and reports parameters as unknown', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        'function a(): string { return b(); }',
        'function b(): string { return a(); }',
        'export function verify(t: string, key: string) { jwt.verify(t, a()); jwt.verify(t, key); }',
      ].join('\n'),
    );
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['unknown:recursive or too deep'], ['unknown:parameter key']]);
  });
});

describe('schema-declared env objects and more NestJS forms', () => {
  it('traces env.KEY of cleanEnv/createEnv/parse results and exports their keys as attributes', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        "import { cleanEnv, str } from 'envalid';",
        "import { z } from 'zod';",
        'export const env = cleanEnv(process.env, { JWT_SECRET: str(), PORT: str() });',
        'const cfg = z.object({ ZOD_SECRET: z.string() }).safeParse(process.env);',
        'const { JWT_SECRET } = env;',
        'jwt.sign(p, env.JWT_SECRET); jwt.sign(p, JWT_SECRET); jwt.verify(t, cfg.data.ZOD_SECRET);',
      ].join('\n'),
    );
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['env:JWT_SECRET'], ['env:JWT_SECRET'], ['env:ZOD_SECRET']]);
    expect(f.exports.map((e) => [e.name, e.kind, e.value.sources])).toEqual([
      ['env.JWT_SECRET', 'attribute', [{ kind: 'env', read: 0 }]],
      ['env.PORT', 'attribute', [{ kind: 'env', read: 1 }]],
    ]);
  });

  it('groups a destructuring default that is another env read', () => {
    const f = x('const { JWT_SECRET = process.env.OLD_JWT_SECRET } = process.env;');
    expect(names(f)).toEqual(['JWT_SECRET', 'OLD_JWT_SECRET']);
    expect(f.fallbackGroups.map((g) => [g.form, g.reads])).toEqual([['nested-default', [0, 1]]]);
    expect(f.envReads[0].defaultKind).toBe('env');
  });

  it('treats new JwtService({ secret }) and registerAsync({ useClass }) as configure', () => {
    const f = x(
      [
        "import { JwtModule, JwtService, JwtOptionsFactory } from '@nestjs/jwt';",
        'class JwtConfig implements JwtOptionsFactory {',
        '  createJwtOptions() { return { secret: process.env.CLASS_SECRET }; }',
        '}',
        'JwtModule.registerAsync({ useClass: JwtConfig });',
        'const svc = new JwtService({ secret: process.env.MANUAL_SECRET });',
      ].join('\n'),
    );
    expect(ops(f)).toEqual([
      ['configure', '@nestjs/jwt', null],
      ['configure', '@nestjs/jwt', null],
    ]);
    expect(f.jwtOps.map((o) => sources(f, o))).toEqual([['env:CLASS_SECRET'], ['env:MANUAL_SECRET']]);
    expect(f.jwtOps[1].loc).toEqual({ line: 6, column: 17, endLine: 6, endColumn: 27 });
  });

  it('exports attributes of a module-level instance of a same-file class', () => {
    const f = x(
      [
        'class Settings {',
        '  jwtSecret = process.env.JWT_SECRET;',
        '  constructor() { this.wsSecret = process.env.WEBSOCKET_JWT_SECRET ?? process.env.JWT_SECRET; }',
        '}',
        'export const settings = new Settings();',
      ].join('\n'),
    );
    expect(f.exports.map((e) => [e.name, e.kind, e.value.sources])).toEqual([
      ['settings.jwtSecret', 'attribute', [{ kind: 'env', read: 0 }]],
      [
        'settings.wsSecret',
        'attribute',
        [
          { kind: 'env', read: 1 },
          { kind: 'env', read: 2 },
        ],
      ],
    ]);
  });
});

describe('exports', () => {
  it('records exported consts, functions, config attributes, classes, default and local re-exports', () => {
    const f = x(
      [
        "export const JWT_SECRET = process.env.JWT_SECRET ?? 'dev';",
        'export const router = makeRouter();',
        'export function getSecret() { return process.env.FN_SECRET; }',
        'export const config = { jwt: { secret: process.env.CFG_SECRET, ttl: 3600 }, name: "svc" };',
        'export class Settings { static SECRET = process.env.STATIC_SECRET; }',
        'const hidden = process.env.HIDDEN_SECRET;',
        'export { hidden as exposed };',
        'export default { key: process.env.DEFAULT_KEY };',
      ].join('\n'),
    );
    expect(f.exports.map((e) => [e.name, e.kind, e.value.sources.map((s) => s.kind)])).toEqual([
      ['JWT_SECRET', 'const', ['env', 'literal']],
      ['getSecret', 'function', ['env']],
      ['config.jwt.secret', 'attribute', ['env']],
      ['config.name', 'attribute', ['literal']],
      ['Settings.SECRET', 'attribute', ['env']],
      ['exposed', 'const', ['env']],
      ['default.key', 'attribute', ['env']],
    ]);
    expect(f.exports[0].loc).toEqual({ line: 1, column: 14, endLine: 1, endColumn: 24 });
    expect(f.secretLiterals).toEqual([{ line: 1, column: 53, endLine: 1, endColumn: 58 }]);
  });

  it('records re-exports as imports and CommonJS exports', () => {
    const esm = x("export { JWT_SECRET as SECRET, type Foo } from './config';\nexport * from './keys';\nexport * as ns from './ns';");
    expect(esm.exports.map((e) => [e.name, e.value.sources])).toEqual([
      ['SECRET', [{ kind: 'import', module: './config', name: 'JWT_SECRET', path: [], call: false, loc: { line: 1, column: 48, endLine: 1, endColumn: 58 } }]],
      ['*', [{ kind: 'import', module: './keys', name: '*', path: [], call: false, loc: { line: 2, column: 15, endLine: 2, endColumn: 23 } }]],
      ['ns', [{ kind: 'import', module: './ns', name: '*', path: [], call: false, loc: { line: 3, column: 21, endLine: 3, endColumn: 27 } }]],
    ]);
    const cjs = x(
      'const s = process.env.CJS_SECRET;\nmodule.exports = { s, key: process.env.CJS_KEY };\nexports.other = process.env.OTHER_SECRET;',
      'src/c.cjs',
    );
    expect(cjs.exports.map((e) => [e.name, e.kind, e.value.sources.map((s) => s.kind)])).toEqual([
      ['s', 'const', ['env']],
      ['key', 'const', ['env']],
      ['other', 'const', ['env']],
    ]);
  });
});

describe('imports', () => {
  it('records every import kind with bindings and flags', () => {
    const f = x(
      [
        "import jwt, { verify as v } from 'jsonwebtoken';",
        "import type { Request } from 'express';",
        "import { type A, type B } from './types';",
        "import { type C, D } from './mixed';",
        "import * as ns from '@org/api/src/internal';",
        "import './side-effect';",
        "import fs = require('fs');",
        "export { x } from './re';",
        'async function load() {',
        '  try {',
        "    const { a } = require('./lazy');",
        "    const mod = await import('./dyn');",
        '  } catch {}',
        '}',
        "const top = require('./top').thing;",
      ].join('\n'),
    );
    expect(f.imports.map((i) => [i.specifier, i.kind, i.typeOnly, i.inFunction, i.inTry])).toEqual([
      ['jsonwebtoken', 'static', false, false, false],
      ['express', 'static', true, false, false],
      ['./types', 'static', true, false, false],
      ['./mixed', 'static', false, false, false],
      ['@org/api/src/internal', 'static', false, false, false],
      ['./side-effect', 'static', false, false, false],
      ['fs', 'import-equals', false, false, false],
      ['./re', 're-export', false, false, false],
      ['./lazy', 'require', false, true, true],
      ['./dyn', 'dynamic', false, true, true],
      ['./top', 'require', false, false, false],
    ]);
    expect(f.imports[0].bindings).toEqual([
      { local: 'jwt', imported: 'default' },
      { local: 'v', imported: 'verify' },
    ]);
    expect(f.imports[4].bindings).toEqual([{ local: 'ns', imported: '*' }]);
    expect(f.imports[8].bindings).toEqual([{ local: 'a', imported: 'a' }]);
    expect(f.imports[9].bindings).toEqual([{ local: 'mod', imported: '*' }]);
    expect(f.imports[10].bindings).toEqual([{ local: 'top', imported: 'thing' }]);
    expect(f.imports[0].loc).toEqual({ line: 1, column: 34, endLine: 1, endColumn: 48 });
    expect(f.imports.every((i) => !i.inTypeChecking)).toBe(true);
  });
});

describe('suppressions, parse errors and locations', () => {
  it('reads line and block suppression comments but not strings', () => {
    const f = x(
      [
        '// jwtfrag-ignore secret-name-sprawl: legacy name kept for the mobile app',
        'const a = process.env.LEGACY_JWT_SECRET; /* jwtfrag-ignore hardcoded-jwt-secret */',
        "const s = 'jwtfrag-ignore not-a-comment: nope';",
        '/** jwtfrag-ignore dynamic-secret-name: per-tenant */',
        'function f() {}',
      ].join('\n'),
    );
    expect(f.suppressions).toEqual([
      {
        ruleId: 'secret-name-sprawl',
        reason: 'legacy name kept for the mobile app',
        line: 1,
        loc: { line: 1, column: 1, endLine: 1, endColumn: 74 },
      },
      { ruleId: 'hardcoded-jwt-secret', reason: null, line: 2, loc: { line: 2, column: 42, endLine: 2, endColumn: 83 } },
      { ruleId: 'dynamic-secret-name', reason: 'per-tenant', line: 4, loc: { line: 4, column: 1, endLine: 4, endColumn: 54 } },
    ]);
  });

  it('reports a parse error and still extracts from the recovered tree', () => {
    const f = x(["import jwt from 'jsonwebtoken';", 'const broken = (;', 'jwt.verify(t, process.env.AFTER_ERROR_SECRET);'].join('\n'));
    expect(f.notifications).toEqual([
      {
        level: 'warning',
        id: 'parse-error',
        message: 'syntax error at 2:17; facts were extracted from the parts that parse',
        file: 'src/a.ts',
        loc: { line: 2, column: 17, endLine: 2, endColumn: 18 },
      },
    ]);
    expect(names(f)).toEqual(['AFTER_ERROR_SECRET']);
    expect(ops(f)).toEqual([['verify', 'jsonwebtoken', null]]);
  });

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const f = x('const greeting = "héllo 😀"; const k = process.env.JWT_SECRET;\n');
    // "😀" is two UTF-16 code units, "é" one: the name starts at column 52.
    expect(f.envReads[0].loc).toEqual({ line: 1, column: 52, endLine: 1, endColumn: 62 });
  });

  it('parses JSX in .tsx and .jsx files', () => {
    const tsx = x('export const A = () => <div>{process.env.NEXT_PUBLIC_X}</div>;', 'src/a.tsx');
    const jsx = x('export const A = () => <div>{process.env.REACT_APP_X}</div>;', 'src/a.jsx');
    expect([names(tsx), names(jsx), tsx.notifications, jsx.notifications]).toEqual([['NEXT_PUBLIC_X'], ['REACT_APP_X'], [], []]);
  });

  it('never stores secret literal text', () => {
    const f = x(
      [
        "import jwt from 'jsonwebtoken';",
        "const k = process.env.JWT_SECRET ?? 'sup3r-s3cret-default';",
        "jwt.sign(p, 'hardc0ded-literal-key');",
        "jwt.verify(t, new TextEncoder().encode('encod3d-literal'));",
        "export const cfg = { secret: 'expo7ted-literal' };",
      ].join('\n'),
    );
    const json = JSON.stringify(f);
    for (const secret of ['sup3r-s3cret-default', 'hardc0ded-literal-key', 'encod3d-literal', 'expo7ted-literal']) {
      expect(json).not.toContain(secret);
    }
    expect(f.secretLiterals).toHaveLength(4);
  });
});

describe('a typical 200-line file', () => {
  it('yields every read, op and group (speed is measured by npm run bench)', () => {
    const lines: string[] = ["import jwt from 'jsonwebtoken';", "import { ConfigService } from '@nestjs/config';"];
    for (let i = 0; i < 20; i++) {
      lines.push(
        `export class Service${i} {`,
        '  constructor(private readonly config: ConfigService) {}',
        `  private readonly key = process.env.SECRET_${i} ?? process.env.FALLBACK_${i};`,
        `  sign(p: object) { return jwt.sign(p, this.key, { expiresIn: '1h' }); }`,
        `  verify(t: string) { return jwt.verify(t, this.config.get('VERIFY_${i}')); }`,
        '  helper(items: number[]) {',
        '    const out: number[] = [];',
        '    for (const item of items) if (item > 1) out.push(item * 2);',
        '    return out;',
        '  }',
        '}',
      );
    }
    const src = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(200);
    const f = x(src);
    expect(f.envReads).toHaveLength(60);
    expect(f.jwtOps).toHaveLength(40);
    expect(f.fallbackGroups).toHaveLength(20);
  });
});

describe('options', () => {
  it('uses the defaults even when no accessors are configured', () => {
    const f = extractTypeScript('a.ts', "const a = configService.get('X_SECRET');", 'ts', OPTIONS);
    expect(reads(f)).toEqual([['X_SECRET', null, 'configService.get']]);
  });
});
