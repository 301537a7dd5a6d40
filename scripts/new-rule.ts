// Scaffolds a rule: rules/<id>.ts, rules/<id>.md, failing placeholder fixtures and the registry entry.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/paths.js';

function camel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The registry source for a list of rule ids. */
export function registrySource(ids: string[]): string {
  const sorted = [...ids].sort();
  return [
    '// The rule registry: every rule file in this folder, in id order (a catalog test keeps it complete).',
    "import type { Rule } from '../src/rule-api.js';",
    ...sorted.map((id) => `import ${camel(id)} from './${id}.js';`),
    '',
    'export const RULES: readonly Rule[] = [',
    ...sorted.map((id) => `  ${camel(id)},`),
    '];',
    '',
  ].join('\n');
}

function main(id: string | undefined): number {
  if (!id || !/^[a-z]+(-[a-z0-9]+)+$/.test(id)) {
    process.stderr.write('usage: npm run new-rule -- <kebab-case-id>\n');
    return 2;
  }
  const root = packageRoot();
  const ruleFile = join(root, 'rules', `${id}.ts`);
  if (existsSync(ruleFile)) {
    process.stderr.write(`new-rule: rules/${id}.ts already exists\n`);
    return 2;
  }
  writeFileSync(
    ruleFile,
    `// ${id} — TODO: one line saying what it finds.
import { defineRule } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: '${id}',
    title: 'TODO',
    category: 'secrets',
    defaultSeverity: 'warning',
    precision: 'medium',
    tags: [],
    messages: { todo: 'TODO {{name}}' },
  },
  check(_model, _ctx) {
    // TODO: query the model and ctx.report(...)
  },
});
`,
  );
  writeFileSync(
    join(root, 'rules', `${id}.md`),
    `# ${id}\n\nTODO: one-line summary.\n\n## What it finds\n\nTODO\n\n## Why it breaks\n\nTODO\n\n## How to fix\n\nTODO\n\n## Examples\n\nTODO\n\n## Options\n\nNone.\n\n## References\n\nTODO\n`,
  );
  const fixtures = join(root, 'fixtures', 'rules', id);
  for (const [dir, file, text] of [
    ['bad-py-todo', 'service_a/app.py', `# expect: ${id}\nTODO = "replace this placeholder with a failing case"\n`],
    ['bad-ts-todo', 'apps/a/src/main.ts', `// expect: ${id}\nexport const todo = 'replace this placeholder with a failing case';\n`],
    ['ok-py-todo', 'service_a/app.py', `# expect-not: ${id}\nTODO = "replace this placeholder with the tempting look-alike"\n`],
    ['ok-ts-todo', 'apps/a/src/main.ts', `// expect-not: ${id}\nexport const todo = 'replace this placeholder with the tempting look-alike';\n`],
  ] as const) {
    const path = join(fixtures, dir, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  const ids = readdirSync(join(root, 'rules'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.slice(0, -3));
  writeFileSync(join(root, 'rules', 'index.ts'), registrySource(ids));
  process.stdout.write(`new-rule: wrote rules/${id}.ts, rules/${id}.md, fixtures/rules/${id}/ (failing on purpose) and the registry\n`);
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  process.exitCode = main(process.argv[2]);
}
