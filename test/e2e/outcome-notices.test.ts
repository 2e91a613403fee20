// Issue 9, items 1, 2, 3 and 8: pip-guard's last line says how the run ended and what the user
// asked for; a venv made for an install that failed is gone again; a dry run makes nothing; a
// venv pip-guard makes is never committed by accident.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, SYSTEM_PATH, sandbox } from './harness.js';
import { venvRecords } from './stall.js';

const MANAGED = 'pip-guard: /usr/bin/python3 is externally managed (PEP 668)';
const REMOVED = 'pip-guard removed the venv it had made for this install, which held nothing of yours';
const lastLine = (stderr: string) => stderr.trimEnd().split('\n').at(-1);

describe('an install that fails in the venv pip-guard made for it', () => {
  it.each([
    ['a package no index has', ['no-such-pkg'], 'No matching distribution found for no-such-pkg'],
    ['a requirements file that is not there', ['-r', 'nope.txt'], 'Could not open requirements file'],
  ])(
    '%s: pip’s exit code, a last line saying pip failed and where, and no venv left',
    async (_, args, error) => {
      const box = sandbox();
      const venv = join(box.project, '.venv');
      const install = await box.pip(['install', ...box.offline, ...args]);
      expect(install.exitCode).toBe(1);
      expect(install.stderr).toContain(error);
      expect(notices(install.stderr)).toEqual([
        `${MANAGED}, so pip ran in a new venv, ${venv}, and failed with exit code 1; ${REMOVED}`,
      ]);
      expect(lastLine(install.stderr)).toBe(notices(install.stderr)[0]);
      expect(existsSync(venv)).toBe(false);
      expect(readdirSync(box.project).sort()).toEqual(['pyproject.toml', 'src']);
      expect(venvRecords(box)).toEqual([]);
    },
  );

  it('keeps a venv it did not make, and says pip failed there', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    expect((await box.pip(['install', ...box.offline, 'demo'])).exitCode).toBe(0);
    const install = await box.pip(['install', ...box.offline, 'no-such-pkg']);
    expect(install.exitCode).toBe(1);
    expect(notices(install.stderr)).toEqual([
      `${MANAGED}, so pip ran in ${venv}, and failed with exit code 1`,
    ]);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
  });

  it('pipx: a failed `pipx install` is named, with its exit code', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo-app==9.9'], {
      env: { PIP_GUARD_POLICY: 'pipx' },
    });
    expect(install.exitCode).toBe(1);
    expect(notices(install.stderr)).toEqual([
      `${MANAGED}, so pip-guard ran \`pipx install demo-app\`, which failed with exit code 1`,
    ]);
    expect(lastLine(install.stderr)).toBe(notices(install.stderr)[0]);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('a routed pip uninstall that fails in the venv says so', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.pip(['install', ...box.offline, 'demo']);
    const uninstall = await box.pip(['uninstall', '-y', '-r', 'nope.txt']);
    expect(uninstall.exitCode).toBe(1);
    expect(uninstall.stderr).toContain('Could not open requirements file');
    expect(notices(uninstall.stderr)).toEqual([
      `pip-guard: pip uninstall ran in ${venv}, this project's venv (/usr/bin/python3 is externally managed), ` +
        "and failed with exit code 1; the system's own packages are its package manager's to remove",
    ]);
    expect(existsSync(join(venv, 'bin', 'python'))).toBe(true);
  });
});

describe('a dry run where pip-guard would make a venv', () => {
  it('shows what would be installed, makes nothing, and names the venv a real install would use', async () => {
    const box = sandbox();
    const tmp = join(box.dir, 'tmp');
    mkdirSync(tmp);
    const venv = join(box.project, '.venv');
    const dryRun = await box.pip(['install', '--dry-run', ...box.offline, 'demo==1.0'], {
      env: { TMPDIR: tmp },
    });
    expect(dryRun.exitCode).toBe(0);
    expect(dryRun.stdout).toContain('Would install demo-1.0');
    expect(notices(dryRun.stderr)).toEqual([
      `${MANAGED}: this was a dry run, so pip-guard made nothing; a real install would go into a new venv, ${venv} (Python ${PY}): it would install demo 1.0`,
    ]);
    expect(readdirSync(box.project).sort()).toEqual(['pyproject.toml', 'src']);
    expect(venvRecords(box)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('with a TMPDIR that is not there: one paragraph naming it, and nothing made', async () => {
    const box = sandbox();
    const tmp = join(box.dir, 'no-such-tmp');
    const dryRun = await box.pip(['install', '--dry-run', ...box.offline, 'demo'], { env: { TMPDIR: tmp } });
    expect(dryRun.exitCode).toBe(1);
    expect(dryRun.stderr).toBe(
      `pip-guard: pip-guard cannot make a temporary directory in ${tmp} (ENOENT) to show what this dry run would install: ` +
        'set TMPDIR to a directory pip-guard may write, and run pip again.\n',
    );
    expect(readdirSync(box.project).sort()).toEqual(['pyproject.toml', 'src']);
  });
});

describe('a venv pip-guard makes inside a git repository', () => {
  it('carries a .gitignore holding *, so git status shows nothing of it', async () => {
    const box = sandbox();
    expect((await box.run('git', ['init', '-q'])).exitCode).toBe(0);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(readFileSync(join(box.project, '.venv', '.gitignore'), 'utf8').split('\n')).toContain('*');
    const status = await box.run('git', ['status', '--porcelain', '--untracked-files=all']);
    expect(status.stdout).toBe('?? pyproject.toml\n');
  });
});

describe('the notice says what the user asked for', () => {
  it('names a --user it left out', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const install = await box.pip(['install', '--user', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([
      `${MANAGED}, so pip installed into a new venv, ${venv} (Python ${PY}); \`python3\` here uses it; ` +
        '--user was left out: a venv has no separate user site',
    ]);
  });

  it('names an app’s command in the venv, which runs by name through its shim, and the pipx install that puts it on PATH', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const install = await box.pip(['install', ...box.offline, 'demo-app'], {
      env: { PIP_GUARD_POLICY: 'venv' },
    });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([
      `${MANAGED}, so pip installed into a new venv, ${venv} (Python ${PY}); \`python3\` and its commands here use it; ` +
        "demo-app's command is in the venv: run demo-app, or `pipx install demo-app` to have it on PATH apart from this project",
    ]);
    expect((await box.run('demo-app', [])).stdout).toBe('demo-app 1.1\n');
  });

  it('gives the path of an app’s command in the venv where no python shim of pip-guard’s is on PATH', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const pipOnly = join(box.dir, 'pip-only');
    mkdirSync(pipOnly);
    for (const name of ['pip', '.pip-guard-shims']) copyFileSync(join(box.shims, name), join(pipOnly, name));
    const install = await box.pip(['install', ...box.offline, 'demo-app'], {
      env: { PIP_GUARD_POLICY: 'venv', PATH: `${pipOnly}:${SYSTEM_PATH}` },
    });
    expect(notices(install.stderr)).toEqual([
      `${MANAGED}, so pip installed into a new venv, ${venv} (Python ${PY}); use it with \`pip-guard run python3 …\` or \`eval "$(pip-guard activate)"\`; ` +
        `demo-app's command is in the venv: run ${venv}/bin/demo-app, or \`pipx install demo-app\` to have it on PATH apart from this project`,
    ]);
    expect(readdirSync(pipOnly).sort()).toEqual(['.pip-guard-shims', 'pip']);
  });

  it('policy block suggests one pipx install per package (Debian’s pipx 1.1 takes one)', async () => {
    const box = sandbox();
    const install = await box.pip(['install', 'demo-app', 'demo'], { env: { PIP_GUARD_POLICY: 'block' } });
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toBe(
      `${MANAGED}, and pip-guard's policy block (PIP_GUARD_POLICY) keeps installs out of it, so nothing was installed. ` +
        "What works: for a project's library, `python3 -m venv .venv && .venv/bin/pip install demo-app demo`; " +
        'for a command-line app, `pipx install demo-app`, `pipx install demo`.\n',
    );
  });
});

// Issue 21: the last line is computed from what the run changed, never from the plan.
describe('the notice says what changed', () => {
  it('a second install of the same requirement: it was there already, and nothing changed', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const again = await box.pip(['install', ...box.offline, 'demo==1.0']);
    expect(again.stdout).toContain('Requirement already satisfied: demo==1.0');
    expect(notices(again.stderr)).toEqual([
      `${MANAGED}, so pip ran in ${venv} (Python ${PY}): demo 1.0 was there already, and nothing changed`,
    ]);
  });

  it('a dry run in an existing venv: what pip would install, and nothing changed', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const dry = await box.pip(['install', '--dry-run', ...box.offline, 'demo==1.1']);
    expect(dry.stdout).toContain('Would install demo-1.1');
    expect(notices(dry.stderr)).toEqual([
      `${MANAGED}, so pip's dry run ran in ${venv} (Python ${PY}): it would install demo 1.1, and changed nothing`,
    ]);
    const { stdout } = await box.run(join(venv, 'bin', 'python'), [
      '-c',
      'import demo; print(demo.__version__)',
    ]);
    expect(stdout).toBe('1.0\n');
  });

  it("pipx's “already installed”: the app was in pipx already, and pipx changed nothing", async () => {
    const box = sandbox();
    const env = { ...box.offlineEnv, PIP_GUARD_POLICY: 'pipx' };
    const first = await box.pip(['install', 'demo-app'], { env });
    expect(notices(first.stderr)[0]).toContain('demo-app went to pipx');
    const again = await box.pip(['install', 'demo-app'], { env });
    expect(again.exitCode).toBe(0);
    expect(notices(again.stderr)).toEqual([
      `${MANAGED}, so demo-app was in pipx already, and pipx changed nothing: run demo-app (linked in ${box.pipxBin}); ${box.pipxBin} is not on PATH yet: run \`pipx ensurepath\` and open a new shell (until then: ${box.pipxBin}/demo-app)`,
    ]);
  });
});
