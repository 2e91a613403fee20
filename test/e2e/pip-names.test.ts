// pip3 and pip3.N: setup writes a shim for each (pip3.11 here, as python3.11 and pip3.11 are
// on PATH); each runs the real program of its own name, and in a venv the venv's own.
// pip's usage text names the program it runs as (sys.argv[0]), which shows which one ran.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, runIn, SYSTEM_PATH, sandbox } from './harness.js';

describe.each(['pip3', `pip${PY}`])('%s through its shim', (name) => {
  it('runs the real program of its name, and the venv’s own once there is one', async () => {
    const box = sandbox();
    // A command line pip-guard leaves to the real program: the same as running it directly.
    const argv = ['install', '--no-such-option', 'demo'];
    const direct = await runIn({ ...box.env, PATH: SYSTEM_PATH }, `/usr/bin/${name}`, argv, {
      cwd: box.project,
    });
    const shimmed = await box.run(name, argv);
    expect(shimmed).toEqual(direct);
    expect(shimmed.stderr).toContain(`\n  ${name} install [options] <requirement specifier>`);

    const venv = join(box.project, '.venv');
    const install = await box.run(name, ['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${venv} (Python ${PY}); ` +
        `\`python3\` here uses it`,
    ]);

    // Routed to the venv, and run there by the venv's own program of that name.
    const list = await box.run(name, ['list', '--format=bogus']);
    const inVenv = await runIn(box.env, join(venv, 'bin', name), ['list', '--format=bogus']);
    expect(list.exitCode).toBe(2);
    expect(list.stdout).toBe(inVenv.stdout);
    // The line first: pip-guard has become that pip by the time it prints.
    expect(list.stderr).toBe(
      `pip-guard: this is ${venv}, this project's venv (/usr/bin/python3 is externally managed); ` +
        `PIP_GUARD_POLICY=off ${name} list shows the system's packages\n${inVenv.stderr}`,
    );
    expect(inVenv.stderr).toContain(`\n  ${name} list [options]`);
  });
});
