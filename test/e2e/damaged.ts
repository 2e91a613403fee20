// The damaged Pythons that `pip-guard repair`'s tests work on: a copy of Debian's Python (never
// the machine's own site directories), damaged with --break-system-packages: an app with a console
// script (mytool), the library it needs (mylib), a library of its own (solo), a package one of whose
// files a fake `dpkg -S` on PATH says the distribution owns (owned), and one with a file changed
// since (edited). Every run is under PIP_NO_INDEX=1, with no --find-links.
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, expect } from 'vitest';
import { FIXTURES, PY } from './env.js';
import type { Sandbox } from './harness.js';
import { makePython, type TestPython } from './pythons.js';
import { stopAll } from './stall.js';

export const NOBODY = 65534;

export interface Damaged {
  box: Sandbox;
  python: TestPython;
  // Where pip put them, and the scripts beside (prefix/local).
  local: string;
  site: string;
  env: { PATH: string; PIP_NO_INDEX: string };
  defaultVenv: string;
}

afterEach(stopAll);

// A `dpkg -S` that says the distribution owns owned/__init__.py and nothing else.
const FAKE_DPKG = `#!/bin/sh
[ "$1" = -S ] || exit 2
shift
found=1
for path in "$@"; do
  case "$path" in
    */owned/__init__.py) echo "python3-owned: $path"; found=0 ;;
    *) echo "dpkg-query: no path found matching pattern $path" >&2 ;;
  esac
done
exit $found
`;

// The managed Python copy (in `at`), damaged as the file's head says; on PATH: pipx's bin
// directory, that Python's bin (its pip), and the tools (pipx, the fake dpkg).
export async function damaged(
  box: Sandbox,
  at = box.dir,
  install = ['mytool', 'solo', 'owned', 'edited'],
): Promise<Damaged> {
  const wheels = join(box.dir, 'repair-wheels');
  const make = (...args: string[]) =>
    box.run('/usr/bin/python3', [join(FIXTURES, 'make_wheel.py'), wheels, ...args]);
  await make('mytool', '1.0', '--app', '--requires', 'mylib');
  for (const name of ['mylib', 'solo', 'owned', 'edited']) await make(name, '1.0');
  const python = makePython(join(at, 'python'), { managed: true });
  if (install.length > 0) {
    const pip = ['install', '--break-system-packages', '--no-index', '--find-links', wheels, ...install];
    expect((await box.run(python.pip, pip)).exitCode).toBe(0);
  }
  if (install.includes('edited'))
    writeFileSync(
      join(python.sitePackages, 'edited', '__init__.py'),
      "__version__ = '1.0'  # edited by hand\n",
    );
  const tools = join(at, 'tools');
  mkdirSync(tools);
  symlinkSync('/usr/bin/pipx', join(tools, 'pipx'));
  writeFileSync(join(tools, 'dpkg'), FAKE_DPKG, { mode: 0o755 });
  const env = {
    PATH: [box.pipxBin, join(python.prefix, 'bin'), tools].join(':'),
    PIP_NO_INDEX: '1',
  };
  const defaultVenv = join(box.home, '.local', 'share', 'pip-guard', 'venvs', `python${PY}`);
  return { box, python, local: join(python.prefix, 'local'), site: python.sitePackages, env, defaultVenv };
}

// Every file and directory under `dir` but __pycache__: path, owner, mode and sha256.
export function fingerprint(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      if (name === '__pycache__') continue;
      const path = join(at, name);
      const stat = lstatSync(path);
      const what = stat.isDirectory()
        ? 'dir'
        : createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
      found.push(`${relative(dir, path)} ${stat.uid} ${stat.mode.toString(8)} ${what}`);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return found;
}

export const repair = (d: Damaged, args: string[], env: Record<string, string> = {}) =>
  d.box.pipGuard(['repair', ...args], { env: { ...d.env, ...env } });

// The names in doctor's damage section, as data.
export async function damageLeft(d: Damaged): Promise<string[]> {
  const doctor = await d.box.pipGuard(['doctor', '--json'], { env: d.env });
  return JSON.parse(doctor.stdout)
    .damage.map((x: { name: string }) => x.name)
    .sort();
}

export const inSite = (d: Damaged, name: string) => existsSync(join(d.site, `${name}-1.0.dist-info`));
export const pipxApps = (d: Damaged) =>
  existsSync(join(d.box.pipxHome, 'venvs')) ? readdirSync(join(d.box.pipxHome, 'venvs')) : [];
export const inVenv = (d: Damaged, name: string) =>
  existsSync(join(d.defaultVenv, 'lib', `python${PY}`, 'site-packages', `${name}-1.0.dist-info`));
