// The configuration file's strict zod schema and its defaults; the JSON Schema in schema/ is generated from it.
import { z } from 'zod';
import { globAlternatives, globProblem } from '../util/glob.js';
import { compareText } from '../util/order.js';

/** One glob: over-long patterns and brace expansions past the limits are config errors naming the field. */
const glob = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const problem = globProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Every pattern of a field together may expand to at most this many alternatives (each is tried on every path). */
const MAX_FIELD_ALTERNATIVES = 4096;

const globList = z.array(glob).superRefine((values, ctx) => {
  const total = values.reduce((sum, value) => sum + globAlternatives(value), 0);
  if (total > MAX_FIELD_ALTERNATIVES)
    ctx.addIssue({ code: 'custom', message: `the patterns expand to ${total} alternatives (limit ${MAX_FIELD_ALTERNATIVES})` });
});

const globs = z.union([glob, z.array(glob).min(1)]);

const severity = z.enum(['error', 'warning', 'note', 'off']);

const FamilySchema = z.strictObject({
  /** The one name the team converges on; else the signer's name, else the most-read one. */
  canonical: z.string().min(1).optional(),
  /** Env names (globs, `*` wildcard, case-insensitive) that belong to the family by name alone. */
  namePatterns: globList.optional(),
  /** Whether any env value that reaches a JWT key argument belongs to the family (default: true for `jwt`). */
  dataflow: z.boolean().optional(),
});

const RuleSettingSchema = z.union([
  severity,
  z.strictObject({
    severity: severity.optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Free-form comments (JSON has none). */
  '//': z.union([z.string(), z.array(z.string())]).optional(),
  /** Globs of files to scan, relative to the root. */
  include: globList.default(['**/*']),
  /** Globs to leave out, added to the built-in excludes (node_modules, dist, build, .venv, …). */
  exclude: globList.default([]),
  /** Service name → folder globs. Empty: services are auto-detected. */
  services: z.record(z.string().min(1), globs).default({}),
  /** Shared library name → folder globs. Empty: auto-detected (`shared`, `common`, `libs`, …). */
  shared: z.record(z.string().min(1), globs).default({}),
  /** Secret families. `jwt` is always present; its defaults apply where it is not configured. */
  families: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), FamilySchema).default({}),
  /** Extra env accessor call shapes, e.g. `get_env().get`, `settings.get`, `cfg.require`. */
  envAccessors: z
    .strictObject({
      python: z.array(z.string().min(1)).default([]),
      typescript: z.array(z.string().min(1)).default([]),
    })
    .default({ python: [], typescript: [] }),
  /** Extra Python source roots (folders that hold top-level packages), e.g. `["services/api/src"]`. */
  pythonRoots: z.array(z.string().min(1)).default([]),
  /** Service boundary policy: by default a service may import itself and shared libraries only. */
  boundaries: z
    .strictObject({
      allow: z.array(z.strictObject({ from: glob, to: glob })).default([]),
      forbid: z.array(z.strictObject({ from: glob, to: glob })).default([]),
    })
    .default({ allow: [], forbid: [] }),
  /** Per-rule severity (`off` disables) and options. */
  rules: z.record(z.string(), RuleSettingSchema).default({}),
  /** Files larger than this many bytes are skipped and counted. */
  maxFileSize: z
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024),
  /** JavaScript files mostly on lines longer than this many characters are skipped as minified and counted (0: never). */
  maxLineLength: z.number().int().nonnegative().default(10_000),
  /** Seconds extraction may spend on one file; a file that takes longer is reported as not analysed and the scan goes on (0: no limit). */
  fileTimeLimit: z.number().nonnegative().max(86_400).default(60),
  /** Test code is excluded from findings unless this is true (or `--include-tests`). */
  includeTests: z.boolean().default(false),
});

export type ParsedConfig = z.output<typeof ConfigSchema>;
export type RuleSetting = z.output<typeof RuleSettingSchema>;

/** Built-in env accessor call shapes; configuration adds to them. */
export const DEFAULT_ENV_ACCESSORS = {
  python: ['get_env().get', 'get_env().get_env', 'env.get', 'settings.get', 'config.get', 'environ.get', 'env_config.get'],
  typescript: ['configService.get', 'configService.getOrThrow', 'config.get', 'config.getOrThrow', 'env.get', 'Deno.env.get'],
} as const;

/** A family with its defaults filled in. */
export interface ResolvedFamily {
  canonical?: string;
  namePatterns: string[];
  dataflow: boolean;
}

const DEFAULT_JWT_PATTERNS = ['*JWT*SECRET*', '*JWT*KEY*', '*JWT_SIGNING*'];

/** The configured families with defaults applied, `jwt` first. */
export function familiesOf(config: ParsedConfig): [string, ResolvedFamily][] {
  const jwt = config.families.jwt ?? {};
  const out: [string, ResolvedFamily][] = [
    ['jwt', { canonical: jwt.canonical, namePatterns: jwt.namePatterns ?? DEFAULT_JWT_PATTERNS, dataflow: jwt.dataflow ?? true }],
  ];
  for (const [id, family] of Object.entries(config.families).sort((a, b) => compareText(a[0], b[0]))) {
    if (id === 'jwt') continue;
    out.push([id, { canonical: family.canonical, namePatterns: family.namePatterns ?? [], dataflow: family.dataflow ?? false }]);
  }
  return out;
}
