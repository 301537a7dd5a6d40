// Build step after tsc: bundles the executables (the CLI, the extraction worker, the GitHub Action's entry) from dist/src into dist/bundle, so that a run loads a few files instead of some 250 modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../src/util/paths.js';

/**
 * Left as packages of their own: each loads a file of its own by path (web-tree-sitter its runtime's
 * WebAssembly, piscina its worker, ts-morph's compiler is read by `typescriptLib`), so they must stay
 * where npm installed them.
 */
const EXTERNAL = ['piscina', 'web-tree-sitter', 'ts-morph'];

/**
 * The entry points, by the name of their file in dist/bundle. `worker` must be `worker.js` there: the
 * extraction pool starts its threads on `./worker.js` next to its own module, which in the bundle is a
 * chunk of the same folder.
 */
export const ENTRIES: Record<string, string> = {
  main: 'dist/src/cli/main.js',
  worker: 'dist/src/extract/worker.js',
  action: 'dist/src/cli/action.js',
};

async function main(): Promise<void> {
  const root = packageRoot();
  const outdir = join(root, 'dist', 'bundle');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    // Code shared by the entries, and each front end (loaded on first use), is a chunk of its own.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // The ES module build of a dependency where it has one (jsonc-parser's UMD build requires its parts by relative path).
    mainFields: ['module', 'main'],
    // Dependencies written as CommonJS call `require` (Node's built-in modules): an ES module has none of its own.
    banner: { js: "import { createRequire as __jwtfragRequire } from 'node:module'; const require = __jwtfragRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // A warning is a bundle that may break at run time (a dynamic import it could not follow, a missing export): the build fails.
  if (result.warnings.length > 0) throw new Error(`${String(result.warnings.length)} warning(s) above; the bundle is not trusted`);
}

// Run as a script (`npm run build`); imported (the tests read `ENTRIES`), it builds nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
