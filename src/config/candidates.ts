// Whether any pip-guard config file could apply here, found with a few stats and no parser, so
// that the common case (no config at all) does not pay for loading cosmiconfig and friends.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configHome, dirVariable, type Env } from '../base/env.js';

// Where a project's config may be, in cosmiconfig's order of search at each directory.
export const SEARCH_PLACES = [
  '.pip-guardrc',
  '.pip-guardrc.json',
  '.pip-guardrc.yaml',
  '.pip-guardrc.yml',
  '.pip-guardrc.toml',
  'pip-guard.config.js',
  'pip-guard.config.cjs',
  'pip-guard.config.mjs',
  'package.json',
  'pyproject.toml',
];

// JavaScript config files run code when loaded: they need trust (trust.ts).
export const JS_CONFIG_FILE = /\.(c|m)?js$/;

export const FIXED_NAMES = ['config.json', 'config.yaml', 'config.toml'];

export const systemConfigDir = (env: Env) =>
  dirVariable(env, 'PIP_GUARD_SYSTEM_CONFIG_DIR', '/etc/pip-guard', "the system's config");
export const userConfigDir = (env: Env) => join(configHome(env), 'pip-guard');

// The directories a project's config is searched in: cwd up to the project root.
export function searchDirs(cwd: string, root: string | undefined): string[] {
  const dirs: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dir === (root ?? cwd) || dir === dirname(dir)) return dirs;
  }
}

// package.json and pyproject.toml count only when they mention pip-guard at all.
export function mayConfigure(file: string): boolean {
  if (!existsSync(file)) return false;
  if (!file.endsWith('package.json') && !file.endsWith('pyproject.toml')) return true;
  try {
    return readFileSync(file, 'utf8').includes('pip-guard');
  } catch {
    return true;
  }
}

// Whether the user or the system has a config file of their own.
export const hasOwnConfigFiles = (env: Env) =>
  [systemConfigDir(env), userConfigDir(env)].some((dir) =>
    FIXED_NAMES.some((name) => existsSync(join(dir, name))),
  );

export function hasConfigFiles(env: Env, cwd: string, root: string | undefined): boolean {
  if (env.PIP_GUARD_CONFIG || hasOwnConfigFiles(env)) return true;
  return projectCandidate(cwd, root) !== undefined;
}

// The file the project's config would most likely be read from (the first search place that
// may configure pip-guard, from cwd up to the root).
export function projectCandidate(cwd: string, root: string | undefined): string | undefined {
  for (const dir of searchDirs(cwd, root)) {
    const found = SEARCH_PLACES.map((place) => join(dir, place)).find(mayConfigure);
    if (found) return found;
  }
  return undefined;
}

// Every file whose being there, or its text, decides the config in a project at ROOT (or outside
// any, without one), from any directory inside it up to ROOT: the system's and the user's files,
// PIP_GUARD_CONFIG, and the project's at its root (nearer down, a config file makes its own
// project root; findProjectRoot).
export function configInputs(env: Env, root: string | undefined): string[] {
  const own = [systemConfigDir(env), userConfigDir(env)].flatMap((dir) =>
    FIXED_NAMES.map((name) => join(dir, name)),
  );
  const named = env.PIP_GUARD_CONFIG ? [env.PIP_GUARD_CONFIG] : [];
  const project = root ? SEARCH_PLACES.map((place) => join(root, place)) : [];
  return [...own, ...named, ...project];
}
