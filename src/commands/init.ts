// pip-guard init bash|zsh|fish [--activate] [--dir DIR]: print the shell functions that send
// `python3 -m pip` through pip-guard's shim, and with --activate the prompt hook that keeps the
// project's venv active (see shell-functions.ts), for `eval "$(pip-guard init bash)"`.
import { dirname, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Env } from '../base/env.js';
import { UserError, writeOut } from '../base/errors.js';
import { shellQuote } from '../base/shell.js';
import { VERSION } from '../base/version.js';
import { loadOwnConfig } from '../config/effective.js';
import { defaultVenv, realPipVersion } from '../facts/gather.js';
import { isPythonShim } from '../facts/script-shims.js';
import {
  FUNCTION_SHELLS,
  type FunctionShell,
  type HookSettings,
  pythonNames,
  renderFunctions,
} from '../install/shell-functions.js';
import { shimPip } from '../install/shims.js';
import { rememberAnswers } from '../run/interpreter-cache.js';

// For main.ts, which answers `pip-guard init SHELL` without yargs.
export { isFunctionShell } from '../install/shell-functions.js';

export const command = 'init <shell>';
export const describe =
  'Print shell functions that send `python3 -m pip` through pip-guard (for your rc file)';

export const builder = (y: Argv) =>
  y
    .positional('shell', {
      type: 'string',
      choices: FUNCTION_SHELLS,
      describe: 'The shell to print them for',
    })
    .option('activate', {
      type: 'boolean',
      describe: "Also a prompt hook: inside a project, its venv is active (pip-guard's policy still holds)",
    })
    .option('dir', { type: 'string', describe: 'The shim directory (default: the first one on PATH)' })
    .example('eval "$($0 init bash)"', 'in ~/.bashrc, after the PATH line: `python3 -m pip` is guarded too')
    .example('eval "$($0 init bash --activate)"', "and each project's venv is active while you are in it")
    .example('eval "$($0 init zsh)"', 'the same in ~/.zshrc')
    .example('$0 init fish | source', 'the same in ~/.config/fish/config.fish')
    .epilogue(
      'Functions for python, python3 and each python3.N on PATH now: a leading `-m pip` (or `-mpip`) ' +
        "goes to pip-guard's pip shim, anything else runs as the interpreter itself. Not caught: options " +
        'before -m (`python3 -I -m pip`), a path (`/usr/bin/python3 -m pip`), and scripts, sudo, env or ' +
        'xargs, which do not see shell functions. `setup --modify-path --python-m-pip` adds the line for you. ' +
        'With --activate, at each prompt the venv of the project you are in is active, and none outside one ' +
        '(venv.activateDefault: true in your config keeps the default venv active there); a venv you activated ' +
        'yourself is left alone. Shell built-ins only: no process starts at a prompt. `setup --modify-path --activate` adds that line.',
    );

// The shim the functions run (see shimPip).
function shimFor(dir: string | undefined, env: Env): string {
  // An empty --dir names nothing (not the default), as for setup and teardown (shimDirArg).
  if (dir === '') {
    throw new UserError(
      '--dir is empty: name the directory that holds the shims, or leave --dir out for the first one on PATH.',
      2,
    );
  }
  const found = shimPip(dir, env);
  if (found) return found;
  throw new UserError(
    dir
      ? `${resolve(dir)} holds no pip-guard shims: run \`pip-guard setup --dir ${shellQuote(dir)}\` first, or name the directory setup wrote.`
      : 'pip-guard has no shims on PATH nor in its default directory, and the functions hand `python3 -m pip` to its pip shim: run `pip-guard setup` first.',
    1,
  );
}

// What the prompt hook needs from the user's and the system's config (a project's does not apply
// outside it, and the hook cannot read config files itself): the default venv, when
// venv.activateDefault asks for it active outside projects.
async function hookSettings(shims: string, env: Env): Promise<HookSettings> {
  const config = await loadOwnConfig(env);
  const outside = config.activateDefault.value ? defaultVenv(env, await realPipVersion(env)) : undefined;
  // The real pip's Python answered: kept, as every answer is (this runs at each shell's start).
  rememberAnswers(env);
  return { shims, defaultVenv: outside };
}

// The functions for SHELL, calling the shim in DIR (or found as shimFor says), and the hook.
export async function initScript(shell: FunctionShell, dir: string | undefined, activate: boolean, env: Env) {
  const pip = shimFor(dir, env);
  const hook = activate ? await hookSettings(dirname(pip), env) : undefined;
  // A name with a python shim beside the pip shim needs no function: the shim guards
  // `python3 -m pip` in any form, and in scripts too.
  const names = pythonNames(env).filter((name) => !isPythonShim(join(dirname(pip), name)));
  return renderFunctions(shell, VERSION, pip, names, hook);
}

export async function handler(args: {
  shell: FunctionShell;
  dir?: string;
  activate?: boolean;
}): Promise<number> {
  writeOut(1, await initScript(args.shell, args.dir, Boolean(args.activate), process.env));
  return 0;
}
