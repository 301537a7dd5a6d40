// Classifies a deployment value (empty, reference, placeholder or set, and what a set value looks like) — the value itself is never kept.
import type { ProvisionValueKind, ProvisionValueState } from '../facts.js';
import { normalizeEnvironment } from './environment.js';
import { CREDENTIAL_WORDS, DEFAULT_CREDENTIALS, VENDOR_WORDS, WORDS } from './words.js';

/** The class of a value; `defaultAt` locates the literal default of a `${NAME:-default}` reference inside the text. */
export interface ValueClass {
  state: ProvisionValueState;
  kind?: ProvisionValueKind;
  defaultAt?: { start: number; end: number };
}

// `${X}`, `$(cmd)`, `$X`, `{{ … }}`, and references to secret stores.
const REFERENCE = /\$\{[^}]*\}|\$\([A-Za-z_][^)]*\)|\$[A-Za-z_]|\{\{[\s\S]*\}\}/;
const SECRET_STORE =
  /^(arn:aws:(secretsmanager|ssm|kms):|projects\/[^/\s]+\/secrets\/|(sm|gsm|gcp-sm|secretmanager|ssm|vault|op|doppler|infisical|azure-keyvault|akv|kms|awssm|aws-sm):\/{0,2}\S|@Microsoft\.KeyVault\(|secret:\/\/|\$\{\{\s*secrets\.)/i;

// Placeholders: template markers, filler, and phrases that tell the reader to supply the value.
const TEMPLATE_MARKER = /^(<[^<>]*>|\[[^[\]]*\]|%[A-Za-z0-9_]+%|__[A-Za-z0-9_]+__|@@[A-Za-z0-9_]+@@)$/;
const FILLER = /x{3,}|\*{3,}|\.{3,}|…|#{3,}|_{3,}/i;
const MARKER_VALUE =
  /^(change[-_ ]?me|change[-_ ]?it|replace[-_ ]?me|set[-_ ]?me|fill[-_ ]?me|todo|tbd|fixme|none|null|nil|undefined|empty|unset|not[-_ ]?set|n\/?a|placeholder|example|sample|dummy|fake|redacted|hidden|removed|secret|token|key|secret[-_ ]?key|api[-_ ]?key|private[-_ ]?key|access[-_ ]?key|your[-_ ]?(secret|key|token|password))$/i;
const MARKER_START =
  /^(your|<your|insert|enter|put|paste|add[-_ ]your|fill[-_ ]in|generate|get[-_ ](the|a|an|your|from)|use[-_ ](a[-_ ]|the[-_ ]|your[-_ ])?(secret|vault|kms|key[-_ ]?vault|workload|service[-_ ]account|env|environment|ssm|parameter|github[-_ ]secrets?)|replace[-_ ]?(me|with|this|it)|change[-_ ]?(me|it)|set[-_ ]?(me|this|it|in|by|via|your)|provide[-_ ]|from[-_ ](secret|vault|env)|see[-_ ]|must[-_ ]be[-_ ]set|to[-_ ]be[-_ ](set|filled|replaced|generated)|todo|fixme|tbd)([^a-z]|$)/i;
const MARKER_ANYWHERE =
  /(^|[^a-z])(not[-_ ]?a[-_ ]?real|not[-_ ]?real|placeholder|dummy|example|change[-_ ]?me|replace[-_ ]?me|replace[-_ ]?(this|with)|changeit|todo|fixme|secret[-_ ]?manager)([^a-z]|$)|(^|[^a-z])your[-_ ]|[-_ ]here([^a-z]|$)/i;
const REPEATED = /^(.{1,3})\1{3,}$/s;
// Documentation keys such as AWS's `AKIAIOSFODNN7EXAMPLE`: an upper-case EXAMPLE inside a generated-looking value.
const DOC_EXAMPLE = /EXAMPLE/;

// Values that are not secrets whatever their name.
const PLAIN =
  /^([+-]?\d+(\.\d+)?|true|false|yes|no|on|off|enabled?|disabled?|(HS|RS|ES|PS)(256|384|512)|EdDSA|\d+(\.\d+)?\s*(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|years?|[kmgt]i?b?)|\d+\s*\/\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?))$/i;
const PUBLIC =
  /^(-----BEGIN ((RSA|EC|DSA|PGP|SSH2) )?PUBLIC KEY( BLOCK)?-----|-----BEGIN CERTIFICATE-----|ssh-(rsa|ed25519|dss) |ecdsa-sha2-|sk-ssh-|pk_(live|test)_|pk-lf-|pk\.eyJ)/;
const FILE_NAME = /^[\w.@-]+\.(key|pem|crt|cer|csr|p12|pfx|jks|keystore|der|pub|json|txt|env|conf|cfg|ini|ya?ml|toml)$/i;

// Generated credentials recognisable by their shape.
const KNOWN_FORMATS = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/,
  /^eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*$/, // a JWT
  /^(AKIA|ASIA)[0-9A-Z]{16}$/,
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}$|^github_pat_\w{30,}$/,
  /^xox[abposr]-[\w-]{10,}$/,
  /^(sk|rk)_(live|test)_[A-Za-z0-9]{16,}$/,
  /^sk-[A-Za-z0-9_-]{20,}$/,
  /^AIza[\w-]{30,}$/,
  /^GOCSPX-[\w-]{20,}$/,
  /^SG\.[\w-]{16,}\.[\w-]{16,}$/,
  /^glpat-[\w-]{20}$/,
  /^npm_[A-Za-z0-9]{36}$/,
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i,
  /^[a-z]{4}( [a-z]{4}){3}$/, // an app password as Google shows it
  /(^|[^0-9a-f])[0-9a-f]{24,}([^0-9a-f]|$)/i, // hex digest or key
];

/** How a literal deployment value should be treated; `hints` are the block's user and database names. */
export function classifyValue(value: string, hints: readonly string[] = []): ValueClass {
  const text = value.trim();
  if (text.length === 0) return { state: 'empty' };
  const shellDefault = defaultOf(value);
  if (shellDefault !== null) {
    if (shellDefault === 'reference') return { state: 'reference' };
    const inner = classifyValue(value.slice(shellDefault.start, shellDefault.end), hints);
    if (inner.state === 'empty' || inner.state === 'reference') return { state: 'reference' };
    const at = inner.defaultAt
      ? { start: shellDefault.start + inner.defaultAt.start, end: shellDefault.start + inner.defaultAt.end }
      : { start: shellDefault.start, end: shellDefault.end };
    return { ...inner, defaultAt: at };
  }
  if (REFERENCE.test(text) || SECRET_STORE.test(text)) return { state: 'reference' };
  if (isPlaceholder(text)) return { state: 'placeholder' };
  return { state: 'set', kind: kindOf(text, hints) };
}

/** Whether a value only stands in for one: a template marker, filler, or an instruction to supply it. */
function isPlaceholder(text: string): boolean {
  return (
    TEMPLATE_MARKER.test(text) ||
    FILLER.test(text) ||
    MARKER_VALUE.test(text) ||
    MARKER_START.test(text) ||
    MARKER_ANYWHERE.test(text) ||
    REPEATED.test(text) ||
    DOC_EXAMPLE.test(text)
  );
}

function kindOf(text: string, hints: readonly string[]): ProvisionValueKind {
  if (PLAIN.test(text) || normalizeEnvironment(text) !== null) return 'plain';
  if (PUBLIC.test(text)) return 'public';
  if (looksLikePath(text)) return 'path';
  if (looksGenerated(text)) return 'random';
  if (guessable(text, hints)) return 'default';
  return 'words';
}

// `${NAME:-default}` / `${NAME-default}` / `${NAME:=default}` as the whole value: the default's offsets;
// other `${NAME…}` forms as the whole value: a plain reference; anything else: null.
function defaultOf(value: string): { start: number; end: number } | 'reference' | null {
  const lead = value.length - value.trimStart().length;
  const text = value.trim();
  const head = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
  if (!head) return null;
  let depth = 0;
  let close = -1;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  if (close !== text.length - 1) return null;
  const op = /^(:?[-=])/.exec(text.slice(head[0].length));
  if (!op) return 'reference';
  const start = lead + head[0].length + op[0].length;
  return { start, end: lead + close };
}

function looksLikePath(text: string): boolean {
  if (/\s/.test(text)) return false;
  if (FILE_NAME.test(text)) return true;
  const rooted = /^(\/|\.{1,2}\/|~\/)/.test(text);
  if (!rooted && !text.includes('/')) return false;
  if (/[+=]/.test(text) || /^[A-Za-z][\w+.-]*:/.test(text)) return false;
  const segments = text.replace(/^(\.{1,2}|~)?\//, '').split('/');
  if (!segments.every((s) => /^[\w.@-]*$/.test(s))) return false;
  if (!rooted && segments.length < 2) return false;
  return !segments.some((s) => s.length >= 8 && chunkGenerated(s));
}

/** Whether a value contains a generated (random-looking) part or has the shape of a known credential. */
export function looksGenerated(text: string): boolean {
  if (KNOWN_FORMATS.some((re) => re.test(text))) return true;
  const chunks = text.split(/[\s\-_.,:;!?@#$%^&*()[\]{}|\\'"`~<>]+/).filter((c) => c.length > 0);
  let noise = 0;
  for (const chunk of chunks) {
    if (chunk.length >= 8 && chunkGenerated(chunk)) return true;
    if (chunk.length >= 4 && chunkGenerated(chunk)) noise += chunk.length;
  }
  return noise >= 12;
}

const SEGMENT = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^A-Za-z\d]+/g;

// Whether one separator-free run looks generated rather than typed.
function chunkGenerated(chunk: string): boolean {
  const segments = chunk.match(SEGMENT) ?? [];
  let covered = 0;
  for (const seg of segments) {
    if (/^\d+$/.test(seg)) {
      if (seg.length <= 4) covered += seg.length;
    } else if (/^[A-Za-z]+$/.test(seg)) {
      covered += wordCoverage(seg.toLowerCase());
    }
  }
  if (covered / chunk.length >= 0.6) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(chunk)).length;
  let transitions = 0;
  for (let i = 1; i < chunk.length; i++) {
    const a = charClass(chunk[i - 1]);
    const b = charClass(chunk[i]);
    if (a !== b && !(a === 'upper' && b === 'lower')) transitions++;
  }
  if (classes >= 2 && transitions / chunk.length >= 0.15) return true;
  if (/^[A-Za-z]+$/.test(chunk)) return chunk.length >= 8 && !pronounceable(chunk.toLowerCase());
  if (/^\d+$/.test(chunk)) return chunk.length >= 12;
  return false;
}

function charClass(c: string): 'lower' | 'upper' | 'digit' | 'other' {
  if (c >= 'a' && c <= 'z') return 'lower';
  if (c >= 'A' && c <= 'Z') return 'upper';
  if (c >= '0' && c <= '9') return 'digit';
  return 'other';
}

function isWord(w: string): boolean {
  if (w.length < 3) return false;
  if (WORDS.has(w) || CREDENTIAL_WORDS.has(w) || VENDOR_WORDS.has(w)) return true;
  for (const suffix of ['s', 'es', 'ed', 'ing', 'er', 'ly']) {
    if (w.length > suffix.length + 2 && w.endsWith(suffix) && WORDS.has(w.slice(0, -suffix.length))) return true;
  }
  return false;
}

// The most letters of a lower-case run covered by dictionary words (word break, words of 3+ letters).
function wordCoverage(run: string): number {
  if (run.length > 64) return 0;
  const best = new Array<number>(run.length + 1).fill(0);
  for (let i = 1; i <= run.length; i++) {
    best[i] = best[i - 1];
    for (let j = Math.max(0, i - 16); j <= i - 3; j++) {
      if (isWord(run.slice(j, i))) best[i] = Math.max(best[i], best[j] + (i - j));
    }
  }
  return best[run.length];
}

function pronounceable(letters: string): boolean {
  let vowels = 0;
  let run = 0;
  let maxRun = 0;
  for (const c of letters) {
    if ('aeiouy'.includes(c)) {
      vowels++;
      run = 0;
    } else {
      run++;
      maxRun = Math.max(maxRun, run);
    }
  }
  return vowels / letters.length >= 0.25 && maxRun <= 3;
}

// A credential anyone could guess: a vendor default, or only credential words, environment words,
// the service's own names (`hints`), and short numbers (`shop_password`, `qa_admin_password`).
function guessable(text: string, hints: readonly string[]): boolean {
  const lower = text.toLowerCase();
  if (DEFAULT_CREDENTIALS.has(lower)) return true;
  const own = new Set(hints.flatMap((h) => tokens(h)));
  const parts = tokens(text);
  return (
    parts.length > 0 &&
    parts.every(
      (t) =>
        CREDENTIAL_WORDS.has(t) || VENDOR_WORDS.has(t) || DEFAULT_CREDENTIALS.has(t) || own.has(t) || /^\d{1,4}$/.test(t) || normalizeEnvironment(t) !== null,
    )
  );
}

function tokens(text: string): string[] {
  return (text.match(SEGMENT) ?? []).map((s) => s.toLowerCase()).filter((s) => /[a-z0-9]/.test(s));
}
