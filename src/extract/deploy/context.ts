// Shared state of one deployment file's extraction: offsets → locations, value classification, redaction.
import type { FileFacts, Language, Loc, Provision } from '../../model/facts.js';
import { emptyFacts } from '../../model/facts.js';
import { environmentFromEntries } from './environment.js';
import { classifyValue } from './values.js';

/** What a deployment entry gives a name: a literal (classified later), a reference, or nothing. */
export type ProvidedValue =
  | { state: 'reference' }
  | { state: 'empty' }
  | { state: 'literal'; text: string; start: number; end: number };

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
}

/** The environment an `ENVIRONMENT=…`-style literal among the entries names (after `substitute`). */
export function entriesEnvironment(entries: EnvEntry[], substitute: (text: string) => string = (text) => text): string | null {
  return environmentFromEntries(entries.map((e) => ({ name: e.name, literal: e.value.state === 'literal' ? substitute(e.value.text) : null })));
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export class DeployContext {
  readonly facts: FileFacts;
  private readonly lineStarts: number[] = [0];
  private readonly literalKeys = new Set<string>();

  constructor(
    readonly path: string,
    readonly text: string,
    language: Language,
  ) {
    this.facts = emptyFacts(path, language);
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** 1-based line and column of a string offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  loc(start: number, end: number): Loc {
    const from = this.position(start);
    const to = this.position(Math.max(start, end));
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  /** Records one provision; a literal value is classified and only its length and span are kept. */
  provide(input: ProvisionInput): void {
    if (input.name !== '*' && !ENV_NAME.test(input.name)) return;
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
      provision.valueState = classifyValue(value.text);
      if (provision.valueState === 'set') {
        provision.valueLength = value.text.length;
        this.addSecretLiteral(value.start, value.end);
      }
    } else {
      provision.valueState = value.state;
    }
    if (input.envFile !== undefined) provision.envFile = input.envFile;
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
}
