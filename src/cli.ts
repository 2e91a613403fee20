// pip-guard's own commands (setup, teardown, …), one file each under commands/.
import yargs from 'yargs';
import * as setup from './commands/setup.js';
import * as teardown from './commands/teardown.js';
import { say } from './errors.js';
import type { Outcome } from './process.js';

export async function cli(argv: string[], version: string): Promise<Outcome> {
  let code = 0;
  await yargs(argv)
    .scriptName('pip-guard')
    .usage('$0 <command>\n\nA pip shim that turns PEP 668 refusals into installs into a venv.')
    .command(setup.command, setup.describe, setup.builder, async (args) => {
      code = await setup.handler(args);
    })
    .command(teardown.command, teardown.describe, teardown.builder, async (args) => {
      code = await teardown.handler(args);
    })
    .demandCommand(1, 'Name a command: pip-guard setup, pip-guard teardown.')
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
