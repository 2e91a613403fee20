// Issue 9, item 4: `pip uninstall` routed to the project venv, of a package only the system has
// (Debian's click, from python3-click, as an egg-info in /usr/lib/python3/dist-packages).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notices, sandbox } from './harness.js';

const CLICK = '/usr/lib/python3/dist-packages/click-8.1.3.egg-info';

const systemOnly = (venv: string) =>
  `click is not installed in ${venv}, where pip-guard installs; only /usr/bin/python3's own environment has it: ` +
  `click (${CLICK}, from the Debian package python3-click). That environment belongs to the system, and ` +
  'pip-guard does not uninstall its packages, so it was left as it is; to remove it from the system, ' +
  '`sudo apt remove python3-click`.';

describe('pip uninstall of a package that only the system has, with a project venv', () => {
  it('exits 1 with one paragraph naming the system and the apt package that owns it', async () => {
    expect(existsSync(CLICK)).toBe(true);
    const box = sandbox();
    const venv = join(box.project, '.venv');
    expect((await box.pip(['install', ...box.offline, 'demo'])).exitCode).toBe(0);
    const uninstall = await box.pip(['uninstall', '-y', 'click']);
    expect(uninstall.exitCode).toBe(1);
    expect(uninstall.stdout).toBe('');
    expect(uninstall.stderr).toBe(`pip-guard: ${systemOnly(venv)}\n`);
    expect(existsSync(CLICK)).toBe(true);
  });

  it('uninstalls the names the venv has, and still exits 1 for the one it does not', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.pip(['install', ...box.offline, 'demo']);
    const uninstall = await box.pip(['uninstall', '-y', 'demo', 'click']);
    expect(uninstall.exitCode).toBe(1);
    expect(uninstall.stdout).toContain('Successfully uninstalled demo-1.1');
    expect(notices(uninstall.stderr)).toEqual([
      `pip-guard: pip uninstall ran in ${venv}, this project's venv (/usr/bin/python3 is externally managed); ` +
        `the system's own packages are its package manager's to remove; ${systemOnly(venv)}`,
    ]);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(1);
    expect(existsSync(CLICK)).toBe(true);
  });
});
