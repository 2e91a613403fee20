// Which venv is a project's, for the prompt hook (shims/hook.sh): the hook activates only a venv
// that pip-guard has vetted, one it made or has run pip in after checking that the repository
// does not ship it (venv-registry.ts), since activating puts the venv's bin/ first on PATH and a
// cloned repository's .venv could hold any program. pip-guard leaves the answer in its state
// directory, one file per project root (named by the root with % and / escaped, so that the
// shell builds the name with its own expansions) holding the venv's path; the hook reads it with
// `read`, and only a file the user owns. The root as the shell's PWD spells it (through a
// symlink) gets its record too, since the hook walks PWD as written.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Env, homeOf, stateDir } from '../base/env.js';
import { realPath } from '../base/files.js';
import { ownStateDir, writeOwnFile } from '../base/own-files.js';
import { findProjectRoot, type VenvTarget } from '../facts/project.js';
import { provenanceOf } from '../facts/venv-registry.js';

export const projectRecord = (env: Env, root: string) =>
  join(stateDir(env), 'projects', root.replaceAll('%', '%25').replaceAll('/', '%2F'));

// The project root as the shell that started pip-guard spells it, when PWD is the working
// directory through a symlink and leads to the same root.
export function spelledRoot(env: Env, cwd: string, root: string): string | undefined {
  const pwd = env.PWD;
  if (!pwd || pwd === cwd || !pwd.startsWith('/') || realPath(pwd) !== realPath(cwd)) return undefined;
  const spelled = findProjectRoot(pwd, homeOf(env));
  return spelled && spelled !== root && realPath(spelled) === realPath(root) ? spelled : undefined;
}

// Writes, replaces or removes the records of the project around CWD: the venv while pip-guard has
// vetted it, none otherwise. A record that cannot be written only leaves the hook without it.
// Not in a state directory of somebody else's (own-files.ts): their hook is theirs to feed.
export function rememberProjectVenv(venv: VenvTarget, env: Env, cwd: string): void {
  if (venv.origin !== 'project' || !venv.root || !ownStateDir(env, 'projects')) return;
  const vetted = venv.state.kind !== 'broken' && provenanceOf(env, venv.path) !== undefined;
  const roots = [venv.root, spelledRoot(env, cwd, venv.root)].filter((root) => root !== undefined);
  for (const root of roots) {
    const file = projectRecord(env, root);
    try {
      if (!vetted) rmSync(file, { force: true });
      else if (readText(file) !== `${venv.path}\n`) writeOwnFile(file, `${venv.path}\n`);
    } catch {}
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
