// Worker entry when running from TypeScript sources (tests): loads the front ends eagerly, then serves lanes.
import * as deploy from './deploy/index.js';
import { provideExtractors } from './index.js';
import * as python from './python/index.js';
import * as typescript from './typescript/index.js';

provideExtractors({ typescript, python, deploy });

export { default } from './worker.js';
