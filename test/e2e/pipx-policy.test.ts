import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notices, sandbox } from './harness.js';

const pipxPolicy = { PIP_GUARD_POLICY: 'pipx' };
const pipxVenvs = (box: ReturnType<typeof sandbox>) =>
  existsSync(join(box.pipxHome, 'venvs')) ? readdirSync(join(box.pipxHome, 'venvs')) : [];

describe('policy pipx: command-line apps go to the real pipx', () => {
  it('installs, upgrades and uninstalls an app, translating pip’s options for pipx', async () => {
    const box = sandbox();
    const app = join(box.pipxBin, 'demo-app');
    const install = await box.pip(['install', ...box.offline, 'demo-app==1.0'], { env: pipxPolicy });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('installed package demo-app 1.0');
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so demo-app went to pipx: run demo-app (linked in ${box.pipxBin}); ` +
        `${box.pipxBin} is not on PATH yet: run \`pipx ensurepath\` and open a new shell (until then: ${box.pipxBin}/demo-app)`,
    ]);
    expect((await box.run(app, [])).stdout).toBe('demo-app 1.0\n');
    expect(existsSync(join(box.project, '.venv'))).toBe(false);

    // pipx upgrades its shared pip too: PIP_NO_INDEX keeps that offline.
    const upgrade = await box.pip(['install', '-U', ...box.offline, 'demo-app'], {
      env: { ...pipxPolicy, ...box.offlineEnv },
    });
    expect(upgrade.exitCode).toBe(0);
    expect(upgrade.stdout).toContain('upgraded package demo-app from 1.0 to 1.1');
    expect((await box.run(app, [])).stdout).toBe('demo-app 1.1\n');

    const uninstall = await box.pip(['uninstall', '-y', 'Demo_App'], { env: pipxPolicy });
    expect(uninstall.exitCode).toBe(0);
    expect(notices(uninstall.stderr)).toEqual(["pip-guard: demo-app is pipx's, so pipx uninstalled it"]);
    expect(existsSync(app)).toBe(false);
    expect(pipxVenvs(box)).toEqual([]);
  });

  it('asks before pipx uninstalls an app, as pip asks (Proceed (Y/n)?), unless -y', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo-app'], { env: pipxPolicy });
    const app = join(box.pipxBin, 'demo-app');
    const answer = (reply: string) =>
      box.run('/bin/sh', ['-c', `printf '${reply}' | pip uninstall demo-app`], { env: pipxPolicy });
    const no = await answer('n\\n');
    expect(no.exitCode).toBe(0);
    expect(no.stdout).toBe(
      `Found pipx app: demo-app\n  Would remove:\n    ${join(box.pipxHome, 'venvs', 'demo-app')}\n    ${app}\nProceed (Y/n)? `,
    );
    expect(existsSync(app)).toBe(true);
    // pip meets EOFError at its question and ends with exit code 2; so does pip-guard.
    const eof = await answer('');
    expect(eof.exitCode).toBe(2);
    expect(notices(eof.stderr)).toEqual(['pip-guard: no answer (end of input), so nothing was uninstalled.']);
    expect(existsSync(app)).toBe(true);
    const noInput = await box.pip(['uninstall', '--no-input', 'demo-app'], { env: pipxPolicy });
    expect(noInput.exitCode).toBe(1);
    expect(noInput.stderr).toContain('No input was expected');
    const yes = await answer('maybe\\ny\\n');
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toContain("Your response ('maybe') was not one of the expected responses: y, n, ");
    expect(existsSync(app)).toBe(false);
  });

  it('lets pip’s own PIP_* settings reach pipx’s pip', async () => {
    const box = sandbox();
    const path = `${box.pipxBin}:${box.env.PATH}`;
    const install = await box.pip(['install', 'demo-app'], {
      env: { ...pipxPolicy, ...box.offlineEnv, PATH: path },
    });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so demo-app went to pipx: run demo-app (linked in ${box.pipxBin})`,
    ]);
    expect((await box.run('demo-app', [], { env: { PATH: path } })).stdout).toBe('demo-app 1.1\n');
  });

  it('puts a library pipx refuses (no commands) into the project venv, with no pipx venv left', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo-app', 'demo'], { env: pipxPolicy });
    expect(install.exitCode).toBe(0);
    expect(install.stderr).not.toContain('No apps associated');
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    const venv = join(box.project, '.venv');
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so demo-app went to pipx: run demo-app (linked in ${box.pipxBin}), ` +
        `and demo has no commands, so pip installed it into a new venv, ${venv} (\`eval "$(pip-guard activate)"\`); ` +
        `${box.pipxBin} is not on PATH yet: run \`pipx ensurepath\` and open a new shell (until then: ${box.pipxBin}/demo-app)`,
    ]);
    expect(pipxVenvs(box)).toEqual(['demo-app']);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo_app'])).exitCode).toBe(1);

    // pip uninstall splits too: the app goes back to pipx, the library leaves the venv.
    const uninstall = await box.pip(['uninstall', '-y', 'demo-app', 'demo'], { env: pipxPolicy });
    expect(uninstall.exitCode).toBe(0);
    expect(uninstall.stdout).toContain('Successfully uninstalled demo-1.1');
    expect(notices(uninstall.stderr)).toEqual([
      `pip-guard: demo-app is pipx's, so pipx uninstalled it; pip uninstall ran in ${venv}, this project's venv ` +
        "(/usr/bin/python3 is externally managed); the system's own packages are its package manager's to remove",
    ]);
    expect(pipxVenvs(box)).toEqual([]);
  });

  it('falls back to the venv, saying why, for what pipx cannot express (-r)', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, 'requirements.txt'), 'demo-app==1.0\n');
    const install = await box.pip(['install', ...box.offline, '-r', 'requirements.txt'], { env: pipxPolicy });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      'externally managed (PEP 668) and pipx cannot express -r, so pip installed into a new venv',
    );
    expect(pipxVenvs(box)).toEqual([]);
  });

  it('shows pipx’s error and exits with its code when pipx fails, leaving nothing half-installed', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo-app==9.9'], { env: pipxPolicy });
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toContain('No matching distribution found for demo-app==9.9');
    expect(install.stderr).toContain("Error installing demo-app from spec 'demo-app==9.9'");
    expect(notices(install.stderr)).toEqual([
      'pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip-guard ran `pipx install demo-app`, which failed with exit code 1',
    ]);
    expect(pipxVenvs(box)).toEqual([]);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('says so when pipx could not link a command over a file that is not its own', async () => {
    const box = sandbox();
    mkdirSync(box.pipxBin, { recursive: true });
    writeFileSync(join(box.pipxBin, 'demo-app'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const install = await box.pip(['install', ...box.offline, 'demo-app'], { env: pipxPolicy });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      `pipx did not link demo-app: ${join(box.pipxBin, 'demo-app')} is not pipx's`,
    );
    expect((await box.run(join(box.pipxBin, 'demo-app'), [])).stdout).toBe('mine\n');
  });
});

describe('policy pipx without pipx', () => {
  // Only the shims and a directory without pipx on PATH; the real pip is named outright.
  const noPipx = (box: ReturnType<typeof sandbox>, extra: Record<string, string> = {}) => ({
    ...pipxPolicy,
    PATH: `${box.shims}:/nonexistent`,
    PIP_GUARD_REAL_PIP: '/usr/bin/pip',
    ...extra,
  });

  it('falls back to the project venv and says how to get pipx', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo-app'], { env: noPipx(box) });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      'externally managed (PEP 668) and pipx is not installed (Debian/Ubuntu: apt install pipx; elsewhere: https://pipx.pypa.io), so pip installed into a new venv',
    );
    expect(existsSync(join(box.project, '.venv', 'bin', 'demo-app'))).toBe(true);
  });

  it('stops with a clear error under PIP_GUARD_PIPX_MISSING=error', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo-app'], {
      env: noPipx(box, { PIP_GUARD_PIPX_MISSING: 'error' }),
    });
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toBe(
      'pip-guard: PIP_GUARD_POLICY sends this install to pipx, and pipx is not on PATH (Debian/Ubuntu: apt install pipx; elsewhere: https://pipx.pypa.io). ' +
        'Install pipx, or unset PIP_GUARD_PIPX_MISSING=error to fall back to the project venv.\n',
    );
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });
});
