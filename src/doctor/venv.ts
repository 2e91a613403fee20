// doctor's venv checks: the active venv, else the project's venv, as pip-guard would find it,
// and for a broken one the fix that fits what it is (a symlink is never `venv --clear`ed).
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import type { Env } from '../base/env.js';
import { shellQuote } from '../base/shell.js';
import type { EffectiveConfig } from '../config/merge.js';
import { locateVenv, venvState } from '../facts/project.js';
import { provenanceOf, shippedBy, vettingProblem } from '../facts/venv-registry.js';
import { type Finding, note, ok, problem } from './finding.js';

export interface VenvCheckInput {
  env: Env;
  root: string | undefined;
  config: EffectiveConfig | undefined;
  // The Python pip-guard makes venvs with (the one the real pip runs), for the fixes.
  python: string | undefined;
}

// How to repair a broken venv at `path`, by what the path is.
function brokenFix(path: string, python: string | undefined): string {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) {
    const target = readlinkSync(path);
    const unlink = `remove just the link with \`rm ${shellQuote(path)}\` (the next install makes a new venv there)`;
    // venv --clear follows the link and empties whatever it points to.
    if (!existsSync(path))
      return `it is a symlink to ${target}, which does not exist: restore that, or ${unlink}`;
    return `it is a symlink to ${target}: repair what it points to, or ${unlink}; not \`python3 -m venv --clear\`, which would empty ${target}`;
  }
  if (!stat.isDirectory()) {
    return `move the file away (\`mv ${shellQuote(path)} ${shellQuote(`${path}.orig`)}\`), or set venv.path in the project's config to another directory`;
  }
  return `recreate it: \`${shellQuote(python ?? 'python3')} -m venv --clear ${shellQuote(path)}\`, then install the project's packages into it again`;
}

// An activated venv is where pip-guard installs, while it is usable.
function activeFinding(path: string, env: Env): Finding {
  const state = venvState(path, (p) => provenanceOf(env, p));
  if (state.kind === 'valid')
    return ok(`the active venv ${path} (VIRTUAL_ENV) is healthy: installs go there`);
  const why =
    state.kind === 'broken'
      ? state.problem
      : state.kind === 'missing'
        ? 'it does not exist'
        : 'it is half made';
  return problem(
    `VIRTUAL_ENV is ${path}, which is not a usable venv (${why}), so pip-guard ignores it`,
    '`deactivate`, or activate a venv that exists',
  );
}

export async function venvFindings({ env, root, config, python }: VenvCheckInput): Promise<Finding[]> {
  const active = env.VIRTUAL_ENV ? activeFinding(env.VIRTUAL_ENV, env) : undefined;
  if (active?.status === 'ok') return [active];
  if (!root) {
    const outside = note(
      "not in a project (no pyproject.toml, setup.py, setup.cfg, requirements*.txt, .git or venv from here up to HOME): refused installs go to pip-guard's default venv",
    );
    return [...(active ? [active] : []), outside];
  }
  const venvPath = config?.venvPath.value;
  const known = (path: string) => provenanceOf(env, path);
  const { path, state } = locateVenv({
    root,
    virtualEnv: undefined,
    defaultVenv: root,
    names: venvPath ? [venvPath] : ['.venv', 'venv'],
    known,
  });
  return [...(active ? [active] : []), await projectFinding(path, root, state, python)];
}

async function projectFinding(
  path: string,
  root: string,
  state: ReturnType<typeof venvState>,
  python: string | undefined,
): Promise<Finding> {
  if (state.kind === 'missing')
    return ok(
      `the project ${root} has no venv yet: pip-guard makes ${path} on the first install pip refuses`,
    );
  if (state.kind === 'incomplete')
    return note(`${path} is a creation of pip-guard's that was interrupted: the next install makes it again`);
  if (state.kind === 'broken')
    return problem(`the project's venv ${path} is broken: ${state.problem}`, brokenFix(path, python));
  const shipped = state.provenance ? 'no' : await shippedBy(path);
  if (shipped === 'yes') {
    return problem(
      `the project's venv ${path} is committed to its git repository, so its pip would run somebody else's code`,
      `take it out of git (\`git rm -r --cached ${shellQuote(path)}\`, and add it to .gitignore), then recreate it: \`${shellQuote(python ?? 'python3')} -m venv --clear ${shellQuote(path)}\``,
    );
  }
  if (shipped !== 'no') {
    const vetting = vettingProblem(path, shipped);
    return problem(`the project's venv ${path} is not used: ${vetting.problem}`, vetting.fix);
  }
  return ok(`the project's venv ${path} is healthy`);
}
