// The real pips on this machine, for `pip-guard which` and `pip-guard doctor`: the one a shim
// would run for a name, every pip on PATH in order, and the Python each one runs. Read-only:
// interpreters are asked without writing pip-guard's cache.
import { readdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { isExecutableFile } from '../base/files.js';
import { probeInterpreter, scriptInterpreter } from './interpreter.js';
import { isShim, isShimDir, pathDirs, which } from './path-search.js';
import type { Interpreter } from './pep668.js';

// The names pip installs its scripts under, and the ones pip-guard shims.
export const PIP_NAME = /^pip(3(\.\d+)?)?$/;

export interface PipOnPath {
  name: string;
  path: string;
  // Its directory's position on PATH.
  at: number;
}

export interface PipReport {
  path: string;
  // The Python on its #! line, when pip-guard can read one.
  python?: string;
  interpreter?: Interpreter;
  // Why the interpreter cannot be told (a bash wrapper such as pyenv's shim, say).
  problem?: string;
}

export type RealPip = { path: string; from: 'PATH' | 'PIP_GUARD_REAL_PIP' } | { problem: string };

// The real pip as a shim would find it (shims/pip.sh), for what pip-guard runs without a shim:
// explain, which, doctor, the default venv's Python for run and activate.
export function findRealPip(name: string, env: Env): string {
  const forced = env.PIP_GUARD_REAL_PIP;
  if (forced) {
    // A relative one would be whatever pip the working directory holds (as the shim says).
    if (!isAbsolute(forced)) {
      throw new UserError(
        `PIP_GUARD_REAL_PIP=${forced} is not an absolute path, and pip-guard will not run a pip from whatever directory it runs in: set it to the real pip's full path, or unset it.`,
        127,
      );
    }
    if (!isExecutableFile(forced)) {
      throw new UserError(
        `PIP_GUARD_REAL_PIP=${forced} is not an executable file: point it at the real pip, or unset it.`,
        127,
      );
    }
    if (isShim(forced)) {
      throw new UserError(
        `PIP_GUARD_REAL_PIP=${forced} is a pip-guard shim, which would run itself: point it at the real pip, or unset it.`,
        127,
      );
    }
    return forced;
  }
  // A stray copy of a shim outside a shim directory is no real pip either.
  const found = which(name, env, isShim);
  if (found) return found;
  throw new UserError(
    `no real ${name} on PATH besides pip-guard's shims: install pip, or set PIP_GUARD_REAL_PIP.`,
    127,
  );
}

// The program a shim called `name` would run, found as the shim finds it.
export function realPipFor(name: string, env: Env): RealPip {
  try {
    const path = findRealPip(name, env);
    return { path, from: env.PIP_GUARD_REAL_PIP ? 'PIP_GUARD_REAL_PIP' : 'PATH' };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (env.PIP_GUARD_REAL_PIP) return { problem: error.message };
    const shimDirs = pathDirs(env).filter(isShimDir);
    const skipped =
      shimDirs.length > 0 ? ` (pip-guard's shim directories, ${shimDirs.join(', ')}, do not count)` : '';
    return {
      problem:
        `there is no real ${name} on PATH${skipped}, so a \`${name}\` shim has nothing to run: ` +
        `install pip for that Python (Debian and Ubuntu: \`sudo apt install python3-pip\`), ` +
        'or set PIP_GUARD_REAL_PIP to the pip the shims should run.',
    };
  }
}

// pip, pip3, then pip3.N by N.
const nameOrder = (name: string) => (name === 'pip' ? -2 : name === 'pip3' ? -1 : Number(name.slice(5)));

// Every pip, pip3 and pip3.N on PATH, in the order a shell finds them; pip-guard's shims are
// not among them (as the shims and which() pass them over: by file, since a shim directory
// such as /usr/local/bin may hold a real pip too), and a directory reached twice (/bin →
// /usr/bin) is listed once.
export function pipsOnPath(env: Env): PipOnPath[] {
  const seen = new Set<string>();
  const found: PipOnPath[] = [];
  for (const [at, dir] of pathDirs(env).entries()) {
    let real: string;
    let entries: string[];
    try {
      real = realpathSync(dir);
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const names = entries.filter((entry) => PIP_NAME.test(entry)).sort((a, b) => nameOrder(a) - nameOrder(b));
    for (const name of names) {
      const path = join(dir, name);
      if (isExecutableFile(path) && !isShim(path)) found.push({ name, path, at });
    }
  }
  return found;
}

// Which Python a pip runs, and what that Python says about PEP 668. `ask` shares one probe per
// interpreter among the pips that name it.
export async function inspectPip(
  path: string,
  env: Env,
  ask: (python: string) => ReturnType<typeof probeInterpreter> = (python) => probeInterpreter(python, env),
): Promise<PipReport> {
  const python = scriptInterpreter(path, (name) => which(name, env));
  if (typeof python !== 'string') return { path, problem: python.problem };
  const interpreter = await ask(python);
  if ('problem' in interpreter) return { path, python, problem: interpreter.problem };
  return { path, python, interpreter };
}

// inspectPip for many pips, asking each interpreter once.
export function inspectPips(pips: readonly { path: string }[], env: Env): Promise<PipReport[]> {
  const asked = new Map<string, ReturnType<typeof probeInterpreter>>();
  const ask = (python: string) => {
    const answer = asked.get(python) ?? probeInterpreter(python, env);
    asked.set(python, answer);
    return answer;
  };
  return Promise.all(pips.map((pip) => inspectPip(pip.path, env, ask)));
}

// What a pip runs, to follow its path: "runs /usr/bin/python3 (Python 3.11), externally managed".
export function describeInterpreter(report: PipReport): string {
  const i = report.interpreter;
  if (!i) {
    const why = report.problem ?? '';
    const own = why.startsWith(`${report.path} `) ? why.slice(report.path.length + 1) : `(${why})`;
    return `${own}: pip-guard cannot tell which Python it runs`;
  }
  const what = i.venv
    ? 'a virtual environment'
    : i.externallyManaged
      ? 'externally managed (PEP 668)'
      : 'not externally managed';
  return `runs ${i.python} (Python ${i.version}), ${what}`;
}
