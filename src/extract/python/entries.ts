// Server and worker entry points in Python (`FastAPI()`, `Flask(__name__)`, Django's ASGI/WSGI and command line, `uvicorn.run`, `Celery()`), for service detection.
import { chainAttributes, chainRoot, isPlainString, osCallee } from './names.js';
import { lookupName, stringContent, textOf, type FileState, type Scope } from './scopes.js';
import { field, namedKids, unparen, type PyNode } from './tree.js';

/** `module.name` of a callable that starts an application or server → its framework. */
const STARTERS: Record<string, string> = {
  'fastapi.FastAPI': 'fastapi',
  'starlette.applications.Starlette': 'starlette',
  'flask.Flask': 'flask',
  'quart.Quart': 'quart',
  'sanic.Sanic': 'sanic',
  'litestar.Litestar': 'litestar',
  'django.core.asgi.get_asgi_application': 'django',
  'django.core.wsgi.get_wsgi_application': 'django',
  'django.core.management.execute_from_command_line': 'django',
  'uvicorn.run': 'uvicorn',
  'aiohttp.web.run_app': 'aiohttp',
  'aiohttp.web.Application': 'aiohttp',
  'socketio.ASGIApp': 'python-socketio',
  'socketio.WSGIApp': 'python-socketio',
  'websockets.serve': 'websockets',
  'websockets.server.serve': 'websockets',
  'websockets.asyncio.server.serve': 'websockets',
  'celery.Celery': 'celery',
  'tornado.web.Application': 'tornado',
  'grpc.server': 'grpc',
  'grpc.aio.server': 'grpc',
  'typer.Typer': 'cli',
  'click.group': 'cli',
  'click.command': 'cli',
  'fire.Fire': 'cli',
};

/** The dotted `module.name` a callee stands for, following `import x` / `from x import y` bindings. */
export function qualifiedCallee(state: FileState, callee: PyNode, scope: Scope): string | null {
  const head = chainRoot(callee);
  const found = head === null ? null : lookupName(state, textOf(state, head), scope, head.start);
  if (found?.kind !== 'import') return null;
  const { module, imported } = found.binding;
  return [imported === null ? module : `${module}.${imported}`, ...chainAttributes(state, callee)].join('.');
}

/** Records a server entry when a call starts an application, a server or a worker. */
export function serverEntryAt(state: FileState, call: PyNode, scope: Scope): void {
  const fn = field(call, 'function');
  if (!fn) return;
  const name = qualifiedCallee(state, fn, scope);
  const framework = name === null ? undefined : STARTERS[name];
  if (framework === undefined) return;
  (state.facts.serverEntries ??= []).push({ framework, loc: state.lines.loc(fn.start, fn.end) });
}

const STARTER_ROOTS = new Set(Object.keys(STARTERS).map((name) => name.split('.')[0]));

/** Whether the file imports a module that can start a server (a cheap gate before calls are looked at). */
export function importsServerModule(state: FileState): boolean {
  for (const binding of state.bindings.values()) if (STARTER_ROOTS.has(binding.module.split('.')[0])) return true;
  return false;
}

/** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")`: where `django.conf.settings` comes from. */
export function djangoSettingsAt(state: FileState, call: PyNode): void {
  const fn = field(call, 'function');
  const args = field(call, 'arguments');
  if (!fn || !args || osCallee(state, fn) !== 'os.environ.setdefault') return;
  const [name, module] = namedKids(args).map(unparen);
  if (!name || !module || !isPlainString(name) || !isPlainString(module)) return;
  if (stringContent(state, name) !== 'DJANGO_SETTINGS_MODULE') return;
  const value = stringContent(state, module);
  if (/^[A-Za-z_][\w.]*$/.test(value)) state.facts.djangoSettings = value;
}
