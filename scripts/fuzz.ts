// `npm run fuzz`: extracts mutated copies of real inputs (the fixtures, or any folder) on the scan's own worker lanes under a short time limit per file, and keeps every input that made an extractor hang or throw.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_ENV_ACCESSORS } from '../src/config/schema.js';
import { languageOf } from '../src/discover/languages.js';
import type { BatchItem } from '../src/extract/batch.js';
import type { ExtractOptions, Language } from '../src/extract/facts.js';
import { extractAll } from '../src/extract/pool.js';
import { packageRoot } from '../src/util/paths.js';
import { Prng } from './bench-prng.js';
import { intFlag } from './flags.js';

const USAGE = `usage: npm run fuzz -- [--seconds N] [--seed N] [--limit-ms N] [--batch N] [--from DIR]... [--out DIR]

Extracts mutated copies of the files under fixtures/ (or each --from folder) in batches, on the
scan's worker lanes, with a time limit per file (--limit-ms, default 5000). An input whose
extraction ran out of time or threw is written to --out (default: a new temporary folder) and
named on stdout; the exit code is 1 when there is one, else 0. Same --seed, same inputs.`;

/** Tokens that break code in the ways real edits do: an unclosed bracket, a stray operator, half a construct. */
const TOKENS = [
  ':',
  '=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  '@',
  '\\',
  '"',
  "'",
  '`',
  '"""',
  '${',
  '/*',
  '*/',
  '//',
  '#',
  '=>',
  '...',
  '->',
  'lambda',
  'def ',
  'class ',
  'async ',
  'await ',
  'yield ',
  'if ',
  'else:',
  'return ',
  'import ',
  'from ',
  'export ',
  'function ',
  'new ',
  '<<: *a',
  '&a ',
  '- ',
  '? ',
  '|',
  '>',
  '\n',
  '\r',
  '\t',
  '    ',
  '\u2028',
  '\0',
];

interface Options {
  seconds: number;
  seed: number;
  limitMs: number;
  batch: number;
  from: string[];
  out: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string' },
      seed: { type: 'string' },
      'limit-ms': { type: 'string' },
      batch: { type: 'string' },
      from: { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    seconds: intFlag('seconds', values.seconds, 60, 1),
    seed: intFlag('seed', values.seed, 1, 0),
    limitMs: intFlag('limit-ms', values['limit-ms'], 5000, 100),
    batch: intFlag('batch', values.batch, 256, 1),
    from: (values.from ?? [join(packageRoot(), 'fixtures')]).map((dir) => resolve(dir)),
    out: values.out ?? null,
  };
}

interface Source {
  /** Path relative to its folder: kept for the mutated copy, so that the name still selects the language (`Dockerfile`, `.env`). */
  path: string;
  language: Language;
  text: string;
}

function readSources(folders: string[]): Source[] {
  const sources: Source[] = [];
  for (const folder of folders) {
    for (const path of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
      const language = languageOf(path);
      if (language === null || path.split(/[\\/]/).includes('node_modules') || !statSync(join(folder, path)).isFile()) continue;
      const text = readFileSync(join(folder, path), 'utf8');
      if (text.length > 0 && text.length <= 512 * 1024) sources.push({ path, language, text });
    }
  }
  return sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One to four edits of the kinds that leave code half written. */
function mutate(text: string, rng: Prng): string {
  let out = text;
  for (let edits = rng.int(1, 4); edits > 0; edits--) {
    const lines = out.split('\n');
    const at = rng.int(0, Math.max(0, lines.length - 1));
    switch (rng.int(0, 6)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, lines[at] ?? '');
        break;
      case 2:
        lines[at] = (lines[at] ?? '').slice(0, rng.int(0, (lines[at] ?? '').length));
        break;
      case 3: {
        const other = rng.int(0, Math.max(0, lines.length - 1));
        [lines[at], lines[other]] = [lines[other] ?? '', lines[at] ?? ''];
        break;
      }
      case 4:
        lines[at] = (lines[at] ?? '').replace(/^\s*/, ' '.repeat(rng.int(0, 12)));
        break;
      case 5: {
        const start = rng.int(0, out.length);
        out = out.slice(0, start) + out.slice(start + rng.int(1, 20));
        continue;
      }
      default: {
        const pos = rng.int(0, out.length);
        out = out.slice(0, pos) + rng.pick(TOKENS) + out.slice(pos);
        continue;
      }
    }
    out = lines.join('\n');
  }
  return out;
}

const EXTRACT: ExtractOptions[] = [
  { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } },
  { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] }, functionFacts: true },
  { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] }, functionFacts: true, functionsOnly: true },
];

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const sources = readSources(options.from);
  if (sources.length === 0) throw new Error(`no source or deployment file under ${options.from.join(', ')}`);
  const out = options.out ?? mkdtempSync(join(tmpdir(), 'jwtfrag-fuzz-findings-'));
  mkdirSync(out, { recursive: true });
  const rng = new Prng(options.seed);
  const work = mkdtempSync(join(tmpdir(), 'jwtfrag-fuzz-'));
  const started = performance.now();
  const tried = new Map<Language, number>();
  let found = 0;
  try {
    for (let round = 0; performance.now() - started < options.seconds * 1000; round++) {
      const dir = join(work, String(round));
      const items: BatchItem[] = [];
      const texts: string[] = [];
      const from: string[] = [];
      for (let k = 0; k < options.batch; k++) {
        const source = rng.pick(sources);
        const path = join(String(k), source.path);
        const absPath = join(dir, path);
        const text = mutate(source.text, rng);
        mkdirSync(dirname(absPath), { recursive: true });
        writeFileSync(absPath, text);
        items.push({ path, absPath, language: source.language });
        texts.push(text);
        from.push(source.path);
        tried.set(source.language, (tried.get(source.language) ?? 0) + 1);
      }
      const extract = EXTRACT[round % EXTRACT.length];
      const results = await extractAll(items, {
        jobs: availableParallelism(),
        maxBytes: 2 * 1024 * 1024,
        maxLineLength: 0,
        extract,
        poolThreshold: 1,
        fileTimeLimit: options.limitMs,
      });
      results.forEach((result, k) => {
        if (!result.ok) return;
        for (const n of result.facts.notifications) {
          // Input nested deeper than the parsers take is a documented limit, not a defect.
          if (n.id !== 'extract-failed' || n.message.includes('nested too deeply')) continue;
          const kind = n.message.includes('took longer than') ? 'hang' : 'crash';
          const name = `${kind}-seed${options.seed}-round${round}-${k}-${basename(items[k].path)}`;
          writeFileSync(join(out, name), texts[k]);
          process.stdout.write(
            `${kind}: ${join(out, name)} (a mutated ${from[k]}; options ${JSON.stringify({ ...extract, envAccessors: undefined })}): ${n.message}\n`,
          );
          found++;
        }
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const counts = [...tried].sort(([a], [b]) => (a < b ? -1 : 1)).map(([language, n]) => `${language} ${n}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    `fuzz: ${[...tried.values()].reduce((a, b) => a + b, 0)} mutated inputs in ${seconds} s (${counts.join(', ')}); ${found} kept in ${out}\n`,
  );
  if (found === 0 && options.out === null) rmSync(out, { recursive: true, force: true });
  return found > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  },
);
