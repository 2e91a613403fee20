// pip-guard teardown [--dir DIR] [--system]: remove exactly what setup wrote and made, nothing else.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../base/errors.js';
import { accessProblem, writeProblem } from '../base/files.js';
import { removeMadeDirs } from '../install/install-dir.js';
import { undoRcEdit } from '../install/rc-file.js';
import { removeSelf, runningAs, SELF_NAME } from '../install/self-install.js';
import {
  commandShimsIn,
  createdDirsOf,
  defaultShimDir,
  isShim,
  type Manifest,
  manifestPath,
  readManifest,
  shimDirArg,
} from '../install/shims.js';
import { requireRoot, SYSTEM_DIR } from '../install/system-install.js';

export const command = 'teardown';
export const describe =
  'Remove what setup wrote: the shims, pip-guard, the PATH line in your rc file, the directories it made';

export const builder = (y: Argv) =>
  y
    .option('dir', { type: 'string', describe: 'Directory setup wrote into' })
    .option('system', { type: 'boolean', describe: `Undo setup --system (in ${SYSTEM_DIR}; root only)` })
    .example('$0 teardown', 'undo `pip-guard setup` (and its --modify-path)')
    .example('sudo $0 teardown --system', 'undo `pip-guard setup --system`');

// Everything that would stop teardown half-way, before it removes anything: the directory, or an
// rc file it would take the PATH line out of, that it cannot write.
function checkRemovable(dir: string, manifest: Manifest): void {
  const unwritable = writeProblem(dir);
  if (unwritable) {
    throw new UserError(
      `pip-guard cannot remove the shims from ${dir} (${unwritable}), so teardown removed nothing: ` +
        `run it as the user who ran setup there, or make ${dir} writable, and run teardown again.`,
    );
  }
  for (const { file } of manifest.rcFiles ?? []) {
    const problem = existsSync(file) ? (accessProblem(file) ?? writeProblem(dirname(file))) : undefined;
    if (problem) {
      throw new UserError(
        `pip-guard cannot take the PATH line out of ${file} (${problem}), so teardown removed nothing: ` +
          'make it writable, and run teardown again.',
      );
    }
  }
}

export async function handler(args: { dir?: string; system?: boolean }): Promise<number> {
  const fallback = args.system ? SYSTEM_DIR : defaultShimDir(process.env);
  const dir = shimDirArg(args.dir, fallback, 'setup wrote the shims into');
  if (args.system) requireRoot('teardown', dir, runningAs());
  const manifest = readManifest(dir);
  if (!manifest) {
    console.log(`pip-guard: no pip-guard shims in ${dir}: nothing to remove`);
    return 0;
  }
  checkRemovable(dir, manifest);
  const removed = [
    ...manifest.names.filter((name) => isShim(join(dir, name))),
    ...commandShimsIn(dir).filter((name) => !manifest.names.includes(name)),
  ];
  for (const name of removed) rmSync(join(dir, name));
  const self = removeSelf(dir, manifest.self);
  if (self === 'removed') removed.unshift(SELF_NAME);
  const rcReports = (manifest.rcFiles ?? []).map(undoRcEdit);
  rmSync(manifestPath(dir));
  const dirs = removeMadeDirs(createdDirsOf(manifest, dir));
  console.log(
    `pip-guard: removed ${removed.length > 0 ? removed.join(', ') : 'the shim marker'} from ${dir}`,
  );
  if (self === 'kept')
    console.log(`pip-guard: left ${join(dir, SELF_NAME)}: it changed since setup wrote it`);
  for (const report of rcReports) console.log(`pip-guard: ${report}`);
  if (dirs.length > 0) console.log(`pip-guard: removed the directories setup made: ${dirs.join(', ')}`);
  return 0;
}
