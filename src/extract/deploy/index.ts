// Deployment provision extraction: which env names deploy files give to services, per format.
import type { FileFacts } from '../facts.js';
import { DeployContext } from './context.js';
import { extractDockerfile } from './dockerfile.js';
import { extractDotenv } from './dotenv.js';
import { extractShell } from './shell.js';
import { collectSuppressions } from './suppressions.js';
import { extractTerraform } from './terraform.js';
import { extractYaml } from './yaml.js';
import { isStackOverflow } from '../overflow.js';
import { comparePositions } from '../../util/order.js';

export type DeployLanguage = 'dotenv' | 'yaml' | 'json' | 'shell' | 'dockerfile' | 'hcl';

/**
 * Extracts provisions (env names, value states, spans), suppression comments, secret literal spans
 * and parse notifications from one deployment file. Never stores a value's text; never throws on
 * bad input. JSON goes through the YAML path (JSON is YAML), so JSON Cloud Build configs and
 * Kubernetes manifests are read; other JSON deploy formats (ECS task definitions, app.json) are not.
 */
export function extractDeployment(path: string, text: string, language: DeployLanguage): FileFacts {
  const ctx = new DeployContext(path, text, language);
  collectSuppressions(ctx, language === 'hcl' ? ['#', '//', '/*'] : language === 'json' ? [] : ['#']);
  try {
    switch (language) {
      case 'dotenv':
        extractDotenv(ctx);
        break;
      case 'yaml':
      case 'json':
        extractYaml(ctx);
        break;
      case 'shell':
        extractShell(ctx);
        break;
      case 'dockerfile':
        extractDockerfile(ctx);
        break;
      case 'hcl':
        extractTerraform(ctx);
        break;
    }
  } catch (error) {
    // Too deep for this thread's stack: the pool retries the file on a thread with a larger one.
    if (isStackOverflow(error)) throw error;
    ctx.facts.notifications.push({
      level: 'error',
      id: 'extract-failed',
      message: `could not analyse this deployment file: ${error instanceof Error ? error.name : 'unknown error'}`,
      file: path,
    });
  }
  const byPosition = (a: { loc: { line: number; column: number } }, b: { loc: { line: number; column: number } }): number =>
    a.loc.line - b.loc.line || a.loc.column - b.loc.column;
  ctx.facts.provisions.sort(byPosition);
  ctx.facts.secretLiterals.sort(comparePositions);
  return ctx.facts;
}
