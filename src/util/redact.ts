// Redaction: the marker that stands for a hidden value, and which string/value tokens are proven harmless to show.

/** The placeholder that stands for a literal of `length` characters. */
export function redacted(length: number): string {
  return `«redacted, ${length} chars»`;
}

/**
 * Where a token sits: a string literal in code, a module specifier (`import … from './x'`), a value
 * in a deployment or env file, a key/name (mapping keys, object and dict keys), or the literal piece
 * of a template literal between placeholders.
 */
export type TokenContext = 'string' | 'module' | 'value' | 'key' | 'fragment';

const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const LITERAL_WORD = /^(true|false|yes|no|on|off|null|none|nil|undefined|production|prod|staging|stage|development|dev|test|testing|local|qa|preview)$/i;
const ALGORITHM = /^((HS|RS|ES|PS)(256|384|512)|EdDSA|none)$/;
const PLAIN_REFERENCE =
  /^(\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$\{\{\s*(secrets|env|vars|inputs|github|steps|needs|matrix)\.[A-Za-z0-9_.-]+\s*\}\}|\{\{\s*\.?[A-Za-z0-9_.]+\s*\}\})$/;
const PORTS = /^\d{1,5}(:\d{1,5}){0,2}(\/(tcp|udp))?$/;
/** Words code passes as strings that are never secret values (encodings, digests, JWT claims, HTTP verbs and headers, event names). */
const KEYWORDS = new Set(
  `utf8 utf-8 utf16le hex base64 base64url ascii latin1 binary sha1 sha256 sha384 sha512 md5 bearer authorization
  sub exp iat nbf aud iss jti kid typ alg id user_id userId token access_token refresh_token id_token token_type
  get post put patch delete options head json text string number object function boolean bigint symbol default
  error message close open connection connect disconnect upgrade websocket ws wss http https cookie cookies header
  headers query params body auth jwt jws jwk jwks sig enc data event events ping pong info warn debug trace
  content-type x-api-key x-request-id accept user-agent origin host`
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase()),
);

/** An env-style name: upper-case words of letters (optionally ending in up to two digits), or short numbers. */
export function looksLikeEnvName(text: string): boolean {
  if (text.length > 64 || !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(text)) return false;
  return text.split('_').every((part) => /^[A-Z]+\d{0,2}$/.test(part) || /^\d{1,4}$/.test(part));
}

// A piece of a name built at run time: `JWT_SECRET_` before a placeholder, `_KEY` after one.
function looksLikeNameFragment(text: string): boolean {
  const core = text.replace(/^_+|_+$/g, '');
  return core.length === 0 || looksLikeEnvName(core);
}

// An interpolated string whose literal parts are name fragments or routes and whose placeholders
// hold only identifiers (`f"JWT_SECRET_{env.upper()}"`, `` `/ws/${room}` ``).
function harmlessTemplate(text: string): boolean {
  const placeholder = /\$?\{[\w.()[\] ]*\}/g;
  if (!/\$?\{[\w.()[\] ]*\}/.test(text) || /[{}]/.test(text.replace(placeholder, ''))) return false;
  return text.split(placeholder).every((part) => looksLikeNameFragment(part) || looksLikeRoute(part) || /^[\w./-]{0,3}$/.test(part));
}

/**
 * A key in a mapping or a config path: lower-case words joined by `.`, `_` or `-` (`verify_signature`,
 * `xpack.security.http.ssl.key`), camelCase or PascalCase words without digits (`accessToken`).
 */
function looksLikeKey(text: string): boolean {
  if (text.length > 80 || /\d{3,}/.test(text)) return false;
  return /^[a-z_][a-z0-9_]*([.-][a-z_][a-z0-9_]*)*$/.test(text) || /^[a-z]+([A-Z][a-z]+)*$/.test(text) || /^([A-Z][a-z]+)+$/.test(text);
}

/** A route or URL without credentials or query: lower-case segments of at most 24 characters with few digits (`/api/v1/ws`, `wss://gateway:8080/ws`). */
function looksLikeRoute(text: string): boolean {
  const m = /^((https?|wss?):\/\/[a-z0-9.-]+(:\d{1,5})?)?(\/[a-z0-9_\-.{}:<>]*)*$/.exec(text);
  if (!m || text.length > 120) return false;
  return text.split(/[/:.]/).every((seg) => seg.length <= 24 && !/\d.*\d.*\d.*\d/.test(seg));
}

/**
 * Whether a token's text is proven harmless to show. Everything else on a snippet line is masked:
 * values in deployment files show only numbers, booleans, environment words, algorithm names and
 * references without a default; code strings also env names, dotted config keys, module paths and
 * a short list of protocol words.
 */
export function harmless(content: string, context: TokenContext): boolean {
  const text = content.trim();
  if (text.length === 0) return true;
  if (NUMBER.test(text) || LITERAL_WORD.test(text) || ALGORITHM.test(text) || PLAIN_REFERENCE.test(text)) return true;
  if (context !== 'value' && text.length < 2) return true;
  switch (context) {
    case 'value':
      return PORTS.test(text);
    case 'key':
      return looksLikeEnvName(text) || looksLikeKey(text);
    case 'module':
      return /^[@\w./:-]+$/.test(text) && text.length <= 200 && !/[A-Za-z0-9]{24,}/.test(text);
    case 'string':
      return (
        looksLikeEnvName(text) ||
        KEYWORDS.has(text.toLowerCase()) ||
        /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$/.test(text) ||
        looksLikeRoute(text) ||
        harmlessTemplate(text)
      );
    case 'fragment':
      return looksLikeNameFragment(text) || looksLikeRoute(text) || /^[\w./-]{0,3}$/.test(text);
  }
}
