// The directories and files `pip-guard setup` makes, made so that teardown can take exactly them
// away again: directories it created (parents included), files replaced whole.
import { chmodSync, existsSync, mkdirSync, realpathSync, rmdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

// Makes DIR and its missing parents; returns those it made, outermost first. Never writable by
// group or others, whatever the umask (they could put a pip of their own where the shims are);
// a MODE is set on each explicitly, since the umask would narrow what mkdir asks for.
export function makeDirs(dir: string, mode?: number): string[] {
  const first = mkdirSync(dir, { recursive: true, mode: mode ?? 0o755 });
  if (first === undefined) return [];
  const made = [dir];
  for (let at = dir; at !== first && dirname(at) !== at; ) {
    at = dirname(at);
    made.unshift(at);
  }
  if (mode !== undefined) for (const path of made) chmodSync(path, mode);
  return made;
}

// Removes the directories setup made, innermost first, while they are empty (rmdir refuses any
// other); one already gone is passed over. Returns those it removed.
export function removeMadeDirs(dirs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const dir of [...dirs].reverse()) {
    try {
      rmdirSync(dir);
      removed.push(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') break;
    }
  }
  return removed;
}

// The first path on the way to PATH that keeps other users (not the owner, not in its group) out:
// a directory above it they cannot search, or PATH itself without `bits` for them (0o004 read,
// 0o001 run or search). Undefined when they can use it.
export function keepsOthersOut(path: string, bits: number): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return path;
  }
  const above: string[] = [];
  for (let dir = dirname(real); !above.includes(dir); dir = dirname(dir)) above.unshift(dir);
  const blocker = above.find((dir) => (statSync(dir).mode & 0o001) === 0);
  if (blocker) return blocker;
  return (statSync(real).mode & bits) === bits ? undefined : real;
}

// DIR, or its nearest ancestor that exists (what setup will make DIR in).
export function nearestExisting(dir: string): string {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}
