// Reads `expect:` / `expect-not:` / `todo-expect:` / `todo-not:` / `related:` annotations from fixture files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

type AnnotationKind = 'expect' | 'expect-not' | 'todo-expect' | 'todo-not' | 'related';

export interface Annotation {
  kind: AnnotationKind;
  ruleId: string;
  /** Repo-relative (case-relative) posix path. */
  file: string;
  /** The line the annotation applies to. */
  line: number;
}

const ANNOTATION = /(?:#|\/\/|\/\*)\s*(expect-not|todo-expect|todo-not|expect|related):\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

const COMMENTABLE = /\.(py|pyi|ts|tsx|mts|cts|js|jsx|mjs|cjs|ya?ml|sh|bash|mk|tf|toml|cfg|ini)$|(^|\/)(\.env[^/]*|[^/]*\.env|Dockerfile[^/]*|Makefile)$/;

function isAnnotationOnly(line: string): boolean {
  const trimmed = line.trim();
  if (!(trimmed.startsWith('#') || trimmed.startsWith('//') || trimmed.startsWith('/*'))) return false;
  ANNOTATION.lastIndex = 0;
  return ANNOTATION.test(trimmed);
}

/** Every file below `dir`, relative posix paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules') continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** Parses the annotations of one file's text. */
function parseAnnotations(file: string, text: string): Annotation[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Annotation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    ANNOTATION.lastIndex = 0;
    const matches = [...line.matchAll(ANNOTATION)];
    if (matches.length === 0) continue;
    let target = i + 1;
    if (isAnnotationOnly(line)) {
      let j = i + 1;
      while (j < lines.length && (isAnnotationOnly(lines[j]) || lines[j].trim() === '')) j++;
      target = j + 1;
    }
    for (const m of matches) {
      for (const id of m[2].split(',')) {
        out.push({ kind: m[1] as AnnotationKind, ruleId: id.trim(), file, line: target });
      }
    }
  }
  return out;
}

/** Reads every annotation below a fixture folder (files that can hold comments; JSON uses expect.yaml). */
export function readAnnotations(dir: string): Annotation[] {
  const out: Annotation[] = [];
  for (const file of listFiles(dir)) {
    if (!COMMENTABLE.test(file)) continue;
    out.push(...parseAnnotations(file, readFileSync(join(dir, file), 'utf8')));
  }
  return out;
}
