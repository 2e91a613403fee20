// Issue 20: what pip installed is usable outside the prompt. Each case runs in a new `env -i`
// environment, as a script, a Makefile, a CI step or a container's RUN line does: a PATH with the
// shim directory before /usr/bin and nothing else of pip-guard's (no rc file, no hook).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { CLI, notices, type Result, runIn, type Sandbox, sandbox } from './harness.js';

// A script's environment: HOME, a PATH of the shims and the system's, and pip's and pipx's own
// settings for offline tests; nothing of pip-guard's.
function scriptEnv(box: Sandbox, path = `${box.shims}:/usr/bin:/bin`): Record<string, string> {
  return {
    HOME: box.home,
    PATH: path,
    LANG: 'C.UTF-8',
    PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    ...box.offlineEnv,
    PIPX_HOME: box.pipxHome,
    PIPX_BIN_DIR: box.pipxBin,
    PIPX_SHARED_LIBS: box.env.PIPX_SHARED_LIBS as string,
  };
}

const sh = (box: Sandbox, script: string, cwd = box.project, env = scriptEnv(box)): Promise<Result> =>
  runIn(
    env,
    '/usr/bin/env',
    ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'sh', '-c', script],
    {
      cwd,
    },
  );

const PREFIX = 'import sys; print(sys.prefix)';

describe('pip install, then python3, in one script', () => {
  it('imports what pip installed into the new project venv', async () => {
    const box = sandbox();
    const ran = await sh(
      box,
      'pip install demo && python3 -c "import demo, sys; print(demo.__version__, sys.prefix)"',
    );
    expect(ran.stderr).not.toContain('ModuleNotFoundError');
    expect(ran.exitCode).toBe(0);
    expect(ran.stdout).toContain(`1.1 ${join(box.project, '.venv')}\n`);
    expect(notices(ran.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${join(box.project, '.venv')} (Python ${PY}); \`python3\` here uses it`,
    ]);
  });

  it('python3 -m pip, with options before -m, goes into the project venv', async () => {
    const box = sandbox();
    const ran = await sh(box, 'python3 -m pip install demo==1.0 && python3 -I -mpip install demo==1.1');
    expect(ran.exitCode).toBe(0);
    expect(ran.stderr).not.toContain('externally-managed-environment');
    const venv = join(box.project, '.venv');
    expect(notices(ran.stderr)).toHaveLength(2);
    const imported = execFileSync(join(venv, 'bin', 'python'), [
      '-c',
      'import demo; print(demo.__version__)',
    ]);
    expect(imported.toString()).toBe('1.1\n');
  });

  it('a Makefile installs the requirements, imports them, and runs the venv’s command by name', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, 'requirements.txt'), 'demo-app==1.0\ndemo\n');
    writeFileSync(
      join(box.project, 'Makefile'),
      'all:\n\tpip install -r requirements.txt\n\tpython3 -c "import demo_app, demo"\n\tdemo-app\n',
    );
    const ran = await sh(box, 'make -s');
    expect(ran.stderr).not.toContain('not found');
    expect(ran.exitCode).toBe(0);
    expect(ran.stdout).toContain('demo-app 1.0\n');
    // Apps named in a requirements file are not named on the command line: no advice for them.
    expect(notices(ran.stderr)[0]).toMatch(/; `python3` and its commands here use it$/);
    // The command's shim runs it by name from the project's subdirectories too; elsewhere, the
    // shell's "not found", with the project that has it.
    const inside = await sh(box, 'demo-app', join(box.project, 'src'));
    expect(inside.stdout).toBe('demo-app 1.0\n');
    const outside = await sh(box, 'demo-app', box.home);
    expect(outside.exitCode).toBe(127);
    expect(outside.stderr).toBe(
      `pip-guard: demo-app: command not found here; the venv of ${box.project} has it (run it from there, or with \`pip-guard run demo-app\` there)\n`,
    );
  });
});

describe('which Python a script gets', () => {
  it('a script inside the project runs in its venv; a tool outside it keeps its own Python', async () => {
    const box = sandbox();
    await sh(box, 'pip install demo');
    const app = join(box.project, 'src', 'app.py');
    writeFileSync(app, `#!/usr/bin/env python3\n${PREFIX}\n`, { mode: 0o755 });
    const tool = join(box.dir, 'bin', 'tool');
    mkdirSync(join(box.dir, 'bin'));
    writeFileSync(tool, `#!/usr/bin/env python3\n${PREFIX}\n`, { mode: 0o755 });
    const venv = join(box.project, '.venv');
    const cases: [string, string][] = [
      ['./src/app.py', venv],
      ['python3 src/app.py', venv],
      ['cd src && python3 ../src/./app.py', venv],
      [`python3 -c '${PREFIX}'`, venv],
      [`echo '${PREFIX}' | python3`, venv],
      [`echo '${PREFIX}' | python3 -`, venv],
      [`python3 -W ignore -X utf8 -c '${PREFIX}'`, venv],
      [`python${PY} -c '${PREFIX}'`, venv],
      [tool, '/usr'],
      [`python3 ${tool}`, '/usr'],
      // In the project's path, but outside it.
      [`python3 ../bin/tool`, '/usr'],
    ];
    for (const [script, prefix] of cases) {
      const ran = await sh(box, script);
      expect([script, ran.stdout, ran.stderr]).toEqual([script, `${prefix}\n`, '']);
    }
    // Outside any project, the next python3 on PATH.
    expect((await sh(box, `python3 -c '${PREFIX}'`, box.home)).stdout).toBe('/usr\n');
  });

  it('never runs the .venv that a cloned repository ships', async () => {
    const box = sandbox();
    const origin = join(box.dir, 'origin');
    const trace = join(box.dir, 'ran-their-python');
    mkdirSync(join(origin, '.venv', 'bin'), { recursive: true });
    writeFileSync(join(origin, 'pyproject.toml'), '');
    writeFileSync(join(origin, '.venv', 'pyvenv.cfg'), `home = /usr/bin\nversion = ${PY}.2\n`);
    for (const name of ['python', 'python3', `python${PY}`]) {
      writeFileSync(join(origin, '.venv', 'bin', name), `#!/bin/sh\ntouch '${trace}'\n`, { mode: 0o755 });
    }
    const git = (args: string[], cwd: string) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'ignore' });
    git(['init', '-q'], origin);
    git(['add', '-A'], origin);
    git(['commit', '-qm', 'x'], origin);
    const clone = join(box.dir, 'clone');
    git(['clone', '-q', origin, clone], box.dir);
    for (const script of ['python3 -c pass', 'pip list; python3 -c pass', './x.py']) {
      writeFileSync(join(clone, 'x.py'), '#!/usr/bin/env python3\n', { mode: 0o755 });
      await sh(box, script, clone);
    }
    expect(existsSync(trace)).toBe(false);
  });

  it('a venv you activated wins; python3.N runs only a venv of that version; a deleted directory runs the real one', async () => {
    const box = sandbox();
    await sh(box, 'pip install demo');
    const mine = join(box.dir, 'mine');
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', mine]);
    const activated = await sh(box, `VIRTUAL_ENV='${mine}' python3 -c '${PREFIX}'`);
    expect(activated.stdout).toBe(`${mine}\n`);
    // python3.12 (a shim of that name, before a Python of that name) is not the 3.11 venv's.
    const other = join(box.dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'python3.12'), '#!/bin/sh\necho "python3.12 $*"\n', { mode: 0o755 });
    copyFileSync(join(box.shims, 'python3'), join(box.shims, 'python3.12'));
    const path = `${box.shims}:${other}:/usr/bin:/bin`;
    const twelve = await sh(box, `python3.12 -c '${PREFIX}'`, box.project, scriptEnv(box, path));
    expect(twelve.stdout).toBe(`python3.12 -c ${PREFIX}\n`);
    const gone = join(box.project, 'src', 'gone');
    mkdirSync(gone);
    const deleted = await sh(
      box,
      `cd gone && rmdir ../gone && python3 -c '${PREFIX}'`,
      join(box.project, 'src'),
    );
    // sh itself says its getcwd() failed as it starts; pip-guard adds nothing.
    expect(deleted.stdout).toBe('/usr\n');
    expect(deleted.stderr).not.toContain('pip-guard');
  });
});

describe('the python shim as a program', () => {
  it('passes exit codes and signals through, and forks nothing of its own', async () => {
    const box = sandbox();
    await sh(box, 'pip install demo');
    for (const cwd of [box.project, box.home]) {
      const code = await runIn(
        scriptEnv(box),
        join(box.shims, 'python3'),
        ['-c', 'import sys; sys.exit(3)'],
        { cwd },
      );
      expect(code.exitCode).toBe(3);
      const signal = await runIn(
        scriptEnv(box),
        join(box.shims, 'python3'),
        ['-c', 'import os, signal; os.kill(os.getpid(), signal.SIGTERM)'],
        { cwd },
      );
      expect(signal.signal).toBe('SIGTERM');
      const traced = await runIn(
        scriptEnv(box),
        '/usr/bin/strace',
        ['-f', '-qq', '-e', 'trace=execve,clone,clone3,fork,vfork', join(box.shims, 'python3'), '-c', 'pass'],
        { cwd },
      );
      const calls = traced.stderr
        .split('\n')
        .filter((line) => /^(\[pid +\d+\] )?(execve|clone3?|v?fork)\(/.test(line));
      // The kernel runs the shim with sh, and sh execs the interpreter: two execs, nothing else.
      expect(
        calls.map((line) => /(execve|clone3?|v?fork)\("?([^",)]*)/.exec(line)?.slice(1).join(' ')),
      ).toEqual([
        `execve ${join(box.shims, 'python3')}`,
        `execve ${cwd === box.project ? join(box.project, '.venv', 'bin', 'python3') : '/usr/bin/python3'}`,
      ]);
    }
  });
});

describe('setup and the python shims', () => {
  it('writes a python shim only for names on PATH, removes them with --no-python, and teardown removes the commands’ shims', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'fresh');
    const env = { ...box.env, PATH: '/usr/bin:/bin' };
    const setup = await runIn(env, CLI, ['setup', '--dir', dir]);
    expect(setup.exitCode).toBe(0);
    const names = readdirSync(dir).filter((name) => name.startsWith('python'));
    expect(names.sort()).toEqual(['python3', `python${PY}`]);
    await sh(box, 'pip install demo-app', box.project, scriptEnv(box, `${dir}:/usr/bin:/bin`));
    expect(readdirSync(dir)).toContain('demo-app');
    const noPython = await runIn(env, CLI, ['setup', '--dir', dir, '--no-python']);
    expect(noPython.stdout).toContain(`pip-guard: removed python3, python${PY}, demo-app from ${dir}`);
    expect(readdirSync(dir).filter((name) => name.startsWith('python') || name === 'demo-app')).toEqual([]);
    // Kept by later setups until --python.
    await runIn(env, CLI, ['setup', '--dir', dir]);
    expect(existsSync(join(dir, 'python3'))).toBe(false);
    await runIn(env, CLI, ['setup', '--dir', dir, '--python']);
    expect(existsSync(join(dir, 'python3'))).toBe(true);
    await sh(box, 'pip install demo-app==1.1', box.project, scriptEnv(box, `${dir}:/usr/bin:/bin`));
    const teardown = await runIn(env, CLI, ['teardown', '--dir', dir]);
    expect(teardown.exitCode).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it('with --no-python, the notice gives the advice of before', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'fresh');
    await runIn({ ...box.env, PATH: '/usr/bin:/bin' }, CLI, ['setup', '--dir', dir, '--no-python']);
    const ran = await sh(box, 'pip install demo', box.project, scriptEnv(box, `${dir}:/usr/bin:/bin`));
    expect(notices(ran.stderr)[0]).toMatch(
      /; use it with `pip-guard run python3 …` or `eval "\$\(pip-guard activate\)"`$/,
    );
  });

  it('never shadows pip-guard’s own shims, nor a file of somebody else’s, and a stale command shim is harmless', async () => {
    const box = sandbox();
    writeFileSync(join(box.shims, 'demo-app'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    await sh(box, 'pip install demo-app');
    expect(readFileSync(join(box.shims, 'demo-app'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
    rmSync(join(box.shims, 'demo-app'));
    await sh(box, 'pip install --force-reinstall demo-app');
    expect((await sh(box, 'demo-app')).stdout).toBe('demo-app 1.1\n');
    rmSync(join(box.project, '.venv'), { recursive: true });
    const stale = await sh(box, 'demo-app');
    expect([stale.exitCode, stale.stderr]).toEqual([127, 'demo-app: command not found\n']);
  });
});

describe('CI and containers', () => {
  it('GitHub Actions: setup, pip install and python3 in three steps, each a new shell', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'runner-shims');
    const githubPath = join(box.dir, 'github_path');
    writeFileSync(githubPath, '');
    const runner = '/usr/bin:/bin';
    const ci = { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_PATH: githubPath };
    const setup = await sh(box, `'${CLI}' setup --dir '${dir}'`, box.project, {
      ...scriptEnv(box, runner),
      ...ci,
    });
    expect(setup.exitCode).toBe(0);
    expect(setup.stdout).toContain(`pip-guard: added ${dir} and pipx's ${box.pipxBin} to GITHUB_PATH`);
    // The runner puts GITHUB_PATH's lines first, the last one added first.
    const step = () => {
      const lines = readFileSync(githubPath, 'utf8').split('\n').filter(Boolean).reverse();
      return { ...scriptEnv(box, [...lines, runner].join(':')), ...ci };
    };
    const install = await sh(box, 'pip install demo', box.project, step());
    expect(install.exitCode).toBe(0);
    const use = await sh(box, 'python3 -c "import demo"', box.project, step());
    expect([use.exitCode, use.stderr]).toEqual([0, '']);
  });

  it('a Dockerfile’s RUN lines: requirements into the venv, an app into pipx, both usable in the next line', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'image-bin');
    const app = join(box.dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'requirements.txt'), 'demo\n');
    writeFileSync(join(app, 'app.py'), 'import demo\nprint("app", demo.__version__)\n');
    // ENV PATH=…: the shim directory, then pipx's bin directory, then the image's own.
    const image = scriptEnv(box, `${dir}:${box.pipxBin}:/usr/bin:/bin`);
    const lines = [
      `'${CLI}' setup --dir '${dir}'`,
      'pip install -r requirements.txt',
      'pip install demo-app',
      'demo-app',
      'python3 app.py',
    ];
    const outputs: string[] = [];
    for (const line of lines) {
      const ran = await sh(box, line, app, image);
      expect([line, ran.exitCode]).toEqual([line, 0]);
      outputs.push(ran.stdout);
    }
    expect(outputs.slice(3)).toEqual(['demo-app 1.1\n', 'app 1.1\n']);
  });
});
