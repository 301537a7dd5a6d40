// Tests the SARIF reporter against the official schema, GitHub's rules, and its own determinism and limits.
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../src/vocabulary.js';
import { renderSarif } from '../src/report/sarif.js';
import type { SarifOptions, SarifRuleInfo } from '../src/report/sarif.js';
import type { Finding } from '../src/vocabulary.js';
import type { RunResult } from '../src/summarize/result.js';
import type { RuleMeta } from '../src/rule-api.js';
import { findingFingerprint } from '../src/util/fingerprint.js';
import { loc, makeFinding, makeResult } from './helpers/factory.js';
import { checkGithubRules, validateSarifSchema } from './helpers/sarif-checker.js';

// ---- factory -------------------------------------------------------------------------------

function finding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'file' | 'loc'>): Finding {
  return makeFinding({ key: `${over.ruleId}|${over.file}|${over.loc.line}`, service: 'api', ...over });
}

function runResult(findings: Finding[], notifications: Notification[] = []): RunResult {
  return makeResult(findings, {
    services: [{ name: 'api', kind: 'service', roots: ['apps/api'], detectedBy: 'package.json' }],
    files: { scanned: 12, byLanguage: { ts: 8, python: 4 }, tests: 0, skipped: {} },
    families: [{ id: 'jwt', canonical: 'JWT_SECRET', canonicalReason: 'signer', names: ['JWT_SECRET', 'JWT_KEY'], patterns: [] }],
    notifications,
  });
}

function meta(over: Partial<RuleMeta> & Pick<RuleMeta, 'id'>): RuleMeta {
  return {
    title: `Title of ${over.id}`,
    category: 'secrets',
    defaultSeverity: 'warning',
    precision: 'high',
    tags: [],
    messages: { default: 'x' },
    ...over,
  };
}

const SPRAWL_DOC = [
  '# secret-name-sprawl',
  '',
  '## What it finds',
  '',
  'Several environment variable names hold the **same** JWT secret',
  'across services (`JWT_SECRET`, `JWT_SECRET_KEY`).',
  '',
  'A second paragraph that is not the summary.',
  '',
  '## How to fix',
  '',
  'Read one name, see [the guide](https://example.com/guide).',
  '',
  '```ts',
  'const secret = process.env.JWT_SECRET;',
  '```',
].join('\n');

const RULES: SarifRuleInfo[] = [
  {
    meta: meta({
      id: 'ws-secret-mismatch',
      title: 'WebSocket auth uses a different secret than HTTP auth',
      category: 'websocket',
      defaultSeverity: 'error',
      securitySeverity: 9.0,
      tags: ['security', 'external/cwe/cwe-287'],
    }),
    doc: '# ws-secret-mismatch\n\n## What it finds\n\nWebSocket auth reads another secret.\n',
  },
  {
    meta: meta({ id: 'secret-name-sprawl', title: 'Several names for one JWT secret', securitySeverity: 7.5, tags: ['external/cwe/cwe-1188'] }),
    doc: SPRAWL_DOC,
  },
  { meta: meta({ id: 'hardcoded-jwt-secret', title: 'Hard-coded JWT secret', defaultSeverity: 'error', securitySeverity: 4 }), doc: '' },
  {
    meta: meta({ id: 'shared-imports-service', title: 'Shared library imports a service', category: 'imports', defaultSeverity: 'note', precision: 'medium' }),
    doc: 'No headings here.',
  },
];

const OPTIONS: SarifOptions = { rules: RULES, informationUri: 'https://jwtfrag.dev/rules' };

function sampleResult(): RunResult {
  return runResult(
    [
      finding({
        ruleId: 'ws-secret-mismatch',
        severity: 'error',
        file: 'apps/ws/src/gateway.ts',
        loc: loc(14, 22, 38),
        message: 'WebSocket auth in ws reads WS_JWT_SECRET; HTTP auth reads JWT_SECRET.',
        related: [
          { file: 'apps/api/src/auth.ts', loc: loc(3, 30, 42), message: 'HTTP verifier reads JWT_SECRET' },
          { file: 'apps/api/src/sign.ts', loc: loc(7, 5, 9), message: '' },
        ],
        key: 'ws|WS_JWT_SECRET|JWT_SECRET',
        fingerprints: { primaryLocationLineHash: '271789c17abda88f:1' },
      }),
      finding({
        ruleId: 'secret-name-sprawl',
        file: 'apps/api/src/config.ts',
        loc: loc(5, 28, 44),
        message: 'JWT_KEY is another name for JWT_SECRET.',
        key: 'api|JWT_KEY',
      }),
      finding({
        ruleId: 'secret-name-sprawl',
        file: 'apps/api/src/config.ts',
        loc: loc(2, 10, 20),
        message: 'JWT_TOKEN_SECRET is another name for JWT_SECRET.',
        key: 'api|JWT_TOKEN_SECRET',
      }),
      finding({
        ruleId: 'secret-name-sprawl',
        file: 'services/billing/settings/jwt_conf.py',
        loc: loc(9, 30, 46),
        message: 'JWT_SECRET_KEY is another name for JWT_SECRET.',
        key: 'billing|JWT_SECRET_KEY',
        suppression: { kind: 'inline', reason: 'migrating in Q3' },
      }),
      finding({
        ruleId: 'hardcoded-jwt-secret',
        severity: 'error',
        file: 'apps/api/src/dev.ts',
        loc: loc(4, 19, 31),
        message: 'A literal JWT key («redacted, 10 chars»).',
        key: 'api|literal',
        suppression: { kind: 'baseline', reason: null },
      }),
    ],
    [
      { level: 'error', id: 'parse-error', message: 'Could not parse: unexpected token.', file: 'apps/api/src/broken.ts', loc: loc(3, 1, 2) },
      { level: 'note', id: 'skipped-binary', message: 'Skipped a binary file.', file: 'assets/logo.png' },
    ],
  );
}

function parse(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

interface RunView {
  tool: { driver: { name: string; semanticVersion: string; informationUri?: string; rules: Record<string, unknown>[] } };
  invocations: { executionSuccessful: boolean; toolExecutionNotifications: Record<string, unknown>[] }[];
  automationDetails: { id: string };
  originalUriBaseIds: Record<string, unknown>;
  columnKind: string;
  results: Record<string, unknown>[];
}

function firstRun(text: string): RunView {
  const log = parse(text) as { runs: RunView[] };
  return log.runs[0];
}

function expectValid(text: string): void {
  const log = parse(text);
  expect(validateSarifSchema(log)).toEqual([]);
  expect(checkGithubRules(log, text)).toEqual([]);
}

// ---- shape ---------------------------------------------------------------------------------

describe('renderSarif: shape', () => {
  const text = renderSarif(sampleResult(), OPTIONS);
  const run = firstRun(text);

  it('passes the official schema and every GitHub check', () => {
    expectValid(text);
  });

  it('writes the log header, driver and run properties', () => {
    const log = parse(text);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect((log.runs as unknown[]).length).toBe(1);
    expect(run.tool.driver.name).toBe('jwtfrag');
    expect(run.tool.driver.semanticVersion).toBe('0.3.1');
    expect(run.tool.driver.informationUri).toBe('https://jwtfrag.dev/rules');
    expect(run.automationDetails).toEqual({ id: 'jwtfrag/' });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { description: { text: 'Repository root' } } });
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('lists every rule, sorted by id, with GitHub metadata', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((rule) => rule.id)).toEqual(['hardcoded-jwt-secret', 'secret-name-sprawl', 'shared-imports-service', 'ws-secret-mismatch']);
    expect(rules[1]).toEqual({
      id: 'secret-name-sprawl',
      name: 'SecretNameSprawl',
      shortDescription: { text: 'Several names for one JWT secret' },
      fullDescription: {
        text: 'Several environment variable names hold the same JWT secret across services (JWT_SECRET, JWT_SECRET_KEY).',
      },
      help: {
        text: [
          'secret-name-sprawl',
          '',
          'What it finds',
          '',
          'Several environment variable names hold the same JWT secret',
          'across services (JWT_SECRET, JWT_SECRET_KEY).',
          '',
          'A second paragraph that is not the summary.',
          '',
          'How to fix',
          '',
          'Read one name, see the guide (https://example.com/guide).',
          '',
          '    const secret = process.env.JWT_SECRET;',
        ].join('\n'),
        markdown: SPRAWL_DOC,
      },
      helpUri: 'https://jwtfrag.dev/rules#secret-name-sprawl',
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['external/cwe/cwe-1188', 'security'], precision: 'high', 'security-severity': '7.5' },
    });
    // 9.0 sits on the critical/high boundary and 4.0 on medium/low: nudged up.
    expect(rules[3].properties).toEqual({
      tags: ['security', 'external/cwe/cwe-287'],
      precision: 'high',
      'security-severity': '9.1',
    });
    expect(rules[3].fullDescription).toEqual({ text: 'WebSocket auth reads another secret.' });
    // Empty doc: help falls back to the title; no "What it finds" → title as full description.
    expect(rules[0].help).toEqual({ text: 'Hard-coded JWT secret' });
    expect(rules[0].fullDescription).toEqual({ text: 'Hard-coded JWT secret' });
    expect((rules[0].properties as Record<string, unknown>)['security-severity']).toBe('4.1');
    expect(rules[2].properties).toEqual({ tags: [], precision: 'medium', 'problem.severity': 'recommendation' });
    expect(rules[2].defaultConfiguration).toEqual({ level: 'note' });
    expect(rules[2].help).toEqual({ text: 'No headings here.', markdown: 'No headings here.' });
  });

  it('emits unsuppressed results sorted by file, line, column, with rule indexes', () => {
    expect(
      run.results.map((r) => [
        (r.locations as { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[])[0].physicalLocation.artifactLocation.uri,
        r.ruleId,
        r.ruleIndex,
      ]),
    ).toEqual([
      ['apps/api/src/config.ts', 'secret-name-sprawl', 1],
      ['apps/api/src/config.ts', 'secret-name-sprawl', 1],
      ['apps/ws/src/gateway.ts', 'ws-secret-mismatch', 3],
    ]);
    expect((run.results[0].message as { text: string }).text).toBe('JWT_TOKEN_SECRET is another name for JWT_SECRET.');
    expect(run.results.some((r) => 'suppressions' in r)).toBe(false);
  });

  it('writes one location, related locations linked from the message, and fingerprints', () => {
    expect(run.results[2]).toEqual({
      ruleId: 'ws-secret-mismatch',
      ruleIndex: 3,
      level: 'error',
      message: {
        text: 'WebSocket auth in ws reads WS_JWT_SECRET; HTTP auth reads JWT_SECRET. Related: [HTTP verifier reads JWT_SECRET](1), [apps/api/src/sign.ts:7](2).',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'apps/ws/src/gateway.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 14, startColumn: 22, endLine: 14, endColumn: 38 },
          },
        },
      ],
      relatedLocations: [
        {
          id: 1,
          physicalLocation: {
            artifactLocation: { uri: 'apps/api/src/auth.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 30, endLine: 3, endColumn: 42 },
          },
          message: { text: 'HTTP verifier reads JWT_SECRET' },
        },
        {
          id: 2,
          physicalLocation: {
            artifactLocation: { uri: 'apps/api/src/sign.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 7, startColumn: 5, endLine: 7, endColumn: 9 },
          },
          message: { text: 'apps/api/src/sign.ts:7' },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: '271789c17abda88f:1' },
      fingerprints: { 'jwtfrag/v1': findingFingerprint('ws-secret-mismatch', 'ws|WS_JWT_SECRET|JWT_SECRET') },
    });
    // Without a line hash from the pipeline, only the semantic fingerprint is written.
    expect(run.results[0].partialFingerprints).toBeUndefined();
    expect(run.results[0].fingerprints).toEqual({ 'jwtfrag/v1': findingFingerprint('secret-name-sprawl', 'api|JWT_TOKEN_SECRET') });
  });

  it('reports notifications as tool execution notifications of a successful run', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'Could not parse: unexpected token.' },
            descriptor: { id: 'parse-error' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'apps/api/src/broken.ts', uriBaseId: '%SRCROOT%' },
                  region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 2 },
                },
              },
            ],
          },
          {
            level: 'note',
            message: { text: 'Skipped a binary file.' },
            descriptor: { id: 'skipped-binary' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'assets/logo.png', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });
});

describe('renderSarif: options and edge cases', () => {
  it('writes results: [] on a clean scan', () => {
    const text = renderSarif(runResult([]), OPTIONS);
    expectValid(text);
    const run = firstRun(text);
    expect(run.results).toEqual([]);
    expect(run.tool.driver.rules).toHaveLength(4);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([]);
  });

  it('emits suppressed findings with suppressions on every result when asked', () => {
    const text = renderSarif(sampleResult(), { ...OPTIONS, includeSuppressed: true });
    expectValid(text);
    const run = firstRun(text);
    expect(run.results.map((r) => [r.ruleId, r.suppressions])).toEqual([
      ['secret-name-sprawl', []],
      ['secret-name-sprawl', []],
      ['hardcoded-jwt-secret', [{ kind: 'external' }]],
      ['ws-secret-mismatch', []],
      ['secret-name-sprawl', [{ kind: 'inSource', justification: 'migrating in Q3' }]],
    ]);
  });

  it('takes the category, adding the trailing slash', () => {
    expect(firstRun(renderSarif(runResult([]), { ...OPTIONS, category: 'jwtfrag/apps-api' })).automationDetails).toEqual({
      id: 'jwtfrag/apps-api/',
    });
    expect(firstRun(renderSarif(runResult([]), { ...OPTIONS, category: 'mono/' })).automationDetails).toEqual({ id: 'mono/' });
  });

  it('omits informationUri and helpUri when no documentation URL is given', () => {
    const text = renderSarif(sampleResult(), { rules: RULES });
    expectValid(text);
    const run = firstRun(text);
    expect(run.tool.driver.informationUri).toBeUndefined();
    expect(run.tool.driver.rules.every((rule) => !('helpUri' in rule))).toBe(true);
  });

  it('maps security severities off band boundaries and drops out-of-range ones', () => {
    const scores: [number, string | undefined][] = [
      [9, '9.1'],
      [7, '7.1'],
      [4, '4.1'],
      [8.1, '8.1'],
      [2, '2.0'],
      [10, '10.0'],
      [3.96, '4.1'],
      [0, undefined],
      [11, undefined],
    ];
    const rules = scores.map(([score], index) => ({ meta: meta({ id: `r${index}`, securitySeverity: score }), doc: '' }));
    const text = renderSarif(runResult([]), { rules });
    expectValid(text);
    const emitted = firstRun(text).tool.driver.rules.map((rule) => (rule.properties as Record<string, unknown>)['security-severity']);
    expect(emitted).toEqual(scores.map(([, expected]) => expected));
  });

  it('describes a rule that fired without metadata rather than dropping its findings', () => {
    const result = runResult([finding({ ruleId: 'mystery-rule', severity: 'error', file: 'a.ts', loc: loc(1, 1, 2) })]);
    const text = renderSarif(result, OPTIONS);
    expectValid(text);
    const run = firstRun(text);
    const ids = run.tool.driver.rules.map((rule) => rule.id);
    expect(ids).toEqual(['hardcoded-jwt-secret', 'mystery-rule', 'secret-name-sprawl', 'shared-imports-service', 'ws-secret-mismatch']);
    expect(run.results[0].ruleIndex).toBe(1);
    expect(run.tool.driver.rules[1]).toMatchObject({ name: 'MysteryRule', defaultConfiguration: { level: 'error' } });
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'Rule mystery-rule reported findings but has no metadata.' }, descriptor: { id: 'rule-metadata-missing' } },
    ]);
  });

  it('percent-encodes paths and drops a leading ./', () => {
    const result = runResult([
      finding({ ruleId: 'secret-name-sprawl', file: './apps/my api/src/a#b.ts', loc: loc(1, 1, 2) }),
      finding({ ruleId: 'secret-name-sprawl', file: 'packages/@org/jwt/ünï.ts', loc: loc(1, 1, 2) }),
    ]);
    const text = renderSarif(result, OPTIONS);
    expectValid(text);
    const uris = firstRun(text).results.map(
      (r) => (r.locations as { physicalLocation: { artifactLocation: { uri: string } } }[])[0].physicalLocation.artifactLocation.uri,
    );
    expect(uris).toEqual(['apps/my%20api/src/a%23b.ts', 'packages/@org/jwt/%C3%BCn%C3%AF.ts']);
  });

  it('escapes literal brackets when the message carries related-location links', () => {
    const result = runResult([
      finding({
        ruleId: 'secret-name-sprawl',
        file: 'a.py',
        loc: loc(1, 1, 2),
        message: "os.environ['JWT_KEY'] differs",
        related: [{ file: 'b.py', loc: loc(2, 1, 2), message: 'reads [JWT_SECRET]' }],
      }),
    ]);
    const text = renderSarif(result, OPTIONS);
    expectValid(text);
    expect((firstRun(text).results[0].message as { text: string }).text).toBe("os.environ\\['JWT_KEY'\\] differs Related: [reads \\[JWT_SECRET\\]](1).");
  });
});

describe('renderSarif: determinism and hygiene', () => {
  it('renders byte-identical output twice and regardless of input order', () => {
    const first = renderSarif(sampleResult(), OPTIONS);
    expect(renderSarif(sampleResult(), OPTIONS)).toBe(first);
    const shuffled = sampleResult();
    shuffled.findings.reverse();
    shuffled.notifications.reverse();
    expect(renderSarif(shuffled, { ...OPTIONS, rules: [...RULES].reverse() })).toBe(first);
    expect(first).toBe(JSON.stringify(JSON.parse(first), null, 2));
  });

  it('never writes values that are not meant for output, and invents none', () => {
    const canary = 'CANARY-7f3a9e-not-for-output';
    const result = sampleResult();
    result.timestamp = `2026-06-01T00:00:00Z ${canary}`;
    result.services[0].detectedBy = canary;
    result.families[0].canonicalReason = canary;
    result.findings[0].snippet = `const key = "${canary}";`;
    result.findings[0].data = { secret: canary };
    result.findings[0].messageId = canary;
    const text = renderSarif(result, OPTIONS);
    expect(text).not.toContain('CANARY');
    expect(text).not.toContain('super-secret-value-never-in-input');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(text).not.toContain('/work/');
    const run = firstRun(text);
    const inputFiles = new Set(result.findings.map((f) => f.file));
    for (const r of run.results) {
      const uri = (r.locations as { physicalLocation: { artifactLocation: { uri: string } } }[])[0].physicalLocation.artifactLocation.uri;
      expect(inputFiles.has(uri)).toBe(true);
    }
  });
});

describe('renderSarif: GitHub limits', () => {
  it('caps at 25,000 results, keeping the most severe, and says how many were left out', () => {
    const findings: Finding[] = [];
    for (let i = 0; i < 25_010; i++) {
      const severity = i < 10 ? 'note' : i < 5_000 ? 'error' : 'warning';
      findings.push(
        finding({
          ruleId: 'secret-name-sprawl',
          severity,
          file: `apps/svc${i % 50}/src/f${i}.ts`,
          loc: loc(1 + (i % 300), 3, 9),
          message: `NAME_${i} is another name for JWT_SECRET.`,
          key: `k${i}`,
          fingerprints: { primaryLocationLineHash: `${(i * 7919).toString(16)}:1` },
        }),
      );
    }
    const text = renderSarif(runResult(findings), OPTIONS);
    const run = firstRun(text);
    expect(run.results).toHaveLength(25_000);
    expect(run.results.filter((r) => r.level === 'note')).toHaveLength(0);
    expect(run.results.filter((r) => r.level === 'error')).toHaveLength(4_990);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: {
          text: '10 of 25010 results were left out: GitHub code scanning accepts at most 25000 results per run (the most severe are kept).',
        },
        descriptor: { id: 'results-truncated' },
      },
    ]);
    expectValid(text);
    expect(gunzipSync(gzipSync(text)).toString('utf8')).toBe(text);
  });

  it('warns when the gzipped log would exceed the size limit', () => {
    const text = renderSarif(sampleResult(), { ...OPTIONS, limits: { maxGzipBytes: 500 } });
    const notes = firstRun(text).invocations[0].toolExecutionNotifications;
    const last = notes[notes.length - 1] as { level: string; descriptor: { id: string }; message: { text: string } };
    expect(last.level).toBe('warning');
    expect(last.descriptor).toEqual({ id: 'sarif-too-large' });
    const size = gzipSync(Buffer.from(renderSarif(sampleResult(), OPTIONS), 'utf8')).length;
    expect(last.message.text).toBe(
      `The gzipped SARIF is ${size} bytes; GitHub code scanning rejects uploads over 500 bytes. Narrow the scan (include/exclude) or split it with --category.`,
    );
    expect(firstRun(renderSarif(sampleResult(), OPTIONS)).invocations[0].toolExecutionNotifications).toHaveLength(2);
  });
});

// ---- the checker itself must fail on broken logs ---------------------------------------------

describe('sarif checker catches broken logs', () => {
  type Log = { runs: (RunView & Record<string, unknown>)[] } & Record<string, unknown>;
  const good = (): Log => JSON.parse(renderSarif(sampleResult(), { ...OPTIONS, includeSuppressed: true })) as Log;

  it('accepts the good log', () => {
    const log = good();
    expect(validateSarifSchema(log)).toEqual([]);
    expect(checkGithubRules(log)).toEqual([]);
  });

  it('reports a run without results (which the schema misses)', () => {
    const log = good();
    delete (log.runs[0] as Partial<RunView>).results;
    expect(validateSarifSchema(log)).toEqual([]);
    expect(checkGithubRules(log)).toEqual(["runs[0]: missing 'results' array"]);
  });

  it('reports a numeric security-severity (which the schema misses)', () => {
    const log = good();
    (log.runs[0].tool.driver.rules[3].properties as Record<string, unknown>)['security-severity'] = 9.1;
    expect(validateSarifSchema(log)).toEqual([]);
    expect(checkGithubRules(log)).toEqual(['runs[0].tool.driver.rules[3]: security-severity must be a numeric string, got 9.1']);
  });

  it('reports out-of-range and non-numeric security-severity strings', () => {
    const log = good();
    (log.runs[0].tool.driver.rules[3].properties as Record<string, unknown>)['security-severity'] = '0.0';
    (log.runs[0].tool.driver.rules[1].properties as Record<string, unknown>)['security-severity'] = 'high';
    expect(checkGithubRules(log)).toEqual([
      'runs[0].tool.driver.rules[1]: security-severity must be a numeric string, got "high"',
      'runs[0].tool.driver.rules[3]: security-severity 0.0 is outside (0, 10]',
    ]);
  });

  it('reports a wrong ruleIndex, an unknown ruleId and two locations', () => {
    const log = good();
    const results = log.runs[0].results;
    results[0].ruleIndex = 0;
    results[1].ruleId = 'nope';
    (results[3].locations as unknown[]).push((results[3].locations as unknown[])[0]);
    expect(checkGithubRules(log)).toEqual([
      'runs[0].results[0]: ruleIndex 0 points at hardcoded-jwt-secret, not secret-name-sprawl',
      'runs[0].results[1]: ruleId nope is not in rules',
      'runs[0].results[1]: ruleIndex 1 points at secret-name-sprawl, not nope',
      'runs[0].results[3]: 2 locations (emit exactly one)',
    ]);
  });

  it('reports startLine 0 in both the schema and the GitHub checks', () => {
    const log = good();
    const location = (log.runs[0].results[0].locations as { physicalLocation: { region: Record<string, number> } }[])[0];
    location.physicalLocation.region.startLine = 0;
    expect(validateSarifSchema(log)).toContain('schema: /runs/0/results/0/locations/0/physicalLocation/region/startLine must be >= 1');
    expect(checkGithubRules(log)).toEqual(['runs[0].results[0].locations[0]: region.startLine must be an integer >= 1']);
  });

  it('reports an invalid level through the schema', () => {
    const log = good();
    log.runs[0].results[2].level = 'critical';
    expect(validateSarifSchema(log)).toContain('schema: /runs/0/results/2/level must be equal to one of the allowed values');
    expect(checkGithubRules(log)).toEqual(['runs[0].results[2]: level must be note, warning or error']);
  });

  it('reports absolute and Windows paths, bad line hashes and mixed suppressions', () => {
    const log = good();
    const results = log.runs[0].results;
    const uriOf = (index: number): { uri: string } =>
      (results[index].locations as { physicalLocation: { artifactLocation: { uri: string } } }[])[0].physicalLocation.artifactLocation;
    uriOf(0).uri = 'file:///home/me/repo/a.ts';
    uriOf(1).uri = 'apps\\api\\x.ts';
    results[3].partialFingerprints = { primaryLocationLineHash: '271789C17ABDA88F' };
    delete results[4].suppressions;
    expect(checkGithubRules(log)).toEqual([
      'runs[0].results[0].locations[0]: uri file:///home/me/repo/a.ts is not a repo-relative posix path',
      'runs[0].results[1].locations[0]: uri apps\\api\\x.ts is not a repo-relative posix path',
      'runs[0].results[3]: primaryLocationLineHash "271789C17ABDA88F" does not match ^[0-9a-f]{1,16}:\\d+$',
      'runs[0]: suppressions must be all null or all non-null (4 of 5 set)',
    ]);
  });

  it('reports missing rule texts, bad tags, long names and missing security tag', () => {
    const log = good();
    const rules = log.runs[0].tool.driver.rules;
    delete rules[0].shortDescription;
    rules[0].fullDescription = { text: 'x'.repeat(1025) };
    rules[1].help = { markdown: 'only markdown' };
    rules[1].name = 'N'.repeat(256);
    rules[3].properties = { tags: ['external/cwe/CWE-287'], 'security-severity': '9.1' };
    rules[2].properties = { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) };
    expect(checkGithubRules(log)).toEqual([
      'runs[0].tool.driver.rules[0]: missing shortDescription.text',
      'runs[0].tool.driver.rules[0]: fullDescription.text is 1025 characters (max 1024)',
      'runs[0].tool.driver.rules[1]: name must be a non-empty string of at most 255 characters',
      'runs[0].tool.driver.rules[1]: missing help.text',
      'runs[0].tool.driver.rules[2]: 11 tags (GitHub keeps 10, rejects over 20)',
      'runs[0].tool.driver.rules[3]: CWE tag external/cwe/CWE-287 must be lower-case external/cwe/cwe-N',
      'runs[0].tool.driver.rules[3]: a rule with security-severity needs the security tag',
    ]);
  });

  it('reports duplicate runs, a missing message text and a dangling message link', () => {
    const log = good();
    const results = log.runs[0].results;
    results[0].message = { id: 'default', arguments: [] };
    results[3].message = { text: 'See [there](7).' };
    log.runs.push(JSON.parse(JSON.stringify(log.runs[0])) as Log['runs'][number]);
    const problems = checkGithubRules(log);
    expect(problems).toContain('runs[0].results[0]: missing message.text');
    expect(problems).toContain('runs[0].results[3]: message links to related location 7, which does not exist');
    expect(problems).toContain('runs[1]: duplicate tool+category run key ["jwtfrag",null,null,"0.3.1",null,"jwtfrag/"]');
  });

  it('reports an undeclared uriBaseId and an inverted region', () => {
    const log = good();
    log.runs[0].originalUriBaseIds = {};
    const problems = checkGithubRules(log);
    expect(problems).toContain('runs[0].results[0].locations[0]: uriBaseId %SRCROOT% is not declared in originalUriBaseIds');
    const again = good();
    const region = (again.runs[0].results[0].locations as { physicalLocation: { region: Record<string, number> } }[])[0].physicalLocation.region;
    region.endLine = 1;
    expect(checkGithubRules(again)).toEqual(['runs[0].results[0].locations[0]: region.endLine 1 is before startLine 2']);
  });

  it('reports a log over the gzip limit', () => {
    const log = good();
    const noise = randomBytes(12_000_000).toString('base64');
    const problems = checkGithubRules(log, noise);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^log: gzip size \d+ exceeds 10000000$/);
  });
});
