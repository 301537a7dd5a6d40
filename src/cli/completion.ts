// `jwtfrag completion bash|zsh|fish`: shell completion scripts generated from the command definitions, so they never drift from the CLI.
import type { Command, Option } from 'commander';
import { formatNames } from '../report/index.js';
import { ruleInfos } from './catalog.js';
import { UsageError } from './usage.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** What an option's value completes to. */
type ValueKind = { words: string[] } | 'file' | 'dir' | 'none';

interface OptionSpec {
  long: string;
  short?: string;
  description: string;
  value: ValueKind | null;
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** What positional arguments complete to. */
  args: ValueKind;
}

const FILE_OPTIONS = new Set(['--config', '--output', '--json', '--sarif', '--baseline', '--write-baseline', '--compare', '--from']);

function valueOf(option: Option): ValueKind | null {
  if (!option.required && !option.optional) return null;
  if (option.argChoices) return { words: option.argChoices };
  if (option.long === '--format') return { words: formatNames() };
  if (option.long === '--rule') return { words: ruleInfos().map((r) => r.meta.id) };
  if (option.long && FILE_OPTIONS.has(option.long)) return 'file';
  return 'none';
}

function argsOf(command: Command): ValueKind {
  if (command.name() === 'explain') return { words: ruleInfos().map((r) => r.meta.id) };
  if (command.name() === 'completion') return { words: [...SHELLS] };
  if (command.registeredArguments.some((a) => a.name() === 'root')) return 'dir';
  return 'none';
}

/** The command tree as completion needs it. */
function commandSpecs(program: Command): CommandSpec[] {
  return program.commands.map((command) => ({
    name: command.name(),
    description: command.description(),
    args: argsOf(command),
    options: [
      ...command.options
        .filter((o) => o.long !== undefined)
        .map((o) => ({ long: o.long ?? '', short: o.short, description: o.description, value: valueOf(o) })),
      { long: '--help', short: '-h', description: 'display help for command', value: null },
    ],
  }));
}

function words(kind: ValueKind | null): string {
  return kind !== null && typeof kind === 'object' ? kind.words.join(' ') : '';
}

function bash(specs: CommandSpec[]): string {
  const valueCases: string[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    for (const option of spec.options) {
      if (option.value === null || seen.has(option.long)) continue;
      seen.add(option.long);
      const flags = [option.long, ...(option.short ? [option.short] : [])].join('|');
      const action =
        option.value === 'file'
          ? 'COMPREPLY=( $(compgen -f -- "$cur") )'
          : option.value === 'none'
            ? 'COMPREPLY=()'
            : `COMPREPLY=( $(compgen -W "${words(option.value)}" -- "$cur") )`;
      valueCases.push(`    ${flags}) ${action}; return ;;`);
    }
  }
  const commandCases = specs.map((spec) => {
    const args =
      spec.args === 'dir'
        ? 'COMPREPLY=( $(compgen -d -- "$cur") )'
        : spec.args === 'none' || spec.args === 'file'
          ? 'COMPREPLY=()'
          : `COMPREPLY=( $(compgen -W "${words(spec.args)}" -- "$cur") )`;
    const options = spec.options.flatMap((o) => [o.long, ...(o.short ? [o.short] : [])]).join(' ');
    return `    ${spec.name})\n      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "${options}" -- "$cur") ); else ${args}; fi ;;`;
  });
  return `# jwtfrag completion for bash. Load it with: eval "$(jwtfrag completion bash)"
_jwtfrag() {
  local cur prev
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ "$COMP_CWORD" -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${specs.map((s) => s.name).join(' ')} help --help --version" -- "$cur") )
    return
  fi
  case "$prev" in
${valueCases.join('\n')}
  esac
  case "\${COMP_WORDS[1]}" in
${commandCases.join('\n')}
    *) COMPREPLY=() ;;
  esac
}
complete -o default -F _jwtfrag jwtfrag
`;
}

function zshQuote(text: string): string {
  return text.replace(/[[\]:'\\]/g, (ch) => (ch === "'" ? `'\\''` : `\\${ch}`));
}

function zsh(specs: CommandSpec[]): string {
  const action = (kind: ValueKind | null): string =>
    kind === null ? '' : kind === 'file' ? ':file:_files' : kind === 'dir' ? ':folder:_files -/' : kind === 'none' ? ':value: ' : `:value:(${words(kind)})`;
  const functions = specs.map((spec) => {
    const lines = spec.options.map((o) => {
      const repeat = o.long === '--format' || o.long === '--rule' || o.long === '--service' ? '*' : '';
      const body = `[${zshQuote(o.description)}]${action(o.value)}`;
      return o.short ? `    ${repeat ? "'*'" : ''}{${o.short},${o.long}}'${body}'` : `    '${repeat}${o.long}${body}'`;
    });
    const args = spec.args === 'none' ? [] : [`    '1${action(spec.args)}'`];
    return `_jwtfrag_${spec.name}() {\n  _arguments -s \\\n${[...lines, ...args].join(' \\\n')}\n}`;
  });
  return `#compdef jwtfrag
# jwtfrag completion for zsh. Load it with: source <(jwtfrag completion zsh)
# or save it as _jwtfrag in a folder of your $fpath.
${functions.join('\n\n')}

_jwtfrag() {
  local -a commands
  commands=(
${specs.map((s) => `    '${s.name}:${zshQuote(s.description)}'`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'jwtfrag command' commands
    return
  fi
  local cmd="\${words[2]}"
  shift words
  (( CURRENT-- ))
  case "$cmd" in
${specs.map((s) => `    ${s.name}) _jwtfrag_${s.name} ;;`).join('\n')}
  esac
}

if [[ "$funcstack[1]" == _jwtfrag ]]; then
  _jwtfrag "$@"
else
  compdef _jwtfrag jwtfrag
fi
`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fish(specs: CommandSpec[]): string {
  const names = specs.map((s) => s.name).join(' ');
  const lines = [
    '# jwtfrag completion for fish. Load it with: jwtfrag completion fish | source',
    '# or save it as ~/.config/fish/completions/jwtfrag.fish',
    'complete -c jwtfrag -f',
    ...specs.map((s) => `complete -c jwtfrag -n "not __fish_seen_subcommand_from ${names}" -a ${s.name} -d ${fishQuote(s.description)}`),
  ];
  for (const spec of specs) {
    const when = `-n "__fish_seen_subcommand_from ${spec.name}"`;
    if (spec.args === 'dir') lines.push(`complete -c jwtfrag ${when} -a '(__fish_complete_directories)'`);
    else if (typeof spec.args === 'object') lines.push(`complete -c jwtfrag ${when} -a ${fishQuote(spec.args.words.join(' '))}`);
    for (const o of spec.options) {
      const short = o.short ? ` -s ${o.short.slice(1)}` : '';
      const value = o.value === null ? '' : o.value === 'file' ? ' -r -F' : o.value === 'none' ? ' -x' : ` -x -a ${fishQuote(words(o.value))}`;
      lines.push(`complete -c jwtfrag ${when} -l ${o.long.slice(2)}${short}${value} -d ${fishQuote(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The completion script for a shell; an unknown shell is a usage error. */
export function completionScript(shell: string, program: Command): string {
  const specs = commandSpecs(program);
  if (shell === 'bash') return bash(specs);
  if (shell === 'zsh') return zsh(specs);
  if (shell === 'fish') return fish(specs);
  throw new UsageError(`completion: unknown shell '${shell}' (available: ${SHELLS.join(', ')})`);
}
