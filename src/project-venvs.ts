// Which venv is a project's, for the prompt hook (shims/hook.sh), where the shell cannot tell
// by itself: a project whose config file may set venv.path. pip-guard, which has read that
// config, leaves the answer in its state directory, one file per project root, named by the
// root with % and / escaped (so the shell builds the name with its own expansions) and holding
// the venv's path; the hook reads it with `read`, and only a file the user owns.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Env, stateDir } from './env.js';
import type { Facts } from './plan.js';

export const projectRecord = (env: Env, root: string) =>
  join(stateDir(env), 'projects', root.replaceAll('%', '%25').replaceAll('/', '%2F'));

// The venv a project's record should name: where its config took part in choosing it (a project
// config file, or venv.path from anywhere); none where the hook's own rules find it.
export function recordedVenv(facts: Pick<Facts, 'venv' | 'config'>): string | undefined {
  const { venv, config } = facts;
  if (venv.origin !== 'project') return undefined;
  const configured = config.venvPath.value !== undefined || config.files.some((f) => f.kind === 'project');
  return configured ? venv.path : undefined;
}

// Writes, replaces or removes the record of the project the facts are about; a record that cannot
// be written only leaves the hook to its own rules (it then leaves such a project as it is).
export function rememberProjectVenv(facts: Pick<Facts, 'venv' | 'config'>, env: Env): void {
  const root = facts.venv.origin === 'project' ? facts.venv.root : undefined;
  if (!root) return;
  const file = projectRecord(env, root);
  const venv = recordedVenv(facts);
  try {
    if (venv === undefined) {
      rmSync(file, { force: true });
      return;
    }
    const text = `${venv}\n`;
    if (readText(file) === text) return;
    mkdirSync(join(stateDir(env), 'projects'), { recursive: true, mode: 0o755 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, file);
  } catch {}
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
