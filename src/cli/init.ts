// `jwtfrag init`: detects services and secret names and writes a starter, commented jwtfrag.config.json.
import { existsSync } from 'node:fs';
import { writeStdout } from './stdout.js';
import { join, resolve } from 'node:path';
import { parseConfig } from '../config/load.js';
import { checkRoot } from '../discover/index.js';
import { scan } from '../run.js';
import { writeOutput } from './scan.js';
import { UsageError } from './usage.js';
import { serviceEvidenceLines } from '../report/text.js';
import { visibleDeep } from '../util/safe-text.js';

/** Runs `jwtfrag init`; returns the exit code. */
export async function initCommand(rootArg: string, flags: { force?: boolean; stdout?: boolean }): Promise<number> {
  const root = resolve(rootArg);
  const problem = checkRoot(root);
  if (problem) throw new UsageError(problem);
  const target = join(root, 'jwtfrag.config.json');
  if (!flags.stdout && existsSync(target) && !flags.force) {
    throw new UsageError(`${target} already exists (use --force to overwrite, or --stdout to print)`);
  }
  const { result } = await scan({ root, config: parseConfig({}, 'defaults') });
  const services: Record<string, string[]> = {};
  const shared: Record<string, string[]> = {};
  for (const s of result.services) (s.kind === 'shared' ? shared : services)[s.name] = s.roots.map((r) => `${r}/**`);
  const jwt = result.families.find((f) => f.id === 'jwt');
  const config = {
    $schema: './node_modules/jwtfrag/schema/config.schema.json',
    '//': [
      'Starter config written by `jwtfrag init`. Edit freely; `jwtfrag scan` validates every field.',
      `Secret names seen for the jwt family: ${jwt && jwt.names.length ? jwt.names.join(', ') : 'none'}.`,
      'families.jwt.canonical is the one name every service should converge on.',
      'rules: set a rule to "off", "note", "warning" or "error" (see `jwtfrag rules`).',
    ],
    services,
    shared,
    families: { jwt: jwt?.canonical ? { canonical: jwt.canonical } : {} },
    envAccessors: { python: [] as string[], typescript: [] as string[] },
    rules: {},
  };
  parseConfig(config, 'generated config');
  const text = JSON.stringify(config, null, 2) + '\n';
  if (flags.stdout) writeStdout(text);
  else {
    writeOutput(target, text);
    process.stderr.write(
      `jwtfrag: wrote ${target}: ${Object.keys(services).length} services, ${Object.keys(shared).length} shared, canonical ${jwt?.canonical ?? '(none found)'}\n`,
    );
    // Why each folder is (or is not) a service: what to check before trusting the config (`--stdout` keeps stderr for errors).
    process.stderr.write(
      serviceEvidenceLines(visibleDeep(result))
        .map((line) => `${line}\n`)
        .join(''),
    );
  }
  return 0;
}
