// Which Python a pip script runs on (its shebang), and what that Python says about PEP 668.
// The answer only changes when the interpreter changes, so it is cached per path and mtime;
// the EXTERNALLY-MANAGED marker itself is checked afresh each time (one stat).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Env } from '../base/env.js';
import type { Problem } from '../base/errors.js';
import { statOf } from '../base/files.js';
import { ownCacheDir, readOwnJson } from '../base/own-files.js';
import { capture } from '../base/process.js';
import { readHead } from './path-search.js';
import type { Interpreter } from './pep668.js';
import { readScriptHead, trampolinePython } from './shebang.js';

// What a script's first lines say it runs on. `which` looks a bare name up on PATH (for env).
export function shebangInterpreter(
  head: string,
  script: string,
  which: (name: string) => string | undefined,
): string | Problem {
  if (!head.startsWith('#!')) return { problem: `${script} has no #! line pip-guard can read` };
  const words = (head.split('\n')[0] as string).slice(2).trim().split(/\s+/);
  let program = words[0] ?? '';
  if (basename(program) === 'env') {
    const name = words.slice(1).find((word) => !word.startsWith('-') && !word.includes('='));
    program = (name && which(name)) || '';
    if (!program) return { problem: `${script} runs \`env ${name ?? ''}\`, which is not on PATH` };
  }
  // distlib's form for interpreter paths with a space or too long for #!: sh re-executes the real Python.
  const behind = ['sh', 'bash'].includes(basename(program)) ? trampolinePython(head) : undefined;
  if (behind) program = behind;
  if (!/^(python|pypy)/.test(basename(program))) {
    return {
      problem: `${script} runs ${program || 'an unknown program'}, not Python (a pyenv shim or a wrapper?)`,
    };
  }
  return program;
}

export function scriptInterpreter(
  script: string,
  which: (name: string) => string | undefined,
): string | Problem {
  try {
    return shebangInterpreter(readScriptHead(script), script, which);
  } catch (error) {
    return { problem: `cannot read ${script}: ${(error as Error).message}` };
  }
}

// The Python that PYTHON runs: itself, or behind a wrapper script (pyenv's shim picks one at
// run time, by directory and PYENV_VERSION) the one the wrapper picks now, which it is asked.
export async function interpreterBehind(python: string, env: Env): Promise<string | Problem> {
  let head: string;
  try {
    head = readHead(python);
  } catch (error) {
    return { problem: `cannot read ${python}: ${(error as Error).message}` };
  }
  if (!head.startsWith('#!')) return python;
  const asked = await capture(python, ['-I', '-c', 'import sys; print(sys.executable)'], env).catch(
    () => undefined,
  );
  const executable = asked?.code === 0 ? asked.stdout.trim() : '';
  return isAbsolute(executable) ? executable : { problem: `${python} did not say which Python it runs` };
}

// pip --python takes a venv directory or an interpreter (identify_python_interpreter).
export function pythonOption(value: string, cwd: string): string | Problem {
  const path = resolve(cwd, value);
  if (!existsSync(path)) return { problem: `--python ${value} does not exist (pip will say so)` };
  if (statSync(path).isDirectory()) {
    const python = join(path, 'bin', 'python');
    return existsSync(python) ? python : { problem: `--python ${value} has no bin/python (pip will say so)` };
  }
  return path;
}

// Python 2.7 and 3.x alike; `-I` keeps PYTHON* variables and the user's site out of the answer.
// seedWheels: the wheels `python -m venv` has ensurepip install (pip, and setuptools before
// 3.12), from the distribution's wheel directory (WHEEL_PKG_DIR: Debian's
// /usr/share/python-wheels) or ensurepip's own; pip-guard seeds new venvs from them.
// pipPath: where a pip script on this Python imports pip from (sys.path, with the user site
// that site.py adds before the site directories when not run with -I; pip-version.ts).
const PROBE = [
  'import json, os, re, site, sys, sysconfig, glob',
  'def newest(name):',
  '    for folder in (sysconfig.get_config_var("WHEEL_PKG_DIR"), os.path.join(sysconfig.get_path("stdlib"), "ensurepip", "_bundled")):',
  '        found = glob.glob(os.path.join(folder or "", name + "-*.whl")) if folder else []',
  '        if found: return sorted(found, key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r"(\\d+)", p)])[-1]',
  'names = ["pip"] + (["setuptools"] if sys.version_info < (3, 12) else [])',
  'venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix) or hasattr(sys, "real_prefix")',
  'path = [p for p in sys.path if p]',
  'user = None if venv else getattr(site, "getusersitepackages", lambda: None)()',
  'if user and user not in path:',
  '    path.insert(min([path.index(p) for p in getattr(site, "getsitepackages", list)() if p in path] or [len(path)]), user)',
  'print(json.dumps({"venv": venv,',
  ' "stdlib": sysconfig.get_path("stdlib"), "prefix": sys.prefix, "version": "%d.%d" % sys.version_info[:2],',
  ' "seedWheels": dict((name, newest(name)) for name in names), "pipPath": path, "userSite": user}))',
].join('\n');

// Bumped when PROBE asks more: older answers in the cache are asked again.
const PROBE_VERSION = 3;

export type Probed = Omit<Interpreter, 'python' | 'externallyManaged'>;

const isPath = (value: unknown) => typeof value === 'string' && isAbsolute(value);

// VALUE if it is an answer to PROBE (from the interpreter or the cache): a program that is not
// the Python it seems to be, or a cache some other program wrote, may say anything.
export function probed(value: unknown): Probed | undefined {
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.venv !== 'boolean' || !isPath(v.stdlib) || !isPath(v.prefix)) return undefined;
  if (typeof v.version !== 'string' || !/^\d+\.\d+$/.test(v.version)) return undefined;
  const wheels = v.seedWheels;
  if (wheels === undefined) return v as Probed;
  const fine = typeof wheels === 'object' && wheels !== null;
  return fine && Object.values(wheels).every((w) => w === null || isPath(w)) ? (v as Probed) : undefined;
}

// The last line of the probe's output that is its answer: a wrapper may print around it.
export function answerIn(stdout: string): Probed | undefined {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const answer = probed(JSON.parse(line));
      if (answer) return answer;
    } catch {}
  }
  return undefined;
}

// What an interpreter printed instead of an answer, for a message.
const printed = (stdout: string) => {
  const text = stdout.trim();
  return text ? JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text) : 'nothing';
};

// A venv's python is the system's binary with a pyvenv.cfg beside it: both go into the key.
function cacheKey(python: string): string {
  const stamp = (file: string) => {
    const s = statOf(file);
    return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : '-';
  };
  const bin = dirname(python);
  const stamps = [stamp(python), stamp(join(bin, 'pyvenv.cfg')), stamp(join(dirname(bin), 'pyvenv.cfg'))];
  return [PROBE_VERSION, ...stamps].join('|');
}

// The answers this process asked interpreters for (not found in the cache), for
// run/interpreter-cache.ts to keep: facts only read.
export interface NewAnswer {
  python: string;
  key: string;
  facts: Probed;
}
const newAnswers: NewAnswer[] = [];
export const answersToKeep = (): readonly NewAnswer[] => newAnswers;

export const interpreterCache = (env: Env) => ownCacheDir(env, 'interpreters.json');
export type InterpreterCache = Record<string, { key: string; facts: Probed }>;

// Asks the interpreter (or the cache) whether it runs in a venv and where its stdlib is.
export async function probeInterpreter(python: string, env: Env): Promise<Interpreter | Problem> {
  if (!isAbsolute(python)) return { problem: `${python} is not an absolute path` };
  const file = interpreterCache(env);
  const cache = (file && readOwnJson<InterpreterCache>(file)) || {};
  const key = cacheKey(python);
  let facts = cache[python]?.key === key ? probed(cache[python]?.facts) : undefined;
  if (!facts) {
    const result = await capture(python, ['-I', '-c', PROBE]).catch(() => undefined);
    if (result?.code !== 0) return { problem: `${python} did not answer pip-guard's question about PEP 668` };
    facts = answerIn(result.stdout);
    if (!facts) {
      return {
        problem: `${python} printed ${printed(result.stdout)} where pip-guard asked it about PEP 668, not an answer (is it a Python, or a wrapper that prints more?)`,
      };
    }
    newAnswers.push({ python, key, facts });
  }
  const externallyManaged = existsSync(join(facts.stdlib, 'EXTERNALLY-MANAGED'));
  return { python, ...facts, externallyManaged };
}

// Behind a wrapper pip-guard cannot read (pyenv's shim), only a refusal shows which Python pip
// runs on (guard.ts asks `pip debug`). It is remembered per wrapper, place (the project) and
// PYENV_VERSION (run/interpreter-cache.ts), so that list, freeze and the like agree with where
// installs went.
export const refusalKey = (wrapper: string, place: string, env: Env) =>
  [wrapper, place, env.PYENV_VERSION ?? ''].join('\0');
export const refusalsFile = (env: Env) => ownCacheDir(env, 'refusals.json');

export function refusedBefore(env: Env, wrapper: string, place: string): string | undefined {
  const file = refusalsFile(env);
  const python = file && readOwnJson<Record<string, string>>(file)?.[refusalKey(wrapper, place, env)];
  return typeof python === 'string' ? python : undefined;
}

// After a refusal pip-guard could not predict (a pyenv shim, say), `pip debug` (DEBUG, the real
// pip's command line for it) names the interpreter that refused; it is asked in turn.
export async function refusingInterpreter(
  debug: readonly string[],
  env: Env,
): Promise<Interpreter | undefined> {
  const [file, ...args] = debug as [string, ...string[]];
  const answer = await capture(file, args, env).catch(() => undefined);
  const python = /^sys\.executable: (.+)$/m.exec(answer?.stdout ?? '')?.[1];
  if (!python) return undefined;
  const probed = await probeInterpreter(python.trim(), env);
  return 'problem' in probed ? undefined : probed;
}
