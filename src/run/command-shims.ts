// The commands of a project's venv, by name from anywhere in the project (a script, a Makefile):
// after pip installed into a venv pip-guard vetted, each command in its bin/ gets a shim in the
// shim directory (shims/command.sh), as pyenv's rehash does, and pip-guard lists the project for
// the shim's "not found" elsewhere (facts/records.ts). A shim never stands for pip-guard's own
// names, nor in place of a file of somebody else's.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { isExecutableFile, replaceFile, statOf } from '../base/files.js';
import { ownStateDir, writeOwnFile } from '../base/own-files.js';
import { VERSION } from '../base/version.js';
import { commandRecordPath, parseRecord, renderRecord } from '../facts/records.js';
import { isCommandShim } from '../facts/script-shims.js';
import { SELF_NAME } from '../install/self-install.js';
import { readManifest, renderCommandShim } from '../install/shims.js';

// What a venv's bin/ holds that is no command of a package: its Python, pip, the activate scripts.
const VENV_OWN = /^(python[\d.]*|pip[\d.]*|activate.*|Activate\.ps1|deactivate)$/;

// The commands in the venv's bin/ (executable files, its own aside).
export function venvCommands(venv: string): string[] {
  const bin = join(venv, 'bin');
  try {
    return readdirSync(bin)
      .filter((name) => !VENV_OWN.test(name) && !name.startsWith('.') && isExecutableFile(join(bin, name)))
      .sort();
  } catch {
    return [];
  }
}

// Adds the project to the list of those whose venvs have the command NAME.
function listProject(env: Env, name: string, root: string, venv: string): void {
  const file = commandRecordPath(env, name);
  let fields: [string, string][] = [];
  try {
    fields = parseRecord(readFileSync(file, 'utf8')) ?? [];
  } catch {}
  if (fields.some(([key, value], i) => key === 'root' && value === root && fields[i + 1]?.[1] === venv))
    return;
  writeOwnFile(file, renderRecord([...fields, ['root', root], ['venv', venv]]));
}

// Writes the shims of the venv's commands into DIR (only those missing), and lists the project
// for each; returns the commands that have a shim there now.
export function writeCommandShims(dir: string, venv: string, root: string, env: Env): string[] {
  const manifest = readManifest(dir);
  if (!manifest || manifest.python === false || !ownStateDir(env, 'commands')) return [];
  const ours = new Set([SELF_NAME, ...manifest.names]);
  const text = renderCommandShim(VERSION);
  const shimmed: string[] = [];
  for (const name of venvCommands(venv)) {
    const file = join(dir, name);
    if (ours.has(name)) continue;
    try {
      if (statOf(file, true) && !isCommandShim(file)) continue;
      if (!statOf(file) || readFileSync(file, 'utf8') !== text)
        replaceFile(file, (temporary) => writeFileSync(temporary, text), 0o755);
      listProject(env, name, root, venv);
      shimmed.push(name);
    } catch {
      // Without its shim the command only needs its path, as before.
    }
  }
  return shimmed;
}
