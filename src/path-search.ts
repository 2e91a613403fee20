// PATH lookups that skip pip-guard's own shims, as the shims themselves do.
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env.js';

// The file `pip-guard setup` leaves in each shim directory (its manifest).
export const SHIM_DIR_MARKER = '.pip-guard-shims';

// The line every shim carries, by which pip-guard tells its own files from anybody else's.
const SHIM_SIGNATURE = '# pip-guard shim';

export const isShimDir = (dir: string) => existsSync(join(dir, SHIM_DIR_MARKER));

// The first `bytes` bytes of a file as text ('' when unreadable): enough to tell pip-guard's own
// files by their signature without reading a 100 MB binary.
export function headOf(file: string, bytes = 512): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(bytes);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, bytes, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export const isShim = (file: string) => headOf(file).includes(SHIM_SIGNATURE);

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

// The first `name` on PATH that is not one of pip-guard's shims (and not `skip`ped). A shim
// directory is passed over only for its shims: /usr/local/bin (setup --system) holds real
// programs too.
export function which(
  name: string,
  env: Env,
  skip: (file: string) => boolean = () => false,
): string | undefined {
  for (const dir of pathDirs(env)) {
    const file = join(dir, name);
    if (!isExecutableFile(file) || skip(file)) continue;
    if (isShimDir(dir) && isShim(file)) continue;
    return file;
  }
  return undefined;
}
