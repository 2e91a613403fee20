// pip-guard itself in the shim directory, so that the one PATH line that puts the shims first
// puts `pip-guard` on PATH too: a copy of the single executable, or a launcher for the bundle.
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import template from '../../shims/pip-guard.sh';
import { bun } from '../base/bun.js';
import { replaceFile } from '../base/files.js';
import { shellQuote } from '../base/shell.js';
import { headOf } from '../facts/path-search.js';

export const SELF_NAME = 'pip-guard';

// The line every launcher carries, by which setup and teardown know it for their own.
const LAUNCHER_SIGNATURE = '# pip-guard launcher';

// How this pip-guard runs: as the single executable, or as this Node with this bundle.
export type Running = { kind: 'binary'; binary: string } | { kind: 'bundle'; node: string; bundle: string };

export interface SelfRecord {
  kind: 'binary' | 'launcher';
  // What setup wrote, so that teardown removes the file only while it is still that.
  sha256: string;
}

// A program Bun compiled is the binary itself (process.execPath); its argv[1] is a path inside
// it (/$bunfs/root/…), not a file. The bundle run by `bun` rather than Node is a bundle too.
export function runningAs(): Running {
  if (bun?.isStandaloneExecutable) return { kind: 'binary', binary: process.execPath };
  return { kind: 'bundle', node: process.execPath, bundle: realpathSync(process.argv[1] as string) };
}

// The words that start this pip-guard.
export const commandOf = (running: Running) =>
  running.kind === 'binary' ? [running.binary] : [running.node, running.bundle];

// The command line that starts this pip-guard, for messages (`sudo … setup --system`).
export const invocation = (running: Running) => commandOf(running).map(shellQuote).join(' ');

// What the shims run: the binary's copy in DIR (so deleting the download breaks nothing), or
// this Node with this bundle directly (a launcher in between would cost every call an exec).
export const shimCommand = (running: Running, dir: string) =>
  running.kind === 'binary' ? [join(dir, SELF_NAME)] : [running.node, running.bundle];

const renderLauncher = (version: string, node: string, bundle: string) =>
  template.replaceAll('@VERSION@', version).replace('@RUN@', [node, bundle].map(shellQuote).join(' '));

// sha256 of a file, read in pieces (the binary is about 100 MB).
function sha256Of(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

const sameFile = (a: string, b: string) => {
  const [x, y] = [statSync(a, { throwIfNoEntry: false }), statSync(b, { throwIfNoEntry: false })];
  return Boolean(x && y && x.dev === y.dev && x.ino === y.ino);
};

// Whether FILE (DIR/pip-guard) is pip-guard's to replace or remove: a launcher, the file setup
// recorded, or a copy of the very binary that runs. A symlink or anything else is somebody else's.
export function isOwnSelf(file: string, recorded: SelfRecord | undefined, running?: Running): boolean {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return false;
  if (headOf(file).includes(LAUNCHER_SIGNATURE)) return true;
  const hash = sha256Of(file);
  if (hash === recorded?.sha256) return true;
  return (
    running?.kind === 'binary' &&
    statSync(running.binary).size === stat.size &&
    sha256Of(running.binary) === hash
  );
}

// Puts pip-guard into DIR (callers have checked that any file there is pip-guard's own).
export function installSelf(
  dir: string,
  running: Running,
  version: string,
): { record: SelfRecord; written: boolean } {
  const file = join(dir, SELF_NAME);
  if (running.kind === 'bundle') {
    const text = renderLauncher(version, running.node, running.bundle);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const same =
      lstatSync(file, { throwIfNoEntry: false })?.size === text.length && readFileSync(file, 'utf8') === text;
    if (!same) replaceFile(file, (temporary) => writeFileSync(temporary, text), 0o755);
    return { record: { kind: 'launcher', sha256 }, written: !same };
  }
  // A copy, not a symlink, as rustup's and uv's installers copy themselves: every pip call runs
  // through it, so deleting or moving the download (a tarball unpacked in ~/Downloads or /tmp)
  // must not break pip; and under --system every user must be able to run it, which a link into
  // root's home does not allow. It costs the binary's size on disk once more. Running the copy's
  // own `setup` again leaves it in place.
  if (sameFile(running.binary, file))
    return { record: { kind: 'binary', sha256: sha256Of(file) }, written: false };
  const sha256 = sha256Of(running.binary);
  const same =
    statSync(file, { throwIfNoEntry: false })?.size === statSync(running.binary).size &&
    sha256Of(file) === sha256;
  if (!same) replaceFile(file, (temporary) => copyFileSync(running.binary, temporary), 0o755);
  return { record: { kind: 'binary', sha256 }, written: !same };
}

// Removes DIR/pip-guard if it is still pip-guard's: 'removed', 'absent', or 'kept' (changed since).
export function removeSelf(dir: string, recorded: SelfRecord | undefined): 'removed' | 'absent' | 'kept' {
  const file = join(dir, SELF_NAME);
  if (!lstatSync(file, { throwIfNoEntry: false })) return 'absent';
  if (!isOwnSelf(file, recorded)) return 'kept';
  rmSync(file);
  return 'removed';
}
