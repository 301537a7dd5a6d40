// Shared state of one deployment file's extraction: offsets → locations, value classification, redaction.
import type { FileFacts, Language, Loc, Provision } from '../facts.js';
import { emptyFacts } from '../facts.js';
import { LineIndex } from '../../util/lines.js';
import { environmentFromEntries } from './environment.js';
import { classifyValue, looksGenerated } from './values.js';

/** What a deployment entry gives a name: a literal (classified later), a reference, or nothing. */
export type ProvidedValue = { state: 'reference' } | { state: 'empty' } | { state: 'literal'; text: string; start: number; end: number };

/** An env name with the offsets of its span and what it is given. */
export interface EnvEntry {
  name: string;
  nameStart: number;
  nameEnd: number;
  value: ProvidedValue;
}

export interface ProvisionInput extends EnvEntry {
  source: string;
  environment: string | null;
  serviceHint: string | null;
  envFile?: string;
  /** The block's user and database names (`POSTGRES_USER`, `MYSQL_DATABASE`…), to recognise credentials made from them. */
  hints?: readonly string[];
  ciJob?: boolean;
}

const HINT_NAME = /(^|_)(USER|USERNAME|USER_NAME|LOGIN|DB|DATABASE|DB_NAME|DATABASE_NAME)$/i;

/** Literal values of a block's user and database names: the words a guessable password there is made of. */
export function blockHints(entries: EnvEntry[]): string[] {
  const out: string[] = [];
  for (const e of entries) if (HINT_NAME.test(e.name) && e.value.state === 'literal') out.push(e.value.text);
  return out;
}

/** The environment an `ENVIRONMENT=…`-style literal among the entries names (after `substitute`). */
export function entriesEnvironment(entries: EnvEntry[], substitute: (text: string) => string = (text) => text): string | null {
  return environmentFromEntries(entries.map((e) => ({ name: e.name, literal: e.value.state === 'literal' ? substitute(e.value.text) : null })));
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export class DeployContext {
  readonly facts: FileFacts;
  private readonly lines: LineIndex;
  private readonly literalKeys = new Set<string>();

  constructor(
    readonly path: string,
    readonly text: string,
    language: Language,
  ) {
    this.facts = emptyFacts(path, language);
    this.lines = new LineIndex(text);
  }

  /** 1-based line and column of a string offset (lines end at LF, CRLF or CR). */
  position(offset: number): { line: number; column: number } {
    return this.lines.position(offset);
  }

  loc(start: number, end: number): Loc {
    return this.lines.loc(start, end);
  }

  /**
   * Records one provision. A literal value is classified (`classifyValue`); only its state, kind,
   * length and span are kept. The span of every set or placeholder literal (also a `${X:-default}`
   * default) goes to `secretLiterals`, so snippets mask it whatever its class.
   */
  provide(input: ProvisionInput): void {
    // A generated-looking "name" is a value's continuation line (an unquoted multi-line key ending in `==`), not a variable.
    if (input.name !== '*' && (!ENV_NAME.test(input.name) || (input.name.length >= 16 && looksGenerated(input.name)))) return;
    const provision: Provision = {
      name: input.name,
      source: input.source,
      environment: input.environment,
      serviceHint: input.serviceHint,
      valueState: 'reference',
      loc: this.loc(input.nameStart, input.nameEnd),
    };
    const value = input.value;
    if (value.state === 'literal') {
      const cls = classifyValue(value.text, input.hints);
      provision.valueState = cls.state;
      let literal = value.text;
      if (cls.defaultAt) {
        literal = value.text.slice(cls.defaultAt.start, cls.defaultAt.end);
        provision.valueIsDefault = true;
      }
      if (cls.state === 'set' || cls.state === 'placeholder') provision.valueLength = literal.trim().length;
      if (cls.kind) provision.valueKind = cls.kind;
      if ((cls.state === 'set' || cls.state === 'placeholder') && value.end > value.start) this.addSecretLiteral(value.start, value.end);
    } else {
      provision.valueState = value.state;
    }
    if (input.envFile !== undefined) provision.envFile = input.envFile;
    if (input.ciJob) provision.ciJob = true;
    this.facts.provisions.push(provision);
  }

  addSecretLiteral(start: number, end: number): void {
    const key = `${start}:${end}`;
    if (this.literalKeys.has(key)) return;
    this.literalKeys.add(key);
    this.facts.secretLiterals.push(this.loc(start, end));
  }

  /** A `parse-error` warning at an offset (the message never quotes the source). */
  parseError(offset: number, what = 'syntax error'): void {
    const at = this.position(offset);
    this.facts.notifications.push({
      level: 'warning',
      id: 'parse-error',
      message: `${what} at ${at.line}:${at.column}; facts were extracted from the parts that parse`,
      file: this.path,
      loc: this.loc(offset, offset),
    });
  }

  note(id: string, message: string): void {
    this.facts.notifications.push({ level: 'note', id, message, file: this.path });
  }

  /** Part of the file was not analysed because it exceeds a limit (an `analysis-limit` warning: the run cannot vouch for it). */
  limit(message: string, offset?: number): void {
    const at = offset === undefined ? undefined : this.loc(offset, offset);
    this.facts.notifications.push({ level: 'warning', id: 'analysis-limit', message, file: this.path, ...(at ? { loc: at } : {}) });
  }
}
