// Reading pip-guard's own environment variables and the XDG base directories they sit beside.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

// The spellings of "yes" that pip's strtobool accepts, so PIP_GUARD_* read like PIP_* do.
const TRUE = new Set(['1', 'y', 'yes', 't', 'true', 'on']);

export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && TRUE.has(value.trim().toLowerCase());
}

export function homeOf(env: Env): string {
  return env.HOME || homedir();
}

// XDG says a relative value is invalid and must be ignored.
function xdg(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value && isAbsolute(value) ? value : join(homeOf(env), fallback);
}

export function dataDir(env: Env): string {
  return join(xdg(env, 'XDG_DATA_HOME', '.local/share'), 'pip-guard');
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

export function isDebug(env: Env): boolean {
  return isTruthy(env.PIP_GUARD_DEBUG);
}
