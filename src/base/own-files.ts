// pip-guard's state and cache belong to the user running it. Under `sudo -E pip …` (or any run
// with another user's HOME or XDG_*) those directories are that user's, and a file there would
// decide what root runs: interpreter answers name the wheels a new venv is seeded from, venv
// records let pip-guard remove a directory, a forward fragment is sourced by the shim. As pip
// treats its cache (check_path_owner, pip/_internal/utils/filesystem.py: a cache root does not
// own is not used) and Git a repository (safe.directory), pip-guard uses such a directory only
// when it, or before it exists the nearest directory above it, belongs to the user running it
// (root included), and each file in it only when that file does too; what pip-guards must share
// (locks, venv records) goes to this user's own home by /etc/passwd then (homeCacheDir). What it
// writes there is never writable by group or others, whatever the umask (FILE_MODE, DIR_MODE).
import {
  closeSync,
  constants as fs,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir, dataDir, type Env, stateDir } from './env.js';
import { replaceFile, statOf } from './files.js';

export const FILE_MODE = 0o644;
export const DIR_MODE = 0o755;

// Whether a file or directory belongs to the user pip-guard runs as.
export const isOwn = (stat: Stats | undefined) => stat !== undefined && stat.uid === process.geteuid?.();

// Who owns DIR, or the nearest directory above it that exists (a symlink counts as its own).
export function keeperOf(dir: string): number | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const stat = statOf(at, true);
    if (stat) return stat.uid;
    if (dirname(at) === at) return undefined;
  }
}

// DIR when it is this user's to keep pip-guard's files in, else undefined.
const ownDir = (dir: string) => (keeperOf(dir) === process.geteuid?.() ? dir : undefined);

// pip-guard's cache and state directories, or a subdirectory: undefined when they are not this
// user's (then nothing is read there, and nothing written).
export const ownCacheDir = (env: Env, ...parts: string[]) =>
  ownDir(cacheDir(env)) && join(cacheDir(env), ...parts);
export const ownStateDir = (env: Env, ...parts: string[]) =>
  ownDir(stateDir(env)) && join(stateDir(env), ...parts);
export const ownDataDir = (env: Env, ...parts: string[]) =>
  ownDir(dataDir(env)) && join(dataDir(env), ...parts);

// This user's home by the password file (not HOME, which `sudo -E` keeps as another user's; Bun's
// os.userInfo() reads HOME too).
export function passwdHome(): string | undefined {
  const uid = String(process.geteuid?.());
  try {
    const entry = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[2] === uid);
    return entry?.[5] || undefined;
  } catch {
    return undefined;
  }
}

// pip-guard's cache and state in this user's own home by the password file, where the
// environment's are another user's (sudo -E): for what pip-guards running as this user must share
// whatever HOME says (the locks, and the records of the venvs they make), or undefined where that
// is not this user's either.
function homeDir(base: string[], parts: string[]): string | undefined {
  const home = passwdHome();
  const dir = home && join(home, ...base, 'pip-guard');
  return dir && ownDir(dir) && join(dir, ...parts);
}
export const homeCacheDir = (...parts: string[]) => homeDir(['.cache'], parts);
export const homeStateDir = (...parts: string[]) => homeDir(['.local', 'state'], parts);

// The parsed JSON in FILE when it is this user's file (asked of the file read, not of its path,
// which could be swapped in between); undefined when missing, somebody else's, or not JSON.
export function readOwnJson<T = unknown>(file: string): T | undefined {
  let fd: number;
  try {
    fd = openSync(file, fs.O_RDONLY | fs.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    return isOwn(fstatSync(fd)) ? (JSON.parse(readFileSync(fd, 'utf8')) as T) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

// Writes FILE whole (a temporary file renamed into place, so that no reader sees half of it, and
// a file of somebody else's there is replaced, not written into), its directories made as needed.
export function writeOwnFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: DIR_MODE });
  replaceFile(file, (temporary) => writeFileSync(temporary, text), FILE_MODE);
}
