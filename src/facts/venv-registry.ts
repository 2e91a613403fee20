// What pip-guard knows about the venvs it made or has checked, kept in its state directory:
// a marker inside a venv could be planted by a repository, a record here cannot. A record
// holds for the directory it was made for (same inode), not for whatever takes its path later.
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Env } from '../base/env.js';
import { unwritableDir } from '../base/errors.js';
import { statOf } from '../base/files.js';
import { homeStateDir, ownStateDir, readOwnJson, writeOwnFile } from '../base/own-files.js';
import type { VenvTarget } from './project.js';

// creating: pip-guard made the directory and `python -m venv` has not finished (an
// interrupted creation, which pip-guard may remove and make again); created: pip-guard made it;
// accepted: somebody else made it, and pip-guard checked it is not a repository's own.
export type Provenance = 'creating' | 'created' | 'accepted';

interface Record {
  path: string;
  // null: recorded before pip-guard made the directory.
  dev: number | null;
  ino: number | null;
  born: number | null;
  provenance: Provenance;
}

// A record's file name from its path: FNV-1a, twice over with different offsets (64 bits). Not
// node:crypto, which every guarded call would otherwise load for this alone; a clash only costs
// a record, since each holds its path and is checked against it.
function recordName(path: string): string {
  let [a, b] = [0x811c9dc5, 0x01000193 ^ 0x9e3779b9];
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

// In the state directory, when it is this user's (own-files.ts); where it is another user's (sudo
// -E), in this user's own home's, so that a second pip-guard knows the first's creation while it
// waits for it (lock.ts); else, for this call, in memory.
const recordFile = (env: Env, path: string) => {
  const name = `${recordName(path)}.json`;
  return ownStateDir(env, 'venvs', name) ?? homeStateDir('venvs', name);
};
const inMemory = new Map<string, Record>();

// The directory itself: an inode number is reused once freed, its birth time is not.
const identity = (path: string) => {
  const stat = statOf(path);
  return stat && { dev: stat.dev, ino: stat.ino, born: stat.birthtimeMs };
};

export function provenanceOf(env: Env, path: string): Provenance | undefined {
  const file = recordFile(env, path);
  const record = file ? readOwnJson<Record>(file) : inMemory.get(path);
  if (record?.path !== path) return undefined;
  try {
    // Recorded just before pip-guard's mkdir: an interruption right then leaves an empty
    // directory (pip-guard's), or nothing; anything with content is somebody else's.
    if (record.ino === null) return readdirSync(path).length === 0 ? 'creating' : undefined;
    const now = identity(path);
    const same = now?.dev === record.dev && now.ino === record.ino && now.born === record.born;
    return same ? record.provenance : undefined;
  } catch {
    return undefined;
  }
}

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

// A venv committed to the project's repository is somebody else's code: running its pip would
// run it. (git missing, or no repository: nothing is committed.)
export async function isCommitted(path: string, root: string): Promise<boolean> {
  const { capture } = await import('../base/process.js');
  const result = await capture('git', ['-C', root, 'ls-files', '--', relative(root, path)]).catch(
    () => undefined,
  );
  return result?.code === 0 && result.stdout.trim() !== '';
}

// A project venv that pip-guard neither made nor has seen before.
export const unseen = (venv: VenvTarget) =>
  venv.origin === 'project' &&
  venv.state.kind === 'valid' &&
  !venv.state.provenance &&
  venv.root !== undefined;

// A project venv that pip-guard neither made nor has seen before, checked: one that the
// repository ships is somebody else's code (its pip, its bin/ on PATH), so it is not usable.
// Reads only: git ls-files.
export async function vetted(venv: VenvTarget): Promise<VenvTarget> {
  if (!unseen(venv) || !(await isCommitted(venv.path, venv.root as string))) return venv;
  const problem =
    "it is committed to this repository, so running its pip, or anything in its bin/, would run somebody else's code";
  return { ...venv, state: { kind: 'broken', problem } };
}
