// `jwtfrag report --from result.json`: validates a saved result and re-renders it in another format.
import { basename } from 'node:path';
import { useColor } from './color.js';
import { compareResults } from '../report/compare.js';
import { formatNames, isFormat, renderParts } from '../report/index.js';
import { HOMEPAGE } from '../version.js';
import { ruleInfos } from './catalog.js';
import { loadResult } from './result-file.js';
import { reportUrl, writeParts } from './scan.js';
import { UsageError } from './usage.js';

/** Runs `jwtfrag report`; returns the exit code. */
export function reportCommand(flags: { from: string; format: string; output?: string; compare?: string; reportUrl?: string }): number {
  if (!isFormat(flags.format)) throw new UsageError(`unknown format '${flags.format}' (available: ${formatNames().join(', ')})`);
  const result = loadResult(flags.from);
  if (flags.compare) result.delta = compareResults(loadResult(flags.compare), result, { since: basename(flags.compare) });
  const parts = renderParts(flags.format, result, {
    rules: ruleInfos(),
    informationUri: HOMEPAGE,
    color: !flags.output && useColor(process.stdout),
    reportUrl: reportUrl(flags.reportUrl),
  });
  writeParts(flags.output, parts);
  return 0;
}
