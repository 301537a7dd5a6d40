// Span snapshots: each rule's fixture findings drawn under their source line, compared with the committed test/spans/<rule-id>.snap.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { loadConfig } from '../../src/config/load.js';
import { buildSnippets, type Snippet } from '../../src/extract/snippet.js';
import type { ModelFileFacts } from '../../src/model/types.js';
import type { Finding } from '../../src/vocabulary.js';
import { scan } from '../../src/run.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'rules');
const SNAPSHOTS = import.meta.dirname;
/** `JWTFRAG_UPDATE_SPANS=1` (or `npm run spans:update`) rewrites the snapshots; without it drift fails. */
const UPDATE = process.env.JWTFRAG_UPDATE_SPANS === '1';

function cases(ruleId: string): string[] {
  const dir = join(FIXTURES, ruleId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

function span(loc: Finding['loc']): string {
  return `${loc.line}:${loc.column}-${loc.endLine}:${loc.endColumn}`;
}

function compare(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.loc.line - b.loc.line ||
    a.loc.column - b.loc.column ||
    a.loc.endColumn - b.loc.endColumn ||
    a.messageId.localeCompare(b.messageId)
  );
}

/** The source line under a span, with `^` under the span and a note when the span runs on past the line. */
function caret(line: number, loc: Finding['loc'], snippet: Snippet | null | undefined, indent: string): string[] {
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  if (!snippet) return [`${indent}${pad} | (no source line)`];
  const from = Math.max(0, snippet.column - 1);
  const width = Math.max(1, snippet.endColumn - snippet.column);
  const more = loc.endLine > loc.line ? ` …to ${loc.endLine}:${loc.endColumn}` : '';
  return [`${indent}${gutter} | ${snippet.text}`.trimEnd(), `${indent}${pad} | ${' '.repeat(from)}${'^'.repeat(width)}${more}`];
}

/**
 * Draws one finding: where it is, its message id, the masked source line as the product shows it
 * (`Finding.snippet`: secrets never appear) with `^` under the span, the message, and each related
 * location drawn the same way (masked by the same snippet builder).
 */
function draw(f: Finding, related: (file: string, loc: Finding['loc']) => Snippet | null): string[] {
  const suppressed = f.suppression ? ` (suppressed: ${f.suppression.kind})` : '';
  const own = f.snippet !== undefined && f.snippetSpan ? { text: f.snippet, ...f.snippetSpan } : null;
  const out = [`${f.file}:${span(f.loc)} ${f.severity} ${f.ruleId}/${f.messageId}${suppressed}`, ...caret(f.loc.line, f.loc, own, '')];
  const pad = ' '.repeat(String(f.loc.line).length);
  out.push(`${pad} = ${f.message}`);
  for (const r of f.related) {
    out.push(`${pad} - related ${r.file}:${span(r.loc)}: ${r.message}`, ...caret(r.loc.line, r.loc, related(r.file, r.loc), `${pad}   `));
  }
  return out;
}

/** Masked snippets of related locations, built per file like the product builds a finding's own snippet. */
function relatedSnippets(dir: string, findings: Finding[], facts: ModelFileFacts[]): (file: string, loc: Finding['loc']) => Snippet | null {
  const byFile = new Map<string, Finding['loc'][]>();
  for (const f of findings) for (const r of f.related) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r.loc]);
  const factsByPath = new Map(facts.map((f) => [f.path, f]));
  const built = new Map<string, Snippet | null>();
  const key = (file: string, loc: Finding['loc']): string => `${file}:${span(loc)}`;
  for (const [file, locs] of byFile) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const fileFacts = factsByPath.get(file);
    const snippets = buildSnippets(file, readFileSync(path, 'utf8'), fileFacts?.language ?? null, locs, fileFacts?.secretLiterals ?? []);
    locs.forEach((loc, i) => built.set(key(file, loc), snippets[i] ?? null));
  }
  return (file, loc) => built.get(key(file, loc)) ?? null;
}

/** The text of every secret literal the extractors found in a fixture, but single words (`production`), which prose may use. */
function secretTexts(dir: string, facts: ModelFileFacts[]): string[] {
  const out: string[] = [];
  for (const file of facts) {
    if (file.secretLiterals.length === 0) continue;
    const lines = readFileSync(join(dir, file.path), 'utf8').split(/\r\n|\r|\n/);
    for (const loc of file.secretLiterals) {
      if (loc.line !== loc.endLine) continue;
      const text = (lines[loc.line - 1] ?? '').slice(loc.column - 1, loc.endColumn - 1);
      if (text.length >= 8 && !/^[A-Za-z]+$/.test(text)) out.push(text);
    }
  }
  return out;
}

async function render(ruleId: string): Promise<{ text: string; secrets: string[] }> {
  const out = [`# Span snapshot of ${ruleId}: its findings on fixtures/rules/${ruleId}/* (update: npm run spans:update)`];
  const secrets: string[] = [];
  for (const name of cases(ruleId)) {
    const dir = join(FIXTURES, ruleId, name);
    const { config } = loadConfig(dir);
    const { result, model } = await scan({ root: dir, config, jobs: 1 });
    const own = result.findings.filter((f) => f.ruleId === ruleId).sort(compare);
    const related = relatedSnippets(dir, own, model.facts);
    out.push('', `## ${name}${own.length === 0 ? ' — no findings' : ''}`);
    for (const f of own) out.push('', ...draw(f, related));
    secrets.push(...secretTexts(dir, model.facts));
  }
  return { text: `${out.join('\n')}\n`, secrets };
}

describe('span snapshots', () => {
  for (const rule of RULES) {
    const id = rule.meta.id;
    it(id, { timeout: 300_000 }, async () => {
      const file = join(SNAPSHOTS, `${id}.snap`);
      const { text: actual, secrets } = await render(id);
      expect(
        secrets.filter((secret) => actual.includes(secret)),
        'a secret literal of a fixture is shown unmasked',
      ).toEqual([]);
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : null;
      if (UPDATE) {
        if (committed !== actual) writeFileSync(file, actual);
        return;
      }
      if (committed === actual) return;
      const patch = createTwoFilesPatch(`test/spans/${id}.snap`, `${id} (this run)`, committed ?? '', actual, undefined, undefined, { context: 3 });
      expect.fail(
        committed === null
          ? `test/spans/${id}.snap is missing; review the output below and create it with npm run spans:update\n${patch}`
          : `span snapshot drift for ${id}; review the diff, then accept it with npm run spans:update\n${patch}`,
      );
    });
  }

  it('has no snapshot of a rule that no longer exists', () => {
    const ids = new Set(RULES.map((r) => `${r.meta.id}.snap`));
    const stale = readdirSync(SNAPSHOTS).filter((name) => name.endsWith('.snap') && !ids.has(name));
    expect(stale, 'delete these snapshots (their rule is gone)').toEqual([]);
  });
});
