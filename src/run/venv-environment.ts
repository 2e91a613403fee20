// A venv active for pip-guard run and pip-guard activate: the venv routed to from the working
// directory, vetted as for pip (a project's venv pip-guard has not seen: not the repository's
// own), known from then on (the prompt hook may activate it), and the environment a command gets
// there (policy/activation.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { statOf } from '../base/files.js';
import { routedVenv } from '../facts/gather.js';
import { pipxFacts } from '../facts/pipx-installed.js';
import { activationChanges, noVenvProblem } from '../policy/activation.js';
import { rememberAnswers } from './interpreter-cache.js';
import { rememberProjectVenv } from './project-records.js';
import { remember } from './venv-records.js';

const readCfg = (venv: string) => {
  try {
    return readFileSync(join(venv, 'pyvenv.cfg'), 'utf8');
  } catch {
    return '';
  }
};

// The venv routed to from CWD and the environment a command gets there, or the paragraph why
// there is none.
export async function venvEnvironment(env: Env, cwd: string, command: 'run' | 'activate') {
  const { venv } = await routedVenv(env, cwd);
  const problem = noVenvProblem(venv, command);
  if (problem) throw new UserError(problem, 1);
  if (venv.origin === 'project' && venv.state.kind === 'valid' && !venv.state.provenance)
    remember(env, venv.path, 'accepted');
  rememberProjectVenv(venv, env, cwd);
  rememberAnswers(env);
  const pipxBin = pipxFacts(env).binDir;
  const bin = statOf(pipxBin)?.isDirectory() ? pipxBin : undefined;
  return { venv, changes: activationChanges(venv, readCfg(venv.path), env, bin) };
}
