// YAML deployment files: decides per document whether it is compose, Kubernetes, Cloud Run, Helm, Cloud Build or a workflow.
import { posix } from 'node:path';
import { isMap, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { extractCloudBuild } from './cloudbuild.js';
import { extractCompose } from './compose.js';
import type { DeployContext } from './context.js';
import { environmentFromPath } from './environment.js';
import { extractWorkflow } from './github-actions.js';
import { blankTemplateActions, extractHelmValues, extractManifest, scanTemplateLines, type ManifestScope } from './kubernetes.js';
import { aliasProblem, YamlView } from './yaml-view.js';

const GENERIC_FOLDERS = new Set(['', '.', 'helm', 'chart', 'charts', 'deploy', 'deployment', 'k8s', 'kubernetes', 'infra']);

function parseYaml(text: string): Document[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: false });
  return Array.isArray(docs) ? docs : [];
}

/** Extracts provisions from every document of a YAML file. */
export function extractYaml(ctx: DeployContext): void {
  const fileEnvironment = environmentFromPath(ctx.path);
  const chart = chartName(ctx.path);
  if (/(^|\/)templates\//.test(ctx.path)) {
    helmTemplate(ctx, fileEnvironment, chart);
    return;
  }
  const docs = parseYaml(ctx.text);
  const failed = docs.find((doc) => doc.errors.length > 0);
  if (failed && /(^|[^$]){{/.test(ctx.text) && parseYaml(blankTemplateActions(ctx.text)).every((d) => d.errors.length === 0)) {
    helmTemplate(ctx, fileEnvironment, chart);
    return;
  }
  if (failed) ctx.parseError(failed.errors[0].pos[0]);
  for (const doc of docs) {
    const root = doc.contents;
    if (!root || !expandable(ctx, doc)) continue;
    const view = new YamlView(doc, ctx.text);
    const scope: ManifestScope = { source: 'k8s', fileEnvironment, original: ctx.text, fallbackHint: chart };
    switch (kindOf(ctx.path, view, root)) {
      case 'github-actions':
        extractWorkflow(ctx, view, root, fileEnvironment);
        break;
      case 'cloudbuild':
        extractCloudBuild(ctx, view, root, fileEnvironment);
        break;
      case 'compose':
        extractCompose(ctx, view, root, fileEnvironment);
        break;
      case 'cloudrun':
        extractManifest(ctx, view, root, { ...scope, source: 'cloudrun', fallbackHint: null });
        break;
      case 'k8s':
        extractManifest(ctx, view, root, { ...scope, fallbackHint: null });
        break;
      case 'helm-values':
        extractHelmValues(ctx, view, root, { ...scope, source: 'helm' });
        break;
      case null:
        break;
    }
  }
}

type YamlKind = 'github-actions' | 'cloudbuild' | 'compose' | 'cloudrun' | 'k8s' | 'helm-values' | null;

function kindOf(path: string, view: YamlView, root: Node): YamlKind {
  const name = posix.basename(path);
  if (path.includes('.github/workflows/') || (isMap(view.get(root, 'jobs')) && view.get(root, 'on') !== null)) return 'github-actions';
  const steps = view.items(view.get(root, 'steps'));
  if (
    isSeq(view.get(root, 'steps')) &&
    (/cloudbuild/i.test(name) || steps.some((s) => view.get(s, 'name') !== null && (view.get(s, 'args') !== null || view.get(s, 'script') !== null)))
  ) {
    return 'cloudbuild';
  }
  const apiVersion = view.str(view.get(root, 'apiVersion'));
  if (apiVersion !== null && /serving\.knative\.dev|run\.googleapis\.com/.test(apiVersion)) return 'cloudrun';
  if (apiVersion !== null && view.get(root, 'kind') !== null) return 'k8s';
  const services = view.entries(view.get(root, 'services'));
  if (
    services.length > 0 &&
    (/compose/i.test(name) || services.some((s) => ['image', 'build', 'environment', 'env_file'].some((k) => view.get(s.value, k) !== null)))
  ) {
    return 'compose';
  }
  if (/^values([._-].*)?\.ya?ml$/i.test(name)) return 'helm-values';
  return null;
}

// Helm templates: parse with template actions blanked; when even that fails, scan lines and say so.
function helmTemplate(ctx: DeployContext, fileEnvironment: string | null, chart: string | null): void {
  const scope: ManifestScope = { source: 'helm', fileEnvironment, original: ctx.text, fallbackHint: chart };
  const blanked = blankTemplateActions(ctx.text);
  const docs = parseYaml(blanked);
  if (docs.some((doc) => doc.errors.length > 0)) {
    ctx.note('template-line-scan', 'Helm template does not parse as YAML once template actions are blanked; env names were found with a line scanner');
    scanTemplateLines(ctx, scope);
    return;
  }
  for (const doc of docs) {
    if (doc.contents && expandable(ctx, doc)) extractManifest(ctx, new YamlView(doc, blanked), doc.contents, scope);
  }
}

// An alias bomb (merge keys doubling at each level, or an alias inside its own anchor) is not walked: the document is reported instead.
function expandable(ctx: DeployContext, doc: Document): boolean {
  const problem = aliasProblem(doc);
  if (problem === null) return true;
  ctx.limit(`YAML document not analysed: ${problem}`, doc.range?.[0]);
  return false;
}

// `charts/api/templates/x.yaml` and `charts/api/values-prod.yaml` → `api`; generic folder names → null.
function chartName(path: string): string | null {
  const segments = path.split('/');
  const templates = segments.indexOf('templates');
  const folder = templates > 0 ? segments[templates - 1] : segments.length > 1 ? segments[segments.length - 2] : '';
  return GENERIC_FOLDERS.has(folder) ? null : folder;
}
