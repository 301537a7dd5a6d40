#!/usr/bin/env node
// The jwtfrag executable. Before the command line is loaded, the main thread's young generation is
// kept at its first size: loading the CLI's modules alone used to grow it to 16 MB
// semi-spaces, which stayed resident through the scan (docs/performance.md, round 33).
import { keepYoungGenerationSmall } from './memory.js';

keepYoungGenerationSmall();
await import('./cli.js');
