// What the shell that started pip-guard has of pip-guard's own shell code (shell-functions.ts):
// the marks `pip-guard init` and its prompt hook leave, and a venv pip-guard activated there.
// Pure: read from the environment, and the parent's pid.
import { join } from 'node:path';
import type { Env } from '../base/env.js';

// What the shell that evaluated `pip-guard init` has, for what pip-guard says to that shell
// (notices, doctor): the functions, the prompt hook, and whether the hook keeps the default venv
// active outside projects. The marker carries the shell's pid, so that a program started from
// elsewhere (a script, another terminal) does not take that shell for its own.
export interface CallingShell {
  hook: boolean;
  defaultVenv: boolean;
}

export const SHELL_MARKER = '_PIP_GUARD_INIT';

// The calling shell's marks, when the process that started pip-guard (its parent: the shim execs
// pip-guard) is the shell that evaluated `pip-guard init`.
export function callingShell(env: Env, parent: number | undefined): CallingShell | undefined {
  const [pid, ...words] = (env[SHELL_MARKER] ?? '').split(' ');
  if (!pid || parent === undefined || pid !== String(parent) || !words.includes('functions'))
    return undefined;
  return { hook: words.includes('hook'), defaultVenv: words.includes('default') };
}

// The bin/ of a venv that pip-guard activated (the prompt hook, `pip-guard activate`): the shims
// pass over it, as over themselves (shims/pip.sh), so that the policy holds there.
export const activatedBin = (env: Env) =>
  env._PIP_GUARD_VENV && env._PIP_GUARD_VENV === env.VIRTUAL_ENV
    ? join(env._PIP_GUARD_VENV, 'bin')
    : undefined;
