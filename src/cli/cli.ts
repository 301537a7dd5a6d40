// The jwtfrag command line: scan, rules, explain, init, report, completion (DESIGN §2). The only place that writes output.
// `main.ts` runs it, once the process is set up.
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/load.js';
import { UnknownRuleError } from '../engine.js';
import { VERSION } from '../version.js';
import { explainCommand, rulesCommand } from './catalog.js';
import { initCommand } from './init.js';
import { reportCommand } from './report.js';
import { ResultFileError } from './result-file.js';
import { scanCommand, type ScanFlags } from './scan.js';
import { guardStdout, writeStdout } from './stdout.js';
import { completionScript, SHELLS } from './completion.js';
import { formatNames } from '../report/index.js';
import { visible } from '../util/safe-text.js';
import { UsageError } from './usage.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function program(): Command {
  const cmd = new Command('jwtfrag')
    .description('Find JWT secret fragmentation, forbidden cross-service imports and WebSocket auth problems in TypeScript and Python monorepos.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  cmd
    .command('scan')
    .description('scan a repository')
    .argument('[root]', 'repository root', '.')
    .option('-c, --config <file>', 'config file (default: jwtfrag.config.json in root, else package.json "jwtfrag", else auto-detect)')
    .option('-f, --format <name>', `output format (repeatable): ${formatNames().join(', ')} (default: text)`, collect)
    .option('-o, --output <file>', 'write the (single) format to this file instead of stdout')
    .option('--json <file>', 'also write the JSON result to this file')
    .option('--sarif <file>', 'also write SARIF 2.1.0 to this file')
    .option('--category <id>', 'SARIF automationDetails category (monorepo sub-scans)', 'jwtfrag/')
    .option('--sarif-include-suppressed', 'emit suppressed findings in SARIF with their suppressions')
    .addOption(new Option('--fail-on <level>', 'lowest severity that fails the run').choices(['error', 'warning', 'note', 'none']).default('error'))
    .option('--baseline <file>', 'known findings: matching ones are reported as known and do not fail the run')
    .option('--write-baseline <file>', 'record the current findings as the baseline')
    .option('--prune-baseline', 'rewrite --baseline without the entries that no longer match')
    .option('--compare <previous.json>', 'add the progress since a previous --format json result (names, findings, matrix agreement)')
    .option('--report-url <url>', 'where the full report is published (markdown-summary links to it; default in GitHub Actions: the run page)')
    .option('--jobs <n>', 'worker threads (default and maximum: available cores)')
    .option('--strict', 'exit 2 when a file or folder could not be analysed (unreadable, too deeply nested, over a limit)')
    .option('--cache-dir <dir>', 'where per-file facts are cached (default: node_modules/.cache/jwtfrag in the root, else the user cache folder)')
    .option('--no-cache', 'extract every file again; read and write no cache')
    .option('--include-tests', 'analyse test code too (excluded by default)')
    .option('--rule <id>', "report only this rule's findings (repeatable)", collect)
    .option('--service <name>', 'report only findings of this service or shared library (repeatable)', collect)
    .option(
      '--changed-since <git-ref>',
      'report only findings touching lines changed since the merge base with this revision (commits, edits, untracked files)',
    )
    .option('--staged', 'report only findings touching lines staged for commit (pre-commit)')
    .option('--fix', "apply the migration plan's safe edits, then re-scan")
    .option('--fix-dry-run', "print the migration plan's safe edits as a unified diff; write nothing")
    .option('--allow-dirty', '--fix even when the git working tree has uncommitted changes')
    .option('--timestamp', 'add a timestamp to the result')
    .option('--no-progress', 'no progress line on stderr')
    .option('-q, --quiet', 'only findings and the summary')
    .option('--debug', 'text: show what deploys each service and the folders left out; print stack traces of internal errors')
    .action(async (root: string, flags: ScanFlags) => {
      process.exitCode = await scanCommand(root, flags);
    });

  cmd
    .command('rules')
    .description('list rules with id, severity and precision')
    .action(() => {
      process.exitCode = rulesCommand();
    });

  cmd
    .command('explain')
    .description("print a rule's documentation")
    .argument('<rule-id>')
    .action((id: string) => {
      process.exitCode = explainCommand(id);
    });

  cmd
    .command('init')
    .description('detect services and secret names and write a starter jwtfrag.config.json')
    .argument('[root]', 'repository root', '.')
    .option('--force', 'overwrite an existing jwtfrag.config.json')
    .option('--stdout', 'print the config instead of writing it')
    .action(async (root: string, flags: { force?: boolean; stdout?: boolean }) => {
      process.exitCode = await initCommand(root, flags);
    });

  cmd
    .command('report')
    .description('re-render a saved JSON result')
    .requiredOption('--from <file>', 'a result written by --format json')
    .option('-f, --format <name>', `output format: ${formatNames().join(', ')}`, 'text')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--compare <previous.json>', 'add the progress since a previous result')
    .option('--report-url <url>', 'where the full report is published (markdown-summary links to it; default in GitHub Actions: the run page)')
    .action((flags: { from: string; format: string; output?: string; compare?: string; reportUrl?: string }) => {
      process.exitCode = reportCommand(flags);
    });
  cmd
    .command('completion')
    .description('print a shell completion script')
    .argument('<shell>', SHELLS.join(', '))
    .action((shell: string) => {
      writeStdout(completionScript(shell, cmd));
      process.exitCode = 0;
    });
  return cmd;
}

async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  guardStdout();
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message; help and version exit 0.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    // Messages can quote keys and paths from the input: control characters are shown escaped.
    if (error instanceof ResultFileError) {
      for (const line of error.lines) process.stderr.write(`jwtfrag: ${visible(line)}\n`);
    } else if (error instanceof ConfigError) {
      for (const line of error.lines) process.stderr.write(`jwtfrag: config error: ${visible(line)}\n`);
    } else if (error instanceof UsageError || error instanceof UnknownRuleError) {
      process.stderr.write(`jwtfrag: ${visible(error.message)}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`jwtfrag: internal error: ${visible(message)}\n`);
      if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
      else process.stderr.write('jwtfrag: rerun with --debug for the stack trace and report it with the command you ran\n');
    }
    process.exitCode = 2;
  }
}

await main(process.argv);
