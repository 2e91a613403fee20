// pip-guard teardown [--dir DIR]: remove exactly what setup wrote there, nothing else.
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { isShim, manifestPath, readManifest } from '../shims.js';
import { defaultShimDir } from './setup.js';

export const command = 'teardown';
export const describe = 'Remove the shims that setup wrote (and their directory, if setup made it)';

export const builder = (y: Argv) =>
  y.option('dir', { type: 'string', describe: 'Directory setup wrote the shims into' });

export async function handler(args: { dir?: string }): Promise<number> {
  const dir = resolve(args.dir ?? defaultShimDir(process.env));
  const manifest = readManifest(dir);
  if (!manifest) {
    console.log(`pip-guard: no pip-guard shims in ${dir}: nothing to remove`);
    return 0;
  }
  const removed = manifest.names.filter((name) => isShim(join(dir, name)));
  for (const name of removed) rmSync(join(dir, name));
  rmSync(manifestPath(dir));
  if (manifest.createdDir && readdirSync(dir).length === 0) rmdirSync(dir);
  console.log(
    `pip-guard: removed ${removed.length > 0 ? removed.join(', ') : 'the shim marker'} from ${dir}`,
  );
  return 0;
}
