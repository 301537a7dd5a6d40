// Snippet token ranges handed over by the TypeScript extractor: the same ranges, on the lines of the facts, as the parse a snippet would otherwise make.
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import type { Loc } from '../src/vocabulary.js';
import { extractFile } from '../src/extract/index.js';
import { factLines, type FileFacts } from '../src/extract/facts.js';
import { buildSnippets, type RangeStore } from '../src/extract/snippet.js';
import { rangesOfLines, tokensOnLines, type LineTokens } from '../src/extract/token-ranges.js';
import { isMaskedLiteral, literalNodes, typescriptLineTokens, typescriptTokenRanges } from '../src/extract/typescript/tokens.js';
import { parseSourceFile } from '../src/extract/typescript-lib.js';
import { lineStarts } from '../src/util/lines.js';
import { fixtureFiles as scriptFixtures } from './helpers/fixture-files.js';

const OPTIONS = { envAccessors: { python: [] as string[], typescript: [] as string[] } };
const SECRET = 'Qx7vR2mZ9pL4wT8k';

/** Texts where a `//` or `/*` sits inside a literal, right after one, or in a literal's leading trivia. */
const TRICKY: [string, string][] = [
  ['regex.ts', `const re = /re//* block */; const u = 'http://x/*y*/'; // tail\nconst r = /\\/\\*/g; /* after regex */ x = a / b / c; // divide\n`],
  ['template.ts', 'const t = `a // ${b /* c */} /* d */ ${"//"}`;\nconst v = `multi\nline // template\n/* still */`; // after\n'],
  ['trivia.ts', `const k = /* lead */ '${SECRET}' /* trail */;\n/* multi\n   line */ const s = "s"; /** doc */\nfoo(/* arg */ 'x', // end\n  'y');\n`],
  ['jsx.tsx', `const j = <div title="a//b">// not a comment {x} /* nor */ {/* but this */ y}</div>;\nconst k = <a href='/*'/>; // c\n`],
  ['imports.ts', `import a from '../../a/b'; // why\nimport type { B } from "@x/y/*"; /* glob */\nexport * from './c';\nconst d = await import('./d/e');\n`],
  [
    'breaks.ts',
    `const a = 'x'; // crlf\r\nconst b = "y"; /* cr */\rconst c = 1;\u2028const d = 'z'; // ls\u2029/* ps */ const e = \`w\`;\u0085const f = 'nel';\n`,
  ],
  ['keys.ts', `const o = { 'key': 'value', "k2": \`v\`, [\`c\`]: 1 };\nclass C { 'p' = '${SECRET}'; }\ninterface I { 'q': string }\n`],
  ['unterminated.ts', `const a = 'x';\n/* never closed\nconst b = 'y';\n`],
  ['last-line.ts', `const a = 'no newline at the end' // c`],
];

/** The TypeScript and JavaScript fixtures (declaration files left out). */
function fixtureFiles(): [string, string][] {
  return scriptFixtures(/\.[cm]?[jt]sx?$/).filter(([path]) => !path.endsWith('.d.ts'));
}

/** A cache store that holds nothing and counts how often a snippet asked it (it asks only when it tokenises a file itself). */
function countingStore(): { store: RangeStore; loads: () => number } {
  let loads = 0;
  const store = {
    load: () => {
      loads++;
      return null;
    },
    save: () => undefined,
  };
  return { store, loads: () => loads };
}

/** Every line, each line alone, and every third line. */
function lineSets(count: number): Set<number>[] {
  const all = Array.from({ length: count }, (_, i) => i + 1);
  return [new Set(all), ...all.map((line) => new Set([line])), new Set(all.filter((line) => line % 3 === 0))];
}

function literalsInOrder(sf: ts.SourceFile): ts.Node[] {
  return literalNodes(sf).sort((a, b) => a.pos - b.pos);
}

describe('the TypeScript line tokens', () => {
  it('are the ranges of a whole-file tokenisation on the lines asked for, in tricky texts and every fixture', () => {
    let compared = 0;
    for (const [path, text] of [...TRICKY, ...fixtureFiles()]) {
      const language = /\.[cm]?tsx?$/.test(path) ? 'ts' : 'js';
      const sf = parseSourceFile(path, text, language);
      const starts = sf.getLineStarts();
      const literals = literalsInOrder(sf);
      const full = typescriptTokenRanges(sf, literals);
      const clean = ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0) === 0;
      if (!clean) continue;
      for (const lines of lineSets(starts.length)) {
        expect([path, [...lines].slice(0, 3), typescriptLineTokens(sf, literals, lines, starts)]).toEqual([
          path,
          [...lines].slice(0, 3),
          tokensOnLines(text, full, lines, starts),
        ]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('use the line breaks of the snippets: the compiler breaks lines where lineStarts does', () => {
    for (const [path, text] of TRICKY) expect([path, parseSourceFile(path, text, 'ts').getLineStarts()]).toEqual([path, lineStarts(text, true)]);
  });

  it('take a `//` inside a literal, or closing one, for the literal, and one in a literal’s leading trivia for a comment', () => {
    const text = TRICKY[0][1];
    const sf = parseSourceFile('regex.ts', text, 'ts');
    const tokens = typescriptLineTokens(sf, literalsInOrder(sf), new Set([1]), sf.getLineStarts());
    const ranges = rangesOfLines(tokens ?? undefined, text.length, [1]) ?? [];
    expect(ranges.map((r) => [text.slice(r.start, r.end), r.kind])).toEqual([
      ['/re/', 'string'],
      ['/* block */', 'comment'],
      ["'http://x/*y*/'", 'string'],
      ['// tail', 'comment'],
    ]);
  });

  it('classify literals by kind exactly as the compiler names them', () => {
    const masked = new Set([
      ts.SyntaxKind.StringLiteral,
      ts.SyntaxKind.TemplateHead,
      ts.SyntaxKind.TemplateMiddle,
      ts.SyntaxKind.TemplateTail,
      ts.SyntaxKind.NoSubstitutionTemplateLiteral,
      ts.SyntaxKind.RegularExpressionLiteral,
      ts.SyntaxKind.JsxText,
    ]);
    const kinds = Object.values(ts.SyntaxKind).filter((value): value is ts.SyntaxKind => typeof value === 'number');
    expect(kinds.length).toBeGreaterThan(300);
    for (const kind of kinds) expect([ts.SyntaxKind[kind], isMaskedLiteral(kind)]).toEqual([ts.SyntaxKind[kind], masked.has(kind)]);
  });
});

describe('the extractor hands over the tokens of its facts’ lines', () => {
  const text = [
    "import jwt from 'jsonwebtoken'; // signing",
    "import { helper } from '../common/helper';",
    '',
    `const fallback = '${SECRET}'; /* old */`,
    "export const key = process.env.JWT_SECRET ?? 'dev-only';",
    'export function sign(user: { id: string }) {',
    "  return jwt.sign({ sub: user.id, note: 'x//y' }, key);",
    '}',
    '',
  ].join('\n');

  it('for every line a fact is on, and the snippets from them are the ones a parse gives', async () => {
    const facts = await extractFile('src/auth.ts', text, 'ts', OPTIONS);
    const tokens = facts.snippetTokens as LineTokens;
    expect(tokens.length).toBe(text.length);
    expect(tokens.lines).toEqual([...factLines(facts)].sort((a, b) => a - b));
    expect(tokens.lines).toEqual(expect.arrayContaining([1, 2, 5, 7]));
    expect(JSON.stringify(tokens)).not.toContain(SECRET);
    const locs: Loc[] = tokens.lines.map((line) => ({ line, column: 1, endLine: line, endColumn: 2 }));
    const { store, loads } = countingStore();
    const parsed = buildSnippets('src/auth.ts', text, 'ts', locs, facts.secretLiterals);
    expect(buildSnippets('src/auth.ts', text, 'ts', locs, facts.secretLiterals, store, tokens)).toEqual(parsed);
    expect(loads()).toBe(0);
    expect(parsed.map((s) => s?.text).join('\n')).not.toContain('dev-only');
  });

  it('are the same whether function facts were asked for or not', async () => {
    const plain = await extractFile('src/auth.ts', text, 'ts', OPTIONS);
    const full = await extractFile('src/auth.ts', text, 'ts', { ...OPTIONS, functionFacts: true });
    expect(full.functions?.length).toBeGreaterThan(0);
    expect(full.snippetTokens).toEqual(plain.snippetTokens);
  });

  it('also from a file that does not parse cleanly (every range computed)', async () => {
    const broken = `const a = 'x'; // c\nconst b = process.env.JWT_SECRET ?? 'y' +;\n`;
    const facts = await extractFile('src/broken.ts', broken, 'ts', OPTIONS);
    const sf = parseSourceFile('src/broken.ts', broken, 'ts');
    expect(facts.snippetTokens).toEqual(tokensOnLines(broken, typescriptTokenRanges(sf, literalNodes(sf)), factLines(facts), sf.getLineStarts()));
  });

  it('none from a file without facts', async () => {
    expect((await extractFile('src/empty.ts', 'const a = 1;\n', 'ts', OPTIONS)).snippetTokens).toBeUndefined();
  });
});

describe('a snippet uses handed-over tokens only when they fit the text read', () => {
  const text = `import jwt from 'jsonwebtoken';\nconst key = process.env.JWT_SECRET ?? '${SECRET}'; // was ${SECRET}\nconst other = 'z';\n`;
  const locs: Loc[] = [
    { line: 1, column: 17, endLine: 1, endColumn: 31 },
    { line: 2, column: 25, endLine: 2, endColumn: 35 },
  ];
  const plain = buildSnippets('a.ts', text, 'ts', locs);
  const good = (() => {
    const sf = parseSourceFile('a.ts', text, 'ts');
    return tokensOnLines(text, typescriptTokenRanges(sf, literalNodes(sf)), [1, 2], sf.getLineStarts()) as LineTokens;
  })();
  const loadsWith = (tokens: LineTokens, at: Loc[] = locs): number => {
    const { store, loads } = countingStore();
    expect(buildSnippets('a.ts', text, 'ts', at, [], store, tokens)).toEqual(buildSnippets('a.ts', text, 'ts', at));
    return loads();
  };

  it('uses them when they cover every line asked for', () => {
    expect(buildSnippets('a.ts', text, 'ts', locs, [], undefined, good)).toEqual(plain);
    expect(loadsWith(good)).toBe(0);
  });

  it('tokenises the file itself when a line is not covered, the text has another length, or the ranges are not well formed', () => {
    const bad: LineTokens[] = [
      { ...good, lines: [1] },
      { ...good, length: text.length + 1 },
      { ...good, ranges: good.ranges.slice(0, -1) },
      { ...good, ranges: [...good.ranges.slice(3, 6), ...good.ranges.slice(0, 3), ...good.ranges.slice(6)] },
      { ...good, ranges: good.ranges.map((v, i) => (i % 3 === 1 ? text.length + 9 : v)) },
      { ...good, ranges: good.ranges.map((v, i) => (i % 3 === 2 ? 7 : v)) },
      { ...good, ranges: good.ranges.map((v, i) => (i % 3 === 0 ? -1 : v)) },
      { ...good, ranges: good.ranges.map((v, i) => (i % 3 === 0 ? v + 0.5 : v)) },
      { ...good, lines: 'x' as unknown as number[] },
    ];
    for (const tokens of bad) expect([tokens, loadsWith(tokens)]).toEqual([tokens, 1]);
    expect(loadsWith(good, [...locs, { line: 3, column: 1, endLine: 3, endColumn: 2 }])).toBe(1);
  });

  it('never for a language other than TypeScript and JavaScript', () => {
    const py = `KEY = "${SECRET}"  # note\n`;
    const tokens: LineTokens = { length: py.length, lines: [1], ranges: [] };
    expect(buildSnippets('a.py', py, 'python', [{ line: 1, column: 1, endLine: 1, endColumn: 4 }], [], undefined, tokens)[0]?.text).not.toContain(SECRET);
  });
});

describe('function facts of a file where a WebSocket auth path starts', () => {
  it('come with its extraction, as they would when asked for; other files have none', async () => {
    const tsServer = [
      "import { Server } from 'socket.io';",
      "import { verifyToken } from './auth';",
      'const io = new Server(3000);',
      'io.use((socket, next) => { verifyToken(socket.handshake.auth.token); next(); });',
      'export function verifyLater(t: string) { return verifyToken(t); }',
      '',
    ].join('\n');
    const pyEndpoint = [
      'from fastapi import FastAPI, WebSocket',
      'from auth import check_socket',
      'app = FastAPI()',
      '@app.websocket("/ws")',
      'async def ws(websocket: WebSocket):',
      '    check_socket(websocket)',
      '',
    ].join('\n');
    const cases: [string, string, 'ts' | 'python'][] = [
      ['src/server.ts', tsServer, 'ts'],
      ['app/main.py', pyEndpoint, 'python'],
    ];
    for (const [path, source, language] of cases) {
      const plain: FileFacts = await extractFile(path, source, language, OPTIONS);
      const asked: FileFacts = await extractFile(path, source, language, { ...OPTIONS, functionFacts: true });
      expect([path, plain.functions]).toEqual([path, asked.functions]);
      expect([path, (plain.functions ?? []).length > 0]).toEqual([path, true]);
    }
    const helper = "import jwt from 'jsonwebtoken';\nexport function verifyToken(t: string) { return jwt.verify(t, process.env.JWT_SECRET as string); }\n";
    expect((await extractFile('src/auth.ts', helper, 'ts', OPTIONS)).functions).toBeUndefined();
    expect((await extractFile('src/auth.ts', helper, 'ts', { ...OPTIONS, functionFacts: true })).functions?.length).toBeGreaterThan(0);
  });
});
