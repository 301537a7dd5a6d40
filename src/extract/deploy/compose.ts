// docker-compose files: `services.*.environment` (map and list forms), `env_file`, and whether the file overrides a base file.
import type { Node } from 'yaml';
import { blockHints, entriesEnvironment, type DeployContext, type EnvEntry, type ProvidedValue } from './context.js';
import { resolveRepoPath } from './environment.js';
import type { MapEntry, YamlView } from './yaml-view.js';

/** Extracts the environment each compose service receives. */
export function extractCompose(ctx: DeployContext, view: YamlView, root: Node, fileEnvironment: string | null): void {
  let overlay = false;
  for (const service of view.entries(view.get(root, 'services'))) {
    if (['image', 'build', 'extends'].every((key) => view.get(service.value, key) === null)) overlay = true;
    const serviceHint = composeHint(ctx.path, view, service.key, service.value);
    composeUnit(ctx, view, service);
    const entries = environmentEntries(view, view.get(service.value, 'environment'));
    const environment = entriesEnvironment(entries) ?? fileEnvironment;
    const hints = blockHints(entries);
    for (const entry of entries) ctx.provide({ ...entry, source: 'compose', environment, serviceHint, hints });
    const envFile = view.get(service.value, 'env_file');
    const files = view.items(envFile).length > 0 ? view.items(envFile) : envFile ? [envFile] : [];
    for (const file of files) {
      const pathNode = view.str(file) !== null ? file : view.get(file, 'path');
      const ref = view.str(pathNode);
      const span = view.span(pathNode);
      if (ref === null || !span) continue;
      ctx.provide({
        name: '*',
        nameStart: span.start,
        nameEnd: span.end,
        source: 'compose',
        environment,
        serviceHint,
        value: { state: 'reference' },
        envFile: resolveRepoPath(ctx.path, ref),
      });
    }
  }
  if (overlay) {
    const bases = BASE_FILES.map((name) => resolveRepoPath(ctx.path, name)).filter((path) => path !== ctx.path);
    ctx.facts.composeOverlay = { bases, environment: fileEnvironment };
  }
}

/** The files an override compose file is merged onto, in the order compose looks for a default file. */
const BASE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function environmentEntries(view: YamlView, node: Node | null): EnvEntry[] {
  const entries = view.envEntries(node, 'reference');
  for (const item of view.items(node)) {
    const chars = view.raw(item);
    const text = view.str(item);
    if (!chars || text === null) continue;
    const eq = chars.value.indexOf('=');
    const nameTo = eq < 0 ? chars.value.length : eq;
    const name = chars.value.slice(0, nameTo).trim();
    let value: ProvidedValue = { state: 'reference' };
    if (eq >= 0) {
      const valueText = text.slice(text.indexOf('=') + 1);
      const end = chars.value.length > eq + 1 ? chars.offsets[chars.value.length - 1] + 1 : chars.offsets[eq] + 1;
      value = { state: 'literal', text: valueText, start: chars.offsets[eq] + 1, end };
    }
    entries.push({ name, nameStart: chars.offsets[0], nameEnd: chars.offsets[0] + name.length, value });
  }
  return entries;
}

// The service's build folder (`build: ./api`, `build.context` + `dockerfile`) resolved against the
// compose file's folder, else the compose service name.
function composeHint(path: string, view: YamlView, name: string, service: Node | null): string {
  const build = view.get(service, 'build');
  const context = view.str(build) ?? view.str(view.get(build, 'context'));
  const dockerfile = view.str(view.get(build, 'dockerfile'));
  let dir = context === null ? '' : resolveRepoPath(path, context);
  if (dockerfile !== null && !dockerfile.includes('$')) {
    const file = resolveRepoPath(`${dir.length > 0 ? `${dir}/` : ''}x`, dockerfile);
    const slash = file.lastIndexOf('/');
    dir = slash < 0 ? dir : file.slice(0, slash);
  }
  return dir.length > 0 && !dir.includes('$') ? dir : name;
}

// The unit a compose service builds: its context folder and Dockerfile, resolved against the compose file's folder.
function composeUnit(ctx: DeployContext, view: YamlView, entry: MapEntry): void {
  const { key: name, value: service } = entry;
  const build = view.get(service, 'build');
  const context = view.str(build) ?? view.str(view.get(build, 'context'));
  const dockerfile = view.str(view.get(build, 'dockerfile'));
  if (context === null && dockerfile === null) return;
  // `${PROJECT_DIR}/api`: an unknown variable prefix is taken as the compose file's folder (the model checks the Dockerfile exists).
  const local = context?.replace(/^\$\{?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}?\//, './') ?? null;
  const dir = local === null ? resolveRepoPath(ctx.path, '.') : resolveRepoPath(ctx.path, local);
  if (dir.includes('$') || dir.startsWith('/')) return;
  const file = dockerfile === null || dockerfile.includes('$') ? null : resolveRepoPath(`${dir.length > 0 ? `${dir}/` : ''}x`, dockerfile);
  const span = view.span(entry.keyNode) ?? { start: 0, end: 0 };
  const commandNode = view.get(service, 'command');
  const commandText = view.str(commandNode);
  const command = commandText !== null ? commandText.split(/\s+/).filter((w) => w.length > 0) : view.items(commandNode).map((item) => view.str(item) ?? '');
  (ctx.facts.deployUnits ??= []).push({
    kind: 'compose',
    name,
    context: dir,
    dockerfile: file,
    loc: ctx.loc(span.start, span.end),
    ...(command.length > 0 ? { command } : {}),
  });
}
