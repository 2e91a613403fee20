// pip-guard activate [bash|zsh|fish|sh]: print the code that activates, in the shell that evaluates
// it, the venv pip-guard routes this directory to: `eval "$(pip-guard activate)"`, or in fish
// `pip-guard activate fish | source`. pip-guard's own activation: pip still reaches pip-guard, and
// `deactivate` undoes it (see shims/activate.sh).
import { basename, dirname } from 'node:path';
import type { Argv } from 'yargs';
import type { Env } from '../base/env.js';
import { say, UserError, writeOut } from '../base/errors.js';
import { isTerminal } from '../base/terminal.js';
import { VERSION } from '../base/version.js';
import { activatedHere } from '../facts/gather.js';
import {
  ACTIVATE_SHELLS,
  type ActivateShell,
  isActivateShell,
  renderActivation,
} from '../install/shell-functions.js';
import { shimPip } from '../install/shims.js';
import { venvEnvironment } from '../run/venv-environment.js';

export const command = 'activate [shell]';
export const describe = "Print the shell code that activates this directory's venv, for eval";

export const builder = (y: Argv) =>
  y
    .positional('shell', {
      type: 'string',
      choices: ACTIVATE_SHELLS,
      describe: 'The shell to print it for (default: from $SHELL)',
    })
    .example('eval "$($0 activate)"', "this directory's venv active in this shell (bash, zsh, sh)")
    .example('$0 activate fish | source', 'the same in fish')
    .epilogue(
      'The venv is the one pip-guard installs into here. pip keeps reaching pip-guard in that shell, so ' +
        'command-line apps still go to pipx; `deactivate` undoes it. `pip-guard init SHELL --activate` ' +
        'does it at each prompt: inside a project, its venv is active.',
    );

// The shell named, else $SHELL's when it is one pip-guard speaks, else plain sh.
function shellFrom(named: string | undefined, env: Env): ActivateShell {
  if (named !== undefined) return named as ActivateShell;
  const own = basename(env.SHELL ?? '');
  return isActivateShell(own) ? own : 'sh';
}

const usage = (shell: ActivateShell, venv: string) =>
  `pip-guard activate prints the shell code that activates ${venv} in your shell, and a terminal cannot ` +
  `run it: use ${shell === 'fish' ? '`pip-guard activate fish | source`' : `\`eval "$(pip-guard activate${shell === 'sh' ? ' sh' : ''})"\``}, ` +
  '`pip-guard run COMMAND` for one command, or `pip-guard setup --modify-path --activate` to have each ' +
  "project's venv active while you are in it.";

export async function handler(args: { shell?: string }): Promise<number> {
  const env = process.env;
  const shell = shellFrom(args.shell, env);
  const { venv } = await venvEnvironment(env, process.cwd(), 'activate');
  if (venv.origin === 'active' || activatedHere(env, venv.path)) {
    say(
      `${venv.conda ? 'the conda environment' : 'the venv'} ${venv.path} is active already: nothing to activate.`,
    );
    return 0;
  }
  if (isTerminal(1)) throw new UserError(usage(shell, venv.path), 1);
  const pip = shimPip(undefined, env);
  writeOut(1, renderActivation(shell, VERSION, pip ? dirname(pip) : '', venv.path));
  return 0;
}
