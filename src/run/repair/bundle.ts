// Writing a repair's restore bundle (facts/repair-bundles.ts reads it): the directory, made
// before anything is moved; each package rebuilt from its installed files (rewheel.py); the
// manifest, written whole; and the journal, one event a line, each on disk before the step it
// announces goes on.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Env } from '../../base/env.js';
import { UserError, unwritableDir } from '../../base/errors.js';
import { statOf } from '../../base/files.js';
import { isOwn, ownDataDir, writeOwnFile } from '../../base/own-files.js';
import { capture } from '../../base/process.js';
import { bundlesDir, type JournalEvent, type Manifest, readBundle } from '../../facts/repair-bundles.js';
import type { Scheme } from '../../facts/site-probe.js';
import REWHEEL from './rewheel.py';

// Distributive, so that each kind of event keeps its own fields.
type Event = JournalEvent extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;

// A name that sorts by time: 20261206-185201 (UTC), with -2, -3… when taken.
const stamp = (now: Date) => now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

// Bundles that a repair stopped while writing, before it moved anything (no journal saying it was
// bundled): pip-guard's own, and of no use. Called under the repair lock, so none is being written.
function dropUnfinishedWrites(top: string): void {
  let names: string[];
  try {
    names = readdirSync(top);
  } catch {
    return;
  }
  for (const name of names.filter((n) => /^\d{8}-\d{6}(-\d+)?$/.test(n))) {
    const dir = join(top, name);
    const bundle = readBundle(dir);
    const writing =
      'problem' in bundle ? isOwn(statOf(dir, true)) && onlyParts(dir) : bundle.state === 'building';
    if (writing) dropBundle(dir);
  }
}

// A directory that holds nothing but what createBundle and rebuild write before the manifest.
function onlyParts(dir: string): boolean {
  try {
    return readdirSync(dir).every((entry) => entry === 'wheels' || entry === 'saved');
  } catch {
    return false;
  }
}

// Makes a new bundle directory under the data directory, only this user's.
export function createBundle(env: Env, now = new Date()): string {
  if (!ownDataDir(env)) {
    throw new UserError(
      `${bundlesDir(env)} is not yours (its data directory belongs to another user, as under \`sudo -E\`), and ` +
        'pip-guard keeps restore bundles only where nobody else can change them. Nothing was changed. ' +
        'Run pip-guard repair with your own HOME (plain `sudo`, not `sudo -E`), or set XDG_DATA_HOME to a directory of yours.',
    );
  }
  const top = bundlesDir(env);
  const cannot = (error: unknown) =>
    unwritableDir(
      top,
      'its restore bundles',
      'XDG_DATA_HOME',
      error,
      'nothing was changed',
      'run pip-guard repair again',
    );
  try {
    mkdirSync(top, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw cannot(error);
  }
  dropUnfinishedWrites(top);
  for (let n = 1; ; n++) {
    const dir = join(top, n === 1 ? stamp(now) : `${stamp(now)}-${n}`);
    try {
      mkdirSync(dir, { mode: 0o700 });
      mkdirSync(join(dir, 'wheels'), { mode: 0o700 });
      mkdirSync(join(dir, 'saved'), { mode: 0o700 });
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannot(error);
    }
  }
}

// A bundle that was being written when it stopped, before anything moved: pip-guard's own.
export const dropBundle = (dir: string) => rmSync(dir, { recursive: true, force: true });

export const writeManifest = (dir: string, manifest: Manifest) =>
  writeOwnFile(join(dir, 'bundle.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// One event, on disk before the caller goes on (a kill -9 right after still finds it).
export function journal(dir: string, event: Event): void {
  const fd = openSync(join(dir, 'journal'), 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface RebuildJob {
  distInfo: string;
  scheme: Scheme | null;
  scripts: string[];
}

export type Rebuilt =
  | { distInfo: string; wheel: string; wheelSha256: string; saved: string; savedSha256: string }
  | { distInfo: string; problem: string };

// Rebuilds the packages of one Python into the bundle, with that Python (stdlib only: -I -S -B,
// so that no .pth file of the site directories runs). Paths come back relative to the bundle.
export async function rebuild(
  dir: string,
  python: string,
  jobs: readonly RebuildJob[],
  env: Env,
): Promise<Rebuilt[]> {
  if (jobs.length === 0) return [];
  const out = { wheels: join(dir, 'wheels'), saved: join(dir, 'saved') };
  const argument = JSON.stringify({ packages: jobs.map((job) => ({ ...job, ...out })) });
  const result = await capture(python, ['-I', '-S', '-B', '-c', REWHEEL, argument], env, true);
  let answer: Rebuilt[];
  try {
    answer = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as Rebuilt[];
  } catch {
    const said = result.stderr.trim().split('\n').pop() || `exit code ${result.code}`;
    return jobs.map((job) => ({
      distInfo: job.distInfo,
      problem: `${python} could not rebuild it (${said})`,
    }));
  }
  return answer.map((r) =>
    'problem' in r ? r : { ...r, wheel: relative(dir, r.wheel), saved: relative(dir, r.saved) },
  );
}
