// pip-guard's records for its shell code (the prompt hook, the python and command shims): data
// that sh reads with `read` and compares, never code it runs. A record is a first line naming
// the format, then fields, each a line "NAME COUNT" and COUNT lines of value: a path may hold
// any character but NUL, a newline included, and still reads back as it was.
// A project's record sits where its root's path leads under the state directory
// (`projects/home/me/app/.pip-guard-record`), so that the shims find it with one test of a file.
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { stateDir } from '../base/env.js';

export const RECORD_HEADER = 'pip-guard record 1';

// The record's file name in its project's directory under `projects/`.
export const RECORD_NAME = '.pip-guard-record';

export type Fields = readonly (readonly [name: string, value: string])[];

export function renderRecord(fields: Fields): string {
  const lines = [RECORD_HEADER];
  for (const [name, value] of fields) {
    const valueLines = value.split('\n');
    lines.push(`${name} ${valueLines.length}`, ...valueLines);
  }
  return `${lines.join('\n')}\n`;
}

// The fields of a record's text, as the shims read them; undefined when it is not one.
export function parseRecord(text: string): [string, string][] | undefined {
  const lines = text.split('\n');
  if (lines[0] !== RECORD_HEADER || lines.at(-1) !== '') return undefined;
  const fields: [string, string][] = [];
  for (let at = 1; at < lines.length - 1; ) {
    const match = /^(\S+) (\d+)$/.exec(lines[at] as string);
    const count = Number(match?.[2]);
    if (!match || count < 1 || at + count >= lines.length) return undefined;
    fields.push([match[1] as string, lines.slice(at + 1, at + 1 + count).join('\n')]);
    at += 1 + count;
  }
  return fields;
}

// Where the record of the project at ROOT (an absolute path) is.
export const projectRecordPath = (env: Env, root: string) =>
  join(stateDir(env), 'projects', root, RECORD_NAME);

// Where the projects whose venvs have the command NAME are listed, for its shim's "not found".
export const commandRecordPath = (env: Env, name: string) => join(stateDir(env), 'commands', name);

// A read-only command's answer in a project, for the shim of each name (pip, pip3, pip3.N), beside
// the project's record: `.pip-guard-route.pip`.
export const ROUTE_RECORD = '.pip-guard-route.';

// The commands the pip shim may answer from a project's route record (run/shim-records.ts).
export const READ_ONLY_COMMANDS: readonly string[] = ['list', 'show', 'freeze', 'check', 'inspect'];

// The environment variables that decide where pip's and pip-guard's files are and which venv is
// chosen: a record holds for the values they had when it was written.
export const SNAPSHOT_ENV = [
  'HOME',
  'XDG_CONFIG_HOME',
  'XDG_CONFIG_DIRS',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'PIP_CONFIG_FILE',
  'PIP_USER',
  'PIP_PATH',
  'PIP_ISOLATED',
  'PIP_REQUIRE_VIRTUALENV',
  'PYTHONPATH',
  'PYTHONNOUSERSITE',
  'PIP_GUARD_POLICY',
  'PIP_GUARD_CONFIG',
  'PIP_GUARD_SYSTEM_CONFIG_DIR',
  'PIP_GUARD_ALLOW_BREAK',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  '_PIP_GUARD_AUTO',
  '_PIP_GUARD_VENV',
] as const;

// The snapshot as the shim spells it: each value after its length in bytes, so that no value can
// pass for two.
export const snapshotOf = (env: Env) =>
  SNAPSHOT_ENV.map((name) => {
    const value = env[name] ?? '';
    return `${Buffer.byteLength(value)}:${value}`;
  }).join('|');

// The same, as sh expands it (dash counts bytes).
export const SNAPSHOT_SH = SNAPSHOT_ENV.map((name) => `\${#${name}}:\${${name}-}`).join('|');
