// pip-guard's own commands through yargs, one file each under commands/ with its help beside it
// (main.ts answers `init SHELL` and `run CMD` before yargs is loaded).
import yargs, { type Argv } from 'yargs';
import { say } from './base/errors.js';
import type { Outcome } from './base/process.js';
import * as activate from './commands/activate.js';
import * as completion from './commands/completion.js';
import * as config from './commands/config.js';
import * as doctor from './commands/doctor.js';
import * as explain from './commands/explain.js';
import * as init from './commands/init.js';
import * as repair from './commands/repair.js';
import * as run from './commands/run.js';
import * as selfUpdate from './commands/self-update.js';
import * as setup from './commands/setup.js';
import * as teardown from './commands/teardown.js';
import { trustCommand, untrustCommand } from './commands/trust.js';
import * as which from './commands/which.js';

// Each command types its own arguments; the list only needs their common shape.
interface Command {
  command: string;
  describe: string;
  // biome-ignore lint/suspicious/noExplicitAny: each command's own argument types
  builder: (y: Argv) => Argv<any>;
  // biome-ignore lint/suspicious/noExplicitAny: each command's own argument types
  handler: (args: any) => Promise<number>;
}

const COMMANDS: Command[] = [
  setup,
  teardown,
  explain,
  config,
  trustCommand,
  untrustCommand,
  which,
  doctor,
  repair,
  run,
  activate,
  init,
  completion,
  selfUpdate,
];

// `pip-guard explain install -U x`: everything after explain's own options is pip's command
// line, as if after `--` (yargs would otherwise read -U as one of pip-guard's options).
function explainArgs(argv: readonly string[]): string[] {
  if (argv[0] !== 'explain' || argv.includes('--')) return [...argv];
  let at = 1;
  while (at < argv.length) {
    const word = argv[at] as string;
    if (word === '--as') at += 2;
    else if (['--json', '--no-json', '-h', '--help'].includes(word) || word.startsWith('--as=')) at += 1;
    else break;
  }
  return [...argv.slice(0, at), '--', ...argv.slice(at)];
}

export async function cli(argv: string[], version: string): Promise<Outcome> {
  let code = 0;
  let y = yargs(explainArgs(argv))
    .scriptName('pip-guard')
    .usage('$0 <command>\n\nA pip shim that turns PEP 668 refusals into installs into a venv or pipx.')
    .parserConfiguration({ 'populate--': true });
  for (const c of COMMANDS) {
    y = y.command(c.command, c.describe, c.builder, async (args) => {
      code = await c.handler(args);
    });
  }
  await y
    .demandCommand(1, `Name a command: ${COMMANDS.map((c) => c.command.split(' ')[0]).join(', ')}.`)
    .strict()
    .version(version)
    .help()
    .alias('h', 'help')
    .alias('v', 'version')
    .fail((message, error, y) => {
      if (error) throw error;
      y.showHelp('error');
      say(message);
      code = 2;
    })
    .parseAsync();
  return { code };
}
