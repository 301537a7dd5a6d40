// Cloud Build configs: `gcloud run deploy` in `steps[].args` / `entrypoint` / `script`, with substitutions applied.
import type { Node } from 'yaml';
import { scanCommands } from './commands.js';
import type { DeployContext } from './context.js';
import { normalizeEnvironment } from './environment.js';
import { splitCommands, type Word } from './shell-words.js';
import type { YamlView } from './yaml-view.js';

const SHELLS = new Set(['bash', 'sh', '/bin/bash', '/bin/sh', '/usr/bin/env']);
const ENV_SUBSTITUTIONS = ['_ENV', '_ENVIRONMENT', '_DEPLOY_ENV', '_STAGE'];

/** Extracts the env names the Cloud Build steps deploy with. */
export function extractCloudBuild(ctx: DeployContext, view: YamlView, root: Node, fileEnvironment: string | null): void {
  const substitutions = new Map<string, string>();
  for (const entry of view.entries(view.get(root, 'substitutions'))) {
    const value = view.str(entry.value);
    if (value !== null) substitutions.set(entry.key, value);
  }
  const substitute = (text: string): string =>
    text.replace(
      /\$\{(_[A-Z0-9_]+)\}|\$(_[A-Z0-9_]+)/g,
      (whole, braced: string | undefined, bare: string | undefined) => substitutions.get(braced ?? bare ?? '') ?? whole,
    );
  let environment = fileEnvironment;
  for (const key of ENV_SUBSTITUTIONS) {
    const env = normalizeEnvironment(substitutions.get(key) ?? '');
    if (env) {
      environment = env;
      break;
    }
  }
  const scope = { ctx, gcloudSource: 'cloudbuild', environment, substitute };
  for (const step of view.items(view.get(root, 'steps'))) {
    const builder = view.str(view.get(step, 'name')) ?? '';
    const entrypoint = view.str(view.get(step, 'entrypoint')) ?? (/cloud-builders\/gcloud|cloud-sdk/.test(builder) ? 'gcloud' : builder);
    const commands: Word[][] = [];
    const script = view.raw(view.get(step, 'script'));
    if (script) commands.push(...splitCommands(script.value, script.offsets[0] ?? 0));
    const argsNode = view.get(step, 'args');
    const args = view.items(argsNode);
    const lead: Word = { value: entrypoint, offsets: [], start: 0, end: 0 };
    if (args.length > 0) {
      const words: Word[] = [];
      for (const arg of args) {
        const raw = view.raw(arg);
        if (!raw) continue;
        const span = view.span(arg) ?? { start: 0, end: 0 };
        words.push({ ...raw, start: span.start, end: span.end });
      }
      const dashC = words.findIndex((w) => w.value === '-c');
      if (SHELLS.has(entrypoint) && dashC >= 0 && dashC + 1 < words.length) {
        const body = words[dashC + 1];
        commands.push(...splitCommands(body.value, body.offsets[0] ?? body.start));
      } else {
        commands.push([lead, ...words]);
      }
    } else {
      const single = view.raw(argsNode);
      if (single) {
        const split = splitCommands(single.value, single.offsets[0] ?? 0);
        if (split.length > 0) split[0].unshift(lead);
        commands.push(...split);
      }
    }
    scanCommands(commands, scope);
  }
}
