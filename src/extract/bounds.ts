// Caps env names taken from scanned files: a 100,000-character name would otherwise be copied into every finding and message that names it.
import { createHash } from 'node:crypto';
import type { FileFacts } from './facts.js';

/** Longer env names and name patterns are shortened (see shortenName) and noted. */
const MAX_NAME_LENGTH = 200;

/** The first characters of a name, `…`, and a hash of the whole: equal names stay equal, different ones differ. */
function shortenName(name: string): string {
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  const head = name.slice(0, 64);
  // A pattern stays a pattern.
  const star = name.includes('*') && !head.includes('*') ? '*' : '';
  return `${head}${star}…${hash}`;
}

/** Shortens over-long env names of reads and provisions in place; one `long-name` note per file says so. */
export function boundNames(facts: FileFacts): FileFacts {
  let count = 0;
  const cut = (name: string): string => {
    if (name.length <= MAX_NAME_LENGTH) return name;
    count++;
    return shortenName(name);
  };
  for (const read of facts.envReads) {
    if (read.name !== null) read.name = cut(read.name);
    if (read.pattern !== null) read.pattern = cut(read.pattern);
  }
  for (const provision of facts.provisions) provision.name = cut(provision.name);
  if (count > 0) {
    // A new list: the facts' lists may be shared with other files' (an empty one always is).
    facts.notifications = [
      ...facts.notifications,
      {
        level: 'note',
        id: 'long-name',
        message: `${count} environment variable name${count === 1 ? '' : 's'} longer than ${MAX_NAME_LENGTH} characters ${count === 1 ? 'is' : 'are'} shown shortened (first 64 characters and a hash)`,
        file: facts.path,
      },
    ];
  }
  return facts;
}
