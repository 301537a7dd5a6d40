// --changed-since and --staged: which files and line ranges changed, from git, and which findings touch them.
import type { Finding } from '../vocabulary.js';
import type { RunResult } from '../summarize/result.js';
import { countByRule } from '../summarize/index.js';
import { git, resolveCommit, unquoteGitPath, workTreePrefix } from './git.js';
import { UsageError } from './usage.js';

/** Changed line ranges per repo-relative file (inclusive, 1-based); `'all'` for a new or untracked file. */
export interface ChangeSet {
  /** How the changes were chosen, for messages: `since origin/main`, `staged`. */
  label: string;
  files: Map<string, [number, number][] | 'all'>;
}

/**
 * Parses `git diff --unified=0` output into changed line ranges of the new side. A pure deletion
 * (`+c,0`) marks the lines on both sides of the gap, so a finding spanning it is kept.
 */
export function parseUnifiedZero(diff: string): Map<string, [number, number][]> {
  const files = new Map<string, [number, number][]>();
  let current: [number, number][] | null = null;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      if (target === '/dev/null') {
        current = null;
        continue;
      }
      const path = unquoteGitPath(target).replace(/^b\//, '');
      current = files.get(path) ?? [];
      files.set(path, current);
      continue;
    }
    if (current === null || !line.startsWith('@@ ')) continue;
    const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!match) continue;
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (count > 0) current.push([start, start + count - 1]);
    else current.push([Math.max(1, start), start + 1]);
  }
  return files;
}

const DIFF_ARGS = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--unified=0', '--relative'];

function changeSet(label: string, diff: string, untracked: string[]): ChangeSet {
  const files: ChangeSet['files'] = new Map(parseUnifiedZero(diff));
  for (const path of untracked) files.set(path, 'all');
  return { label, files };
}

/**
 * Files and lines changed since the merge base of `rev` and HEAD: commits on this branch, staged and
 * unstaged edits, and untracked files (not ignored). Paths are relative to `root`.
 */
export async function changedSince(root: string, rev: string): Promise<ChangeSet> {
  await workTreePrefix(root, '--changed-since');
  const commit = await resolveCommit(root, rev, '--changed-since');
  const head = await resolveCommit(root, 'HEAD', '--changed-since');
  const base = await git(root, ['merge-base', commit, head]).then(
    (out) => out.trim(),
    () => {
      throw new UsageError(`--changed-since: '${rev}' and HEAD have no common ancestor (is the history shallow? fetch more of it)`);
    },
  );
  const diff = await git(root, [...DIFF_ARGS, base, '--', '.']);
  const untracked = (await git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'])).split('\0').filter(Boolean);
  return changeSet(`changed since ${rev}`, diff, untracked);
}

/** Files and lines staged for the next commit (the index against HEAD, or everything before the first commit). */
export async function stagedChanges(root: string): Promise<ChangeSet> {
  await workTreePrefix(root, '--staged');
  const diff = await git(root, [...DIFF_ARGS, '--cached', '--', '.']);
  return changeSet('staged', diff, []);
}

function touches(changes: ChangeSet, file: string, line: number, endLine: number): boolean {
  const ranges = changes.files.get(file);
  if (ranges === undefined) return false;
  if (ranges === 'all') return true;
  return ranges.some(([start, end]) => start <= endLine && line <= end);
}

/** True when the finding's primary location or one of its related locations is on a changed line. */
function findingTouches(finding: Finding, changes: ChangeSet): boolean {
  if (touches(changes, finding.file, finding.loc.line, finding.loc.endLine)) return true;
  return finding.related.some((r) => touches(changes, r.file, r.loc.line, r.loc.endLine));
}

/** The result with only the findings `keep` accepts; counts and the known-finding count follow. */
export function keepFindings(result: RunResult, keep: (finding: Finding) => boolean): RunResult {
  const findings = result.findings.filter(keep);
  const out: RunResult = { ...result, findings, counts: countByRule(findings) };
  if (result.baseline) out.baseline = { ...result.baseline, known: findings.filter((f) => f.suppression?.kind === 'baseline').length };
  return out;
}

/** The findings `--rule`, `--service` and the change set keep, or null when nothing is narrowed. */
export function findingFilter(rules: readonly string[], services: readonly string[], changes: ChangeSet | null): ((finding: Finding) => boolean) | null {
  if (rules.length === 0 && services.length === 0 && changes === null) return null;
  const ruleSet = new Set(rules);
  const serviceSet = new Set(services);
  return (f) =>
    (ruleSet.size === 0 || ruleSet.has(f.ruleId)) &&
    (serviceSet.size === 0 || (f.service !== null && serviceSet.has(f.service))) &&
    (changes === null || findingTouches(f, changes));
}
