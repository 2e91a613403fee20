// Once for the end-to-end suite: check the build, fetch the Node that runs the bundle (once;
// cached), build the test wheels, write shims with the built binary, and fingerprint the system
// site-packages before and after every test has run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { embeddedNode } from '../../scripts/embedded-node.mjs';
import { BUNDLE, CLI, FIXTURES, hermeticEnv, NODE24 } from './env.js';
import { fingerprint, GUARDED } from './system-guard.js';

export default async function setup(project: TestProject) {
  await embeddedNode((message) => console.error(`global-setup: ${message}`));
  for (const built of [CLI, BUNDLE, NODE24]) {
    if (!existsSync(built))
      throw new Error(`${built} is missing: run \`npm run build:binary\` (npm test does it for you).`);
  }
  const before = fingerprint();
  const root = mkdtempSync(join(tmpdir(), 'pip-guard-e2e-'));
  const wheels = join(root, 'wheels');
  const make = (name: string, version: string, ...flags: string[]) =>
    execFileSync('/usr/bin/python3', [join(FIXTURES, 'make_wheel.py'), wheels, name, version, ...flags]);
  make('demo', '1.0');
  make('demo', '1.1');
  make('demo-app', '1.0', '--app');
  make('demo-app', '1.1', '--app');
  // pipx's shared pip, made once for every test (PIPX_SHARED_LIBS): pipx would otherwise make it
  // in each test's PIPX_HOME and try to upgrade pip, setuptools and wheel from the (absent) index.
  // With the same pip and setuptools already in, and a stand-in `wheel`, that upgrade has
  // nothing to do and stays quiet.
  make('wheel', '0.0.1');
  const pipxShared = join(root, 'pipx-shared');
  execFileSync('/usr/bin/python3', ['-m', 'venv', pipxShared]);
  execFileSync(
    join(pipxShared, 'bin', 'python'),
    ['-m', 'pip', 'install', '-q', '--no-index', '-f', wheels, 'wheel'],
    {
      env: { PATH: '/usr/bin:/bin', PIP_CONFIG_FILE: '/dev/null' },
    },
  );
  const shims = join(root, 'shims');
  const home = join(root, 'setup-home');
  execFileSync(CLI, ['setup', '--dir', shims], { env: hermeticEnv(home, shims) });
  project.provide('e2e', { root, wheels, shims, pipxShared });

  return () => {
    rmSync(root, { recursive: true, force: true });
    const after = fingerprint();
    if (after.digest !== before.digest) {
      throw new Error(
        `the end-to-end tests changed ${GUARDED.join(' or ')} (${before.entries} → ${after.entries} entries)`,
      );
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { root: string; wheels: string; shims: string; pipxShared: string };
  }
}
