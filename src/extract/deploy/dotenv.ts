// `.env` files: dotenv's own line grammar locates each name; dotenv's `parse` gives the value's meaning.
import { parse } from 'dotenv';
import { blockHints, entriesEnvironment, type DeployContext, type EnvEntry, type ProvidedValue } from './context.js';
import { environmentFromPath, folderHint } from './environment.js';

// dotenv 17's LINE expression, with the `d` flag so every group reports where it sits.
const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** Extracts the names a dotenv file sets, with their value states. */
export function extractDotenv(ctx: DeployContext): void {
  const entries: EnvEntry[] = [];
  for (const match of ctx.text.matchAll(LINE)) {
    const indices = match.indices;
    if (!indices?.[1]) continue;
    const name = match[1];
    const [nameStart, nameEnd] = indices[1];
    const raw = match[2];
    let value: ProvidedValue = { state: 'empty' };
    if (raw !== undefined && indices[2]) {
      const trimmed = raw.trim();
      const quoted = trimmed.length >= 2 && `'"\``.includes(trimmed[0]) && trimmed.endsWith(trimmed[0]) ? 1 : 0;
      const start = indices[2][0] + raw.length - raw.trimStart().length + quoted;
      const end = indices[2][0] + raw.trimEnd().length - quoted;
      const parsed = parse(match[0])[name] ?? '';
      value = { state: 'literal', text: parsed, start, end };
    }
    entries.push({ name, nameStart, nameEnd, value });
  }
  const environment = entriesEnvironment(entries) ?? environmentFromPath(ctx.path);
  const serviceHint = folderHint(ctx.path);
  const hints = blockHints(entries);
  for (const entry of entries) ctx.provide({ ...entry, source: 'dotenv', environment, serviceHint, hints });
}
