import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';
import { makePython } from './pythons.js';

const pipGuard = (box: Sandbox, args: string[], env: Record<string, string> = {}) =>
  box.pipGuard(args, { env });

describe('pip-guard which', () => {
  it("names Debian's pip behind the shims, its Python, and that pip refuses installs there", async () => {
    const box = sandbox();
    const result = await pipGuard(box, ['which']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      'pip: /usr/bin/pip\n' +
        `  runs /usr/bin/python3 (Python ${PY}), externally managed (PEP 668)\n` +
        '  pip refuses installs there, so pip-guard redirects them to a venv or pipx.\n',
    );
    expect(result.stderr).toBe('');
    // It asks the interpreter without writing pip-guard's cache.
    expect(existsSync(join(box.home, '.cache', 'pip-guard'))).toBe(false);
  });

  it(`answers for pip${PY} as JSON`, async () => {
    const box = sandbox();
    const result = await pipGuard(box, ['which', `pip${PY}`, '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      name: `pip${PY}`,
      realPip: `/usr/bin/pip${PY}`,
      from: 'PATH',
      python: '/usr/bin/python3',
      interpreter: {
        python: '/usr/bin/python3',
        version: `${PY}`,
        prefix: '/usr',
        stdlib: `/usr/lib/python${PY}`,
        venv: false,
        externallyManaged: true,
        seedWheels: {
          pip: `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`,
          setuptools: '/usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl',
        },
        pipPath: [
          '/usr/lib/python311.zip',
          `/usr/lib/python${PY}`,
          `/usr/lib/python${PY}/lib-dynload`,
          join(box.home, '.local', 'lib', `python${PY}`, 'site-packages'),
          `/usr/local/lib/python${PY}/dist-packages`,
          '/usr/lib/python3/dist-packages',
          `/usr/lib/python${PY}/dist-packages`,
        ],
        userSite: join(box.home, '.local', 'lib', `python${PY}`, 'site-packages'),
      },
      problem: null,
    });
  });

  it('finds the program the shim runs: past stray shim copies, the first real one on PATH', async () => {
    const box = sandbox();
    const [stray, wrapper] = [join(box.dir, 'stray'), join(box.dir, 'wrapper')];
    mkdirSync(stray);
    mkdirSync(wrapper);
    writeFileSync(join(stray, 'pip'), readFileSync(join(box.shims, 'pip')), { mode: 0o755 });
    writeFileSync(join(wrapper, 'pip'), '#!/bin/sh\necho "the wrapper ran: $*"\n', { mode: 0o755 });
    const env = { PATH: `${box.shims}:${stray}:${wrapper}:${SYSTEM_PATH}` };
    const ran = await box.pip(['--version'], { env });
    expect(ran.stdout).toBe('the wrapper ran: --version\n');
    const result = await pipGuard(box, ['which'], env);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      `pip: ${join(wrapper, 'pip')}\n` +
        `  runs /bin/sh, not Python (a pyenv shim or a wrapper?): pip-guard cannot tell which Python it runs\n` +
        '  pip-guard runs it, and redirects an install only if pip refuses it.\n',
    );
  });

  it("says when it cannot tell a wrapper's Python (PIP_GUARD_REAL_PIP)", async () => {
    const box = sandbox();
    const wrapper = join(box.dir, 'wrapped-pip');
    writeFileSync(wrapper, '#!/bin/bash\nexec /usr/bin/pip "$@"\n', { mode: 0o755 });
    const result = await pipGuard(box, ['which', '--json'], { PIP_GUARD_REAL_PIP: wrapper });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      name: 'pip',
      realPip: wrapper,
      from: 'PIP_GUARD_REAL_PIP',
      python: null,
      interpreter: null,
      problem: `${wrapper} runs /bin/bash, not Python (a pyenv shim or a wrapper?)`,
    });
  });

  it('tells a Python that is not externally managed, and a venv', async () => {
    const box = sandbox();
    const python = makePython(join(box.dir, 'python'), { managed: false });
    const plain = await pipGuard(box, ['which', 'pip3'], {
      PATH: `${box.shims}:${join(python.prefix, 'bin')}`,
    });
    expect(plain.stdout).toBe(
      `pip3: ${join(python.prefix, 'bin', 'pip3')}\n` +
        `  runs ${python.python} (Python ${PY}), not externally managed\n` +
        '  pip installs there as it always did; pip-guard leaves it alone.\n',
    );
    const venv = join(box.dir, 'venv');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    const inVenv = await pipGuard(box, ['which'], {
      PATH: `${box.shims}:${join(venv, 'bin')}:${SYSTEM_PATH}`,
    });
    expect(inVenv.stdout).toBe(
      `pip: ${join(venv, 'bin', 'pip')}\n` +
        `  runs ${join(venv, 'bin', 'python3')} (Python ${PY}), a virtual environment\n` +
        '  pip installs into that venv, and pip-guard never redirects it.\n',
    );
  });

  it('exits 1 with one paragraph when there is no real pip', async () => {
    const box = sandbox();
    const env = { PATH: box.shims };
    const result = await pipGuard(box, ['which', 'pip3'], env);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `pip-guard: there is no real pip3 on PATH (pip-guard's shim directories, ${box.shims}, do not count), ` +
        'so a `pip3` shim has nothing to run: install pip for that Python (Debian and Ubuntu: ' +
        '`sudo apt install python3-pip`), or set PIP_GUARD_REAL_PIP to the pip the shims should run.\n',
    );
    const json = await pipGuard(box, ['which', '--json'], env);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'pip', realPip: null, interpreter: null });
    expect(JSON.parse(json.stdout).problem).toContain('there is no real pip on PATH');
  });

  it('takes only the names pip has', async () => {
    const box = sandbox();
    const result = await pipGuard(box, ['which', 'python3']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `pip-guard: pip-guard which takes pip, pip3 or pip3.N (as in pip${PY}), not "python3".\n`,
    );
  });
});
