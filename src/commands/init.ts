// pip-guard init bash|zsh|fish [--dir DIR]: print the shell functions that send `python3 -m pip`
// through pip-guard's shim (see shell-functions.ts), for `eval "$(pip-guard init bash)"`.
import { isAbsolute, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Env } from '../env.js';
import { UserError } from '../errors.js';
import { isShim, isShimDir, pathDirs } from '../path-search.js';
import { FUNCTION_SHELLS, type FunctionShell, pythonNames, renderFunctions } from '../shell-functions.js';
import { VERSION } from '../version.js';
import { defaultShimDir } from './setup.js';

// For main.ts, which answers `pip-guard init SHELL` without yargs.
export { isFunctionShell } from '../shell-functions.js';

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
    .option('dir', { type: 'string', describe: 'The shim directory (default: the first one on PATH)' })
    .example('eval "$($0 init bash)"', 'in ~/.bashrc, after the PATH line: `python3 -m pip` is guarded too')
    .example('eval "$($0 init zsh)"', 'the same in ~/.zshrc')
    .example('$0 init fish | source', 'the same in ~/.config/fish/config.fish')
    .epilogue(
      'Functions for python, python3 and each python3.N on PATH now: a leading `-m pip` (or `-mpip`) ' +
        "goes to pip-guard's pip shim, anything else runs as the interpreter itself. Not caught: options " +
        'before -m (`python3 -I -m pip`), a path (`/usr/bin/python3 -m pip`), and scripts, sudo, env or ' +
        'xargs, which do not see shell functions. `setup --modify-path --python-m-pip` adds the line for you.',
    );

// The shim the functions run: in DIR, else the first shim directory on PATH (a relative one
// would move with the shell), else setup's default.
function shimFor(dir: string | undefined, env: Env): string {
  const candidates = dir
    ? [resolve(dir)]
    : [...pathDirs(env).filter((d) => isAbsolute(d)), defaultShimDir(env)];
  const found = candidates.find((d) => isShimDir(d) && isShim(join(d, 'pip')));
  if (found) return join(found, 'pip');
  throw new UserError(
    dir
      ? `${resolve(dir)} holds no pip-guard shims: run \`pip-guard setup --dir ${dir}\` first, or name the directory setup wrote.`
      : 'pip-guard has no shims on PATH nor in its default directory, and the functions hand `python3 -m pip` to its pip shim: run `pip-guard setup` first.',
    1,
  );
}

// The functions for SHELL, calling the shim in DIR (or found as shimFor says).
export const initScript = (shell: FunctionShell, dir: string | undefined, env: Env) =>
  renderFunctions(shell, VERSION, shimFor(dir, env), pythonNames(env));

export async function handler(args: { shell: FunctionShell; dir?: string }): Promise<number> {
  process.stdout.write(initScript(args.shell, args.dir, process.env));
  return 0;
}
