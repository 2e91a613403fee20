// The shell code pip-guard prints to be eval'd: the functions of `pip-guard init` (python3 -m pip
// through the shim), the prompt hook of `init --activate`, and the activation of `pip-guard
// activate`. Pure: the templates live in shims/, the values come from the caller.
import { join } from 'node:path';
import fishActivation from '../../shims/activate.fish';
import posixActivation from '../../shims/activate.sh';
import fishHook from '../../shims/hook.fish';
import posixHook from '../../shims/hook.sh';
import fishTemplate from '../../shims/init.fish';
import posixTemplate from '../../shims/init.sh';
import type { Env } from '../base/env.js';
import { isExecutableFile } from '../base/files.js';
import { shellQuote } from '../base/shell.js';
import { SHELL_MARKER } from '../facts/calling-shell.js';
import { namesOnPath } from '../facts/path-search.js';
import { RECORD_HEADER, RECORD_NAME } from '../facts/records.js';

export const FUNCTION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type FunctionShell = (typeof FUNCTION_SHELLS)[number];

// `pip-guard activate` also speaks plain sh (dash), which has no functions named python3.11.
export const ACTIVATE_SHELLS = ['bash', 'zsh', 'fish', 'sh'] as const;
export type ActivateShell = (typeof ACTIVATE_SHELLS)[number];

export const isFunctionShell = (word: string | undefined): word is FunctionShell =>
  (FUNCTION_SHELLS as readonly (string | undefined)[]).includes(word);

export const isActivateShell = (word: string | undefined): word is ActivateShell =>
  (ACTIVATE_SHELLS as readonly (string | undefined)[]).includes(word);

// python and python3 always (a venv activated later brings its own), and every python3.N on PATH.
export function pythonNames(env: Env): string[] {
  const minors = new Set<number>();
  for (const [dir, entry] of namesOnPath(env)) {
    const minor = /^python3\.(\d+)$/.exec(entry)?.[1];
    if (minor && isExecutableFile(join(dir, entry))) minors.add(Number(minor));
  }
  return ['python', 'python3', ...[...minors].sort((a, b) => a - b).map((minor) => `python3.${minor}`)];
}

// A word inside fish's single quotes, where \ and ' are escaped.
const fishQuote = (word: string) => `'${word.replace(/[\\']/g, '\\$&')}'`;

const quoteFor = (shell: ActivateShell) => (shell === 'fish' ? fishQuote : shellQuote);

// One function per name, each handing its arguments to _pip_guard_python with its name first.
const functionFor = (shell: FunctionShell, name: string) =>
  shell === 'fish'
    ? `function ${name}\n    _pip_guard_python ${name} $argv\nend\n`
    : `function ${name} { _pip_guard_python ${name} "$@"; }\n`;

// The hook runs first at each prompt, as direnv's does, so that a prompt of the user's that shows
// VIRTUAL_ENV sees it; PROMPT_COMMAND may be an array since bash 5.1. zsh also runs it on each cd,
// for `cd proj && python3 app.py` on one line. fish registers it with the function (hook.fish).
const REGISTER: Record<FunctionShell, string> = {
  bash: `if [[ ";\${PROMPT_COMMAND[*]-};" != *";_pip_guard_hook;"* ]]; then
  if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
    PROMPT_COMMAND=(_pip_guard_hook "\${PROMPT_COMMAND[@]}")
  else
    PROMPT_COMMAND="_pip_guard_hook\${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
  fi
fi
`,
  zsh: `typeset -ag precmd_functions chpwd_functions
(( \${precmd_functions[(I)_pip_guard_hook]} )) || precmd_functions=(_pip_guard_hook $precmd_functions)
(( \${chpwd_functions[(I)_pip_guard_hook]} )) || chpwd_functions=(_pip_guard_hook $chpwd_functions)
`,
  fish: '',
};

// init marks the functions; the hook adds its own word at each prompt (from _pip_guard_mark), so
// that a hook which never runs (a PROMPT_COMMAND set after the init line) claims nothing.
function markerLine(shell: FunctionShell, hook: HookSettings | undefined): string {
  const mark = ['functions', 'hook', ...(hook?.defaultVenv ? ['default'] : [])].join(' ');
  if (shell === 'fish') {
    return `${hook ? `set -g _pip_guard_mark "$fish_pid ${mark}"\n` : ''}set -gx ${SHELL_MARKER} "$fish_pid functions"\n`;
  }
  return `${hook ? `_pip_guard_mark="$$ ${mark}"\n` : ''}export ${SHELL_MARKER}="$$ functions"\n`;
}

// The prompt hook's settings (see shims/hook.sh).
export interface HookSettings {
  // The shim directory, which stays ahead of an activated venv's bin/ on PATH.
  shims: string;
  defaultVenv?: string;
}

function activationCode(shell: ActivateShell, version: string, shims: string): string {
  return (shell === 'fish' ? fishActivation : posixActivation)
    .replaceAll('@VERSION@', version)
    .replaceAll('@SHIMS@', () => quoteFor(shell)(shims));
}

function hookCode(shell: FunctionShell, version: string, hook: HookSettings): string {
  const code = (shell === 'fish' ? fishHook : posixHook)
    .replaceAll('@VERSION@', version)
    .replaceAll('@RECORD@', RECORD_NAME)
    .replaceAll('@HEADER@', RECORD_HEADER)
    .replaceAll('@DEFAULT_VENV@', () => quoteFor(shell)(hook.defaultVenv ?? ''));
  return activationCode(shell, version, hook.shims) + code + REGISTER[shell];
}

// The script for SHELL: functions for NAMES that hand a leading `-m pip` (or `-mpip`) to the shim
// PIP, and with `hook` the prompt hook that keeps the project's venv active.
export function renderFunctions(
  shell: FunctionShell,
  version: string,
  pip: string,
  names: readonly string[],
  hook?: HookSettings,
): string {
  const helper = (shell === 'fish' ? fishTemplate : posixTemplate)
    .replaceAll('@SHELL@', shell)
    .replaceAll('@VERSION@', version)
    .replaceAll('@PIP@', () => quoteFor(shell)(pip));
  return (
    helper +
    names.map((name) => functionFor(shell, name)).join('') +
    (hook ? hookCode(shell, version, hook) : '') +
    markerLine(shell, hook)
  );
}

// `pip-guard activate SHELL`: the code that activates VENV in the shell that evaluates it, as
// pip-guard's own activation (pip still reaches pip-guard), with `deactivate` to undo it.
export function renderActivation(shell: ActivateShell, version: string, shims: string, venv: string): string {
  // Whatever pip-guard had active goes first; then the hook takes this one for the user's choice.
  return `${activationCode(shell, version, shims)}_pip_guard_off\n_pip_guard_on ${quoteFor(shell)(venv)}\n`;
}
