// Reading pip-guard's own small files (records, caches, manifests) and others' metadata,
// where a file that is missing or unreadable simply means "nothing recorded"; and why a path
// cannot be written, in words for a paragraph; writing one whole.
import {
  accessSync,
  chmodSync,
  constants,
  lstatSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

// The parsed JSON in `file`, or undefined when it is missing or not JSON.
export function readJson<T = unknown>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

// A path's stat (lstat with `link`), or undefined when it is not there or cannot be read.
export function statOf(path: string, link = false): Stats | undefined {
  try {
    return link ? lstatSync(path) : statSync(path);
  } catch {
    return undefined;
  }
}

// `path` with symlinks resolved as far as it exists (the rest as written).
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

// The first part of `path`, itself or above it, that is a file where a directory should be.
export function fileInTheWay(path: string): string | undefined {
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    const stat = statOf(dir);
    if (stat) return stat.isDirectory() ? undefined : dir;
  }
  return undefined;
}

const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'a read-only file system',
  EISDIR: 'a directory where a file should be',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
};

// Why a file operation on `path` failed, for a paragraph: the code, and in words what it means
// (for a path through a file, which file: mkdir -p says EEXIST there).
export function whyNot(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code) return (error as Error).message;
  const file = code === 'ENOTDIR' || code === 'EEXIST' ? fileInTheWay(path) : undefined;
  const words = file ? `${file} is a file, not a directory` : WORDS[code];
  return words ? `${code}: ${words}` : code;
}

// Why this user cannot write into DIR (or make it), if they cannot: the directory it would be
// made in is a file, or may not be written (access(2) says so for root too, on a read-only
// mount or an immutable directory).
export function writeProblem(dir: string): string | undefined {
  let at = dir;
  while (!statOf(at) && dirname(at) !== at) at = dirname(at);
  if (!statOf(at)?.isDirectory()) return `ENOTDIR: ${at} is a file, not a directory`;
  return accessProblem(at);
}

// Why this user cannot write the file or directory at PATH, if they cannot.
export function accessProblem(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (error) {
    return whyNot(error, path);
  }
}

// Why this user cannot write FILE, or make it where it does not exist yet, if they cannot.
export const fileWriteProblem = (file: string) =>
  statOf(file) ? accessProblem(file) : writeProblem(dirname(file));

// Whether FILE is a regular file this user may execute.
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// The fields of /proc/PID/stat after the command's name (state, ppid, pgrp, session, tty_nr,
// tpgid, …), undefined where there is no such process or no /proc (not Linux). The name sits in
// parentheses and may hold spaces and parentheses itself: the fields start after the last ')'.
export function procStat(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

// Writes FILE whole through a temporary file and a rename: nothing ever runs a half-written shim,
// and a running pip-guard binary keeps its old file (writing into it fails with ETXTBSY).
export function replaceFile(file: string, fill: (temporary: string) => void, mode: number): void {
  // Named by the process, so that two pip-guards writing one file at once do not share it.
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.pip-guard-new`);
  try {
    fill(temporary);
    chmodSync(temporary, mode);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
