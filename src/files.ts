// Reading pip-guard's own small files (records, caches, manifests) and others' metadata,
// where a file that is missing or unreadable simply means "nothing recorded".
import { lstatSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
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
