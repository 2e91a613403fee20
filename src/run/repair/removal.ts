// Taking packages off the system: the real pip of their Python, with --break-system-packages for
// exactly those names, as the owner of their site directory (as-owner.ts), shielded (it finishes
// once started: pip moves the files aside before it deletes them, and an uninstall cut short would
// leave them there). --isolated: no pip config or PIP_* variable of the user's (require-virtualenv,
// say) changes what it does; no PYTHON* variable puts another copy of a package first either.
import { existsSync } from 'node:fs';
import type { Env } from '../../base/env.js';
import type { BundledPackage } from '../../facts/repair-bundles.js';
import type { RemovalAs } from '../../policy/repair.js';
import { captureAsOwner } from './as-owner.js';

const withoutPython = (env: Env): Env =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PYTHON')));

// Removes the packages (of one site directory); a problem when one is still there afterwards.
export async function removePackages(
  packages: readonly BundledPackage[],
  pip: readonly string[],
  as: RemovalAs,
  env: Env,
  onStart?: (pid: number) => void,
): Promise<string | undefined> {
  if (packages.length === 0) return undefined;
  const [file, ...prefix] = pip as [string, ...string[]];
  const args = [
    ...prefix,
    'uninstall',
    '--isolated',
    '--no-input',
    '--disable-pip-version-check',
    '--yes',
    '--break-system-packages',
    ...packages.map((p) => p.name),
  ];
  const result = await captureAsOwner(as, file, args, withoutPython(env), { onStart }).catch(
    (error: Error) => ({
      code: undefined,
      stdout: '',
      stderr: error.message,
    }),
  );
  const left = packages.filter((p) => existsSync(p.id));
  if (result.code === 0 && left.length === 0) return undefined;
  const output = `${result.stdout}\n${result.stderr}`.trim();
  const still = left.length > 0 ? `; still there: ${left.map((p) => p.name).join(', ')}` : '';
  return `\`${[file, ...args].join(' ')}\` failed (exit code ${result.code ?? 'none'})${still}${output ? `:\n${output}` : ''}`;
}
