// `npm run eval`: scans every corpus repository present with the real CLI and scores the findings against the labels.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/util/paths.js';
import { cloneHint, EvalError, extract, findClone, loadCorpus, loadLabels } from './eval/corpus.js';
import type { CorpusEntry, Labels } from './eval/labels.js';
import { ratios, scoreRepo, sumRules, total, type EvalFinding, type RepoScore, type RuleScore } from './eval/score.js';

interface Options {
  repos: string;
  work: string;
  only: string[] | null;
  json: string | null;
  update: boolean;
  verbose: boolean;
  jobs: string | null;
  cli: string;
}

interface ScanResult {
  findings: EvalFinding[];
  services: { name: string; kind: string; roots: string[] }[];
  families: { id: string; canonical: string | null; names: string[] }[];
}

interface ModelCheck {
  /** Labelled non-service folders that jwtfrag made a service. */
  toolingAsService: string[];
  /** Labelled services jwtfrag did not find (by folder). */
  missingServices: string[];
  /** Per labelled family: expected vs chosen canonical. */
  canonical: { family: string; expected: string | null; actual: string | null; ok: boolean }[];
}

interface RepoRow {
  name: string;
  kind: string;
  status: 'ok' | 'skipped' | 'no-labels' | 'error';
  detail?: string;
  seconds?: number;
  score?: RepoScore;
  model?: ModelCheck;
}

const HELP = `npm run eval -- [--repos <dir>] [--work <dir>] [--only a,b] [--json <file>] [--update] [--verbose]
  --repos   folder holding git clones of the corpus (env JWTFRAG_CORPUS; default ~/jwtfrag-corpus)
  --work    folder the pinned commits are extracted into (env JWTFRAG_EVAL_WORK; default <tmp>/jwtfrag-eval)
  --only    comma-separated repository names
  --json    write the scores as JSON (for comparison between commits)
  --update  record the current hits in eval/status.json and the table in docs/accuracy.md
  --verbose list every unreviewed finding, missed expected finding and trap
  --jobs    passed to jwtfrag scan
  --cli     the jwtfrag CLI to measure (default: this checkout's dist/bundle/main.js)`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      repos: { type: 'string' },
      work: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
      update: { type: 'boolean' },
      verbose: { type: 'boolean' },
      jobs: { type: 'string' },
      cli: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  return {
    repos: resolve(values.repos ?? process.env.JWTFRAG_CORPUS ?? join(homedir(), 'jwtfrag-corpus')),
    work: resolve(values.work ?? process.env.JWTFRAG_EVAL_WORK ?? join(tmpdir(), 'jwtfrag-eval')),
    only: values.only ? values.only.split(',').map((s) => s.trim()) : null,
    json: values.json ?? null,
    update: values.update ?? false,
    verbose: values.verbose ?? false,
    jobs: values.jobs ?? null,
    cli: resolve(values.cli ?? join(packageRoot(), 'dist', 'bundle', 'main.js')),
  };
}

function runScan(cli: string, dir: string, labels: Labels, jobs: string | null): Promise<{ result: ScanResult; seconds: number }> {
  const tmp = mkdtempSync(join(tmpdir(), 'jwtfrag-eval-run-'));
  const out = join(tmp, 'result.json');
  // No cache: the time column is then a cold scan on every run, and the eval leaves nothing in the user's cache folder.
  const args = [cli, 'scan', dir, '--format', 'json', '-o', out, '--no-progress', '--fail-on', 'none', '--no-cache'];
  if (labels.config) {
    const cfg = join(tmp, 'jwtfrag.config.json');
    writeFileSync(cfg, JSON.stringify(labels.config));
    args.push('--config', cfg);
  }
  if (jobs) args.push('--jobs', jobs);
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      try {
        if (code !== 0) throw new EvalError(`jwtfrag exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
        resolvePromise({ result: JSON.parse(readFileSync(out, 'utf8')) as ScanResult, seconds });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  });
}

function under(root: string, folder: string): boolean {
  return root === folder || root.startsWith(`${folder}/`);
}

function folderOf(label: string): string {
  const f = label.replace(/^\.\/?/, '').replace(/\/$/, '');
  return f;
}

function checkModel(labels: Labels, result: ScanResult): ModelCheck {
  const services = result.services.filter((s) => s.kind === 'service');
  const toolingAsService = (labels.model?.notServices ?? []).map(folderOf).filter((folder) => services.some((s) => s.roots.some((r) => under(r, folder))));
  const missingServices = Object.entries(labels.model?.services ?? {})
    .filter(([, folder]) => !services.some((s) => s.roots.some((r) => under(r, folderOf(folder)))))
    .map(([name, folder]) => `${name} (${folder})`);
  const canonical = Object.entries(labels.model?.families ?? {}).map(([family, f]) => {
    // Family ids are the tool's own words: the judged family is the one holding the labelled canonical name that shares
    // the most labelled names (a name may belong to two tokens, as a secret and as the material of a per-object key);
    // on a tie, the one that chose the labelled canonical.
    const labelled = new Set([...(f.names ?? []), ...(f.canonical === null ? [] : [f.canonical])]);
    const overlap = (r: (typeof result.families)[number]): number => r.names.filter((n) => labelled.has(n)).length;
    const holders = f.canonical === null ? [] : result.families.filter((r) => r.names.includes(f.canonical as string));
    const best = [...holders].sort((a, b) => overlap(b) - overlap(a) || Number(b.canonical === f.canonical) - Number(a.canonical === f.canonical))[0] as
      (typeof result.families)[number] | undefined;
    const match = best ?? result.families.find((r) => r.id === family);
    const actual = match?.canonical ?? null;
    return { family, expected: f.canonical, actual, ok: actual === f.canonical };
  });
  return { toolingAsService, missingServices, canonical };
}

function pct(n: number | null): string {
  return n === null ? '—' : `${n.toFixed(0)}%`;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => pad(r, widths))].join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const REPO_HEADER = ['repository', 'kind', 'recall', 'precision', 'tp', 'fp', 'deb', 'unrev', 'traps', 'err', 'warn', 'note', 'svc✗', 'canon', 'time'];
const RULE_HEADER = ['rule', 'expected', 'found', 'recall', 'tp', 'fp', 'deb', 'unrev', 'precision', 'traps'];

function repoCells(row: RepoRow): string[] {
  if (!row.score) return [row.name, row.kind, row.status, row.detail ?? '', '', '', '', '', '', '', '', '', '', '', ''];
  const t = total(row.score.rules);
  const r = ratios(t);
  const m = row.model;
  const canon = m && m.canonical.length > 0 ? `${m.canonical.filter((c) => c.ok).length}/${m.canonical.length}` : '—';
  const svc = m ? String(m.toolingAsService.length + m.missingServices.length) : '—';
  return [
    row.name,
    row.kind,
    `${pct(r.recall)} (${t.found}/${t.expected})`,
    pct(r.precision),
    String(t.tp),
    String(t.fp),
    String(t.debatable),
    String(t.unreviewed),
    String(t.traps),
    String(row.score.severities.error),
    String(row.score.severities.warning),
    String(row.score.severities.note),
    svc,
    canon,
    `${(row.seconds ?? 0).toFixed(1)}s`,
  ];
}

function ruleCells(r: RuleScore): string[] {
  const q = ratios(r);
  return [
    r.rule,
    String(r.expected),
    String(r.found),
    pct(q.recall),
    String(r.tp),
    String(r.fp),
    String(r.debatable),
    String(r.unreviewed),
    pct(q.precision),
    String(r.traps),
  ];
}

function expectedKey(label: { rule: string; file: string; line: number }): string {
  return `${label.rule}|${label.file}|${label.line}`;
}

type Status = Record<string, string[]>;

function loadStatus(file: string): Status {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Status) : {};
}

function details(row: RepoRow): string[] {
  const out: string[] = [];
  const s = row.score;
  if (!s) return out;
  for (const e of s.expected.filter((x) => !x.hit)) out.push(`  miss   ${e.label.rule} ${e.label.file}:${e.label.line} — ${e.label.why}`);
  for (const t of s.traps) out.push(`  TRAP   ${t.label.rule} ${t.finding.file}:${t.finding.loc.line} — ${t.label.why}`);
  for (const v of s.verdicts.filter((x) => x.verdict === 'unreviewed'))
    out.push(`  unrev  ${v.finding.ruleId} ${v.finding.severity} ${v.finding.file}:${v.finding.loc.line} — ${v.finding.message ?? ''}`);
  for (const v of s.verdicts.filter((x) => x.verdict === 'fp'))
    out.push(`  fp     ${v.finding.ruleId} ${v.finding.file}:${v.finding.loc.line} — ${v.by?.reason ?? ''}`);
  const m = row.model;
  if (m) {
    for (const f of m.toolingAsService) out.push(`  model  ${f} is not a service but was detected as one`);
    for (const f of m.missingServices) out.push(`  model  service ${f} not detected`);
    for (const c of m.canonical.filter((x) => !x.ok)) out.push(`  model  ${c.family} canonical is ${c.actual ?? '(none)'}, labelled ${c.expected ?? '(none)'}`);
  }
  return out;
}

function docsSection(rows: RepoRow[], rules: RuleScore[], commit: string): string {
  const scored = rows.filter((r) => r.score);
  const t = total(rules);
  const q = ratios(t);
  const date = new Date().toISOString().slice(0, 10);
  return [
    `Measured ${date} at jwtfrag commit \`${commit}\`, zero config unless a label file names one.`,
    `Overall: recall **${pct(q.recall)}** (${t.found}/${t.expected} expected), precision **${pct(q.precision)}** (${t.tp} tp / ${t.fp} fp; ${t.debatable} debatable apart), ${t.traps} trap hits, ${t.unreviewed} unreviewed.`,
    '',
    markdownTable(REPO_HEADER, scored.map(repoCells)),
    '',
    markdownTable(RULE_HEADER, rules.map(ruleCells)),
  ].join('\n');
}

function headCommit(): string {
  try {
    return execFileSync('git', ['-C', packageRoot(), 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function spliceDocs(file: string, section: string): void {
  const begin = '<!-- eval:begin (npm run eval -- --update) -->';
  const end = '<!-- eval:end -->';
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new EvalError(`${file} has no ${begin} … ${end} section`);
  writeFileSync(file, `${text.slice(0, a + begin.length)}\n${section}\n${text.slice(b)}`);
}

async function evaluate(entry: CorpusEntry, labels: Labels, opts: Options): Promise<RepoRow> {
  const base: RepoRow = { name: entry.name, kind: entry.kind, status: 'ok' };
  const gitDir = findClone(opts.repos, entry);
  if (!gitDir) return { ...base, status: 'skipped', detail: cloneHint(opts.repos, entry) };
  mkdirSync(opts.work, { recursive: true });
  const { dir } = await extract(gitDir, entry, opts.work);
  const { result, seconds } = await runScan(opts.cli, dir, labels, opts.jobs);
  return { ...base, seconds, score: scoreRepo(labels, result.findings), model: checkModel(labels, result) };
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const root = packageRoot();
  const corpus = loadCorpus(join(root, 'eval', 'corpus.json'));
  const labelsDir = join(root, 'eval', 'labels');
  const statusFile = join(root, 'eval', 'status.json');
  const previous = loadStatus(statusFile);
  const rows: RepoRow[] = [];
  for (const entry of corpus.repositories) {
    if (opts.only && !opts.only.includes(entry.name)) continue;
    const labels = loadLabels(labelsDir, entry.name);
    if (!labels) {
      rows.push({ name: entry.name, kind: entry.kind, status: 'no-labels', detail: `eval/labels/${entry.name}.json is missing` });
      continue;
    }
    process.stderr.write(`eval: ${entry.name} …\n`);
    try {
      rows.push(await evaluate(entry, labels, opts));
    } catch (error) {
      rows.push({ name: entry.name, kind: entry.kind, status: 'error', detail: error instanceof Error ? error.message : String(error) });
    }
  }
  const scored = rows.filter((r) => r.score);
  const rules = sumRules(scored.flatMap((r) => r.score?.rules ?? []));
  console.log(table(REPO_HEADER, scored.map(repoCells)));
  console.log('');
  console.log(table(RULE_HEADER, [...rules.map(ruleCells), ruleCells(total(rules))]));
  const t = total(rules);
  const q = ratios(t);
  console.log(
    `\noverall: recall ${pct(q.recall)} (${t.found}/${t.expected}), precision ${pct(q.precision)} (${t.tp} tp, ${t.fp} fp, ${t.debatable} debatable), traps ${t.traps}, unreviewed ${t.unreviewed}`,
  );
  for (const r of rows.filter((x) => !x.score)) console.log(`${r.status}: ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  if (opts.verbose) {
    for (const r of scored) {
      const lines = details(r);
      if (lines.length > 0) console.log(`\n${r.name}\n${lines.join('\n')}`);
    }
  }

  // Regressions: an expected finding that was hit when the status was last recorded and is missed now.
  const regressions: string[] = [];
  for (const r of scored) {
    const before = new Set(previous[r.name] ?? []);
    for (const e of r.score?.expected ?? []) if (!e.hit && before.has(expectedKey(e.label))) regressions.push(`${r.name}: ${expectedKey(e.label)}`);
  }
  for (const line of regressions) console.log(`REGRESSION ${line} was found before and is missed now`);
  const trapHits = t.traps;
  const errors = rows.filter((r) => r.status === 'error');

  if (opts.json) {
    const out = rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      status: r.status,
      seconds: r.seconds,
      rules: r.score?.rules,
      severities: r.score?.severities,
      missed: r.score?.expected.filter((e) => !e.hit).map((e) => expectedKey(e.label)),
      traps: r.score?.traps.map((x) => `${x.label.rule}|${x.finding.file}|${x.finding.loc.line}`),
      model: r.model,
    }));
    writeFileSync(opts.json, `${JSON.stringify({ commit: headCommit(), repositories: out, rules }, null, 2)}\n`);
  }
  if (opts.update) {
    const status: Status = { ...previous };
    for (const r of scored)
      status[r.name] = (r.score?.expected ?? [])
        .filter((e) => e.hit)
        .map((e) => expectedKey(e.label))
        .sort();
    const sorted = Object.fromEntries(Object.entries(status).sort(([a], [b]) => (a < b ? -1 : 1)));
    writeFileSync(statusFile, `${JSON.stringify(sorted, null, 2)}\n`);
    if (!opts.only) spliceDocs(join(root, 'docs', 'accuracy.md'), docsSection(rows, rules, headCommit()));
  }
  return trapHits > 0 || regressions.length > 0 || errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
