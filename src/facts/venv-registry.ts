// What pip-guard knows about the venvs it made or has checked, kept in its state directory:
// a marker inside a venv could be planted by a repository, a record here cannot. A record
// holds for the directory it was made for (same inode), not for whatever takes its path later.
// Read here; run/venv-records.ts writes them.
import { readdirSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import type { Env } from '../base/env.js';
import type { Problem } from '../base/errors.js';
import { statOf } from '../base/files.js';
import { homeStateDir, ownStateDir, readOwnJson } from '../base/own-files.js';
import { shellQuote } from '../base/shell.js';
import type { VenvTarget } from './project.js';

// creating: pip-guard made the directory and `python -m venv` has not finished (an
// interrupted creation, which pip-guard may remove and make again); created: pip-guard made it;
// accepted: somebody else made it, and pip-guard checked it is not a repository's own.
export type Provenance = 'creating' | 'created' | 'accepted';

export interface VenvRecord {
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
export const recordFile = (env: Env, path: string) => {
  const name = `${recordName(path)}.json`;
  return ownStateDir(env, 'venvs', name) ?? homeStateDir('venvs', name);
};
// Where the state directory is nobody's to write, the records of this call.
export const inMemory = new Map<string, VenvRecord>();

// The directory itself: an inode number is reused once freed, its birth time is not.
export const identity = (path: string) => {
  const stat = statOf(path);
  return stat && { dev: stat.dev, ino: stat.ino, born: stat.birthtimeMs };
};

export function provenanceOf(env: Env, path: string): Provenance | undefined {
  const file = recordFile(env, path);
  const record = file ? readOwnJson<VenvRecord>(file) : inMemory.get(path);
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

// Whether the git repository around a venv ships it, read from its index (git-repository.ts,
// which runs nothing): 'yes' (its pip would be somebody else's code), 'no' (also outside any
// repository), or why pip-guard cannot tell.
// Loaded here: reading an index (and checking its checksum: node:crypto) is for a venv pip-guard
// has not seen, not for every call.
export async function shippedBy(path: string): Promise<'yes' | 'no' | Problem> {
  const [{ trackedPaths }, { tracks }] = await Promise.all([
    import('./git-repository.js'),
    import('./git-index.js'),
  ]);
  const tracked = trackedPaths(dirname(path));
  if (!tracked) return 'no';
  if ('problem' in tracked) return tracked;
  const answer = tracks(tracked.paths, relative(tracked.top, path).split(sep).join('/'));
  if (answer !== 'maybe') return answer;
  return {
    problem: `it is inside a directory that the repository's sparse index lists as a whole, not file by file`,
  };
}

// A project venv that pip-guard neither made nor has seen before.
export const unseen = (venv: VenvTarget) =>
  venv.origin === 'project' &&
  venv.state.kind === 'valid' &&
  !venv.state.provenance &&
  venv.root !== undefined;

// What makes a venv the vetting refused unusable, and the way out, for a paragraph.
export function vettingProblem(path: string, shipped: 'yes' | Problem): { problem: string; fix: string } {
  const away = `move it away, and pip-guard makes a venv of its own there at the next install`;
  if (shipped === 'yes') {
    return {
      problem:
        "it is committed to this repository, so running its pip, or anything in its bin/, would run somebody else's code",
      fix: `${away}; or, where the repository should not ship it, take it out (\`git rm -r --cached ${shellQuote(path)}\`) and recreate it (\`python3 -m venv --clear ${shellQuote(path)}\`)`,
    };
  }
  return {
    problem: `pip-guard could not check whether this repository ships it (${shipped.problem}), and does not run what a repository may have put there`,
    fix: `repair the repository (\`git status\` says what is wrong with it), or ${away}`,
  };
}

// A project venv that pip-guard neither made nor has seen before, checked: one that the
// repository ships is somebody else's code (its pip, its bin/ on PATH), and so is one pip-guard
// cannot check; neither is usable. Reads only: the repository's index.
export async function vetted(venv: VenvTarget): Promise<VenvTarget> {
  if (!unseen(venv)) return venv;
  const shipped = await shippedBy(venv.path);
  if (shipped === 'no') return venv;
  return { ...venv, state: { kind: 'broken', ...vettingProblem(venv.path, shipped) } };
}
