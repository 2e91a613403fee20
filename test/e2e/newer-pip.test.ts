// A real pip newer than the wheel a new venv would be seeded from (issue 15): a managed Python
// whose pip is 24.2 while its seed wheel is Debian's pip 23.0.1 in /usr/share/python-wheels.
// What the user types to pip 24.2 (-C, --keyring-provider: 23.0.1 has neither) works where
// pip-guard redirects or routes it, and a venv's own older pip is never upgraded behind its back.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esc, PIP_24_WHEEL, PIP_VERSION, PY } from './env.js';
import { notices, type Sandbox, sandbox } from './harness.js';
import { makePython, type TestPython } from './pythons.js';

const DEBIAN_WHEEL = `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`;

// The managed Python with pip 24.2, as the real pip behind the shims.
function newerPip(box: Sandbox): { python: TestPython; env: Record<string, string> } {
  expect(existsSync(PIP_24_WHEEL)).toBe(true);
  const python = makePython(join(box.dir, 'python'), { managed: true, pipWheel: PIP_24_WHEEL });
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
      `pip 24.2 seeded from the real pip's own files, ${python.distPackages}/pip-24.2.dist-info, since the wheel ensurepip would use, ${DEBIAN_WHEEL}, is pip ${PIP_VERSION}, older than the real pip; /usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl from the wheel`,
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
    expect(notices(install.stderr)[0]).toContain(`so pip installed into a new venv, ${venv} (Python ${PY})`);
    expect(await pipVersion(box, join(venv, 'bin', 'pip'))).toBe(
      `pip 24.2 from ${venv}/lib/python${PY}/site-packages/pip (python ${PY})\n`,
    );
    // A pip like any other: it lists itself, and removes itself with its scripts.
    const list = await box.run(join(venv, 'bin', 'pip'), ['list', '--format=freeze']);
    expect(list.stdout).toBe('demo==1.0\npip==24.2\nsetuptools==66.1.1\n');
    const gone = await box.run(join(venv, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', 'pip']);
    expect(gone.stdout).toContain('Successfully uninstalled pip-24.2');
    expect(existsSync(join(venv, 'bin', `pip${PY}`))).toBe(false);
  });

  it('runs routed and redirected commands in a venv whose own pip is older with the real pip, and leaves that pip as it is', async () => {
    const box = sandbox();
    const { python, env } = newerPip(box);
    const venv = join(box.project, '.venv');
    await box.run(python.python, ['-m', 'venv', venv]);
    await box.run(join(venv, 'bin', 'pip'), ['install', ...box.offline, 'demo==1.0']);
    const explain = await box.pipGuard(['explain', '--', 'list', '--keyring-provider', 'disabled'], { env });
    expect(explain.stdout).toContain(
      `the venv's own pip is ${PIP_VERSION}, older than the real pip (24.2): the real pip runs there with --python, and the venv's pip is left as it is`,
    );
    expect(explain.stdout).toContain(
      `$ ${python.pip} --python ${venv}/bin/python list --keyring-provider disabled\n`,
    );
    const list = await box.pip(['list', '--keyring-provider', 'disabled', '--format=freeze'], { env });
    expect([list.exitCode, list.stdout]).toEqual([0, `demo==1.0\npip==${PIP_VERSION}\nsetuptools==66.1.1\n`]);
    expect(notices(list.stderr)).toEqual([expect.stringContaining(`this is ${venv}, this project's venv`)]);
    const freeze = await box.pip(['freeze', '--keyring-provider', 'disabled'], { env });
    expect([freeze.exitCode, freeze.stdout]).toEqual([0, 'demo==1.0\n']);
    const install = await box.pip(['install', '-C', 'x=y', ...box.offline, 'demo==1.1'], { env });
    expect([install.exitCode, install.stdout]).toEqual([
      0,
      expect.stringContaining('Successfully installed demo-1.1'),
    ]);
    expect(notices(install.stderr)[0]).toContain(`so pip installed into ${venv} (Python ${PY})`);
    const uninstall = await box.pip(['uninstall', '--keyring-provider', 'disabled', '-y', 'demo'], { env });
    expect([uninstall.exitCode, uninstall.stdout]).toEqual([
      0,
      expect.stringContaining('Successfully uninstalled demo-1.1'),
    ]);
    expect(await pipVersion(box, join(venv, 'bin', 'pip'))).toMatch(new RegExp(`^pip ${esc(PIP_VERSION)} `));
  });

  it('runs a venv’s own pip where it is at least as new as the real pip', async () => {
    const box = sandbox();
    const { env } = newerPip(box);
    const venv = join(box.project, '.venv');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    await box.run(join(venv, 'bin', 'pip'), ['install', '--no-index', PIP_24_WHEEL]);
    const explain = await box.pipGuard(['explain', '--', 'list'], { env });
    expect(explain.stdout).toContain(`$ ${venv}/bin/pip list\n`);
    expect(explain.stdout).not.toContain('--python');
  });
});

describe('a new venv that ensurepip makes, where the seeding could not be done', () => {
  it('gets its pip brought up to the real pip, as the seeding would have', async () => {
    const box = sandbox();
    const { python } = newerPip(box);
    // The real pip's Python, behind a wrapper that fails pip-guard's unpacking of the setuptools
    // wheel (as a broken cache or disk would): the seeding gives up, and `python -m venv`, with
    // ensurepip, makes the venv instead (Debian's pip wheel, older than the real pip).
    const bin = join(box.dir, 'failing-seed');
    mkdirSync(bin);
    const wrapper = join(bin, 'python3');
    writeFileSync(
      wrapper,
      `#!/bin/sh\ncase "$*" in *-c*setuptools-*.whl*) echo 'cannot unpack' >&2; exit 1 ;; esac\nexec ${python.python} "$@"\n`,
      { mode: 0o755 },
    );
    const pip = join(bin, 'pip');
    writeFileSync(
      pip,
      `#!${wrapper}\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == "__main__":\n    sys.exit(main())\n`,
      { mode: 0o755 },
    );
    const env = { PIP_GUARD_REAL_PIP: pip };
    expect(await pipVersion(box, pip)).toMatch(/^pip 24\.2 /);
    const venv = join(box.project, '.venv');
    const install = await box.pip(['install', '-C', 'x=y', ...box.offline, 'demo==1.0'], { env });
    expect([install.exitCode, install.stdout]).toEqual([
      0,
      expect.stringContaining('Successfully installed demo-1.0'),
    ]);
    expect(notices(install.stderr)[0]).toContain(`so pip installed into a new venv, ${venv} (Python ${PY})`);
    expect(await pipVersion(box, join(venv, 'bin', 'pip'))).toBe(
      `pip 24.2 from ${venv}/lib/python${PY}/site-packages/pip (python ${PY})\n`,
    );
    // ensurepip's setuptools stays; its pip is gone, and the new one lists and removes itself.
    const list = await box.run(join(venv, 'bin', 'pip'), ['list', '--format=freeze']);
    expect(list.stdout).toBe('demo==1.0\npip==24.2\nsetuptools==66.1.1\n');
    const gone = await box.run(join(venv, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', 'pip']);
    expect(gone.stdout).toContain('Successfully uninstalled pip-24.2');
    expect(existsSync(join(venv, 'bin', `pip${PY}`))).toBe(false);
  });
});
