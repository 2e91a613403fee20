// The shim's forward cache (src/forward-cache.ts): behind a real pip whose Python never refuses,
// the second guarded command goes to it without starting Node, and any change to what that
// answer rests on sends the next command to pip-guard again, which then decides afresh.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { notices, runIn, type Sandbox, SYSTEM_PATH, sandbox, tracingShims } from './harness.js';
import { makePython, type TestPython } from './pythons.js';

// A file changed, its mtime set back (as `cp -p`, tar and dpkg do): the cache must not care.
const long = new Date(Date.now() - 3600_000);
const age = (...paths: string[]) => {
  for (const path of paths) utimesSync(path, long, long);
};

interface Setup {
  python: TestPython;
  // The real shims, and a tracing copy that records (and fails) where pip-guard would start.
  path: string;
  tracing: string;
  trace: string;
}

// An unmanaged Python copy first behind the shims, and its answer cached by one guarded call.
async function cached(box: Sandbox): Promise<Setup> {
  const python = makePython(join(box.dir, 'python'), { managed: false });
  const bin = dirname(python.pip);
  const { dir, trace } = tracingShims(box);
  const path = [box.shims, bin, SYSTEM_PATH].join(':');
  const first = await box.pip(['list'], { env: { PATH: path } });
  expect(first.exitCode).toBe(0);
  expect(existsSync(join(box.home, '.cache', 'pip-guard', 'forward', python.pip))).toBe(true);
  return { python, path, tracing: [dir, bin, SYSTEM_PATH].join(':'), trace };
}

const traced = (setup: Setup) => (existsSync(setup.trace) ? readFileSync(setup.trace, 'utf8') : '');

describe('the forward cache', () => {
  it('sends guarded commands straight to a real pip whose Python never refuses, exactly as pip-guard would', async () => {
    const box = sandbox();
    const setup = await cached(box);
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: { PATH: setup.tracing } });
    expect(install.exitCode).toBe(0);
    expect(existsSync(join(setup.python.sitePackages, 'demo'))).toBe(true);
    for (const args of [['list'], ['show', 'demo'], ['freeze']]) {
      const direct = await runIn(box.env, setup.python.pip, args, {
        cwd: box.project,
        env: { PATH: setup.path },
      });
      const viaShim = await box.pip(args, { env: { PATH: setup.tracing } });
      expect([viaShim.exitCode, viaShim.stdout, viaShim.stderr]).toEqual([
        direct.exitCode,
        direct.stdout,
        direct.stderr,
      ]);
    }
    const uninstall = await box.pip(['uninstall', '-y', 'demo'], { env: { PATH: setup.tracing } });
    expect(uninstall.stdout).toContain('Successfully uninstalled demo-1.1');
    expect(traced(setup)).toBe('');
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('goes to pip-guard for --python, PIP_PYTHON, or pip config in another place', async () => {
    const box = sandbox();
    const setup = await cached(box);
    await box.pip(['list', '--python', '/usr/bin/python3'], { env: { PATH: setup.tracing } });
    await box.pip(['list'], { env: { PATH: setup.tracing, PIP_PYTHON: '/usr/bin/python3' } });
    await box.pip(['list'], { env: { PATH: setup.tracing, HOME: join(box.dir, 'other-home') } });
    await box.pip(['list'], { env: { PATH: setup.tracing, PIP_CONFIG_FILE: join(box.dir, 'pip.conf') } });
    expect(traced(setup).trim().split('\n')).toHaveLength(4);
  });

  it('goes to pip-guard once a pip config file appears, and the Python it names is asked', async () => {
    const box = sandbox();
    const setup = await cached(box);
    mkdirSync(join(box.home, '.config', 'pip'), { recursive: true });
    writeFileSync(join(box.home, '.config', 'pip', 'pip.conf'), '[global]\npython = /usr/bin/python3\n');
    await box.pip(['list'], { env: { PATH: setup.tracing, PIP_CONFIG_FILE: undefined } });
    expect(traced(setup)).toContain('--pip-guard-shim pip');
  });

  it('never sends an install to a Python that has become externally managed since', async () => {
    const box = sandbox();
    const setup = await cached(box);
    writeFileSync(setup.python.marker, readFileSync(`/usr/lib/python${PY}/EXTERNALLY-MANAGED`));
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: { PATH: setup.path } });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')}`,
    );
    expect(existsSync(join(setup.python.sitePackages, 'demo'))).toBe(false);
  });

  it('goes to pip-guard when the real pip or its Python is another file now', async () => {
    const box = sandbox();
    const setup = await cached(box);
    // The real pip's #! line now names the system's externally-managed Python.
    writeFileSync(
      setup.python.pip,
      readFileSync(setup.python.pip, 'utf8').replace(/^#!.*/, '#!/usr/bin/python3'),
    );
    age(setup.python.pip);
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: { PATH: setup.path } });
    expect(notices(install.stderr)[0]).toContain(
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed',
    );

    const other = sandbox();
    const again = await cached(other);
    // Its Python, a symlink pointed elsewhere (the file it names keeps its old mtime).
    const link = join(dirname(again.python.python), 'python3');
    writeFileSync(again.python.pip, readFileSync(again.python.pip, 'utf8').replace(/^#!.*/, `#!${link}`));
    age(again.python.pip);
    await other.pip(['list'], { env: { PATH: again.path } });
    rmSync(link);
    symlinkSync(`/usr/bin/python${PY}`, link);
    await other.pip(['list'], { env: { PATH: again.tracing } });
    expect(traced(again)).toContain('--pip-guard-shim pip');
  });

  it('serves an active venv under a path with a space and non-ASCII letters, whose pip starts with sh', async () => {
    const box = sandbox();
    const venv = join(box.dir, 'my proj ü', '.venv');
    // pip's own scripts there: #!/bin/sh, then '''exec' "…/python3" "$0" "$@".
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    const pip = join(venv, 'bin', 'pip');
    const { dir, trace } = tracingShims(box);
    const active = (shims: string) => ({
      VIRTUAL_ENV: venv,
      PATH: [shims, join(venv, 'bin'), SYSTEM_PATH].join(':'),
    });
    const first = await box.pip(['list'], { env: active(box.shims) });
    expect(first.exitCode).toBe(0);
    expect(existsSync(join(box.home, '.cache', 'pip-guard', 'forward', pip))).toBe(true);
    const second = await box.pip(['list', '--format=freeze'], { env: active(dir) });
    expect([second.exitCode, second.stdout, second.stderr]).toEqual([
      0,
      `pip==${PIP_VERSION}\nsetuptools==66.1.1\n`,
      '',
    ]);
    expect(existsSync(trace)).toBe(false);
    // Its trampoline now names another Python: pip-guard decides afresh.
    writeFileSync(pip, readFileSync(pip, 'utf8').replace(`"${venv}/bin/python3"`, '/usr/bin/python3'));
    await box.pip(['list'], { env: active(dir) });
    expect(readFileSync(trace, 'utf8')).toContain('--pip-guard-shim pip');
  });
});
