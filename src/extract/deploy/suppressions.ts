// Collects `# jwtfrag-ignore` (and, for HCL, `//`) comments from line-comment formats.
import { parseSuppressionComment } from '../../util/suppression.js';
import type { DeployContext } from './context.js';

/** Adds every jwtfrag-ignore comment of the file to `facts.suppressions`. */
export function collectSuppressions(ctx: DeployContext, markers: string[]): void {
  const text = ctx.text;
  let lineStart = 0;
  let lineNumber = 1;
  while (lineStart <= text.length) {
    let next = text.indexOf('\n', lineStart);
    if (next < 0) next = text.length;
    const line = text.slice(lineStart, next).replace(/\r$/, '');
    const at = line.indexOf('jwtfrag-ignore');
    if (at >= 0) {
      let marker = -1;
      for (const m of markers) marker = Math.max(marker, line.lastIndexOf(m, at));
      const parsed = marker >= 0 ? parseSuppressionComment(line.slice(marker)) : null;
      if (parsed) {
        const end = lineStart + line.trimEnd().length;
        ctx.facts.suppressions.push({ ...parsed, line: lineNumber, loc: ctx.loc(lineStart + marker, end) });
      }
    }
    lineStart = next + 1;
    lineNumber++;
  }
}
