// PATH lookups that skip pip-guard's own shims, as the shims themselves do.
import { closeSync, existsSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { isExecutableFile } from '../base/files.js';
import { activatedBin } from './calling-shell.js';

// The file `pip-guard setup` leaves in each shim directory (its manifest).
export const SHIM_DIR_MARKER = '.pip-guard-shims';

// The line every shim carries, by which pip-guard tells its own files from anybody else's.
const SHIM_SIGNATURE = '# pip-guard shim';

export const isShimDir = (dir: string) => existsSync(join(dir, SHIM_DIR_MARKER));

// The first `bytes` bytes of a file as text (latin1: every byte as it is): enough for a #! line,
// or to tell pip-guard's own files by their signature without reading a 100 MB binary.
export function readHead(file: string, bytes = 1024, encoding: BufferEncoding = 'latin1'): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.toString(encoding, 0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

// readHead, or '' when the file cannot be read.
export function headOf(file: string): string {
  try {
    return readHead(file, 512);
  } catch {
    return '';
  }
}

export const isShim = (file: string) => headOf(file).includes(SHIM_SIGNATURE);

export function pathDirs(env: Env): string[] {
  return (env.PATH ?? '').split(':').map((dir) => dir || '.');
}

// Every file name in every PATH directory, in PATH's order (directories that cannot be read
// are passed over).
export function namesOnPath(env: Env): [dir: string, name: string][] {
  return pathDirs(env).flatMap((dir) => {
    try {
      return readdirSync(dir).map((name): [string, string] => [dir, name]);
    } catch {
      return [];
    }
  });
}

// The first `name` on PATH that is not one of pip-guard's shims (and not `skip`ped), passing over
// the bin/ of a venv pip-guard activated. A shim directory is passed over only for its shims:
// /usr/local/bin (setup --system) holds real programs too.
export function which(
  name: string,
  env: Env,
  skip: (file: string) => boolean = () => false,
): string | undefined {
  const activated = activatedBin(env);
  for (const dir of pathDirs(env)) {
    if (activated && dir === activated) continue;
    const file = join(dir, name);
    if (!isExecutableFile(file) || skip(file)) continue;
    if (isShimDir(dir) && isShim(file)) continue;
    return file;
  }
  return undefined;
}
