// Preloaded into the scan child (`node --import`): when the CLI exits, prints the process's wall time and peak RSS.
import { isMainThread } from 'node:worker_threads';
import { writeChildReport } from './bench-child.js';

if (isMainThread) {
  process.on('exit', (code) => writeChildReport({ exitCode: code }));
}
