import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esc, PIP_VERSION, PY } from './env.js';
import { CLI, notices, sandbox, waitUntil } from './harness.js';

const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

describe('a project venv that is not usable', () => {
  it.each([
    [
      'has no pyvenv.cfg',
      (venv: string) => mkdirSync(join(venv, 'bin'), { recursive: true }),
      'it has no pyvenv.cfg',
    ],
    [
      'was made from a Python that is gone',
      (venv: string) => {
        mkdirSync(join(venv, 'bin'), { recursive: true });
        writeFileSync(join(venv, 'pyvenv.cfg'), 'home = /no/such/python/bin\n');
        writeFileSync(join(venv, 'bin', 'python'), '');
      },
      'the Python it was made from (home = /no/such/python/bin) is gone',
    ],
    ['is a file', (venv: string) => writeFileSync(venv, 'VIRTUAL_ENV=x\n'), 'it is a file, not a directory'],
  ])('(%s) stops the install, is named with the fix, and is left as it was', async (_, breakIt, why) => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    breakIt(venv);
    const before = existsSync(join(venv, 'bin')) ? readdirSync(join(venv, 'bin')) : [];
    const result = await box.pip(['install', ...box.offline, 'demo']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `pip-guard: ${venv} is not a usable virtual environment (${why}), so pip-guard cannot install into it. ` +
        `pip-guard did not make it and will not delete it: recreate it with \`python3 -m venv --clear ${venv}\`, ` +
        'or move it away, and run pip again.\n',
    );
    expect(existsSync(venv)).toBe(true);
    expect(existsSync(join(venv, 'bin')) ? readdirSync(join(venv, 'bin')) : []).toEqual(before);
  });

  it('is made again when pip-guard’s own creation of it was interrupted', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    // Kill pip-guard (and python -m venv) while the venv is half made.
    const child = spawn('pip', ['install', ...box.offline, 'demo'], {
      cwd: box.project,
      env: box.env,
      detached: true,
    });
    await waitUntil(() => existsSync(venv), `${venv} to appear`, 60_000, 10);
    process.kill(-(child.pid as number), 'SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(existsSync(join(venv, 'bin', 'pip'))).toBe(false);
    const result = await box.pip(['install', ...box.offline, 'demo']);
    expect(result.exitCode).toBe(0);
    expect(notices(result.stderr)[0]).toContain(`so pip installed into a new venv, ${venv}`);
  });

  it('is never removed for a marker found inside it (a repository could plant one)', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{ "venv": { "path": "src" } }');
    writeFileSync(join(box.project, 'src', 'main.py'), 'print("mine")\n');
    writeFileSync(join(box.project, 'src', '.pip-guard-incomplete'), '1\n');
    const result = await box.pip(['install', ...box.offline, 'demo']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `${join(box.project, 'src')} is not a usable virtual environment (it has no pyvenv.cfg)`,
    );
    expect(readdirSync(join(box.project, 'src')).sort()).toEqual(['.pip-guard-incomplete', 'main.py']);
  });

  it('is not used when the repository ships it: its pip would be somebody else’s code', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const ran = join(box.dir, 'ran');
    mkdirSync(join(venv, 'bin'), { recursive: true });
    writeFileSync(join(venv, 'pyvenv.cfg'), 'home = /usr/bin\n');
    symlinkSync('/usr/bin/python3', join(venv, 'bin', 'python'));
    writeFileSync(join(venv, 'bin', 'pip'), `#!/bin/sh\ntouch '${ran}'\n`, { mode: 0o755 });
    const git = (...args: string[]) =>
      box.run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: box.project });
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-qm', 'ship a venv');
    const list = await box.pip(['list', '--format=freeze']);
    expect(list.exitCode).toBe(0);
    expect(notices(list.stderr)).toEqual([]);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toContain(
      `${venv} is not a usable virtual environment (it is committed to this repository, so running its pip, or anything in its bin/, would run somebody else's code)`,
    );
    expect(existsSync(ran)).toBe(false);
  });

  it('is fine when somebody made it here and the repository does not ship it', async () => {
    const box = sandbox();
    await box.run('git', ['init', '-q'], { cwd: box.project });
    await box.run('/usr/bin/python3', ['-m', 'venv', join(box.project, '.venv')]);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into ${join(box.project, '.venv')} (Python ${PY});`,
    );
  });
});

describe('a venv that cannot be created', () => {
  it('explains the fix and leaves no half-made venv behind', async () => {
    const box = sandbox();
    // A Python without the venv module, as on Debian without python3-venv: it answers
    // pip-guard's probe like the system Python (externally managed) and fails `-m venv`.
    const fake = join(box.dir, 'fakepy');
    mkdirSync(join(fake, 'lib'), { recursive: true });
    writeFileSync(join(fake, 'lib', 'EXTERNALLY-MANAGED'), '[externally-managed]\n');
    const python = join(fake, 'python3');
    writeFileSync(
      python,
      `#!/bin/sh
if [ "$1" = -I ]; then
  echo '{"venv": false, "stdlib": "${fake}/lib", "prefix": "${fake}", "version": "${PY}"}'
  exit 0
fi
echo "The virtual environment was not created successfully because ensurepip is not available." >&2
exit 1
`,
      { mode: 0o755 },
    );
    const pip = join(fake, 'pip');
    writeFileSync(pip, `#!${python}\n`, { mode: 0o755 });
    const result = await box.pip(['install', 'demo'], { env: { PIP_GUARD_REAL_PIP: pip } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `pip-guard: \`${python} -m venv ${join(box.project, '.venv')}\` failed, so nothing was installed and pip-guard removed the partial venv: install the venv module (Debian/Ubuntu: \`apt install python3-venv\`) and run pip again.`,
    );
    expect(result.stderr).toContain('ensurepip is not available');
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    noStack(result.stderr);
  });
});

describe('pip-guard environment variables', () => {
  it('rejects a policy it does not know, naming the variable and the choices', async () => {
    const box = sandbox();
    const result = await box.pip(['install', 'demo'], { env: { PIP_GUARD_POLICY: 'yolo' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'pip-guard: PIP_GUARD_POLICY=yolo is not a policy pip-guard knows: use one of auto, venv, pipx, prompt, block, break, off, or unset it.\n',
    );
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('PIP_GUARD_POLICY=off lets pip refuse as it always did, and stops routing', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo']);
    const off = { PIP_GUARD_POLICY: 'off' };
    const refused = await box.pip(['install', ...box.offline, 'demo'], { env: off });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('error: externally-managed-environment');
    const list = await box.pip(['list', '--format=freeze'], { env: off });
    expect(list.stdout).not.toContain('demo==');
    expect(notices(list.stderr)).toEqual([]);
  });
});

describe('pip-guard environment variables that name a directory or file', () => {
  it('a relative PIP_GUARD_SYSTEM_CONFIG_DIR is refused with one paragraph, and its config is never read', async () => {
    const box = sandbox();
    // A repository could ship rel/config.json: it would be the system's word, allowing break.
    mkdirSync(join(box.project, 'rel'));
    writeFileSync(
      join(box.project, 'rel', 'config.json'),
      '{ "allowBreakSystemPackages": true, "policy": "break" }',
    );
    const message =
      'pip-guard: PIP_GUARD_SYSTEM_CONFIG_DIR=rel is not an absolute path, and pip-guard will not read the ' +
      "system's config from whatever directory it runs in: set it to an absolute directory, or unset it (then /etc/pip-guard).\n";
    const env = { PIP_GUARD_SYSTEM_CONFIG_DIR: 'rel' };
    const explain = await box.pipGuard(['explain', '--', 'install', 'demo'], { env });
    expect(explain).toMatchObject({ exitCode: 2, stdout: '', stderr: message });
    const install = await box.pip(['install', '--dry-run', ...box.offline, 'demo'], { env });
    expect(install).toMatchObject({ exitCode: 2, stdout: '', stderr: message });
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it("a relative XDG_DATA_HOME is ignored when pip-guard reads pipx's apps, as XDG says and base/env.ts does", async () => {
    const box = sandbox();
    // pipx's metadata planted in the working directory, where XDG_DATA_HOME=rel would point.
    const planted = join(box.project, 'rel', 'pipx', 'venvs', 'demo-app');
    mkdirSync(planted, { recursive: true });
    writeFileSync(
      join(planted, 'pipx_metadata.json'),
      '{ "main_package": { "package": "demo-app", "apps": ["demo-app"] } }',
    );
    const result = await box.pipGuard(['explain', '--', 'uninstall', 'demo-app'], {
      env: { XDG_DATA_HOME: 'rel', PIPX_HOME: undefined },
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain('pipx');
  });
});

describe('yes-or-no variables with a value that is neither', () => {
  const neither = (name: string, meaning: string) =>
    `pip-guard: ${name}=maybe is not a yes or no pip-guard knows: use 1 (${meaning}) or 0, or unset it.\n`;

  it('PIP_GUARD_ALLOW_BREAK=maybe stops the install (exit 2) instead of counting as no', async () => {
    const box = sandbox();
    const result = await box.pip(['install', ...box.offline, 'demo'], {
      env: { PIP_GUARD_ALLOW_BREAK: 'maybe' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(neither('PIP_GUARD_ALLOW_BREAK', 'policy break may install into the system'));
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('PIP_GUARD_DEBUG=maybe stops pip-guard (exit 2) instead of counting as no, for pip and its own commands', async () => {
    const box = sandbox();
    const bad = { PIP_GUARD_DEBUG: 'maybe' };
    const message = neither('PIP_GUARD_DEBUG', "stack traces for pip-guard's own errors");
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: bad });
    expect(install).toMatchObject({ exitCode: 2, stdout: '', stderr: message });
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    const explain = await box.pipGuard(['explain', '--', 'install', 'demo'], { env: bad });
    expect(explain).toMatchObject({ exitCode: 2, stdout: '', stderr: message });
    const on = await box.pipGuard(['explain', '--', 'install', 'demo'], { env: { PIP_GUARD_DEBUG: 'Yes' } });
    expect(on.exitCode).toBe(0);
  });

  it('PIP_GUARD_DISABLE=maybe stops a guarded command in the shim, pip or python3 -m pip, and nothing else', async () => {
    const box = sandbox();
    const bad = { PIP_GUARD_DISABLE: 'maybe' };
    const message = neither('PIP_GUARD_DISABLE', 'the shims run the real pip untouched');
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: bad });
    expect(install).toMatchObject({ exitCode: 2, stdout: '', stderr: message });
    // As the shell functions of `pip-guard init` hand `python3 -m pip` to the shim.
    const viaPython = await box.pip(['install', ...box.offline, 'demo'], {
      env: { ...bad, _PIP_GUARD_PYTHON: 'python3' },
    });
    expect(viaPython).toMatchObject({ exitCode: 2, stdout: '', stderr: message });
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    // Either way the real pip would answer this one.
    const version = await box.pip(['--version'], { env: bad });
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(new RegExp(`^pip ${esc(PIP_VERSION)} from `));
  });

  it.each([
    ['No', 0, 'so pip installed into a new venv'],
    ['off', 0, 'so pip installed into a new venv'],
    ['', 0, 'so pip installed into a new venv'],
    ['Yes', 1, undefined],
    ['on', 1, undefined],
  ])('PIP_GUARD_DISABLE=%j is understood as pip reads a yes or no', async (value, code, notice) => {
    const box = sandbox();
    const result = await box.pip(['install', ...box.offline, 'demo'], { env: { PIP_GUARD_DISABLE: value } });
    expect(result.exitCode).toBe(code);
    if (notice) expect(notices(result.stderr)[0]).toContain(notice);
    else expect(result.stderr).toContain('error: externally-managed-environment');
  });
});

describe('setup and teardown with an empty --dir', () => {
  it.each(['setup', 'teardown'])(
    '%s --dir "" is refused (exit 2) and writes nothing where it runs',
    async (command) => {
      const box = sandbox();
      const here = join(box.dir, 'here');
      mkdirSync(here);
      for (const args of [['--dir', ''], ['--dir=']]) {
        const result = await box.pipGuard([command, ...args], { cwd: here });
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toBe(
          `pip-guard: --dir is empty: name the directory ${command === 'setup' ? 'to write the shims into' : 'setup wrote the shims into'}, or leave --dir out for the default (${join(box.home, '.local', 'share', 'pip-guard', 'bin')}).\n`,
        );
        expect(readdirSync(here)).toEqual([]);
      }
    },
  );
});

describe('a working directory whose path is not UTF-8', () => {
  it('gets one true paragraph and nothing done, where pip-guard would have to name files there', async () => {
    const box = sandbox();
    // proj\xffx: a byte that is no UTF-8, which JavaScript strings cannot hold.
    const project = Buffer.concat([
      Buffer.from(join(box.dir, 'proj')),
      Buffer.from([0xff]),
      Buffer.from('x'),
    ]);
    mkdirSync(project);
    writeFileSync(Buffer.concat([project, Buffer.from('/requirements.txt')]), '');
    const inProject = (file: string, args: string[]) =>
      box.run('/bin/sh', [
        '-c',
        `cd "$(printf '%s\\377x' "$1")" && shift && exec "$@"`,
        'sh',
        join(box.dir, 'proj'),
        file,
        ...args,
      ]);
    const seen = `${join(box.dir, 'proj')}\ufffdx`;
    const paragraph =
      `pip-guard: the working directory's path has bytes that are not UTF-8 (pip-guard reads it as ${seen}), so pip-guard ` +
      'cannot name the files there and did nothing: rename the directory, or work in one whose path is UTF-8 ' +
      '(PIP_GUARD_DISABLE=1 runs the real pip without pip-guard).\n';
    const install = await inProject('pip', ['install', ...box.offline, 'demo']);
    expect(install).toMatchObject({ exitCode: 1, stdout: '', stderr: paragraph });
    expect(existsSync(join(box.home, '.local', 'share', 'pip-guard', 'venvs'))).toBe(false);
    for (const command of [['explain', '--', 'install', 'demo'], ['run', 'true'], ['config']]) {
      expect(await inProject(CLI, command)).toMatchObject({ exitCode: 1, stdout: '', stderr: paragraph });
    }
    // What does not look at the working directory works there as anywhere.
    const init = await inProject(CLI, ['init', 'bash']);
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain('function python {');
  });
});

describe('init with an empty or unusual --dir', () => {
  it('init --dir "" is refused (exit 2), as setup and teardown refuse it', async () => {
    const box = sandbox();
    for (const args of [['--dir', ''], ['--dir=']]) {
      const result = await box.pipGuard(['init', 'bash', ...args]);
      expect(result).toMatchObject({
        exitCode: 2,
        stdout: '',
        stderr:
          'pip-guard: --dir is empty: name the directory that holds the shims, or leave --dir out for the first one on PATH.\n',
      });
    }
  });

  it("init's advice quotes --dir as the shell reads it back", async () => {
    const box = sandbox();
    const dir = join(box.dir, "no shims; it's here");
    mkdirSync(dir);
    const result = await box.pipGuard(['init', 'bash', '--dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `pip-guard: ${dir} holds no pip-guard shims: run \`pip-guard setup --dir '${dir.replace("'", "'\\''")}'\` first, or name the directory setup wrote.\n`,
    );
  });
});

describe('exit codes and signals', () => {
  function fakePip(box: ReturnType<typeof sandbox>, body: string): string {
    const file = join(box.dir, 'fake-pip');
    writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  it('passes the real pip’s exit code through pip-guard', async () => {
    const box = sandbox();
    const pip = fakePip(box, 'echo out; echo err >&2; exit 42');
    const result = await box.pip(['list'], { env: { PIP_GUARD_REAL_PIP: pip } });
    expect(result).toMatchObject({ exitCode: 42, stdout: 'out\n', stderr: 'err\n' });
  });

  it('ends with the signal that killed the real pip', async () => {
    const box = sandbox();
    const pip = fakePip(box, 'kill -TERM $$');
    for (const argv of [['list'], ['--version']]) {
      const result = await box.pip(argv, { env: { PIP_GUARD_REAL_PIP: pip } });
      expect(result.signal).toBe('SIGTERM');
    }
  });

  it('ends by SIGPIPE and SIGUSR1 too when pip does (which Node ignores or debugs by default)', async () => {
    const box = sandbox();
    for (const signal of ['SIGPIPE', 'SIGUSR1'] as const) {
      const pip = fakePip(box, `kill -${signal.slice(3)} $$`);
      const result = await box.pip(['list'], { env: { PIP_GUARD_REAL_PIP: pip } });
      expect([result.exitCode, result.signal]).toEqual([undefined, signal]);
      expect(result.stderr).not.toContain('Debugger');
    }
  });

  it('passes a SIGTERM sent to pip-guard on to the real pip', async () => {
    const box = sandbox();
    const ready = join(box.dir, 'ready');
    const pip = fakePip(
      box,
      `trap 'echo got TERM; exit 7' TERM\ntouch '${ready}'\nwhile :; do sleep 0.05; done`,
    );
    const { execa } = await import('execa');
    const child = execa('pip', ['list'], {
      env: { ...box.env, PIP_GUARD_REAL_PIP: pip },
      extendEnv: false,
      reject: false,
      cwd: box.project,
    });
    await waitUntil(() => existsSync(ready), `${ready} to appear`);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe('got TERM');
  });
});
