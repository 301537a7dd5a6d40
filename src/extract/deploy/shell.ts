// Shell scripts and Makefiles: `gcloud run deploy` and `docker run` commands found by the word splitter.
import { scanCommands } from './commands.js';
import type { DeployContext } from './context.js';
import { environmentFromPath } from './environment.js';
import { splitCommands } from './shell-words.js';

/** Extracts provisions from the deployment commands in a shell script or Makefile. */
export function extractShell(ctx: DeployContext): void {
  scanCommands(splitCommands(ctx.text), { ctx, gcloudSource: 'gcloud', environment: environmentFromPath(ctx.path) });
}
