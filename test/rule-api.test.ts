// The typed rule API: message ids and options are checked by the compiler; bad options in a config are one problem each, naming the rule and field.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RULES } from '../rules/index.js';
import { parseConfig } from '../src/config/load.js';
import { ruleConfigProblems } from '../src/engine.js';
import { defineRule } from '../src/rule-api.js';

const at = { file: 'a.ts', loc: { line: 1, column: 1, endLine: 1, endColumn: 2 }, key: [], service: null };

/** Never run: it exists for the compiler, which must reject each line marked below. */
export const typed = defineRule({
  meta: {
    id: 'typed-example',
    title: 'An example',
    category: 'meta',
    defaultSeverity: 'note',
    precision: 'low',
    tags: [],
    options: z.strictObject({ limit: z.number().default(3), names: z.array(z.string()).optional() }),
    messages: { found: 'Found {{count}}.' },
  },
  check(_model, ctx) {
    const limit: number = ctx.options.limit;
    // @ts-expect-error an option the schema does not declare
    const _typo: unknown = ctx.options.limt;
    // @ts-expect-error a string option read as a number
    const _names: number | undefined = ctx.options.names;
    ctx.report({ ...at, messageId: 'found', data: { count: limit } });
    // @ts-expect-error a message id that `messages` does not have
    ctx.report({ ...at, messageId: 'fuond', data: { count: limit } });
  },
});

function problems(rules: Record<string, unknown>): string[] {
  return ruleConfigProblems(RULES, parseConfig({ rules }, 'jwtfrag.config.json'));
}

describe('rule options', () => {
  it('a valid or absent option is no problem', () => {
    expect(problems({ 'committed-secret-value': { options: { minLength: 12 } }, 'ws-no-auth': 'warning' })).toEqual([]);
  });

  it('unknown options and wrong types are named by rule and field, in the order the config gives them', () => {
    expect(
      problems({
        'ws-long-lived-db-session': { options: { dependencies: 'get_db', replaceDefaults: 'yes' } },
        'committed-secret-value': { options: { minLenght: 4 } },
        'ws-no-auth': { options: { strict: true } },
        'secret-provided-not-read': { options: { environmentVariables: ['STAGE', 7] } },
      }),
    ).toEqual([
      'config field rules.ws-long-lived-db-session.options.dependencies: expected an array of strings, got the string "get_db"',
      'config field rules.ws-long-lived-db-session.options.replaceDefaults: expected true or false, got the string "yes"',
      'config field rules.committed-secret-value.options.minLenght: unknown option (this rule takes minLength)',
      'config field rules.ws-no-auth.options.strict: unknown option (this rule takes no options)',
      'config field rules.secret-provided-not-read.options.environmentVariables: expected an array of strings, got an array',
    ]);
  });

  it("a value outside the option's range is a problem too", () => {
    const [problem, ...rest] = problems({ 'committed-secret-value': { options: { minLength: -1 } } });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^config field rules\.committed-secret-value\.options\.minLength: /);
  });
});
