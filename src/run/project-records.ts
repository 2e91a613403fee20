// Which venv is a project's, for pip-guard's shell code: the prompt hook (shims/hook.sh) and the
// python and command shims (shims/python.sh, shims/command.sh) use only a venv that pip-guard has
// vetted, one it made or has run pip in after checking that the repository does not ship it
// (venv-registry.ts), since they put the venv's bin/ first or run its Python, and a cloned
// repository's .venv could hold any program. pip-guard leaves the answer in its state directory
// as data (facts/records.ts), at the project root's own path under `projects/`; the shell code
// reads it with `read`, and only a file the user owns. The root as the shell's PWD spells it
// (through a symlink) gets its record too, since the shell code walks PWD as written.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Env, homeOf, stateDir } from '../base/env.js';
import { realPath } from '../base/files.js';
import { ownStateDir, writeOwnFile } from '../base/own-files.js';
import { findProjectRoot, type VenvTarget, venvState } from '../facts/project.js';
import { projectRecordPath, renderRecord } from '../facts/records.js';
import { provenanceOf } from '../facts/venv-registry.js';

// The root as the shell that started pip-guard spells it, when PWD is the working directory
// through a symlink and leads to the same root.
export function spelledRoot(env: Env, cwd: string, root: string): string | undefined {
  const pwd = env.PWD;
  if (!pwd || pwd === cwd || !pwd.startsWith('/') || realPath(pwd) !== realPath(cwd)) return undefined;
  const spelled = findProjectRoot(pwd, homeOf(env));
  return spelled && spelled !== root && realPath(spelled) === realPath(root) ? spelled : undefined;
}

// The record of the layout before the shims read records (one file per root, % and / escaped):
// replaced by the new one, so nothing stale is left.
const oldRecord = (env: Env, root: string) =>
  join(stateDir(env), 'projects', root.replaceAll('%', '%25').replaceAll('/', '%2F'));

// Writes, replaces or removes the records of the project around CWD: the venv while pip-guard has
// vetted it, none otherwise. A record that cannot be written only leaves the shell code without it.
// Not in a state directory of somebody else's (own-files.ts): their shell code is theirs to feed.
export function rememberProjectVenv(venv: VenvTarget, env: Env, cwd: string): void {
  if (venv.origin !== 'project' || !venv.root || !ownStateDir(env, 'projects')) return;
  // As the venv is now (pip-guard may just have made it); one vetting found unusable stays so.
  const now = venvState(venv.path, (path) => provenanceOf(env, path));
  const vetted = venv.state.kind !== 'broken' && now.kind === 'valid' && now.provenance !== undefined;
  const version = now.kind === 'valid' ? now.version : undefined;
  const text = renderRecord([['venv', venv.path], ...(version ? [['version', version] as const] : [])]);
  const roots = [venv.root, spelledRoot(env, cwd, venv.root)].filter((root) => root !== undefined);
  for (const root of roots) {
    const file = projectRecordPath(env, root);
    try {
      rmSync(oldRecord(env, root), { force: true });
      if (!vetted) rmSync(file, { force: true });
      else if (readText(file) !== text) writeOwnFile(file, text);
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
