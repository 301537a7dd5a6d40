// `jwtfrag rules` and `jwtfrag explain`: the rule catalog from rule metadata and docs.
import { existsSync, readFileSync } from 'node:fs';
import { writeStdout } from './stdout.js';
import { RULES } from '../../rules/index.js';
import type { RuleInfo } from '../report/index.js';
import { ruleDocPath } from '../util/paths.js';
import { UsageError } from './usage.js';
import { compareText } from '../util/order.js';
import { HOMEPAGE } from '../version.js';

/** The published doc of a rule: `rules/<id>.md` on the repository's default branch. */
export function ruleHelpUri(homepage: string, id: string): string {
  return `${homepage.replace(/\/+$/, '')}/blob/main/rules/${encodeURIComponent(id)}.md`;
}

/** Every rule with its markdown doc (empty when the doc is missing) and where it is published. */
export function ruleInfos(): RuleInfo[] {
  return [...RULES]
    .sort((a, b) => compareText(a.meta.id, b.meta.id))
    .map((rule) => {
      const path = ruleDocPath(rule.meta.id);
      const doc = existsSync(path) ? readFileSync(path, 'utf8') : `# ${rule.meta.id}\n\n${rule.meta.title}\n`;
      return { meta: rule.meta, doc, ...(HOMEPAGE === undefined ? {} : { helpUri: ruleHelpUri(HOMEPAGE, rule.meta.id) }) };
    });
}

/** Prints the rule table. */
export function rulesCommand(): number {
  const rows = ruleInfos().map(({ meta }) => [meta.id, meta.category, meta.defaultSeverity, meta.precision, meta.title]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ['id', 'category', 'severity', 'precision'][i].length));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ');
  writeStdout(line(['id', 'category', 'severity', 'precision', 'title']) + '\n');
  for (const row of rows) writeStdout(line(row) + '\n');
  return 0;
}

/** Prints one rule's doc; an unknown id is a usage error. */
export function explainCommand(id: string): number {
  const info = ruleInfos().find((r) => r.meta.id === id);
  if (!info) throw new UsageError(`unknown rule '${id}' (run 'jwtfrag rules' to list them)`);
  writeStdout(info.doc.endsWith('\n') ? info.doc : info.doc + '\n');
  return 0;
}
