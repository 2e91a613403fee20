// Which pip an environment runs, and how two pips' versions compare: the pip that runs a
// redirected or routed command must be at least as new as the real pip the user typed (issue 15),
// so the real pip's version and a venv's own are facts, read from the files `import pip` finds.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Env } from '../base/env.js';
import type { Interpreter } from './pep668.js';

export interface PipPackage {
  // pip/__init__.py's __version__, which `pip --version` prints.
  version: string;
  // The directory it is imported from.
  site: string;
  // Its .dist-info there, where a venv can be seeded from it: it has a RECORD, and pip's vendored
  // libraries are inside (a distribution's "debundled" pip loads them from elsewhere).
  distInfo?: string;
}

// The pips that matter for a command: the real pip's (and the version of the Python it runs
// on), and the own pip of the venv pip-guard would use.
export interface Pips {
  real?: PipPackage & { python: string };
  venv?: PipPackage;
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

// The pip that `import pip` finds first among `dirs`.
export function pipIn(dirs: readonly string[]): PipPackage | undefined {
  for (const site of dirs) {
    const init = read(join(site, 'pip', '__init__.py'));
    if (init === undefined) continue;
    const version = /^__version__\s*=\s*["']([^"']+)["']/m.exec(init)?.[1];
    if (!version) return undefined;
    const distInfo = join(site, `pip-${version}.dist-info`);
    const vendored = !/^DEBUNDLED\s*=\s*True/m.test(read(join(site, 'pip', '_vendor', '__init__.py')) ?? '');
    const seedable = vendored && existsSync(join(distInfo, 'RECORD'));
    return { version, site, distInfo: seedable ? distInfo : undefined };
  }
  return undefined;
}

// Where the real pip's script imports pip from: PYTHONPATH, then its Python's own path (the
// probe's, with the user site where site.py puts it unless PYTHONNOUSERSITE is set).
export function realPipPath(interpreter: Interpreter, env: Env, cwd: string): string[] {
  const fromEnv = (env.PYTHONPATH ?? '').split(delimiter).filter(Boolean);
  const user = env.PYTHONNOUSERSITE ? interpreter.userSite : undefined;
  const own = (interpreter.pipPath ?? []).filter((dir) => dir !== user);
  return [...fromEnv.map((dir) => resolve(cwd, dir)), ...own];
}

// A venv's own site-packages, for its Python version.
export const venvSitePackages = (venv: string, version: string) =>
  join(venv, 'lib', `python${version}`, 'site-packages');
