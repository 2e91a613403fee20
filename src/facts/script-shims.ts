// What pip-guard's shims do for a script on this PATH (shims/python.sh, shims/command.sh): whether
// its `python3` is pip-guard's python shim, which reads pip-guard's project records, and where the
// commands of a project's venv get shims of their own.
import { isAbsolute, join } from 'node:path';
import type { Env } from '../base/env.js';
import { isExecutableFile, statOf } from '../base/files.js';
import { isOwn, keeperOf } from '../base/own-files.js';
import { headOf, isShimDir, pathDirs } from './path-search.js';

// The second line by which each kind of shim is known (shims/*.sh).
export const PYTHON_SHIM_MARK = /^# pip-guard shim \S+ \(python\)/m;
export const COMMAND_SHIM_MARK = /^# pip-guard shim \S+ \(a command of a project's venv\)/m;

export const isPythonShim = (file: string) => PYTHON_SHIM_MARK.test(headOf(file));
export const isCommandShim = (file: string) => COMMAND_SHIM_MARK.test(headOf(file));

// The first NAME on PATH, shims included: what a script that runs NAME gets.
export function firstOnPath(name: string, env: Env): string | undefined {
  return pathDirs(env)
    .map((dir) => join(dir, name))
    .find(isExecutableFile);
}

// The state directory as the shims find it (shims/project.sh): from an absolute XDG_STATE_HOME,
// else an absolute HOME (they cannot ask the system for a home), and this user's.
function stateForShims(env: Env): string | undefined {
  const base = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : undefined;
  const home = env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.local', 'state') : undefined;
  return base ?? home;
}

export interface ScriptShims {
  // A script's `python3` runs the project's vetted venv: it is pip-guard's python shim, and the
  // shims find pip-guard's records (a state directory of this user's, or one to be made).
  python: boolean;
  // The shim directory a command of the venv gets its shim in: the one holding that python shim,
  // when this user owns it and may write it.
  commandDir?: string;
}

export function scriptShims(env: Env): ScriptShims {
  const python = firstOnPath('python3', env);
  const state = stateForShims(env);
  const stateOk = state !== undefined && keeperOf(join(state, 'pip-guard')) === process.geteuid?.();
  if (!python || !isPythonShim(python) || !stateOk) return { python: false };
  const dir = python.slice(0, -'/python3'.length);
  const writable = isShimDir(dir) && isOwn(statOf(dir));
  return { python: true, ...(writable ? { commandDir: dir } : {}) };
}
