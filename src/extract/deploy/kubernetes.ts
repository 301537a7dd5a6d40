// Kubernetes, Cloud Run (Knative) and Helm: container `env` lists, Helm values `env` maps, and a line scanner for templates.
import { isMap, isSeq, type Node } from 'yaml';
import { entriesEnvironment, type DeployContext, type EnvEntry, type ProvidedValue } from './context.js';
import { environmentFromWords } from './environment.js';
import { imageHint } from './commands.js';
import type { YamlView } from './yaml-view.js';

export interface ManifestScope {
  source: 'k8s' | 'cloudrun' | 'helm';
  fileEnvironment: string | null;
  /** Source text before template actions were blanked (Helm), for spotting templated values. */
  original: string;
  /** Service hint used when a container has no literal name (the Helm chart's name). */
  fallbackHint: string | null;
}

/** Extracts container env of one Kubernetes-style manifest document. */
export function extractManifest(ctx: DeployContext, view: YamlView, root: Node, scope: ManifestScope): void {
  const metadata = view.get(root, 'metadata');
  const namespace = view.str(view.get(metadata, 'namespace'));
  const environment = environmentFromWords(namespace) ?? scope.fileEnvironment;
  const resourceName = view.str(view.get(metadata, 'name'));
  const resourceHint = resourceName && !view.templated(view.get(metadata, 'name'), scope.original) ? resourceName : null;
  const visit = (node: Node | null, depth: number): void => {
    if (depth > 40) return;
    for (const entry of view.entries(node)) {
      if ((entry.key === 'containers' || entry.key === 'initContainers') && isSeq(entry.value)) {
        for (const container of view.items(entry.value)) containerEnv(ctx, view, container, scope, environment, resourceHint);
      } else if (isMap(entry.value) || isSeq(entry.value)) {
        visit(entry.value, depth + 1);
      }
    }
    for (const item of view.items(node)) visit(item, depth + 1);
  };
  visit(root, 0);
}

function containerEnv(
  ctx: DeployContext,
  view: YamlView,
  container: Node,
  scope: ManifestScope,
  environment: string | null,
  resourceHint: string | null,
): void {
  const entries = envList(view, view.get(container, 'env'), scope.original);
  const nameNode = view.get(container, 'name');
  const name = view.templated(nameNode, scope.original) ? null : view.str(nameNode);
  const imageNode = view.get(container, 'image');
  const image = view.templated(imageNode, scope.original) ? null : imageHint(view.str(imageNode));
  const serviceHint = scope.source === 'cloudrun' ? (resourceHint ?? name ?? image) : (name ?? image ?? scope.fallbackHint);
  const env = entriesEnvironment(entries) ?? environment;
  for (const entry of entries) ctx.provide({ ...entry, source: scope.source, environment: env, serviceHint });
}

// `- name: X` items with `value` / `valueFrom` (secretKeyRef, configMapKeyRef, fieldRef → reference).
function envList(view: YamlView, node: Node | null, original: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  for (const item of view.items(node)) {
    const nameNode = view.get(item, 'name');
    const name = view.str(nameNode);
    const span = view.span(nameNode);
    if (name === null || !span || view.templated(nameNode, original)) continue;
    const valueNode = view.get(item, 'value');
    let value: ProvidedValue;
    if (view.get(item, 'valueFrom') !== null) value = { state: 'reference' };
    else if (view.templated(valueNode, original)) value = { state: 'reference' };
    else value = view.value(valueNode, 'empty');
    entries.push({ name, nameStart: span.start, nameEnd: span.end, value });
  }
  return entries;
}

const VALUES_ENV_KEYS = new Set(['env', 'extraEnv', 'envVars', 'extraEnvVars', 'environment', 'secretEnv', 'envs', 'extraEnvs']);
const ENV_KEY = /^[A-Z_][A-Z0-9_]*$/;

/** Helm values files: `env:`-like keys holding a NAME→value map or a k8s-style `- name:` list. */
export function extractHelmValues(ctx: DeployContext, view: YamlView, root: Node, scope: ManifestScope): void {
  const visit = (node: Node | null, depth: number): void => {
    if (depth > 40) return;
    for (const entry of view.entries(node)) {
      if (VALUES_ENV_KEYS.has(entry.key)) {
        const entries: EnvEntry[] = envList(view, entry.value, scope.original);
        for (const pair of view.entries(entry.value)) {
          const span = view.span(pair.keyNode);
          if (!span || !ENV_KEY.test(pair.key)) continue;
          entries.push({ name: pair.key, nameStart: span.start, nameEnd: span.end, value: view.value(pair.value, 'empty') });
        }
        const env = entriesEnvironment(entries) ?? scope.fileEnvironment;
        for (const e of entries) ctx.provide({ ...e, source: 'helm', environment: env, serviceHint: scope.fallbackHint });
      } else {
        visit(entry.value, depth + 1);
      }
    }
    for (const item of view.items(node)) visit(item, depth + 1);
  };
  visit(root, 0);
}

const NAME_LINE = /^([ \t]*)-[ \t]+name:[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2[ \t]*$/;
const VALUE_LINE = /^([ \t]*)(value|valueFrom):[ \t]*(.*?)[ \t]*$/;

/**
 * Fallback for Helm templates that do not parse as YAML even with template actions blanked: a
 * `- name: X` line followed, within the same item, by `value:` or `valueFrom:` is an env entry.
 */
export function scanTemplateLines(ctx: DeployContext, scope: ManifestScope): void {
  const lines = ctx.text.split('\n');
  let offset = 0;
  const starts: number[] = [];
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const match = NAME_LINE.exec(lines[i].replace(/\r$/, ''));
    if (!match) continue;
    const indent = match[1].length;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j].replace(/\r$/, '');
      if (line.trim().length === 0) continue;
      const lineIndent = line.length - line.trimStart().length;
      if (lineIndent <= indent) break;
      const value = VALUE_LINE.exec(line);
      if (!value) continue;
      let provided: ProvidedValue = { state: 'reference' };
      if (value[2] === 'value') {
        const raw = value[3].replace(/\s+#.*$/, '');
        const quoted = /^(["'])(.*)\1$/.exec(raw);
        const text = quoted ? quoted[2] : raw;
        const start = starts[j] + line.indexOf(raw, value[1].length + 6) + (quoted ? 1 : 0);
        provided = raw.includes('{{') ? { state: 'reference' } : { state: 'literal', text, start, end: start + text.length };
      }
      const nameStart = starts[i] + lines[i].indexOf(match[3], indent + 1);
      ctx.provide({
        name: match[3],
        nameStart,
        nameEnd: nameStart + match[3].length,
        source: 'helm',
        environment: scope.fileEnvironment,
        serviceHint: scope.fallbackHint,
        value: provided,
      });
      break;
    }
  }
}

/** Replaces `{{ … }}` actions with same-length filler so the YAML around them keeps its offsets. */
export function blankTemplateActions(text: string): string {
  return text.replace(/\{\{[\s\S]*?\}\}/g, (action, at: number) => {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    let lineEnd = text.indexOf('\n', at + action.length);
    if (lineEnd < 0) lineEnd = text.length;
    const alone = text.slice(lineStart, at).trim() === '' && text.slice(at + action.length, lineEnd).trim() === '';
    const fill = alone ? ' ' : 'x';
    return action.replace(/[^\n\r]/g, fill);
  });
}
