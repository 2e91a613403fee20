// Issue 9, items 7, 9, 10, 11 and 12: the edges a user meets, each with a clear paragraph or the
// same answer pip-guard gives everywhere else.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { BUNDLE, CLI, NODE24, notices, sandbox } from './harness.js';
import { quote, venvRecords } from './stall.js';

const MANAGED = 'pip-guard: /usr/bin/python3 is externally managed (PEP 668)';

describe('a working directory that was deleted', () => {
  // What /bin/sh (dash), which runs the shim, prints when it starts without a working directory.
  const SHELL_START = 'sh: 0: getcwd() failed: No such file or directory\n';

  it('pip install says and exits what the real pip does; pip-guard explain says so in one paragraph', async () => {
    const box = sandbox();
    const gone = join(box.dir, 'gone');
    const from = (command: string[]) => {
      mkdirSync(gone);
      return box.run('/bin/sh', [
        '-c',
        `cd ${quote(gone)} && rmdir ${quote(gone)} && exec ${command.join(' ')}`,
      ]);
    };
    const real = await from(['/usr/bin/pip', 'install', 'demo']);
    expect(real.stderr).toBe('The folder you are executing pip from can no longer be found.\n');
    const shimmed = await from(['pip', 'install', 'demo']);
    expect(shimmed.exitCode).toBe(real.exitCode);
    expect(shimmed.stdout).toBe(real.stdout);
    expect(shimmed.stderr.replace(SHELL_START, '')).toBe(real.stderr);

    // The binary's runtime (Bun) says it before any of pip-guard runs; the bundle, pip-guard.
    const explain = await from([quote(CLI), 'explain', 'install', 'demo']);
    expect(explain).toMatchObject({ exitCode: 1, stdout: '' });
    expect(explain.stderr).toBe(
      "error: The current working directory was deleted, so that command didn't work. Please cd into a different directory and try again.\n",
    );
    const bundled = await from([quote(NODE24), quote(BUNDLE), 'explain', 'install', 'demo']);
    expect(bundled).toMatchObject({ exitCode: 1, stdout: '' });
    expect(bundled.stderr).toBe(
      'pip-guard: the directory you are running pip-guard from no longer exists: `cd` to one that does, and run it again.\n',
    );
  });
});

describe('a venv.path that cannot be made', () => {
  it('whose parent is a file: one paragraph naming the path and the fix, and nothing made', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, 'afile'), 'mine\n');
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{"venv": {"path": "afile/venv"}}\n');
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toBe(
      `pip-guard: pip-guard cannot make the venv ${join(box.project, 'afile', 'venv')}: ` +
        `${join(box.project, 'afile')} is a file, not a directory. Nothing was installed. Choose another place with ` +
        'venv.path in the project\'s config (for example ".venv"), or fix the path, and run pip again.\n',
    );
    expect(readdirSync(box.project).sort()).toEqual(['.pip-guardrc.json', 'afile', 'pyproject.toml', 'src']);
    expect(readFileSync(join(box.project, 'afile'), 'utf8')).toBe('mine\n');
    expect(venvRecords(box)).toEqual([]);
  });
});

describe('a directory of pip-guard’s own that it cannot write', () => {
  it.each([
    ['XDG_STATE_HOME', 'its records of the venvs it made', 'venvs'],
    ['XDG_CACHE_HOME', 'the locks that keep two installs from making one venv at once', 'locks'],
  ])('under %s: one paragraph naming it and the variable, and nothing made', async (variable, keeps, sub) => {
    const box = sandbox();
    const file = join(box.dir, 'a-file');
    writeFileSync(file, '');
    const install = await box.pip(['install', ...box.offline, 'demo'], {
      env: { [variable]: join(file, 'x') },
    });
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toBe(
      `pip-guard: pip-guard cannot write ${join(file, 'x', 'pip-guard', sub)} (ENOTDIR: ${file} is a file, not a directory), where it keeps ${keeps}, ` +
        `so nothing was installed. Make it a directory pip-guard may write, or set ${variable} to one, and run pip again.\n`,
    );
    expect(readdirSync(box.project).sort()).toEqual(['pyproject.toml', 'src']);
  });
});

describe('where a project is', () => {
  it('a pip-guard config file makes its directory a project root (~/code/.pip-guardrc.json in ~/code/a/b)', async () => {
    const box = sandbox();
    const code = join(box.home, 'code');
    mkdirSync(join(code, 'a', 'b'), { recursive: true });
    writeFileSync(join(code, '.pip-guardrc.json'), '{"policy": "venv"}\n');
    const install = await box.pip(['install', ...box.offline, 'demo-app'], { cwd: join(code, 'a', 'b') });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(code, '.venv')} (Python ${PY})`,
    );
    expect(readdirSync(code).sort()).toEqual(['.pip-guardrc.json', '.venv', 'a']);
  });

  it('a .git in HOME (a dotfile repository) does not make HOME a project', async () => {
    const box = sandbox();
    expect((await box.run('git', ['init', '-q'], { cwd: box.home })).exitCode).toBe(0);
    const x = join(box.home, 'x');
    mkdirSync(x);
    const install = await box.pip(['install', ...box.offline, 'demo'], { cwd: x });
    expect(install.exitCode).toBe(0);
    const venv = join(box.home, '.local', 'share', 'pip-guard', 'venvs', `python${PY}`);
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into pip-guard's default venv ${venv} (Python ${PY}, no project here); use it with`,
    );
    expect(existsSync(join(box.home, '.venv'))).toBe(false);
  });
});

describe('pip3.N and a project venv of another Python', () => {
  it(`pip${PY} stops with both versions and the two ways on; plain pip uses the venv and names its version`, async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    const cfg = join(venv, 'pyvenv.cfg');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^version = .*$/m, 'version = 3.12.1'));
    const versioned = await box.run(`pip${PY}`, ['install', ...box.offline, 'demo']);
    expect(versioned.exitCode).toBe(1);
    expect(versioned.stderr).toBe(
      `pip-guard: pip${PY} is for Python ${PY}, and ${venv} runs Python 3.12, so pip-guard did not install anything there. ` +
        `Either use the venv's Python: run \`pip\` (pip-guard takes it to the venv) or \`${venv}/bin/pip\` instead; or give Python ${PY} a venv of its own: ` +
        `\`python${PY} -m venv ${venv}-${PY}\` and activate it (\`source ${venv}-${PY}/bin/activate\`), then run pip again.\n`,
    );
    const python = join(venv, 'bin', 'python');
    expect((await box.run(python, ['-c', 'import demo'])).exitCode).toBe(1);
    const plain = await box.pip(['install', ...box.offline, 'demo']);
    expect(plain.exitCode).toBe(0);
    expect(notices(plain.stderr)[0]).toContain(`so pip installed into ${venv} (Python 3.12);`);
    expect((await box.run(python, ['-c', 'import demo'])).exitCode).toBe(0);
  });
});

describe('behind a wrapper pip-guard cannot read (pyenv-style)', () => {
  it('after a redirected install, pip list and pip freeze show the venv, as uninstall does', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const wrapper = join(box.dir, 'wrapped-pip');
    writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/pip "$@"\n', { mode: 0o755 });
    const env = { PIP_GUARD_REAL_PIP: wrapper };
    expect((await box.pip(['install', ...box.offline, 'demo==1.0'], { env })).exitCode).toBe(0);
    for (const [command, shown] of [
      ['list', /^demo +1\.0$/m],
      ['freeze', /^demo==1\.0$/m],
    ] as const) {
      const result = await box.pip([command], { env });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(shown);
      expect(notices(result.stderr)).toEqual([
        `pip-guard: this is ${venv}, this project's venv (/usr/bin/python3 is externally managed); ` +
          `PIP_GUARD_POLICY=off pip ${command} shows the system's packages`,
      ]);
    }
    const uninstall = await box.pip(['uninstall', '-y', 'demo'], { env });
    expect(uninstall.stdout).toContain('Successfully uninstalled demo-1.0');
  });
});

describe('smaller edges', () => {
  it('an active conda environment (CONDA_PREFIX) gets the install, not the project venv', async () => {
    const box = sandbox();
    const conda = join(box.dir, 'conda');
    await box.run('/usr/bin/python3', ['-m', 'venv', conda]);
    mkdirSync(join(conda, 'conda-meta'));
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: { CONDA_PREFIX: conda } });
    expect(install.exitCode).toBe(0);
    // Active already: no activation advice.
    expect(notices(install.stderr)).toEqual([
      `${MANAGED}, so pip installed into the active conda environment ${conda}`,
    ]);
    expect((await box.run(join(conda, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('pip-guard explain install -U x works without --', async () => {
    const box = sandbox();
    const explain = await box.pipGuard(['explain', 'install', '-U', 'x']);
    expect(explain.exitCode).toBe(0);
    expect(explain.stdout.split('\n')[0]).toBe('pip-guard explain: pip install -U x');
    expect(explain.stdout).toContain(`$ ${join(box.project, '.venv', 'bin', 'pip')} install -U x`);
  });

  it('a broken .venv that is a symlink gets a fix that is not `venv --clear` (it would empty the target)', async () => {
    const box = sandbox();
    const elsewhere = join(box.dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'mine.txt'), 'mine\n');
    const venv = join(box.project, '.venv');
    symlinkSync(elsewhere, venv);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toBe(
      `pip-guard: ${venv} is not a usable virtual environment (it has no pyvenv.cfg), so pip-guard cannot install into it. ` +
        `pip-guard did not make it and will not delete it: remove the symlink (\`rm ${venv}\`) or point it at a working venv, and run pip again.\n`,
    );
    expect(readdirSync(elsewhere)).toEqual(['mine.txt']);
  });

  // The pipx uninstall question at end of input (exit 2) is held by pipx-policy.test.ts, "asks
  // before pipx uninstalls an app…"; teardown removing the directories setup made, parents
  // included, by setup.test.ts, "teardown removes every directory setup made…".
});
