import { join } from 'node:path';
import fishTemplate from '../shims/init.fish';
import posixTemplate from '../shims/init.sh';
import type { Env } from './env.js';
import { isExecutableFile, namesOnPath } from './path-search.js';
import { shellQuote } from './shell.js';

export const FUNCTION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type FunctionShell = (typeof FUNCTION_SHELLS)[number];

export const isFunctionShell = (word: string | undefined): word is FunctionShell =>
  (FUNCTION_SHELLS as readonly (string | undefined)[]).includes(word);

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

// One function per name, each handing its arguments to _pip_guard_python with its name first.
const functionFor = (shell: FunctionShell, name: string) =>
  shell === 'fish'
    ? `function ${name}\n    _pip_guard_python ${name} $argv\nend\n`
    : `function ${name} { _pip_guard_python ${name} "$@"; }\n`;

// The script for SHELL: functions for NAMES that hand a leading `-m pip` (or `-mpip`) to the shim PIP.
export function renderFunctions(
  shell: FunctionShell,
  version: string,
  pip: string,
  names: readonly string[],
): string {
  const quoted = shell === 'fish' ? fishQuote(pip) : shellQuote(pip);
  const helper = (shell === 'fish' ? fishTemplate : posixTemplate)
    .replaceAll('@SHELL@', shell)
    .replaceAll('@VERSION@', version)
    .replaceAll('@PIP@', () => quoted);
  return helper + names.map((name) => functionFor(shell, name)).join('');
}
