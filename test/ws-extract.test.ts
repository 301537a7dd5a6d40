// WebSocket endpoint extraction: frameworks, paths, handlers, token sources, sessions, shared state and client identity.
import { describe, expect, it } from 'vitest';
import { extractPython } from '../src/extract/python/index.js';
import { extractTypeScript } from '../src/extract/typescript/index.js';
import type { FileFacts, WsEndpoint } from '../src/model/facts.js';

const OPTIONS = { envAccessors: { python: [] as string[], typescript: [] as string[] } };

function py(code: string, path = 'svc/app/routes/live.py'): Promise<FileFacts> {
  return extractPython(path, code, OPTIONS);
}

function tsx(code: string, path = 'apps/gw/src/socket.ts'): FileFacts {
  return extractTypeScript(path, code, 'ts', OPTIONS);
}

function summary(e: WsEndpoint): [string, string | null, string | null, number] {
  return [e.framework, e.path, e.handler, e.loc.line];
}

function sources(e: WsEndpoint): string[] {
  return e.tokenSources.map((s) => `${s.source}@${s.loc.line}:${s.loc.column}`);
}

describe('Python WebSocket endpoints', () => {
  it('finds the decorator, call, add_api_websocket_route and WebSocketRoute forms with paths and prefixes', async () => {
    const facts = await py(
      [
        'from fastapi import APIRouter, WebSocket, Query, Depends',
        'from starlette.routing import WebSocketRoute',
        'router = APIRouter(prefix="/live")',
        '',
        '@router.websocket("/ws/{room}")',
        'async def room_socket(websocket: WebSocket, room: str, token: str = Query(None)):',
        '    await websocket.accept()',
        '',
        'async def second(websocket: WebSocket):',
        '    auth = websocket.headers.get("authorization")',
        '',
        'async def third(websocket: WebSocket):',
        '    proto = websocket.headers["sec-websocket-protocol"]',
        '',
        'router.websocket("/v2")(second)',
        'router.add_api_websocket_route("/v3", third)',
        'routes = [WebSocketRoute("/raw", second)]',
      ].join('\n'),
    );
    expect(facts.wsEndpoints.map(summary)).toEqual([
      ['fastapi', '/live/ws/{room}', 'room_socket', 5],
      ['fastapi', '/live/v2', 'second', 15],
      ['fastapi', '/live/v3', 'third', 16],
      ['starlette', '/raw', 'second', 17],
    ]);
    expect(facts.wsEndpoints.map((e) => e.router ?? null)).toEqual(['router', 'router', 'router', null]);
    expect(sources(facts.wsEndpoints[0])).toEqual(['query@6:56']);
    expect(sources(facts.wsEndpoints[1])).toEqual(['header@10:34']);
    expect(sources(facts.wsEndpoints[2])).toEqual(['subprotocol@13:31']);
  });

  it('records query, first-message and cookie tokens, client identities and shared state', async () => {
    const facts = await py(
      [
        'import json',
        'from fastapi import APIRouter, WebSocket',
        'router = APIRouter()',
        'connections = {}',
        '',
        '@router.websocket("/ws")',
        'async def socket(websocket: WebSocket):',
        '    token = websocket.query_params.get("token")',
        '    session = websocket.cookies.get("sid")',
        '    hello = json.loads(await websocket.receive_text())',
        '    first = hello["access_token"]',
        '    user_id = hello["user_id"]',
        '    connections[user_id] = websocket',
      ].join('\n'),
    );
    const [e] = facts.wsEndpoints;
    expect(sources(e)).toEqual(['query@8:40', 'cookie@9:37', 'first-message@11:19']);
    expect(e.clientIdentity).toEqual([{ source: 'message', name: 'user_id', loc: { line: 12, column: 21, endLine: 12, endColumn: 30 } }]);
    expect(e.sharedState?.map((s) => [s.name, s.how, s.cleaned, s.loc.line])).toEqual([['connections', 'item-assign', false, 13]]);
  });

  it('marks a registry that is removed on disconnect as cleaned, through a module-level manager', async () => {
    const facts = await py(
      [
        'from fastapi import APIRouter, WebSocket, WebSocketDisconnect',
        'router = APIRouter()',
        'class Manager:',
        '    def __init__(self):',
        '        self.active = []',
        '    async def connect(self, ws):',
        '        self.active.append(ws)',
        '    def disconnect(self, ws):',
        '        self.active.remove(ws)',
        'manager = Manager()',
        '',
        '@router.websocket("/ws")',
        'async def socket(websocket: WebSocket):',
        '    await manager.connect(websocket)',
        '    try:',
        '        while True:',
        '            await websocket.receive_text()',
        '    except WebSocketDisconnect:',
        '        manager.disconnect(websocket)',
      ].join('\n'),
    );
    expect(facts.wsEndpoints[0].sharedState?.map((s) => [s.name, s.how, s.cleaned, s.loc.line])).toEqual([['Manager.active', 'append', true, 7]]);
  });

  it('records injected dependencies and sessions opened around the receive loop, not per message', async () => {
    const facts = await py(
      [
        'from fastapi import APIRouter, WebSocket, Depends',
        'from app.db import get_db, SessionLocal',
        'router = APIRouter()',
        '',
        '@router.websocket("/a")',
        'async def a(websocket: WebSocket, db=Depends(get_db)):',
        '    with SessionLocal() as session:',
        '        while True:',
        '            await websocket.receive_json()',
        '',
        '@router.websocket("/b")',
        'async def b(websocket: WebSocket):',
        '    while True:',
        '        await websocket.receive_json()',
        '        with SessionLocal() as session:',
        '            pass',
      ].join('\n'),
    );
    const [a, b] = facts.wsEndpoints;
    expect(a.dependencies?.map((d) => [d.name, d.module])).toEqual([['get_db', 'app.db']]);
    expect(a.dbSessions?.map((s) => [s.name, s.kind, s.loc.line])).toEqual([['SessionLocal', 'around-loop', 7]]);
    expect(b.dbSessions).toEqual([]);
  });

  it('records include_router mounts and function facts with imported calls', async () => {
    const facts = await py(
      [
        'from fastapi import FastAPI',
        'from app.routes import websocket',
        'from app.auth import authenticate_websocket',
        'app = FastAPI()',
        'app.include_router(websocket.router, prefix="/rt")',
        'def helper(ws):',
        '    return authenticate_websocket(ws)',
      ].join('\n'),
      'svc/app/main.py',
    );
    expect(facts.routerMounts?.map((m) => [m.router, m.module, m.imported, m.prefix])).toEqual([['websocket.router', 'app.routes', 'websocket', '/rt']]);
    expect(facts.functions?.map((f) => [f.name, f.calls.map((c) => `${c.name}@${c.module}`)])).toEqual([['helper', ['authenticate_websocket@app.auth']]]);
  });

  it('finds python-socketio connect handlers with the auth payload and WebSocketEndpoint classes', async () => {
    const facts = await py(
      [
        'import socketio',
        'from starlette.endpoints import WebSocketEndpoint',
        'sio = socketio.AsyncServer()',
        '@sio.event',
        'async def connect(sid, environ, auth):',
        '    token = auth["token"]',
        '',
        'class Feed(WebSocketEndpoint):',
        '    async def on_receive(self, websocket, data):',
        '        pass',
      ].join('\n'),
    );
    expect(facts.wsEndpoints.map(summary)).toEqual([
      ['python-socketio', '/', 'connect', 4],
      ['starlette', null, 'Feed', 8],
    ]);
    expect(sources(facts.wsEndpoints[0])).toEqual(['auth-payload@6:18']);
  });
});

describe('TypeScript WebSocket endpoints', () => {
  it('finds a NestJS gateway with its namespace and guard', () => {
    const facts = tsx(
      [
        "import { UseGuards } from '@nestjs/common';",
        "import { WebSocketGateway } from '@nestjs/websockets';",
        "import { WsGuard } from '../auth/ws.guard';",
        "@WebSocketGateway({ namespace: '/events' })",
        '@UseGuards(WsGuard)',
        'export class EventsGateway {',
        '  private readonly clients = new Map<string, unknown>();',
        '  handleConnection(client: any) {',
        '    this.clients.set(client.id, client);',
        '  }',
        '}',
      ].join('\n'),
    );
    const [e] = facts.wsEndpoints;
    expect(summary(e)).toEqual(['nestjs', '/events', 'EventsGateway', 4]);
    expect(e.calls.filter((c) => c.module === '../auth/ws.guard').map((c) => c.name)).toEqual(['WsGuard']);
    expect(e.sharedState?.map((s) => [s.name, s.how, s.cleaned])).toEqual([['EventsGateway.clients', 'set', false]]);
  });

  it('finds socket.io namespaces with io.use middleware and handshake token sources', () => {
    const facts = tsx(
      [
        "import { Server } from 'socket.io';",
        'const io = new Server(3000);',
        'io.use((socket, next) => {',
        '  const token = socket.handshake.auth.token;',
        '  next();',
        '});',
        "io.on('connection', (socket) => {",
        "  socket.on('join', (msg) => { const room = msg.userId; });",
        '});',
        "const chat = io.of('/chat');",
        "chat.on('connection', (socket) => {",
        '  const t = socket.handshake.query.token;',
        '});',
      ].join('\n'),
    );
    expect(facts.wsEndpoints.map(summary)).toEqual([
      ['socket.io', '/', null, 7],
      ['socket.io', '/chat', null, 11],
    ]);
    expect(sources(facts.wsEndpoints[0])).toEqual(['auth-payload@4:34']);
    expect(facts.wsEndpoints[0].clientIdentity?.map((i) => [i.source, i.name, i.loc.line])).toEqual([['message', 'userId', 8]]);
    expect(sources(facts.wsEndpoints[1])).toEqual(['query@12:36']);
  });

  it('finds ws servers with verifyClient, upgrade handlers and query tokens', () => {
    const facts = tsx(
      [
        "import { WebSocketServer } from 'ws';",
        "import { verifyUpgrade } from './auth';",
        "const wss = new WebSocketServer({ noServer: true, path: '/live' });",
        'const clients = new Set();',
        "server.on('upgrade', (req, socket, head) => {",
        "  const url = new URL(req.url, 'http://x');",
        "  const token = url.searchParams.get('token');",
        '  verifyUpgrade(token);',
        '  wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));',
        '});',
        "wss.on('connection', (ws, req) => {",
        '  clients.add(ws);',
        "  ws.on('close', () => clients.delete(ws));",
        '});',
      ].join('\n'),
    );
    const [e] = facts.wsEndpoints;
    expect(summary(e)).toEqual(['ws', '/live', null, 3]);
    expect(sources(e)).toEqual(['query@7:38']);
    expect(e.calls.map((c) => `${c.name}@${c.module}`)).toContain('verifyUpgrade@./auth');
    expect(e.sharedState?.map((s) => [s.name, s.how, s.cleaned])).toEqual([['clients', 'add', true]]);
  });
});
