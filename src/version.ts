// The tool's version, read once from package.json.
import { readFileSync } from 'node:fs';
import { packageRoot } from './util/paths.js';

/** jwtfrag's semantic version. */
export const VERSION: string = (JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version;
