// pip-guard itself in the shim directory, so that the one PATH line that puts the shims first
// puts `pip-guard` on PATH too: a copy of a release's single executable, or a launcher for what
// runs where it is (the bundle, npm's binary); and where this pip-guard came from.
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
import { basename, dirname, join, sep } from 'node:path';
import template from '../../shims/pip-guard.sh';
import { bun } from '../base/bun.js';
import { readJson, replaceFile, statOf } from '../base/files.js';
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
  // The checkout whose build setup copied (self-update leaves such a copy alone).
  checkout?: string;
}

// A program Bun compiled is the binary itself (process.execPath); its argv[1] is a path inside
// it (/$bunfs/root/…), not a file. The bundle run by `bun` rather than Node is a bundle too.
export function runningAs(): Running {
  if (bun?.isStandaloneExecutable) return { kind: 'binary', binary: process.execPath };
  return { kind: 'bundle', node: process.execPath, bundle: realpathSync(process.argv[1] as string) };
}

// Where this pip-guard came from, which says how to update it: npm (`npm update -g`), a
// checkout (a build of one: `git pull` and build again), or a release (its tarball, or the
// installer): self-update.
export type Origin = { kind: 'npm' } | { kind: 'checkout'; root: string } | { kind: 'release' };

// The binary of an npm platform package (@pip-guard/PLATFORM/pip-guard; scripts/npm-packages.mjs),
// or the bundle of the pip-guard package: npm put it there, and npm updates it.
const NPM_FILE = new RegExp(
  `${sep}node_modules${sep}(@pip-guard${sep}[^${sep}]+${sep}pip-guard|pip-guard${sep}dist${sep}pip-guard\\.cjs)$`,
);

export const isFromNpm = (running: Running) => NPM_FILE.test(commandOf(running).at(-1) as string);

// The checkout FILE was built in (its dist/), if it was: the directory above with pip-guard's
// package.json and sources.
export function checkoutOf(file: string): string | undefined {
  const dir = dirname(dirname(file));
  if (basename(dirname(file)) !== 'dist' || !statOf(join(dir, 'src', 'main.ts'))?.isFile()) return undefined;
  return readJson<{ name?: string }>(join(dir, 'package.json'))?.name === 'pip-guard' ? dir : undefined;
}

export function originOf(running: Running, recorded: SelfRecord | undefined): Origin {
  if (isFromNpm(running)) return { kind: 'npm' };
  const root = checkoutOf(commandOf(running).at(-1) as string) ?? recorded?.checkout;
  return root ? { kind: 'checkout', root } : { kind: 'release' };
}

// The words that start this pip-guard.
export const commandOf = (running: Running) =>
  running.kind === 'binary' ? [running.binary] : [running.node, running.bundle];

// The command line that starts this pip-guard, for messages (`sudo … setup --system`).
export const invocation = (running: Running) => commandOf(running).map(shellQuote).join(' ');

// npm's link to the package's launcher, which `npm install -g` puts into the prefix's bin/: that
// is /usr/local/bin, where setup --system writes, for Debian's npm and Node's own installers. It
// puts pip-guard on PATH already: setup from npm's pip-guard leaves it there, and teardown too.
export function isNpmLink(file: string): boolean {
  if (!lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) return false;
  try {
    return new RegExp(`${sep}node_modules${sep}pip-guard${sep}bin${sep}pip-guard$`).test(realpathSync(file));
  } catch {
    return false;
  }
}

// Whether setup copies this pip-guard into the shim directory: the binary, unless npm put it
// where it is (`npm update -g` replaces it there, and would leave a copy behind).
const isCopied = (running: Running): running is Extract<Running, { kind: 'binary' }> =>
  running.kind === 'binary' && !isFromNpm(running);

// What the shims run: the binary's copy in DIR (so deleting the download breaks nothing), or
// this pip-guard where it is, npm's binary or this Node with this bundle (a launcher in between
// would cost every call an exec).
export const shimCommand = (running: Running, dir: string) =>
  isCopied(running) ? [join(dir, SELF_NAME)] : commandOf(running);

const renderLauncher = (version: string, words: readonly string[]) =>
  template.replaceAll('@VERSION@', version).replace('@RUN@', words.map(shellQuote).join(' '));

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

// Puts pip-guard into DIR (callers have checked that any file there is pip-guard's own);
// `recorded`: what setup put there before.
export function installSelf(
  dir: string,
  running: Running,
  version: string,
  recorded?: SelfRecord,
): { record: SelfRecord | undefined; written: boolean } {
  const file = join(dir, SELF_NAME);
  if (isFromNpm(running) && isNpmLink(file)) return { record: undefined, written: false };
  if (!isCopied(running)) {
    const text = renderLauncher(version, commandOf(running));
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
  // own `setup` again leaves it in place (and what it was copied from, recorded).
  const { binary } = running;
  if (sameFile(binary, file)) {
    const from = recorded?.checkout ? { checkout: recorded.checkout } : {};
    return { record: { kind: 'binary', sha256: sha256Of(file), ...from }, written: false };
  }
  const checkout = checkoutOf(binary);
  const sha256 = sha256Of(binary);
  const same =
    statSync(file, { throwIfNoEntry: false })?.size === statSync(binary).size && sha256Of(file) === sha256;
  if (!same) replaceFile(file, (temporary) => copyFileSync(binary, temporary), 0o755);
  return { record: { kind: 'binary', sha256, ...(checkout ? { checkout } : {}) }, written: !same };
}

// Removes DIR/pip-guard if it is still pip-guard's: 'removed', 'absent', or 'kept' (changed since).
export function removeSelf(dir: string, recorded: SelfRecord | undefined): 'removed' | 'absent' | 'kept' {
  const file = join(dir, SELF_NAME);
  // npm's link is npm's to remove (npm uninstall -g), as setup did not write it.
  if (!lstatSync(file, { throwIfNoEntry: false }) || isNpmLink(file)) return 'absent';
  if (!isOwnSelf(file, recorded)) return 'kept';
  rmSync(file);
  return 'removed';
}
