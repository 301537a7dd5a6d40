// The tool's version and homepage, read once from package.json.
import { readFileSync } from 'node:fs';
import { packageRoot } from './util/paths.js';

const pkg = JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string; homepage?: string };

/** jwtfrag's semantic version. */
export const VERSION: string = pkg.version;

/** Where the documentation lives (SARIF `informationUri`; rule help links are built from it). */
export const HOMEPAGE: string | undefined = pkg.homepage;
