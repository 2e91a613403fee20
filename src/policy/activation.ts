// A venv active for one command, as its bin/activate makes it (for `pip-guard run`), and the
// paragraphs for a directory with no venv to activate. Pure: the caller reads pyvenv.cfg.
import { basename, join } from 'node:path';
import type { Env } from '../base/env.js';
import { activatedBin } from '../facts/calling-shell.js';
import type { VenvTarget } from '../facts/project.js';
import type { EnvChanges } from '../plan.js';
import { brokenVenvMessage } from './venv.js';

// VIRTUAL_ENV_PROMPT as the venv's Python writes it: pyvenv.cfg's prompt (venv --prompt, quoted
// by venv, bare by virtualenv and uv), else the directory's name; "(name) " before 3.12, "name" after.
export function venvPrompt(venv: string, cfg: string): string {
  const prompt = /^prompt = (['"]?)(.*)\1$/m.exec(cfg)?.[2] ?? basename(venv);
  const minor = Number(/^version(?:_info)? = 3\.(\d+)/m.exec(cfg)?.[1]);
  return minor >= 12 ? prompt : `(${prompt}) `;
}

// The environment of a command run in VENV: its bin/ first on PATH (in place of a venv that
// pip-guard's own activation put there), pipx's bin directory last when it exists and is not on
// PATH yet, VIRTUAL_ENV and VIRTUAL_ENV_PROMPT set, PYTHONHOME unset. A conda environment that is
// active already stays as conda made it.
export function activationChanges(
  venv: VenvTarget,
  cfg: string,
  env: Env,
  pipxBin: string | undefined,
): EnvChanges {
  const bin = join(venv.path, 'bin');
  const own = activatedBin(env);
  const dirs = env.PATH === undefined || env.PATH === '' ? [] : env.PATH.split(':');
  const rest = venv.conda ? dirs : dirs.filter((dir) => dir !== bin && dir !== own);
  const pipx = pipxBin && !rest.includes(pipxBin) ? [pipxBin] : [];
  const path = [...(venv.conda ? [] : [bin]), ...rest, ...pipx].join(':');
  if (venv.conda) return { PATH: path };
  return {
    PATH: path,
    VIRTUAL_ENV: venv.path,
    VIRTUAL_ENV_PROMPT: venvPrompt(venv.path, cfg),
    PYTHONHOME: undefined,
    _PIP_GUARD_VENV: undefined,
    _PIP_GUARD_AUTO: undefined,
  };
}

const WORDS = {
  run: {
    doing: 'run anything in it',
    nothing: 'nothing to run the command in (it did not run)',
    again: '`pip-guard run`',
  },
  activate: { doing: 'activate it', nothing: 'nothing to activate', again: '`eval "$(pip-guard activate)"`' },
} as const;

// Why a directory has no venv for `pip-guard run` or `activate` to use, as one paragraph (exit 1),
// or undefined when its venv is there to use.
export function noVenvProblem(venv: VenvTarget, command: keyof typeof WORDS): string | undefined {
  const { state, path } = venv;
  const words = WORDS[command];
  if (state.kind === 'valid') return undefined;
  if (state.kind === 'broken') {
    return brokenVenvMessage(venv, state.problem, words.doing, `run ${words.again} again`);
  }
  const where =
    venv.origin === 'default'
      ? `outside any project, pip-guard installs into its default venv ${path}, which does not exist yet`
      : `this project's venv ${path} does not exist yet`;
  return (
    `${where}, so there is ${words.nothing}. pip-guard makes it at the first install that pip refuses ` +
    `here, such as \`pip install requests\`; then \`pip-guard ${command}\` uses it.`
  );
}
