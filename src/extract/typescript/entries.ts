// Server and worker entry points in TypeScript/JavaScript (`NestFactory.create`, `express()`, `createServer`, …), for service detection.
import { ts } from './compiler.js';
import { type Ctx, calleeText, nodeLoc } from './context.js';

/** Module → the exported names (`default` for the default or CommonJS export) that start a server, and the framework they mean. */
const STARTERS: Record<string, { names: string[]; framework: string }> = {
  '@nestjs/core': { names: [], framework: 'nestjs' },
  express: { names: ['default', '*'], framework: 'express' },
  fastify: { names: ['default', '*', 'fastify'], framework: 'fastify' },
  koa: { names: ['default', '*'], framework: 'koa' },
  hono: { names: ['Hono'], framework: 'hono' },
  '@hono/node-server': { names: ['serve'], framework: 'hono' },
  http: { names: ['createServer'], framework: 'http' },
  'node:http': { names: ['createServer'], framework: 'http' },
  https: { names: ['createServer'], framework: 'http' },
  'node:https': { names: ['createServer'], framework: 'http' },
  ws: { names: ['WebSocketServer', 'Server'], framework: 'ws' },
  'socket.io': { names: ['Server', 'default', '*'], framework: 'socket.io' },
  '@hapi/hapi': { names: ['server', 'Server'], framework: 'hapi' },
  '@hocuspocus/server': { names: ['Server'], framework: 'hocuspocus' },
  'nest-commander': { names: ['CommandFactory'], framework: 'cli' },
  yargs: { names: ['default', '*'], framework: 'cli' },
  '@oclif/core': { names: ['run', 'execute'], framework: 'cli' },
};

function starterOf(ctx: Ctx, callee: ts.Expression): string | null {
  let root: ts.Expression = callee;
  let member: string | null = null;
  if (ts.isPropertyAccessExpression(root)) {
    member = root.name.text;
    root = root.expression;
  }
  if (!ts.isIdentifier(root)) return calleeText(callee) === 'Bun.serve' ? 'bun' : null;
  const binding = ctx.imports.get(root.text);
  const starter = binding ? STARTERS[binding.module] : undefined;
  if (!binding || !starter) return null;
  if (binding.module === 'nest-commander') return binding.imported === 'CommandFactory' && member !== null ? starter.framework : null;
  if (binding.module === '@nestjs/core') return binding.imported === 'NestFactory' && member?.startsWith('create') ? starter.framework : null;
  // `http.createServer`, `WebSocket.Server`: a member of a namespace or default import names the export.
  const exported = (binding.imported === '*' || binding.imported === 'default') && member !== null ? member : binding.imported;
  return starter.names.includes(exported) ? starter.framework : null;
}

/** Modules of command-line frameworks: a Nest context started next to one is a command-line tool. */
const CLI_MODULES = new Set(['nestjs-command', 'nest-commander', 'commander', 'yargs', '@oclif/core']);

/** Records a server entry when a call or `new` starts a server or application. */
export function visitServerEntry(ctx: Ctx, node: ts.CallExpression | ts.NewExpression): void {
  let framework = starterOf(ctx, node.expression);
  if (framework === null) return;
  if (framework === 'nestjs' && [...ctx.imports.values()].some((b) => CLI_MODULES.has(b.module))) framework = 'cli';
  (ctx.facts.serverEntries ??= []).push({ framework, loc: nodeLoc(ctx.sf, node.expression) });
}

/** Whether the file imports a module that can start a server (a cheap gate before the walk looks at calls). */
export function startsServers(ctx: Ctx): boolean {
  for (const binding of ctx.imports.values()) if (binding.module in STARTERS) return true;
  return ctx.sf.text.includes('Bun.serve');
}
