// pip-guard's records of the venvs it made or checked (facts/venv-registry.ts reads them): written
// before and after it makes a directory, so that no moment leaves one of its own it would not
// know as such, and removed with the venv.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { unwritableDir } from '../base/errors.js';
import { writeOwnFile } from '../base/own-files.js';
import { identity, inMemory, type Provenance, recordFile } from '../facts/venv-registry.js';

// Records `path` as pip-guard's; before the directory exists, as about to be made by it.
export function remember(env: Env, path: string, provenance: Provenance): void {
  const record = { path, ...(identity(path) ?? { dev: null, ino: null, born: null }), provenance };
  const file = recordFile(env, path);
  if (!file) {
    inMemory.set(path, record);
    return;
  }
  try {
    writeOwnFile(file, `${JSON.stringify(record)}\n`);
  } catch (error) {
    throw unwritableDir(join(file, '..'), 'its records of the venvs it made', 'XDG_STATE_HOME', error);
  }
}

// Forgets `path`, as far as pip-guard can: a record it cannot remove (an immutable file, a
// read-only state directory) stays, and holds only for the directory it was made for.
export function forget(env: Env, path: string): void {
  inMemory.delete(path);
  const file = recordFile(env, path);
  try {
    if (file) rmSync(file, { force: true });
  } catch {}
}
