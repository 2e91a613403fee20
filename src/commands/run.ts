// pip-guard run [--] CMD [ARGS…]: CMD with the venv pip-guard routes this directory to active, as
// its bin/activate makes it (run/venv-environment.ts). CMD owns the terminal, its exit code and its
// signals are pip-guard's, as for pip. main.ts calls runCommand without yargs (every word after
// `run` is CMD's); yargs only shows the help.
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { type Outcome, run } from '../base/process.js';
import { withChanges } from '../run/run-pip.js';
import { venvEnvironment } from '../run/venv-environment.js';

export const command = 'run [command..]';
export const describe =
  "Run a command with this directory's venv active (its python3, its scripts, pipx's apps)";

export const builder = (y: Argv) =>
  y
    .positional('command', { type: 'string', array: true, describe: 'The command and its arguments' })
    .example('$0 run python3 app.py', "app.py with the project's venv active: what pip installed, it imports")
    .example('$0 run pytest -x', 'a command the venv has, by its name')
    .example('$0 run -- black --check .', 'everything after run (or after --) is the command')
    .epilogue(
      'The venv is the one pip-guard installs into here: the active venv or conda environment, else the ' +
        "project's venv, else (outside any project) the default venv of your Python. It starts no pip.",
    );

export async function runCommand(argv: readonly string[], env: Env, cwd: string): Promise<Outcome> {
  const [file, ...args] = argv[0] === '--' ? argv.slice(1) : argv;
  if (!file) {
    throw new UserError(
      "pip-guard run needs the command to run, as in `pip-guard run python3 app.py`: it runs it with this directory's venv active.",
      2,
    );
  }
  const { venv, changes } = await venvEnvironment(env, cwd, 'run');
  try {
    return await run(file, args, { env: withChanges(env, changes) });
  } catch (error) {
    if (error instanceof UserError && error.exitCode === 127 && !file.includes('/')) {
      throw new UserError(
        `${file}: command not found, neither in ${join(venv.path, 'bin')} nor on PATH.`,
        127,
      );
    }
    throw error;
  }
}

export async function handler(args: { command?: string[] }): Promise<number> {
  const outcome = await runCommand((args.command ?? []).map(String), process.env, process.cwd());
  if ('signal' in outcome) throw new UserError(`${args.command?.[0]} was stopped by ${outcome.signal}`, 128);
  return outcome.code;
}
