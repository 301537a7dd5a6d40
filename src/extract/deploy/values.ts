// Classifies a deployment value as empty, placeholder, reference or set — the value itself is never kept.
import type { ProvisionValueState } from '../../model/facts.js';

const REFERENCE = /\$\{[^}]*\}|\$\([A-Za-z_][^)]*\)|\$[A-Za-z_]|\{\{[\s\S]*\}\}/;
const PLACEHOLDER_WHOLE = /^(?:x{3,}|\*{3,}|\.{3}|<[^>]*>|tbd|none|null|undefined|secret-here|insert[-_ ].*|your[-_ .].*|replace[-_ ]?me.*|set[-_ ]?me.*)$/i;
const PLACEHOLDER_WORD = /(?:^|[^a-z])(?:change[-_ ]?me|changeit|todo|fixme|dummy|example|placeholder|xxx+)(?:[^a-z]|$)/i;

/** How a literal deployment value should be treated. */
export function classifyValue(value: string): ProvisionValueState {
  const text = value.trim();
  if (text.length === 0) return 'empty';
  if (REFERENCE.test(text)) return 'reference';
  if (PLACEHOLDER_WHOLE.test(text) || PLACEHOLDER_WORD.test(text)) return 'placeholder';
  return 'set';
}
