// pip-guard's own environment variables (yes-or-no switches read as pip reads them) and the XDG
// base directories of its data, cache, state and config.
import { isAbsolute, join } from 'node:path';
import { type Problem, UserError } from './errors.js';
import { strtobool } from './yes-no.js';

export type Env = Readonly<Record<string, string | undefined>>;

// A yes-or-no PIP_GUARD_* variable (unset or empty: no). A value strtobool would not take is a
// mistake to point out, as pip does for PIP_NO_INPUT=maybe (exit 2), not a quiet no. `yes` says
// what 1 does. The shim reads PIP_GUARD_DISABLE the same way (shims/pip.sh).
export function switchOf(env: Env, name: string, yes: string): boolean | Problem {
  const value = env[name];
  if (value === undefined || value === '') return false;
  const answer = strtobool(value);
  if (answer !== undefined) return answer;
  return {
    problem: `${name}=${value} is not a yes or no pip-guard knows: use 1 (${yes}) or 0, or unset it.`,
  };
}

// HOME, else the user's home as the system says (node:os, loaded only then: it costs Bun half a
// millisecond at every start).
export function homeOf(env: Env): string {
  return env.HOME || process.getBuiltinModule('node:os').homedir();
}

// XDG says a relative value is invalid and must be ignored.
function xdg(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value && isAbsolute(value) ? value : join(homeOf(env), fallback);
}

// XDG_DATA_HOME, as XDG says (pipx keeps its apps there too).
export const dataHome = (env: Env) => xdg(env, 'XDG_DATA_HOME', '.local/share');

// A directory a PIP_GUARD_* variable names instead of `fallback` (unset or empty: the fallback).
// A relative one would be read from whatever directory pip-guard runs in, where a repository can
// put anything: refused with one paragraph (exit 2), as a value pip-guard does not know is.
export function dirVariable(env: Env, name: string, fallback: string, what: string): string {
  const value = env[name];
  if (!value) return fallback;
  if (isAbsolute(value)) return value;
  throw new UserError(
    `${name}=${value} is not an absolute path, and pip-guard will not read ${what} from whatever directory ` +
      `it runs in: set it to an absolute directory, or unset it (then ${fallback}).`,
    2,
  );
}

export function dataDir(env: Env): string {
  return join(dataHome(env), 'pip-guard');
}

export function cacheDir(env: Env): string {
  return join(xdg(env, 'XDG_CACHE_HOME', '.cache'), 'pip-guard');
}

export function stateDir(env: Env): string {
  return join(xdg(env, 'XDG_STATE_HOME', '.local/state'), 'pip-guard');
}

export function configHome(env: Env): string {
  return xdg(env, 'XDG_CONFIG_HOME', '.config');
}

// PIP_GUARD_DEBUG, a yes or no as the others are: main stops at any other value before it runs
// anything (debugProblem).
export const debugProblem = (env: Env) => {
  const debug = switchOf(env, 'PIP_GUARD_DEBUG', "stack traces for pip-guard's own errors");
  return typeof debug === 'boolean' ? undefined : debug;
};
export const isDebug = (env: Env): boolean =>
  switchOf(env, 'PIP_GUARD_DEBUG', "stack traces for pip-guard's own errors") === true;
