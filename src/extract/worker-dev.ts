// Worker entry when running from TypeScript sources (tests): loads the front ends eagerly, then serves lanes.
import { resourceLimits } from 'node:worker_threads';
import * as deploy from './deploy/index.js';
import type { ExtractOptions } from './facts.js';
import { provideExtractors } from './index.js';
import * as python from './python/index.js';
import * as typescript from './typescript/index.js';

/**
 * Test seams for the time limit per file (test/time-limit.test.ts), here only, never in the built
 * worker: a file holding `NEVER_ENDS` never finishes extracting, as a file that met a loop bug in an
 * extractor would; one holding `DEEP_THEN_NEVER_ENDS` overflows a lane's stack (so it goes to the
 * last try, whose thread has a 64 MiB stack) and never finishes there; one holding
 * `FUNCTIONS_NEVER_END` is extracted, but its function facts alone (a function-fact round) never end.
 */
const NEVER_ENDS = 'jwtfrag-test: extraction never ends';
const DEEP_THEN_NEVER_ENDS = 'jwtfrag-test: too deep for a lane, then never ends';
const FUNCTIONS_NEVER_END = 'jwtfrag-test: function facts never end';

function seam(text: string, options: ExtractOptions): void {
  const lastTry = (resourceLimits.stackSizeMb ?? 0) >= 64;
  if (text.includes(DEEP_THEN_NEVER_ENDS) && !lastTry) throw new RangeError('Maximum call stack size exceeded');
  if (text.includes(NEVER_ENDS) || text.includes(DEEP_THEN_NEVER_ENDS) || (text.includes(FUNCTIONS_NEVER_END) && options.functionsOnly === true)) {
    let spins = 0;
    while (spins >= 0) spins = (spins + 1) % 1024;
  }
}

provideExtractors({
  typescript: {
    ...typescript,
    extractTypeScript: (...args: Parameters<typeof typescript.extractTypeScript>) => {
      seam(args[1], args[3]);
      return typescript.extractTypeScript(...args);
    },
  },
  python: {
    ...python,
    extractPythonLoaded: (...args: Parameters<typeof python.extractPythonLoaded>) => {
      seam(args[1], args[2]);
      return python.extractPythonLoaded(...args);
    },
  },
  deploy,
});

export { default } from './worker.js';
