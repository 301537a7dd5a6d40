// committed-secret-value — a real-looking secret value committed in a tracked deployment or env file.
import { defineRule } from '../src/rule-api.js';

const SECRET_WORDS = new Set(['SECRET', 'SECRETS', 'PASSWORD', 'PASSWD', 'PWD', 'PASS', 'TOKEN', 'APIKEY', 'PRIVATE', 'CREDENTIAL', 'CREDENTIALS', 'KEY', 'SALT', 'SIGNING']);
const NOT_SECRET_LAST = new Set([
  'EXPIRE', 'EXPIRES', 'EXPIRY', 'EXPIRATION', 'MINUTES', 'SECONDS', 'HOURS', 'DAYS', 'TTL', 'LIFETIME', 'URL', 'URI', 'HOST', 'PORT',
  'ALGORITHM', 'ALG', 'NAME', 'PATH', 'FILE', 'DIR', 'HEADER', 'LENGTH', 'ISSUER', 'AUDIENCE', 'TYPE', 'ID', 'ENABLED', 'PREFIX', 'VERSION', 'REGION',
]);
const DEFAULT_MIN_LENGTH = 8;

/** Whether an env name reads like it holds secret material (`JWT_SECRET`, `DB_PASSWORD`), not metadata about one (`TOKEN_TTL`). */
function looksSecret(name: string): boolean {
  const words = name.toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w.length > 0);
  if (words.length === 0 || NOT_SECRET_LAST.has(words[words.length - 1])) return false;
  return words.some((w) => SECRET_WORDS.has(w) || w.endsWith('SECRET') || w.endsWith('PASSWORD') || w.endsWith('TOKEN'));
}

export default defineRule({
  meta: {
    id: 'committed-secret-value',
    title: 'A secret value is committed in a configuration file',
    category: 'deployment',
    defaultSeverity: 'error',
    precision: 'high',
    securitySeverity: 8.6,
    tags: ['security', 'external/cwe/cwe-798', 'external/cwe/cwe-540'],
    messages: {
      committed: '{{name}} has a committed value («redacted, {{length}} chars») in this {{source}} file; anyone with the repository has the secret.',
    },
  },
  check(model, ctx) {
    const option = ctx.options.minLength;
    const minLength = typeof option === 'number' && option >= 0 ? option : DEFAULT_MIN_LENGTH;
    const seen = new Set<string>();
    for (const p of model.provisions) {
      if (p.valueState !== 'set' || p.name === '*' || p.environment === 'test') continue;
      const length = p.valueLength ?? 0;
      if (length < minLength) continue;
      const family = model.deployment.familyOfName[p.name];
      if (!family && !looksSecret(p.name)) continue;
      const at = `${p.file}:${p.loc.line}:${p.loc.column}`;
      if (seen.has(at)) continue;
      seen.add(at);
      ctx.report({
        messageId: 'committed',
        data: { name: p.name, length, source: p.source },
        file: p.file,
        loc: p.loc,
        key: [p.file, p.name],
        service: p.service,
        precision: family ? 'very-high' : 'high',
      });
    }
  },
});
