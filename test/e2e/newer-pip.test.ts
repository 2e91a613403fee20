// A real pip newer than the wheel a new venv would be seeded from (issue 15): a managed Python
// whose pip is 24.2 while its seed wheel is Debian's pip 23.0.1 in /usr/share/python-wheels.
// What the user types to pip 24.2 (-C, --keyring-provider: 23.0.1 has neither) works where
// pip-guard redirects it.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notices, type Sandbox, sandbox } from './harness.js';
import { makePython, type TestPython } from './pythons.js';

// pyenv 3.13's ensurepip wheel: read, never changed (makePython unpacks it into the test's Python).
const PIP_24 = join(
  homedir(),
  '.pyenv',
  'versions',
  '3.13.0',
  'lib',
  'python3.13',
  'ensurepip',
  '_bundled',
  'pip-24.2-py3-none-any.whl',
);
const DEBIAN_WHEEL = '/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl';

// The managed Python with pip 24.2, as the real pip behind the shims.
function newerPip(box: Sandbox): { python: TestPython; env: Record<string, string> } {
  expect(existsSync(PIP_24)).toBe(true);
  const python = makePython(join(box.dir, 'python'), { managed: true, pipWheel: PIP_24 });
  return { python, env: { PIP_GUARD_REAL_PIP: python.pip } };
}

const pipVersion = async (box: Sandbox, pip: string) => (await box.run(pip, ['--version'])).stdout;

describe('a real pip newer than the wheel a new venv would be seeded from', () => {
  it('gives a new venv the real pip’s version, so that options only it knows work', async () => {
    const box = sandbox();
    const { python, env } = newerPip(box);
    expect(await pipVersion(box, python.pip)).toMatch(/^pip 24\.2 /);
    const venv = join(box.project, '.venv');
    const explain = await box.pipGuard(['explain', '--', 'install', '-C', 'x=y', 'demo'], { env });
    expect(explain.stdout).toContain(
      `pip 24.2 seeded from the real pip's own files, ${python.distPackages}/pip-24.2.dist-info, since the wheel ensurepip would use, ${DEBIAN_WHEEL}, is pip 23.0.1, older than the real pip; /usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl from the wheel`,
    );
    expect(explain.stdout).toContain(`$ ${venv}/bin/pip install -C x=y demo\n`);
    const install = await box.pip(
      ['--keyring-provider', 'disabled', 'install', '-C', 'x=y', ...box.offline, 'demo==1.0'],
      { env },
    );
    expect([install.exitCode, install.stdout]).toEqual([
      0,
      expect.stringContaining('Successfully installed demo-1.0'),
    ]);
    expect(notices(install.stderr)[0]).toContain(`so pip installed into a new venv, ${venv} (Python 3.11)`);
    expect(await pipVersion(box, join(venv, 'bin', 'pip'))).toBe(
      `pip 24.2 from ${venv}/lib/python3.11/site-packages/pip (python 3.11)\n`,
    );
    // A pip like any other: it lists itself, and removes itself with its scripts.
    const list = await box.run(join(venv, 'bin', 'pip'), ['list', '--format=freeze']);
    expect(list.stdout).toBe('demo==1.0\npip==24.2\nsetuptools==66.1.1\n');
    const gone = await box.run(join(venv, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', 'pip']);
    expect(gone.stdout).toContain('Successfully uninstalled pip-24.2');
    expect(existsSync(join(venv, 'bin', 'pip3.11'))).toBe(false);
  });
});
