// Row data shared by the Markdown and HTML reports: WebSocket endpoints, deployment secrets, service imports.
import type { RunResult } from '../summarize/result.js';

export interface TableData {
  headers: string[];
  /** Cells as plain text; the renderer escapes them. */
  rows: string[][];
}

const at = (file: string, line: number): string => `${file}:${line}`;

/** The WebSocket endpoint table (service, full path, token source, verification, verdict). */
export function wsEndpointTable(result: RunResult): TableData | null {
  const rows = result.wsEndpoints ?? [];
  if (rows.length === 0) return null;
  return {
    headers: ['service', 'path', 'framework', 'token from', 'verification', 'verdict', 'where'],
    rows: rows.map((r) => [
      r.service ?? '—',
      r.path ?? '(not static)',
      r.framework,
      r.tokenSources.join(', ') || 'none',
      r.verification,
      r.verdict,
      at(r.file, r.loc.line),
    ]),
  };
}

/** The provision matrix for secret-family names: service × environment × name → state. */
export function provisionTable(result: RunResult): TableData | null {
  const rows = (result.provisionMatrix ?? []).filter((r) => r.family !== null);
  if (rows.length === 0) return null;
  return {
    headers: ['service', 'environment', 'name', 'state', 'provided by'],
    rows: rows.map((r) => [
      r.service ?? '(no service)',
      r.environment,
      r.name,
      r.state,
      r.provided.map((p) => `${at(p.file, p.loc.line)} (${p.source})`).join(', ') || '—',
    ]),
  };
}

/** Imports between services, with forbidden edges marked. */
export function serviceImportTable(result: RunResult): TableData | null {
  const edges = result.serviceImports ?? [];
  if (edges.length === 0) return null;
  return {
    headers: ['from', 'to', 'imports', 'type-only', 'verdict', 'first site'],
    rows: edges.map((e) => [e.from, e.to, String(e.count), String(e.typeOnlyCount), e.forbidden ? 'forbidden' : 'allowed', at(e.file, e.loc.line)]),
  };
}
