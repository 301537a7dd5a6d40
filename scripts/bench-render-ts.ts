// Renders one planned TypeScript module of the benchmark corpus: ordinary code plus its planned secret reads and JWT calls.
import { exportNames, tsSpecifier, type Module } from './bench-plan.js';
import { Prng } from './bench-prng.js';

type Block = string[];

function fillers(noun: string, id: number): ((n: number, k: number) => Block)[] {
  const N = noun.charAt(0).toUpperCase() + noun.slice(1);
  const U = noun.toUpperCase();
  return [
    (n, k) => [
      `export function aggregate${N}${id}_${n}(values: readonly number[], factor: number): number {`,
      '  let total = 0;',
      '  for (const value of values) {',
      '    if (value > factor) {',
      '      total += value * factor;',
      '    } else if (value === factor) {',
      '      total += 1;',
      '    } else {',
      `      total -= Math.min(value, ${k});`,
      '    }',
      '  }',
      '  return Math.round(total / Math.max(values.length, 1));',
      '}',
    ],
    (n) => [
      `interface ${N}Entry${n} {`,
      '  id: string;',
      '  count: number;',
      '  tags: string[];',
      '  createdAt: Date;',
      '  owner?: { id: string; email: string };',
      '}',
      '',
      `function summarize${N}${n}(entries: ${N}Entry${n}[]): Map<string, number> {`,
      '  const result = new Map<string, number>();',
      '  for (const entry of entries) {',
      "    const key = entry.tags.length > 0 ? entry.tags[0] : 'untagged';",
      '    result.set(key, (result.get(key) ?? 0) + entry.count);',
      '  }',
      '  return result;',
      '}',
    ],
    (n, k) => [
      `export class ${N}Cache${n} {`,
      '  private readonly store = new Map<string, { value: number; expires: number }>();',
      '',
      `  constructor(private readonly ttlMs: number = ${k * 1000}) {}`,
      '',
      '  get(key: string, now: number = Date.now()): number | undefined {',
      '    const hit = this.store.get(key);',
      '    if (!hit || hit.expires < now) {',
      '      this.store.delete(key);',
      '      return undefined;',
      '    }',
      '    return hit.value;',
      '  }',
      '',
      '  set(key: string, value: number, now: number = Date.now()): void {',
      '    this.store.set(key, { value, expires: now + this.ttlMs });',
      '  }',
      '',
      '  get size(): number {',
      '    return this.store.size;',
      '  }',
      '}',
    ],
    (n, k) => [
      `async function fetch${N}${n}(ids: string[], attempts = ${(k % 5) + 1}): Promise<string[]> {`,
      '  const out: string[] = [];',
      '  for (const id of ids) {',
      '    let attempt = 0;',
      '    while (attempt < attempts) {',
      '      try {',
      '        const value = await Promise.resolve(`${id}:${attempt}`);',
      '        out.push(value);',
      '        break;',
      '      } catch (error) {',
      '        attempt += 1;',
      '        if (attempt >= attempts) throw new Error(`failed ${id}: ${String(error)}`);',
      '      }',
      '    }',
      '  }',
      '  return out;',
      '}',
    ],
    (n) => [
      `enum ${N}State${n} {`,
      "  Pending = 'pending',",
      "  Active = 'active',",
      "  Closed = 'closed',",
      '}',
      '',
      `function next${N}State${n}(state: ${N}State${n}, flag: boolean): ${N}State${n} {`,
      '  switch (state) {',
      `    case ${N}State${n}.Pending:`,
      `      return flag ? ${N}State${n}.Active : state;`,
      `    case ${N}State${n}.Active:`,
      `      return flag ? state : ${N}State${n}.Closed;`,
      '    default:',
      '      return state;',
      '  }',
      '}',
    ],
    (n, k) => [
      `const ${U}_DEFAULTS_${n} = {`,
      `  retries: ${k % 7},`,
      `  timeoutMs: ${k * 100},`,
      "  regions: ['eu-west-1', 'us-east-1', 'ap-south-1'],",
      '  features: { audit: true, cache: false },',
      '} as const;',
      '',
      `export function pick${N}Regions${n}(prefix: string): string[] {`,
      `  return ${U}_DEFAULTS_${n}.regions`,
      '    .filter((region) => region.startsWith(prefix))',
      '    .map((region) => region.toUpperCase());',
      '}',
    ],
    (n) => [
      `type ${N}Result${n}<T> = { ok: true; value: T } | { ok: false; error: string };`,
      '',
      `function wrap${N}${n}<T>(fn: () => T): ${N}Result${n}<T> {`,
      '  try {',
      '    return { ok: true, value: fn() };',
      '  } catch (error) {',
      '    return { ok: false, error: error instanceof Error ? error.message : String(error) };',
      '  }',
      '}',
    ],
    (n, k) => [
      `export function digest${N}${n}(parts: string[]): string {`,
      "  const hash = createHash('sha256');",
      '  for (const part of [...parts].sort()) {',
      '    hash.update(part);',
      `    hash.update('${k}');`,
      '  }',
      "  return hash.digest('hex').slice(0, 16);",
      '}',
    ],
  ];
}

function baseBlock(m: Module): Block {
  const { cls, fns, limit } = exportNames(m);
  return [
    `export const ${limit} = ${(m.id % 97) + 10};`,
    '',
    `export function ${fns[0]}(value: number, label: string): number {`,
    `  const base = value * ${(m.id % 13) + 2} + label.length;`,
    `  return base > ${limit} ? base % ${limit} : base;`,
    '}',
    '',
    `export function ${fns[1]}(value: number, label: string): number {`,
    `  return Math.max(0, Math.min(value, ${limit})) + label.trim().length;`,
    '}',
    '',
    `export function ${fns[2]}(value: number, label: string): number {`,
    '  let score = 0;',
    '  for (let i = 0; i < label.length; i += 1) {',
    '    score += label.charCodeAt(i) % (value + 1);',
    '  }',
    '  return score;',
    '}',
    '',
    `export class ${cls} {`,
    '  private readonly history: number[] = [];',
    '',
    '  constructor(private readonly name: string) {}',
    '',
    '  run(value: number): number {',
    `    const result = ${fns[0]}(value, this.name) + ${fns[1]}(value, this.name);`,
    '    this.history.push(result);',
    '    return result;',
    '  }',
    '',
    '  get last(): number | undefined {',
    '    return this.history[this.history.length - 1];',
    '  }',
    '}',
  ];
}

function tsSecretFunction(m: Module): string {
  return m.special === 'ts-env' ? 'getJwtSecret' : `loadJwtSecret${m.id}`;
}

function secretBlock(m: Module): Block {
  const [a, b] = m.secretNames;
  const fn = tsSecretFunction(m);
  const head = `export function ${fn}(stage = 'production'): string | undefined {`;
  switch (m.secretForm) {
    case 'process.env':
      return [head, `  return process.env.${a};`, '}'];
    case 'process.env[]':
      return [head, `  return process.env['${a}'];`, '}'];
    case 'fallback-??':
      return [head, `  return process.env.${a} ?? process.env.${b};`, '}'];
    case 'template-pattern':
      return [head, '  return process.env[`JWT_SECRET_${stage.toUpperCase()}`];', '}'];
    case 'destructure':
      return [head, `  const { ${a}, ${b} } = process.env;`, `  return ${a} ?? ${b};`, '}'];
    case 'configService.get':
      return [
        '@Injectable()',
        `export class JwtSettings${m.id} {`,
        '  constructor(private readonly configService: ConfigService) {}',
        '',
        '  secret(): string | undefined {',
        `    return this.configService.get<string>('${a}');`,
        '  }',
        '}',
        '',
        head,
        `  return new JwtSettings${m.id}(new ConfigService()).secret();`,
        '}',
      ];
    default:
      return [];
  }
}

function jwtBlock(m: Module, keyCall: string): Block {
  return [
    `export function issueToken${m.id}(subject: string, secret: string): string {`,
    `  return jwt.sign({ sub: subject, scope: '${m.area}' }, secret, { expiresIn: '1h' });`,
    '}',
    '',
    `export function checkToken${m.id}(token: string): string | jwt.JwtPayload {`,
    `  const secret = ${keyCall};`,
    '  if (!secret) {',
    "    throw new Error('JWT secret is not configured');",
    '  }',
    '  return jwt.verify(token, secret);',
    '}',
  ];
}

function combineBlock(m: Module): Block {
  const lines = [`export function combine${m.id}(value: number): number {`, '  let acc = value;'];
  for (const edge of m.imports) {
    const names = exportNames(edge.target);
    lines.push(`  acc += ${names.fns[edge.fn]}(acc, 'combine');`);
    if (edge.withClass) lines.push(`  acc += new ${names.cls}('combine').run(acc);`);
  }
  lines.push('  return acc;', '}');
  return lines;
}

function testBlock(m: Module): Block {
  const lines = [`describe('${m.noun} ${m.suffix} ${m.id}', () => {`];
  for (const edge of m.imports) {
    const names = exportNames(edge.target);
    lines.push(
      `  it('${names.fns[edge.fn]} stays non-negative', () => {`,
      `    expect(${names.fns[edge.fn]}(3, 'test')).toBeGreaterThanOrEqual(0);`,
      `    expect(new ${names.cls}('test').run(2)).toBeGreaterThanOrEqual(0);`,
      '  });',
    );
  }
  lines.push('});');
  return lines;
}

function importLines(m: Module, env: Module, body: Block[]): string[] {
  const imports: string[] = [];
  if (body.some((b) => b.some((l) => l.includes('createHash(')))) imports.push("import { createHash } from 'node:crypto';");
  if (m.secretForm === 'configService.get') {
    imports.push("import { Injectable } from '@nestjs/common';", "import { ConfigService } from '@nestjs/config';");
  }
  if (m.jwt) imports.push("import jwt from 'jsonwebtoken';");
  if (m.isTest) imports.push("import { describe, expect, it } from 'vitest';");
  for (const edge of m.imports) {
    const names = exportNames(edge.target);
    const bound = edge.withClass || m.isTest ? `${names.fns[edge.fn]}, ${names.cls}` : names.fns[edge.fn];
    imports.push(`import { ${bound} } from '${tsSpecifier(m, edge.target)}';`);
  }
  if (m.jwt && !m.secretForm) imports.push(`import { getJwtSecret } from '${tsSpecifier(m, env)}';`);
  return imports;
}

/** Renders a TypeScript module; `env` is the shared module exporting `getJwtSecret`. */
export function renderTypeScript(m: Module, env: Module): string {
  const prng = new Prng(m.seed);
  const body: Block[] = [];
  if (m.isTest) body.push(testBlock(m));
  body.push(baseBlock(m));
  if (m.secretForm) body.push(secretBlock(m));
  if (m.jwt) body.push(jwtBlock(m, m.secretForm ? `${tsSecretFunction(m)}()` : 'getJwtSecret()'));
  if (m.imports.length > 0 && !m.isTest) body.push(combineBlock(m));

  const makers = fillers(m.noun, m.id);
  const size = (): number => 1 + importLines(m, env, body).length + body.reduce((sum, b) => sum + b.length + 1, 0);
  for (let n = 1; size() < m.lines; n++) body.push(prng.pick(makers)(n, prng.int(1, 99)));

  const out = [`// ${m.noun} ${m.suffix} module ${m.id} of ${m.component.name} (generated for the jwtfrag benchmark).`, ...importLines(m, env, body)];
  for (const block of body) out.push('', ...block);
  return out.join('\n') + '\n';
}
