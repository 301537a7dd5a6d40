// Terraform: `env { name = "X" value = … }` blocks (Cloud Run, Kubernetes providers) via a small brace-aware HCL tokenizer.
// No HCL parser with source locations is among the dependencies, so this reads just enough HCL:
// blocks, attributes, strings (with `${}` interpolation), heredocs and comments.
import { entriesEnvironment, type DeployContext, type EnvEntry, type ProvidedValue } from './context.js';
import { environmentFromPath } from './environment.js';

interface Token {
  kind: 'ident' | 'string' | 'heredoc' | 'punct' | 'newline' | 'other';
  text: string;
  /** Strings and heredocs: source span of the content, without quotes or markers. */
  start: number;
  end: number;
  interpolated: boolean;
}

interface Attribute {
  type: 'attribute';
  name: string;
  value: Token[];
}

interface Block {
  type: 'block';
  name: string;
  labels: string[];
  body: (Attribute | Block)[];
}

// Tokenizes HCL; reports the offset of an unterminated string or comment, if any.
function tokenize(text: string): { tokens: Token[]; error: number | null } {
  const tokens: Token[] = [];
  let i = 0;
  const add = (kind: Token['kind'], t: string, start: number, end: number, interpolated = false): void => {
    tokens.push({ kind, text: t, start, end, interpolated });
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      add('newline', '\n', i, i + 1);
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { tokens, error: i };
      i = end + 2;
    } else if (ch === '"') {
      const start = i + 1;
      let depth = 0;
      let interpolated = false;
      i++;
      while (i < text.length) {
        const c = text[i];
        if (c === '\\') i += 2;
        else if ((c === '$' || c === '%') && text[i + 1] === '{') {
          interpolated = true;
          depth++;
          i += 2;
        } else if (c === '}' && depth > 0) {
          depth--;
          i++;
        } else if (c === '"' && depth > 0) {
          i++;
          while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
          i++;
        } else if (c === '"' || (c === '\n' && depth === 0)) break;
        else i++;
      }
      if (text[i] !== '"') return { tokens, error: start - 1 };
      add('string', text.slice(start, i), start, i, interpolated);
      i++;
    } else if (ch === '<' && text[i + 1] === '<' && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      const header = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[^\n]*\n/.exec(text.slice(i));
      if (!header) return { tokens, error: i };
      const start = i + header[0].length;
      const closing = new RegExp(`^[ \\t]*${header[1]}[ \\t]*\\r?$`, 'm');
      const rest = text.slice(start);
      const found = closing.exec(rest);
      if (!found) return { tokens, error: i };
      const content = rest.slice(0, found.index).replace(/\r?\n$/, '');
      add('heredoc', content, start, start + content.length, content.includes('${'));
      i = start + found.index + found[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_-]/.test(text[i])) i++;
      add('ident', text.slice(start, i), start, i);
    } else if ('{}[]()=,:'.includes(ch)) {
      add('punct', ch, i, i + 1);
      i++;
    } else {
      add('other', ch, i, i + 1);
      i++;
    }
  }
  return { tokens, error: null };
}

// Parses a body up to a closing brace (or the end); returns the items and the index after it.
function parseBody(tokens: Token[], from: number, nested: boolean): { items: (Attribute | Block)[]; next: number; error: number | null } {
  const items: (Attribute | Block)[] = [];
  let i = from;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token.kind === 'newline' || (token.kind === 'punct' && token.text === ',')) {
      i++;
      continue;
    }
    if (token.kind === 'punct' && token.text === '}') {
      if (nested) return { items, next: i + 1, error: null };
      return { items, next: i + 1, error: token.start };
    }
    if (token.kind !== 'ident') {
      i++;
      continue;
    }
    const after = tokens[i + 1];
    if (after?.kind === 'punct' && (after.text === '=' || after.text === ':')) {
      const value: Token[] = [];
      let depth = 0;
      let j = i + 2;
      for (; j < tokens.length; j++) {
        const t = tokens[j];
        if (t.kind === 'punct' && '{[('.includes(t.text)) depth++;
        else if (t.kind === 'punct' && '}])'.includes(t.text)) {
          if (depth === 0) break;
          depth--;
        } else if ((t.kind === 'newline' || (t.kind === 'punct' && t.text === ',')) && depth === 0) break;
        else if (depth === 0 && value.length > 0 && startsAttribute(tokens, j)) break;
        if (t.kind !== 'newline') value.push(t);
      }
      items.push({ type: 'attribute', name: token.text, value });
      i = j;
      continue;
    }
    const labels: string[] = [];
    let j = i + 1;
    while (j < tokens.length && (tokens[j].kind === 'string' || tokens[j].kind === 'ident')) labels.push(tokens[j++].text);
    if (tokens[j]?.kind === 'punct' && tokens[j].text === '{') {
      const body = parseBody(tokens, j + 1, true);
      items.push({ type: 'block', name: token.text, labels, body: body.items });
      if (body.error !== null) return { items, next: body.next, error: body.error };
      i = body.next;
      if (body.next > tokens.length) return { items, next: body.next, error: tokens[j].start };
      continue;
    }
    i = j;
  }
  return { items, next: tokens.length + 1, error: nested ? (tokens[from - 1]?.start ?? 0) : null };
}

// `name =` (not `==`) at `i`: the next attribute of a one-line block such as `env { name = "X" value = "y" }`.
function startsAttribute(tokens: Token[], i: number): boolean {
  const [t, eq, after] = [tokens[i], tokens[i + 1], tokens[i + 2]];
  return t.kind === 'ident' && eq?.kind === 'punct' && eq.text === '=' && !(after?.kind === 'punct' && after.text === '=');
}

function literalString(tokens: Token[]): Token | null {
  return tokens.length === 1 && (tokens[0].kind === 'string' || tokens[0].kind === 'heredoc') ? tokens[0] : null;
}

/** Extracts env blocks from a Terraform file. */
export function extractTerraform(ctx: DeployContext): void {
  const { tokens, error } = tokenize(ctx.text);
  const parsed = parseBody(tokens, 0, false);
  const firstError = error ?? parsed.error;
  if (firstError !== null) ctx.parseError(firstError);
  const fileEnvironment = environmentFromPath(ctx.path);
  for (const item of parsed.items) {
    if (item.type !== 'block') continue;
    const hint = item.name === 'resource' || item.name === 'module' ? resourceHint(item) : null;
    envBlocks(ctx, item, hint, fileEnvironment);
  }
}

// A literal `name` attribute (or `metadata { name }`) of the resource, else its label.
function resourceHint(block: Block): string | null {
  const attr = (b: Block, name: string): Token | null => {
    for (const item of b.body) if (item.type === 'attribute' && item.name === name) return literalString(item.value);
    return null;
  };
  const own = attr(block, 'name');
  if (own && !own.interpolated) return own.text;
  for (const item of block.body) {
    if (item.type === 'block' && item.name === 'metadata') {
      const name = attr(item, 'name');
      if (name && !name.interpolated) return name.text;
    }
  }
  return block.labels[block.labels.length - 1] ?? null;
}

function envBlocks(ctx: DeployContext, block: Block, serviceHint: string | null, fileEnvironment: string | null): void {
  const found: EnvEntry[] = [];
  const visit = (current: Block): void => {
    for (const item of current.body) {
      if (item.type !== 'block') continue;
      if (item.name === 'env' && item.labels.length === 0) {
        const entry = envEntry(item);
        if (entry) found.push({ name: entry.nameToken.text, nameStart: entry.nameToken.start, nameEnd: entry.nameToken.end, value: entry.value });
      } else if (item.name !== 'dynamic') {
        visit(item);
      }
    }
  };
  visit(block);
  const environment = entriesEnvironment(found) ?? fileEnvironment;
  for (const entry of found) ctx.provide({ ...entry, source: 'terraform', environment, serviceHint });
}

function envEntry(block: Block): { nameToken: Token; value: ProvidedValue } | null {
  let nameToken: Token | null = null;
  let value: ProvidedValue = { state: 'empty' };
  for (const item of block.body) {
    if (item.type === 'attribute' && item.name === 'name') {
      const literal = literalString(item.value);
      if (!literal || literal.interpolated) return null;
      nameToken = literal;
    } else if (item.type === 'attribute' && item.name === 'value') {
      const literal = literalString(item.value);
      value = literal && !literal.interpolated ? { state: 'literal', text: literal.text, start: literal.start, end: literal.end } : { state: 'reference' };
    } else if (item.type === 'block' && (item.name === 'value_source' || item.name === 'value_from')) {
      value = { state: 'reference' };
    }
  }
  return nameToken ? { nameToken, value } : null;
}
