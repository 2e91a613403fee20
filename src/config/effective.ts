// The config that applies in a directory, for the guarded path and for pip-guard's own commands
// alike: the files found (loaded only when there is one), merged, and checked.
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { hasConfigFiles, hasOwnConfigFiles } from './candidates.js';
import { type EffectiveConfig, mergeConfig } from './merge.js';
import { venvPathEscapes } from './venv-path.js';

// Exit code 2 for a config that cannot be used: nothing was run.
export async function loadEffectiveConfig(
  env: Env,
  cwd: string,
  root: string | undefined,
): Promise<EffectiveConfig> {
  // Loaded here: cosmiconfig and the parsers cost start-up time that most calls do not need.
  const files = hasConfigFiles(env, cwd, root)
    ? await (await import('./load.js')).loadConfigFiles(env, cwd, root)
    : [];
  const config = mergeConfig(files, env, root);
  if ('problem' in config) throw new UserError(config.problem, 2);
  const project = config.files.find((f) => f.kind === 'project')?.file;
  const path = config.venvPath.value;
  if (root && path && project && config.venvPath.from.startsWith(project)) {
    const problem = venvPathEscapes(project, path, root);
    if (problem) throw new UserError(problem, 2);
  }
  return config;
}

// The user's and the system's config alone, for what applies outside any project (the prompt
// hook of `pip-guard init --activate`, written once per shell).
export async function loadOwnConfig(env: Env): Promise<EffectiveConfig> {
  const files = hasOwnConfigFiles(env)
    ? await (await import('./load.js')).loadConfigFiles(env, '/', undefined, false)
    : [];
  const config = mergeConfig(files, env, undefined);
  if ('problem' in config) throw new UserError(config.problem, 2);
  return config;
}
