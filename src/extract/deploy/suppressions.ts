// Collects `# jwtfrag-ignore` (and, for HCL, `//`) comments from line-comment formats.
import { lineStarts } from '../../util/lines.js';
import { parseSuppressionComment } from '../../util/suppression.js';
import type { DeployContext } from './context.js';

/** Adds every jwtfrag-ignore comment of the file to `facts.suppressions` (lines end at LF, CRLF or CR, as locations do). */
export function collectSuppressions(ctx: DeployContext, markers: string[]): void {
  const text = ctx.text;
  const starts = lineStarts(text);
  for (let i = 0; i < starts.length; i++) {
    const lineStart = starts[i];
    const next = i + 1 < starts.length ? starts[i + 1] : text.length;
    const line = text.slice(lineStart, next).replace(/\r?\n$|\r$/, '');
    const at = line.indexOf('jwtfrag-ignore');
    if (at < 0) continue;
    let marker = -1;
    for (const m of markers) marker = Math.max(marker, line.lastIndexOf(m, at));
    const parsed = marker >= 0 ? parseSuppressionComment(line.slice(marker)) : null;
    if (parsed) {
      const end = lineStart + line.trimEnd().length;
      ctx.facts.suppressions.push({ ...parsed, line: i + 1, loc: ctx.loc(lineStart + marker, end) });
    }
  }
}
