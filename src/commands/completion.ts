// pip-guard completion [bash|zsh]: print yargs' completion script. The script asks
// `pip-guard --get-yargs-completions WORDS…`, which yargs answers from the commands in cli.ts.
import { basename } from 'node:path';
import type { Argv } from 'yargs';

const SHELLS = ['bash', 'zsh'] as const;
type CompletionShell = (typeof SHELLS)[number];

export const command = 'completion [shell]';
export const describe = 'Print a completion script for bash or zsh';

export const builder = (y: Argv) =>
  y
    .positional('shell', {
      type: 'string',
      choices: SHELLS,
      describe: 'The shell (default: zsh if $SHELL is zsh, else bash)',
    })
    .example('$0 completion >> ~/.bashrc', 'complete pip-guard’s commands and options in bash')
    .example('$0 completion zsh >> ~/.zshrc', 'the same in zsh (after compinit)')
    .example('source <($0 completion)', 'only in this shell');

export async function handler(args: { shell?: CompletionShell }): Promise<number> {
  const shell = args.shell ?? (basename(process.env.SHELL ?? '') === 'zsh' ? 'zsh' : 'bash');
  const { default: yargs } = await import('yargs');
  // yargs picks the template by $SHELL when an instance is made; it names pip-guard by scriptName.
  const saved = process.env.SHELL;
  process.env.SHELL = shell;
  try {
    yargs([]).scriptName('pip-guard').showCompletionScript();
  } finally {
    if (saved === undefined) delete process.env.SHELL;
    else process.env.SHELL = saved;
  }
  return 0;
}
