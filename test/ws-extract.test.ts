// WebSocket endpoint extraction: frameworks, paths, handlers, token sources, sessions, shared state and client identity.
import { describe, expect, it } from 'vitest';
import { extractPython } from '../src/extract/python/index.js';
import { extractTypeScript } from '../src/extract/typescript/index.js';
import type { FileFacts, WsEndpoint } from '../src/extract/facts.js';

const OPTIONS = { envAccessors: { python: [] as string[], typescript: [] as string[] }, functionFacts: true };

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

describe('Python WebSocket pieces joined across files', () => {
  it('records Channels routes to imported consumers and the middleware around each URLRouter', async () => {
    const routing = await py(
      ['from django.urls import re_path', 'from .consumers import RoomSocket', 'room_routes = [re_path(r"^rooms/(?P<id>\\d+)/$", RoomSocket.as_asgi())]'].join(
        '\n',
      ),
      'svc/app/sockets/routing.py',
    );
    expect(routing.wsRoutes).toEqual([
      {
        path: '^rooms/(?P<id>\\d+)/$',
        consumer: { name: 'RoomSocket', module: '.consumers' },
        list: 'room_routes',
        loc: { line: 3, column: 24, endLine: 3, endColumn: 47 },
      },
    ]);
    const asgi = await py(
      [
        'from channels.routing import ProtocolTypeRouter, URLRouter',
        'from channels.security.websocket import AllowedHostsOriginValidator',
        'from app.sockets.routing import room_routes',
        'from app.sockets.auth import TokenMiddleware',
        'application = ProtocolTypeRouter({"websocket": AllowedHostsOriginValidator(TokenMiddleware(URLRouter(room_routes)))})',
      ].join('\n'),
      'svc/app/asgi_entry.py',
    );
    expect(asgi.wsRouterStacks?.map((s) => [s.patterns, s.wrappers.map((w) => `${w.name}@${w.module}`)])).toEqual([
      [{ name: 'room_routes', module: 'app.sockets.routing' }, ['AllowedHostsOriginValidator@channels.security.websocket', 'TokenMiddleware@app.sockets.auth']],
    ]);
  });

  it('marks a consumer that only closes as refusing every connection', async () => {
    const facts = await py(
      [
        'from channels.generic.websocket import AsyncWebsocketConsumer',
        'class Nowhere(AsyncWebsocketConsumer):',
        '    async def connect(self):',
        '        await self.close(code=4404)',
        'class Open(AsyncWebsocketConsumer):',
        '    async def connect(self):',
        '        await self.accept()',
      ].join('\n'),
    );
    expect(facts.wsEndpoints.map((e) => [e.handler, e.rejectsAll ?? false])).toEqual([
      ['Nowhere', true],
      ['Open', false],
    ]);
  });

  it('finds socket.io servers, connect handlers on imported servers and registered namespaces', async () => {
    const hub = await py(['import socketio', 'hub = socketio.AsyncServer()'].join('\n'), 'svc/app/hub.py');
    expect(hub.wsServers).toEqual([{ framework: 'python-socketio', name: 'hub', loc: { line: 2, column: 1, endLine: 2, endColumn: 4 } }]);
    const events = await py(
      [
        'import socketio',
        'from app.hub import hub',
        '@hub.on("connect")',
        'async def join(sid, environ, auth):',
        '    token = auth["token"]',
        '@hub.event',
        'async def say(sid, data):',
        '    who = data["user_id"]',
        'class Duel(socketio.AsyncNamespace):',
        '    games = {}',
        '    async def on_move(self, sid, data):',
        '        self.games[data["room"]] = data',
        'hub.register_namespace(Duel("/duel"))',
      ].join('\n'),
      'svc/app/events.py',
    );
    expect(events.wsEndpoints.map((e) => [e.framework, e.path, e.handler, e.server])).toEqual([
      ['python-socketio', '/', 'join', { name: 'hub', module: 'app.hub' }],
      ['python-socketio', '/duel', 'Duel', { name: 'hub', module: 'app.hub' }],
    ]);
    const [join, duel] = events.wsEndpoints;
    expect(sources(join)).toEqual(['auth-payload@5:18']);
    expect(join.clientIdentity?.map((i) => [i.source, i.name, i.loc.line])).toEqual([['message', 'user_id', 8]]);
    expect(duel.sharedState?.map((s) => [s.name, s.how, s.cleaned])).toEqual([['Duel.games', 'item-assign', false]]);
  });

  it('names calls on objects built by an imported class or factory after what built them', async () => {
    const facts = await py(
      [
        'from app.auth import SocketAuth, get_socket_auth',
        'class Relay:',
        '    def __init__(self):',
        '        self.auth = get_socket_auth()',
        '    def check(self, ws):',
        '        return self.auth.verify(ws)',
        'def handle(ws):',
        '    auth = SocketAuth()',
        '    return auth.verify(ws)',
      ].join('\n'),
    );
    expect(facts.functions?.map((f) => [f.name, f.calls.map((c) => `${c.name}@${c.module}`)])).toEqual([
      ['Relay.__init__', ['get_socket_auth@app.auth']],
      ['Relay.check', ['get_socket_auth().verify@app.auth']],
      ['handle', ['SocketAuth@app.auth', 'SocketAuth.verify@app.auth']],
    ]);
  });

  it('reads query credentials through parse_qs, literal name loops, credential-named targets and helpers', async () => {
    const facts = await py(
      [
        'from urllib.parse import parse_qs',
        'from fastapi import APIRouter, WebSocket',
        'router = APIRouter()',
        'def helper(params):',
        '    return params["api_key"][0]',
        '@router.websocket("/ws")',
        'async def socket(websocket: WebSocket):',
        '    params = parse_qs(websocket.query_string.decode())',
        '    for name in ["room", "access_token"]:',
        '        found = params.get(name)',
        '    token = params.get("t", [None])[0]',
        '    ticket = params.get("ticket")',
        '    resume = params.get("sessionId")',
        '    helper(params)',
      ].join('\n'),
    );
    expect(sources(facts.wsEndpoints[0])).toEqual(['query@9:26', 'query@11:24', 'ticket@12:25', 'query@5:19']);
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

  it('records socket.io servers and middleware registered on a server from another file', () => {
    const boot = tsx(["import { Server } from 'socket.io';", 'export const io = new Server(3000);'].join('\n'), 'apps/gw/src/boot.ts');
    expect(boot.wsServers).toEqual([{ framework: 'socket.io', name: 'io', loc: { line: 2, column: 14, endLine: 2, endColumn: 16 } }]);
    expect(boot.wsEndpoints).toEqual([]);
    const mw = tsx(
      [
        "import { io } from './boot';",
        "import { app } from './http';",
        'io.use((socket, next) => { const t = socket.handshake.auth.token; next(); });',
        'app.use(() => undefined);',
      ].join('\n'),
      'apps/gw/src/auth.ts',
    );
    expect(mw.wsMiddleware?.map((m) => [m.framework, m.server, m.namespace, sources({ tokenSources: m.tokenSources } as WsEndpoint)])).toEqual([
      ['socket.io', { name: 'io', module: './boot' }, '/', ['auth-payload@3:55']],
      ['socket.io', { name: 'app', module: './http' }, '/', []],
    ]);
  });

  it('follows a socket handed to Hocuspocus into its onAuthenticate extension', () => {
    const facts = tsx(
      [
        "import { Server } from '@hocuspocus/server';",
        "import { WebSocketServer } from 'ws';",
        "import { Auth } from './auth';",
        'const collab = Server.configure({ extensions: [new Auth()] });',
        'const wss = new WebSocketServer({ noServer: true });',
        "wss.on('connection', (ws, req) => collab.handleConnection(ws, req));",
      ].join('\n'),
    );
    expect(facts.wsEndpoints[0].calls.map((c) => `${c.name}@${c.module}`)).toContain('Auth@./auth');
  });

  it('takes identities from destructured payloads and payloads spread over the user, not from writes', () => {
    const facts = tsx(
      [
        "import { Server } from 'socket.io';",
        'const io = new Server(3000);',
        "io.on('connection', (socket) => {",
        "  socket.on('dm', (data) => {",
        '    const { senderId } = data;',
        '    const msg = { user: socket.data.user, ...data };',
        '    data.userId = socket.data.user.id;',
        '  });',
        '});',
      ].join('\n'),
    );
    expect(facts.wsEndpoints[0].clientIdentity?.map((i) => [i.name, i.loc.line])).toEqual([
      ['senderId', 5],
      ['user', 6],
    ]);
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
