// One pip-guard at a time per venv path: a lock held while the venv is made and its first
// install runs. proper-lockfile takes it (a directory made atomically, kept fresh while held);
// the holder's pid beside it lets a waiter see at once that the holder was killed, rather than
// after the stale timeout, and tell the user what it waits for.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, type Env } from '../base/env.js';
import { say, UserError, unwritableDir } from '../base/errors.js';
import { procStat, statOf } from '../base/files.js';
import {
  DIR_MODE,
  FILE_MODE,
  homeCacheDir,
  isOwn,
  keeperOf,
  ownCacheDir,
  passwdHome,
  readOwnJson,
  writeOwnFile,
} from '../base/own-files.js';
import { isTerminal } from '../base/terminal.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A zombie (killed, not yet reaped by its parent) holds nothing either.
export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Without /proc it counts as alive, as kill(0) says.
  return procStat(pid)?.[0] !== 'Z';
};

// The holder's pid and the lock's identity, if the lock is there and says who holds it.
// The pid sits beside the lock directory: a file inside would change the directory's mtime,
// which proper-lockfile takes for somebody else's hand on its lock.
function holderOf(lockDir: string): { pid: number; stamp: string } | undefined {
  try {
    const pid = Number(readOwnJson(`${lockDir}.pid`));
    const stat = statSync(lockDir);
    return Number.isInteger(pid) && pid > 0 ? { pid, stamp: `${stat.ino}:${stat.mtimeMs}` } : undefined;
  } catch {
    return undefined;
  }
}

// A lock whose holder is gone: removed, unless another pip-guard took it meanwhile.
function breakIfDead(lockDir: string): boolean {
  const holder = holderOf(lockDir);
  if (!holder || isAlive(holder.pid)) return false;
  if (holderOf(lockDir)?.stamp !== holder.stamp) return false;
  rmSync(lockDir, { recursive: true, force: true });
  rmSync(`${lockDir}.pid`, { force: true });
  return true;
}

// A lock that is not a directory, or not this user's, is none that a pip-guard of this user
// holds: the cache is pip-guard's to clear.
function clearedNonLock(lockDir: string): boolean {
  const stat = statOf(lockDir, true);
  if (!stat || (stat.isDirectory() && isOwn(stat))) return false;
  try {
    rmSync(lockDir, { force: true, recursive: true });
    return true;
  } catch {
    return false;
  }
}

// Where the locks are: in pip-guard's cache; where that is another user's (sudo -E), in the cache
// of this user's own home, by the password file (no lock in their cache, which they could hold
// forever); or, where neither is this user's, nowhere, and pip-guard says so.
function locksDir(env: Env, key: string): string | undefined {
  const dir = ownCacheDir(env, 'locks') ?? homeCacheDir('locks');
  if (dir) return dir;
  const home = passwdHome();
  const own = home
    ? `${join(home, '.cache', 'pip-guard')}, in your own home by /etc/passwd, is not yours either`
    : 'you have no home in /etc/passwd';
  say(
    `pip-guard takes no lock while it makes ${key}: it keeps its locks in ${cacheDir(env)}, which belongs to another ` +
      `user (uid ${keeperOf(cacheDir(env))}), not to you, and ${own}; another pip-guard making this venv at the same time ` +
      'could spoil it (under sudo: leave out -E).',
  );
  return undefined;
}

// Takes the lock for `key` (a venv path), saying once what it waits for; returns the release.
export async function lockFor(env: Env, key: string, what: string): Promise<() => Promise<void>> {
  const dir = locksDir(env, key);
  if (!dir) return async () => {};
  const target = join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.target`);
  const cannot = (error: unknown) =>
    unwritableDir(
      dir,
      'the locks that keep two installs from making one venv at once',
      'XDG_CACHE_HOME',
      error,
    );
  try {
    writeOwnFile(target, key);
  } catch (error) {
    throw cannot(error);
  }
  const lockDir = `${target}.lock`;
  // Loaded here: only a call that creates a venv needs it.
  const { default: lockfile } = await import('proper-lockfile');
  const started = Date.now();
  let told = false;
  for (;;) {
    if (clearedNonLock(lockDir)) continue;
    try {
      const release = await lockfile.lock(target, {
        realpath: false,
        stale: 10_000,
        retries: 0,
        onCompromised: () => {},
        // The lock directory, without group or other write permission whatever the umask.
        fs: { ...fs, mkdir: (path: string, done: () => void) => fs.mkdir(path, DIR_MODE, done) },
      });
      const unlock = async () => {
        rmSync(`${lockDir}.pid`, { force: true, recursive: true });
        await release().catch(() => {});
      };
      try {
        writeFileSync(`${lockDir}.pid`, String(process.pid), { mode: FILE_MODE });
      } catch (error) {
        await unlock();
        throw cannot(error);
      }
      return unlock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED')
        throw error instanceof UserError ? error : cannot(error);
    }
    if (breakIfDead(lockDir)) continue;
    // Said at once on a terminal; in a script's log only once the wait is noticeable.
    if (!told && (isTerminal(2) || Date.now() - started > 1000)) {
      const pid = holderOf(lockDir)?.pid;
      say(`waiting for another pip-guard${pid ? ` (pid ${pid})` : ''} that is ${what}`);
      told = true;
    }
    await sleep(100);
  }
}
