// PATH lookups that skip pip-guard's own shim directories, as the shims themselves do.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env.js';

// The file `pip-guard setup` leaves in each shim directory; shims skip directories that have it.
export const SHIM_DIR_MARKER = '.pip-guard-shims';

export const isShimDir = (dir: string) => existsSync(join(dir, SHIM_DIR_MARKER));

export function pathDirs(env: Env): string[] {
  return (env.PATH ?? '').split(':').map((dir) => dir || '.');
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// The first `name` on PATH outside pip-guard's shim directories (and not `skip`ped).
export function which(
  name: string,
  env: Env,
  skip: (file: string) => boolean = () => false,
): string | undefined {
  for (const dir of pathDirs(env)) {
    if (isShimDir(dir)) continue;
    const file = join(dir, name);
    if (isExecutableFile(file) && !skip(file)) return file;
  }
  return undefined;
}
