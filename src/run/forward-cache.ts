// The shim's cache of one answer that needs no Node: a real pip whose Python never refuses (a
// venv's, or one without EXTERNALLY-MANAGED) gets every command as typed. decide() forwards
// every command line untouched when pip would not refuse (policy/decide.ts), and whether pip
// would refuse depends, for a command line without --python, only on: the real pip's #! line,
// the Python file it names, the pyvenv.cfg beside or above that Python (a venv) or else the
// EXTERNALLY-MANAGED in its standard library, and a `python` set by PIP_PYTHON or pip's config
// files. The fragment written here checks each of those as the shim runs it, by content,
// identity and existence (sh built-ins only: `read`, `-ef`, `-e`), never by a timestamp that a
// copy or a package manager can set back; it is written only where no pip config file exists,
// and it checks that none has appeared (where HOME, XDG_CONFIG_HOME, XDG_CONFIG_DIRS and
// PIP_CONFIG_FILE put them, which it compares too). Whenever one differs, the shim hands the
// command to pip-guard, which decides afresh.
import { dirname, join } from 'node:path';
import type { Env } from '../base/env.js';
import { realPath, statOf } from '../base/files.js';
import { ownCacheDir, writeOwnFile } from '../base/own-files.js';
import { shellQuote } from '../base/shell.js';
import type { Interpreter } from '../facts/pep668.js';
import { headLines, readScriptHead, trampolinePython } from '../facts/shebang.js';
import { pipConfigFiles } from '../pip-cli/config-files.js';
import type { Decision, Facts } from '../plan.js';

// The environment variables that place pip's config files, as the fragment compares them.
const PLACES = ['HOME', 'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'PIP_CONFIG_FILE'];

interface Cacheable {
  interpreter: Interpreter;
  // The real pip's first lines that name it: its #! line, and distlib's sh trampoline if any.
  head: string[];
}

// The Python on the real pip's own #! line (or its trampoline, for a path with a space), when
// the answer can be cached for it: an absolute interpreter (not `env python3`, which PATH
// decides), the one pip-guard asked, no --python.
function cacheablePython(facts: Facts): Cacheable | undefined {
  const { interpreter, verdict, realPip } = facts;
  if (!interpreter || verdict.refuses !== false || !realPip.startsWith('/')) return undefined;
  if (!interpreter.venv && interpreter.externallyManaged) return undefined;
  if ('problem' in facts.settings || facts.settings.has('python')) return undefined;
  const text = readScriptHead(realPip);
  const head = headLines(text);
  const named =
    head.length === 1
      ? head[0] === `#!${interpreter.python}`
      : head[0] === '#!/bin/sh' && trampolinePython(text) === interpreter.python;
  return named ? { interpreter, head } : undefined;
}

// The fragment the shim sources: `return 1` (go to pip-guard) unless every fact still holds.
export function renderFragment(realPip: string, { interpreter, head }: Cacheable, env: Env) {
  const q = shellQuote;
  const names = head.map((_, i) => (i === 0 ? 'line' : `line${i + 1}`));
  const bin = dirname(interpreter.python);
  const cfgs = [join(bin, 'pyvenv.cfg'), join(dirname(bin), 'pyvenv.cfg')];
  const present = cfgs.filter((path) => statOf(path) !== undefined);
  // A venv's pip never refuses whatever its base Python says; another needs the marker absent.
  const absent = [
    ...(interpreter.venv ? [] : [...cfgs, join(interpreter.stdlib, 'EXTERNALLY-MANAGED')]),
    ...pipConfigFiles(env, interpreter.prefix, false),
  ];
  const places = PLACES.map((name) => `\${${name}-}`).join('|');
  const recorded = PLACES.map((name) => env[name] ?? '').join('|');
  return [
    `# pip-guard: ${realPip} runs ${interpreter.python}, ${interpreter.venv ? 'a venv' : 'not externally managed'}: pip never refuses there`,
    'for arg do case $arg in --py*) return 1 ;; esac; done',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: sh's parameter expansion
    '[ -z "${PIP_PYTHON+x}" ] || return 1',
    `[ "${places}" = ${q(recorded)} ] || return 1`,
    `{ ${names.map((name) => `IFS= read -r ${name}`).join(' && ')}; } 2>/dev/null <${q(realPip)} || return 1`,
    ...head.map((line, i) => `[ "$${names[i]}" = ${q(line)} ] || return 1`),
    `[ ${q(interpreter.python)} -ef ${q(realPath(interpreter.python))} ] || return 1`,
    ...(interpreter.venv ? present : []).map((path) => `[ -e ${q(path)} ] || return 1`),
    ...absent.map((path) => `! [ -e ${q(path)} ] || return 1`),
    '',
  ].join('\n');
}

// After a plan that forwards as typed: leaves the answer for the shim, when it can be cached.
export function rememberForward(plan: Decision, facts: Facts, env: Env): void {
  const cacheable = plan.kind === 'forward' && !plan.argv ? cacheablePython(facts) : undefined;
  if (!cacheable) return;
  const { interpreter } = cacheable;
  // pip's config files are read once pip-guard decides, not checked line by line in sh.
  if (pipConfigFiles(env, interpreter.prefix, false).some((path) => statOf(path) !== undefined)) return;
  // Not in a cache of somebody else's, which the shim passes over (shims/pip.sh).
  const file = ownCacheDir(env, 'forward', facts.realPip);
  try {
    if (file) writeOwnFile(file, renderFragment(facts.realPip, cacheable, env));
  } catch {
    // Without the fragment, the next call only starts Node again.
  }
}
