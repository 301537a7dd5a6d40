// Snippets: tokens of each language, masking of every value not proven harmless, one line-break definition, width cap.
import { describe, expect, it } from 'vitest';
import type { Language, Loc } from '../src/vocabulary.js';
import { buildSnippets, MAX_SNIPPET_WIDTH } from '../src/extract/snippet.js';
import { harmless } from '../src/util/redact.js';

const SECRET = 'Qx7vR2mZ9pL4wT8k';

function at(line: number, column: number, endColumn = column + 1): Loc {
  return { line, column, endLine: line, endColumn };
}

function snip(path: string, text: string, language: Language, loc: Loc, spans: Loc[] = []): { text: string; caret: string } {
  const s = buildSnippets(path, text, language, [loc], spans)[0];
  if (!s) throw new Error('no snippet');
  return { text: s.text, caret: s.text.slice(s.column - 1, s.endColumn - 1) };
}

describe('buildSnippets', () => {
  it('keeps code, env names, algorithms and module paths; masks other strings and comments', () => {
    const text = `import jwt from 'jsonwebtoken';\nconst key = process.env.JWT_SECRET ?? '${SECRET}'; // was ${SECRET}\njwt.sign(p, key, { algorithm: 'HS256' });\n`;
    expect(snip('a.ts', text, 'ts', at(1, 17, 31)).text).toBe(`import jwt from 'jsonwebtoken';`);
    const line2 = snip('a.ts', text, 'ts', at(2, 25, 35));
    expect(line2.text).toBe(`const key = process.env.JWT_SECRET ?? '«redacted, 16 chars»'; «redacted, 23 chars»`);
    expect(line2.caret).toBe('JWT_SECRET');
    expect(snip('a.ts', text, 'ts', at(3, 5, 9)).text).toBe(`jwt.sign(p, key, { algorithm: 'HS256' });`);
  });

  it('masks every line of a multi-line template and a Python triple-quoted string', () => {
    const ts = `const pem = \`-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\`;\n`;
    expect(snip('k.ts', ts, 'ts', at(2, 1)).text).toBe('«redacted, 16 chars»');
    const py = `KEY = """\n${SECRET}\n"""  # ${SECRET}\n`;
    expect(snip('k.py', py, 'python', at(2, 1)).text).toBe('«redacted, 16 chars»');
    expect(snip('k.py', py, 'python', at(3, 1)).text).toBe('«redacted, 3 chars»  «redacted, 18 chars»');
  });

  it('masks Python strings with prefixes and keeps env names', () => {
    const py = `secret = os.getenv("JWT_SECRET", f"{PREFIX}-${SECRET}")\n`;
    expect(snip('s.py', py, 'python', at(1, 20, 32)).text).toBe('secret = os.getenv("JWT_SECRET", «redacted, 28 chars»)');
  });

  it('masks dotenv values and comments, shell-style defaults, and keeps names', () => {
    const env = `JWT_SECRET=${SECRET} # rotate\nexport API_KEY="${SECRET}"\nTTL=3600\n`;
    expect(snip('.env', env, 'dotenv', at(1, 1, 11)).text).toBe('JWT_SECRET=«redacted, 16 chars» «redacted, 8 chars»');
    expect(snip('.env', env, 'dotenv', at(2, 8, 15)).text).toBe('export API_KEY="«redacted, 16 chars»"');
    expect(snip('.env', env, 'dotenv', at(3, 1, 4)).text).toBe('TTL=3600');
  });

  it('masks YAML values, compose defaults and list items, keeps keys', () => {
    const yaml = `services:\n  api:\n    environment:\n      JWT_SECRET: \${JWT_SECRET:-${SECRET}}\n      - SESSION_KEY=${SECRET}\n      PORT: 8080\n      MODE: production # ${SECRET}\n`;
    expect(snip('docker-compose.yml', yaml, 'yaml', at(4, 7, 17)).text).toBe('      JWT_SECRET: «redacted, 31 chars»');
    expect(snip('docker-compose.yml', yaml, 'yaml', at(5, 9, 20)).text).toBe('      - SESSION_KEY=«redacted, 16 chars»');
    expect(snip('docker-compose.yml', yaml, 'yaml', at(6, 7, 11)).text).toBe('      PORT: 8080');
    expect(snip('docker-compose.yml', yaml, 'yaml', at(7, 7, 11)).text).toBe('      MODE: production «redacted, 18 chars»');
  });

  it('masks shell values, heredocs and bare arguments; keeps commands, flags and names', () => {
    const sh = `docker run -e JWT_SECRET=${SECRET} --env=API_KEY="${SECRET}" -p 8080:8080 img\ncat <<EOF > .env\nKEY=${SECRET}\nEOF\n`;
    expect(snip('run.sh', sh, 'shell', at(1, 15, 25)).text).toBe(
      'docker run -e JWT_SECRET=«redacted, 16 chars» --env=API_KEY="«redacted, 16 chars»" -p 8080:8080 «redacted, 3 chars»',
    );
    expect(snip('run.sh', sh, 'shell', at(3, 1)).text).toBe('«redacted, 20 chars»');
  });

  it('masks Dockerfile ENV values and HCL strings', () => {
    const docker = `FROM node:20\nENV JWT_SECRET=${SECRET} \\\n    OTHER ${SECRET}\n`;
    expect(snip('Dockerfile', docker, 'dockerfile', at(2, 5, 15)).text).toBe('ENV JWT_SECRET=«redacted, 16 chars» \\');
    expect(snip('Dockerfile', docker, 'dockerfile', at(3, 5, 10)).text).toBe('    OTHER «redacted, 16 chars»');
    const hcl = `env {\n  name  = "JWT_SECRET"\n  value = "${SECRET}" # ${SECRET}\n}\n`;
    expect(snip('main.tf', hcl, 'hcl', at(2, 11, 23)).text).toBe('  name  = "JWT_SECRET"');
    expect(snip('main.tf', hcl, 'hcl', at(3, 3, 8)).text).toBe('  value = "«redacted, 16 chars»" «redacted, 18 chars»');
  });

  it('uses the extractors line breaks: a lone CR in an env file, U+2028 in a TypeScript string', () => {
    const env = `A=1\rJWT_SECRET=${SECRET}\rB=2\r`;
    expect(snip('.env', env, 'dotenv', at(2, 1, 11)).text).toBe('JWT_SECRET=«redacted, 16 chars»');
    const ts = `const a = 'x\u2028y';\nconst k = '${SECRET}';\n`;
    // Line 2 of the TypeScript file is the rest of the string after U+2028.
    expect(snip('a.ts', ts, 'ts', at(2, 1)).text).toBe(`«redacted, 2 chars»;`);
    expect(snip('a.ts', ts, 'ts', at(3, 7, 8)).text).toBe(`const k = '«redacted, 16 chars»';`);
  });

  it('cuts a long line to a window around the span without splitting a mask', () => {
    const parts = Array.from({ length: 400 }, (_, i) => `v${i}="${SECRET}${i}"`);
    const text = `${parts.join(';')};const t=process.env.JWT_SECRET;${parts.join(';')}\n`;
    const column = text.indexOf('JWT_SECRET') + 1;
    const s = snip('min.js', text, 'js', at(1, column, column + 10));
    expect(s.caret).toBe('JWT_SECRET');
    expect(s.text.length).toBeLessThanOrEqual(MAX_SNIPPET_WIDTH + 40);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text).not.toContain(SECRET.slice(0, 8));
    expect((s.text.match(/«/g) ?? []).length).toBe((s.text.match(/»/g) ?? []).length);
  });

  it('masks what the extractor marked secret even where the lexer saw code', () => {
    const text = `KEY = ${SECRET}\n`;
    expect(snip('x.py', text, 'python', at(1, 1, 4), [at(1, 7, 23)]).text).toBe('KEY = «redacted, 16 chars»');
  });

  it('masks a whole file it cannot tokenise', () => {
    expect(snip('x.unknown', `KEY ${SECRET}\n`, null as unknown as Language, at(1, 1, 4)).text).toBe('«redacted, 3 chars» «redacted, 16 chars»');
  });
});

describe('buildSnippets with stored token ranges', () => {
  const text = `import jwt from 'jsonwebtoken';\nconst key = process.env.JWT_SECRET ?? '${SECRET}'; // was ${SECRET}\n`;
  const locs = [at(1, 17, 31), at(2, 25, 35)];
  const plain = buildSnippets('a.ts', text, 'ts', locs);

  it('stores the TypeScript ranges once and gives the same snippets from them', () => {
    let stored: string | null = null;
    let saves = 0;
    const store = { load: () => stored, save: (payload: string) => ((stored = payload), saves++) };
    expect(buildSnippets('a.ts', text, 'ts', locs, [], store)).toEqual(plain);
    expect(saves).toBe(1);
    expect(stored).not.toContain(SECRET);
    expect(buildSnippets('a.ts', text, 'ts', locs, [], store)).toEqual(plain);
    expect(saves).toBe(1);
  });

  it('computes the ranges again when the stored ones are not well formed (they could unmask a value)', () => {
    const good = (() => {
      let payload = '';
      buildSnippets('a.ts', text, 'ts', locs, [], { load: () => null, save: (p) => (payload = p) });
      return JSON.parse(payload) as { start: number; end: number; kind: string }[];
    })();
    const bad = [
      'not json',
      '{}',
      JSON.stringify(good.map((r) => ({ ...r, kind: 'code' }))),
      JSON.stringify(good.map((r) => ({ ...r, end: text.length + 5 }))),
      JSON.stringify(good.map((r) => ({ ...r, start: -1 }))),
      JSON.stringify([...good, null]),
    ];
    for (const payload of bad) {
      let saved = 0;
      expect([
        payload,
        buildSnippets('a.ts', text, 'ts', locs, [], {
          load: () => payload,
          save: () => {
            saved++;
          },
        }),
      ]).toEqual([payload, plain]);
      expect([payload, saved]).toEqual([payload, 1]);
    }
  });
});

describe('harmless', () => {
  it('accepts names and plain values, never secrets', () => {
    expect(harmless('JWT_SECRET_KEY', 'string')).toBe(true);
    expect(harmless('HS256', 'value')).toBe(true);
    expect(harmless('production', 'value')).toBe(true);
    expect(harmless('${JWT_SECRET}', 'value')).toBe(true);
    expect(harmless('/api/v1/ws', 'string')).toBe(true);
    expect(harmless('7C2E9A41F0B3D6E8A5C1F7B209D4E6A3C8B1F0D2', 'string')).toBe(false);
    expect(harmless('dev_password', 'string')).toBe(false);
    expect(harmless('${JWT_SECRET:-abc}', 'value')).toBe(false);
    expect(harmless('change-me', 'value')).toBe(false);
    expect(harmless('example-todo-dummy-value', 'string')).toBe(false);
  });
});

describe('buildSnippets readability', () => {
  it('reads CI run blocks as shell, dict keys and name templates as names', () => {
    const wf = `jobs:\n  deploy:\n    steps:\n      - run: |\n          gcloud run deploy api --set-env-vars JWT_SECRET=${SECRET},MODE=prod\n`;
    expect(snip('.github/workflows/d.yml', wf, 'yaml', at(5, 11, 17)).text).toBe(
      '          gcloud run deploy «redacted, 3 chars» --set-env-vars JWT_SECRET=«redacted, 26 chars»',
    );
    const py = `claims = jwt.decode(t, options={"verify_signature": False})\nname = f"JWT_SECRET_{env.upper()}"\n`;
    expect(snip('d.py', py, 'python', at(1, 10, 16)).text).toBe('claims = jwt.decode(t, options={"verify_signature": False})');
    expect(snip('d.py', py, 'python', at(2, 1, 5)).text).toBe('name = f"JWT_SECRET_{env.upper()}"');
    const ts = 'const name = `JWT_${env}_SECRET`;\nconst s = `x${"' + SECRET + '"}y`;\n';
    expect(snip('d.ts', ts, 'ts', at(1, 7, 11)).text).toBe('const name = `JWT_${env}_SECRET`;');
    expect(snip('d.ts', ts, 'ts', at(2, 7, 8)).text).toBe('const s = `x${"«redacted, 16 chars»"}y`;');
  });
});
