// A small shell word splitter that keeps the source offset of every character (shell-quote reports none).

/** A run of characters with the source offset of each one. */
export interface Chars {
  value: string;
  offsets: number[];
}

/** A shell word after quote removal; `start`/`end` span its source text. */
export interface Word extends Chars {
  start: number;
  end: number;
}

/** Characters `from`..`to` (exclusive) of a run. */
export function sliceChars(chars: Chars, from: number, to: number): Chars {
  return { value: chars.value.slice(from, to), offsets: chars.offsets.slice(from, to) };
}

/** Source span of characters `from`..`to` of a run; an empty range sits just after `from - 1`. */
export function charsSpan(chars: Chars, from: number, to: number): { start: number; end: number } {
  if (to > from) return { start: chars.offsets[from], end: chars.offsets[to - 1] + 1 };
  const at = from > 0 ? chars.offsets[from - 1] + 1 : (chars.offsets[0] ?? 0);
  return { start: at, end: at };
}

/** A run whose characters sit at consecutive offsets from `base`. */
export function plainChars(value: string, base: number): Chars {
  const offsets: number[] = [];
  for (let i = 0; i < value.length; i++) offsets.push(base + i);
  return { value, offsets };
}

/**
 * Splits shell text into commands of words. Handles quotes, backslash escapes and line
 * continuations, `#` comments, `;`/`&&`/`||`/`|`/newline separators, and keeps `$(…)`, `${…}`
 * and GitHub `${{ … }}` expressions whole (unexpanded) inside a word. Not a full shell: no heredocs,
 * no aliases, redirections only end a word.
 */
export function splitCommands(src: string, base = 0): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let word: Word | null = null;
  const push = (ch: string, at: number): void => {
    if (!word) word = { value: '', offsets: [], start: base + at, end: base + at };
    word.value += ch;
    word.offsets.push(base + at);
    word.end = base + at + 1;
  };
  const open = (at: number): void => {
    if (!word) word = { value: '', offsets: [], start: base + at, end: base + at };
  };
  const closeAt = (at: number): void => {
    if (word) word.end = base + Math.min(at, src.length);
  };
  const endWord = (): void => {
    if (word) words.push(word);
    word = null;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const skipGroup = (from: number): number => {
    // from points at `$`; the next char is `{` or `(`; returns the index after the matching close.
    const openCh = src[from + 1];
    const closeCh = openCh === '{' ? '}' : ')';
    let depth = 0;
    let i = from + 1;
    for (; i < src.length; i++) {
      if (src[i] === openCh) depth++;
      else if (src[i] === closeCh) {
        depth--;
        if (depth === 0) return i + 1;
      } else if (src[i] === '\n' && openCh === '{') return i;
    }
    return i;
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
      i += src[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (ch === '#' && !word) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i++;
      continue;
    }
    if (ch === '\n' || ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') {
      endCommand();
      i++;
      continue;
    }
    if (ch === '<' || ch === '>') {
      endWord();
      i++;
      continue;
    }
    if (ch === "'") {
      open(i);
      i++;
      while (i < src.length && src[i] !== "'") push(src[i], i++);
      closeAt(i + 1);
      i++;
      continue;
    }
    if (ch === '"') {
      open(i);
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1])) {
          if (src[i + 1] !== '\n') push(src[i + 1], i + 1);
          i += 2;
        } else if (src[i] === '$' && (src[i + 1] === '{' || src[i + 1] === '(')) {
          const end = skipGroup(i);
          while (i < end) push(src[i], i++);
        } else {
          push(src[i], i++);
        }
      }
      closeAt(i + 1);
      i++;
      continue;
    }
    if (ch === '$' && (src[i + 1] === '{' || src[i + 1] === '(')) {
      const end = skipGroup(i);
      while (i < end) push(src[i], i++);
      continue;
    }
    if (ch === '`') {
      push(ch, i++);
      while (i < src.length && src[i] !== '`') push(src[i], i++);
      if (i < src.length) push(src[i], i++);
      continue;
    }
    if (ch === '\\' && i + 1 < src.length) {
      push(src[i + 1], i + 1);
      i += 2;
      continue;
    }
    push(ch, i++);
  }
  endCommand();
  return commands;
}
