// --fix and --fix-dry-run: the migration plan's safe edits (reads, fallback chains, deployment keys) as a diff, or applied atomically per file.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Loc } from '../vocabulary.js';
import { applyEdits } from '../summarize/plan.js';
import type { PlanEdit, RunResult } from '../summarize/result.js';
import { offsetIn } from '../util/lines.js';
import { compareText } from '../util/order.js';
import { git, insideWorkTree } from './git.js';
import { UsageError } from './usage.js';

/** The rule ids whose findings the plan's edits are meant to remove. */
export const FRAGMENTATION_RULES = ['secret-name-sprawl', 'secret-fallback-chain', 'signer-verifier-mismatch', 'dynamic-secret-name'];

/** One edit as --fix applies it: a plan edit, or a deployment key renamed to the canonical name. */
interface FixEdit {
  file: string;
  loc: Loc;
  replacement: string;
  kind: PlanEdit['kind'] | 'rename-deployment-key';
}

/** The new text of one file. */
export interface FilePatch {
  file: string;
  before: string;
  after: string;
  edits: FixEdit[];
}

export interface FixPlan {
  patches: FilePatch[];
  /** Edits left for a person, with the reason (`file: why`). */
  skipped: string[];
}

function within(inner: Loc, outer: Loc): boolean {
  const afterStart = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const beforeEnd = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return afterStart && beforeEnd;
}

/**
 * Deployment keys to rename: a retired name provided to a service becomes the family's canonical
 * name when the span holds exactly that name, the service is not given the canonical name in that
 * environment already (nor by an earlier rename here), and every read of the old name in that
 * service is changed by a code edit of the same fix.
 */
function deploymentRenames(result: RunResult, codeEdits: readonly PlanEdit[], read: (file: string) => string | undefined, skipped: string[]): FixEdit[] {
  const out: FixEdit[] = [];
  const plan = result.plan;
  if (!plan) return out;
  const rows = result.provisionMatrix ?? [];
  const provided = new Set(rows.filter((r) => r.provided.length > 0).map((r) => `${r.service}\u0000${r.environment}\u0000${r.name}`));
  const covered = (file: string, loc: Loc): boolean => codeEdits.some((e) => e.file === file && within(loc, e.loc));
  for (const family of plan.families) {
    const canonical = family.canonical;
    if (!canonical) continue;
    for (const row of rows) {
      if (row.family !== family.family || row.service === null || !family.retire.includes(row.name) || row.provided.length === 0) continue;
      const where = `${row.service}\u0000${row.environment}\u0000${canonical}`;
      const site = row.provided[0];
      const label = `${site.file}:${site.loc.line}: ${row.name} → ${canonical} for ${row.service} (${row.environment})`;
      if (provided.has(where)) {
        skipped.push(`${label}: ${canonical} is already provided there; remove ${row.name} by hand`);
        continue;
      }
      const stillRead = row.read.filter((r) => !covered(r.file, r.loc));
      if (stillRead.length > 0) {
        skipped.push(`${label}: ${stillRead[0].file}:${stillRead[0].loc.line} still reads ${row.name} after the code edits`);
        continue;
      }
      const text = read(site.file);
      if (
        text === undefined ||
        site.loc.line !== site.loc.endLine ||
        text.slice(offsetIn(text, site.file, site.loc.line, site.loc.column), offsetIn(text, site.file, site.loc.endLine, site.loc.endColumn)) !== row.name
      ) {
        skipped.push(`${label}: the entry is not a plain key to rename`);
        continue;
      }
      provided.add(where);
      out.push({ file: site.file, loc: site.loc, replacement: canonical, kind: 'rename-deployment-key' });
    }
  }
  return out;
}

/**
 * The files the fix would change and their new text. `sources` holds the text each plan edit was
 * computed from (what the scan read); a file whose edits overlap is left for a person.
 */
export function planFixes(root: string, result: RunResult, sources: Map<string, string>): FixPlan {
  const skipped: string[] = [];
  // Files the plan did not read (deployment files) are read now and kept: what the edits apply to.
  const read = (file: string): string | undefined => {
    if (!sources.has(file)) {
      try {
        sources.set(file, readFileSync(join(root, file), 'utf8'));
      } catch {
        return undefined;
      }
    }
    return sources.get(file);
  };
  const codeEdits = result.plan?.edits ?? [];
  const edits: FixEdit[] = [
    ...codeEdits.map((e) => ({ file: e.file, loc: e.loc, replacement: e.replacement, kind: e.kind })),
    ...deploymentRenames(result, codeEdits, read, skipped),
  ];
  const byFile = new Map<string, FixEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  const patches: FilePatch[] = [];
  for (const [file, list] of [...byFile.entries()].sort((a, b) => compareText(a[0], b[0]))) {
    const before = read(file);
    if (before === undefined) {
      skipped.push(`${file}: cannot be read`);
      continue;
    }
    const spans = list
      .map((e) => [offsetIn(before, file, e.loc.line, e.loc.column), offsetIn(before, file, e.loc.endLine, e.loc.endColumn)])
      .sort((a, b) => a[0] - b[0]);
    if (spans.some((span, i) => i > 0 && span[0] < spans[i - 1][1])) {
      skipped.push(`${file}: edits overlap; apply the plan's steps by hand`);
      continue;
    }
    // applyEdits reads only file, loc and replacement; kind and family are placeholders here.
    const after = applyEdits(
      before,
      file,
      list.map((e, id) => ({ id, file, loc: e.loc, replacement: e.replacement, kind: 'rename-read', family: '' })),
    );
    if (after !== before) patches.push({ file, before, after, edits: list });
  }
  return { patches, skipped };
}

/** The fix as a unified diff (`a/` and `b/` prefixes, three lines of context), files in path order. */
export function unifiedDiff(patches: readonly FilePatch[]): string {
  let out = '';
  for (const patch of patches) {
    const text = createTwoFilesPatch(`a/${patch.file}`, `b/${patch.file}`, patch.before, patch.after, '', '', { context: 3 });
    out += `diff --git a/${patch.file} b/${patch.file}\n` + text.slice(text.indexOf('--- ')).replace(/^(---|\+\+\+) (\S+)\t$/gm, '$1 $2');
  }
  return out;
}

/** Refuses (usage error) when the tree under `root` has uncommitted changes, unless allowed. */
export async function checkClean(root: string, allowDirty: boolean): Promise<void> {
  if (allowDirty) return;
  if (!(await insideWorkTree(root))) {
    throw new UsageError(`--fix: ${root} is not in a git repository, so its edits could not be reviewed or undone (pass --allow-dirty to fix anyway)`);
  }
  const status = (await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no', '--', '.'])).split('\0').filter(Boolean);
  if (status.length > 0) {
    const first = status[0].slice(3);
    throw new UsageError(
      `--fix: the working tree has uncommitted changes (${status.length} file${status.length === 1 ? '' : 's'}, e.g. ${first}); commit or stash them, or pass --allow-dirty`,
    );
  }
}

/**
 * Writes each patch atomically (a temp file beside it, then rename, keeping the mode). Refuses
 * before touching anything when a file differs from what the scan read or was modified after
 * `scanStarted` (ms since the epoch).
 */
export function applyPatches(root: string, patches: readonly FilePatch[], scanStarted: number): void {
  const changed: string[] = [];
  for (const patch of patches) {
    const path = join(root, patch.file);
    let now: string;
    try {
      now = readFileSync(path, 'utf8');
    } catch {
      changed.push(patch.file);
      continue;
    }
    if (now !== patch.before || statSync(path).mtimeMs > scanStarted) changed.push(patch.file);
  }
  if (changed.length > 0) {
    throw new UsageError(
      `--fix: ${changed.length} file${changed.length === 1 ? '' : 's'} changed since the scan (${changed.slice(0, 3).join(', ')}); nothing was written, run it again`,
    );
  }
  for (const patch of patches) writeAtomically(join(root, patch.file), patch.after);
}

/** Writes `text` to `path` through a temp file in the same folder and a rename. */
export function writeAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.jwtfrag-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = statSync(path).mode & 0o7777;
  try {
    writeFileSync(temp, text, { mode });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw new UsageError(`--fix: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Unsuppressed findings of the fragmentation rules. */
export function fragmentationCount(result: RunResult): number {
  return result.findings.filter((f) => !f.suppression && FRAGMENTATION_RULES.includes(f.ruleId)).length;
}

/** Files that a re-scan reports as not parsing, among those the fix wrote, that parsed before. */
export function newParseErrors(before: RunResult, after: RunResult, files: readonly string[]): string[] {
  const failing = (result: RunResult) => new Set(result.notifications.filter((n) => n.id === 'parse-error' && n.file !== null).map((n) => n.file));
  const was = failing(before);
  const now = failing(after);
  return files.filter((f) => now.has(f) && !was.has(f));
}
