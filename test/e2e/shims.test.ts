import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { notices, runIn, SYSTEM_PATH, sandbox } from './harness.js';

describe('pip-guard setup and teardown', () => {
  it(`writes pip, pip3, pip${PY}, python3 and python${PY} once, says how to put them on PATH, and removes only them`, async () => {
    const box = sandbox();
    const dir = join(box.dir, 'bin');
    const first = await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(
      `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${dir}`,
    );
    expect(first.stdout).toContain(`export PATH="${dir}:$PATH"`);
    expect(readdirSync(dir).sort()).toEqual([
      '.pip-guard-shims',
      'pip',
      'pip-guard',
      'pip3',
      `pip${PY}`,
      'python3',
      `python${PY}`,
    ]);
    expect(statSync(join(dir, 'pip')).mode & 0o777).toBe(0o755);
    const before = readFileSync(join(dir, 'pip'), 'utf8');

    const again = await box.pipGuard(['setup', '--dir', dir], { env: { PATH: `${dir}:${SYSTEM_PATH}` } });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe(
      `pip-guard: ${dir} is up to date (pip-guard, pip, pip3, pip${PY}, python3, python${PY})\n`,
    );
    expect(readFileSync(join(dir, 'pip'), 'utf8')).toBe(before);

    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const down = await box.pipGuard(['teardown', '--dir', dir]);
    expect(down.exitCode).toBe(0);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('removes the directories it made once they are empty', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'made', 'bin');
    await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    await box.pipGuard(['teardown', '--dir', dir]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(box.dir, 'made'))).toBe(false);
    expect(existsSync(box.dir)).toBe(true);
  });

  it('will not overwrite a pip that is not its own', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'bin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'pip3'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const result = await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `pip-guard: ${dir}/pip3 exists and is not a pip-guard shim: move it away, or choose another directory with --dir.\n`,
    );
    expect(readdirSync(dir)).toEqual(['pip3']);
  });

  it('answers --version and --help, and rejects an unknown command', async () => {
    const box = sandbox();
    expect((await box.pipGuard(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await box.pipGuard(['--help'])).stdout).toContain('pip-guard setup');
    const bad = await box.pipGuard(['frobnicate']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('Unknown argument: frobnicate');
  });
});

describe('finding the real pip', () => {
  it('names a PIP_GUARD_REAL_PIP that does not exist, or cannot run', async () => {
    const box = sandbox();
    const missing = await box.pip(['install', 'demo'], { env: { PIP_GUARD_REAL_PIP: '/no/such/pip' } });
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toBe(
      'pip-guard: PIP_GUARD_REAL_PIP=/no/such/pip does not exist: point it at the real pip, or unset it.\n',
    );
    const text = join(box.dir, 'pip.txt');
    writeFileSync(text, 'not a program');
    const notExecutable = await box.pip(['--version'], { env: { PIP_GUARD_REAL_PIP: text } });
    expect(notExecutable.exitCode).toBe(126);
    expect(notExecutable.stderr).toContain(`PIP_GUARD_REAL_PIP=${text} is not an executable file`);
  });

  it('refuses a relative PIP_GUARD_REAL_PIP: it would run whatever pip the working directory holds', async () => {
    const box = sandbox();
    const marker = join(box.dir, 'ran');
    mkdirSync(join(box.project, 'bin'));
    writeFileSync(join(box.project, 'bin', 'pip'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    const env = { PIP_GUARD_REAL_PIP: 'bin/pip' };
    const message =
      'pip-guard: PIP_GUARD_REAL_PIP=bin/pip is not an absolute path, and pip-guard will not run a pip from whatever ' +
      "directory it runs in: set it to the real pip's full path, or unset it.\n";
    for (const args of [['--version'], ['install', 'demo']]) {
      expect(await box.pip(args, { env })).toMatchObject({ exitCode: 127, stdout: '', stderr: message });
    }
    expect(await box.pipGuard(['explain', '--', 'install', 'demo'], { env })).toMatchObject({
      exitCode: 127,
      stderr: message,
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a PIP_GUARD_REAL_PIP that is a shim, which would run itself', async () => {
    const box = sandbox();
    for (const shim of [join(box.shims, 'pip'), join(box.shims, 'pip3')]) {
      const result = await box.pip(['--version'], { env: { PIP_GUARD_REAL_PIP: shim } });
      expect(result.exitCode).toBe(127);
      expect(result.stderr).toBe(
        `pip-guard: PIP_GUARD_REAL_PIP=${shim} is a pip-guard shim, which would run itself: point it at the real pip, or unset it.\n`,
      );
    }
  });

  it('exits 127 with one line when only shims are on PATH, even in PATH loops', async () => {
    const box = sandbox();
    const linked = join(box.dir, 'linked-shims');
    symlinkSync(box.shims, linked);
    const empty = join(box.dir, 'empty');
    mkdirSync(empty);
    for (const path of [`${box.shims}:${empty}`, `${box.shims}:${linked}:${box.shims}:/nonexistent`]) {
      const result = await box.pip(['install', 'demo'], { env: { PATH: path } });
      expect(result.exitCode).toBe(127);
      expect(result.stderr).toBe(
        "pip-guard: no real pip on PATH besides pip-guard's shims: install pip (Debian: apt install python3-pip), or set PIP_GUARD_REAL_PIP.\n",
      );
    }
  });

  it('skips a wrapper that leads back to the shims instead of looping (pyenv `system`)', async () => {
    const box = sandbox();
    // Like pyenv's system pip: look `pip` up again on PATH minus its own directory; one runs it
    // as a child (pyenv's pip-rehash), the other execs it.
    for (const how of ['exec pip "$@"', 'pip "$@"; exit $?']) {
      const wrappers = join(box.dir, `wrap-${how.length}`);
      mkdirSync(wrappers);
      writeFileSync(join(wrappers, 'pip'), `#!/bin/sh\nPATH=${box.shims}:${SYSTEM_PATH}\n${how}\n`, {
        mode: 0o755,
      });
      const path = `${box.shims}:${wrappers}:${SYSTEM_PATH}`;
      const version = await box.pip(['--version'], { env: { PATH: path } });
      expect(version.stdout).toContain(`pip ${PIP_VERSION} from /usr/lib/python3/dist-packages/pip`);
      const install = await box.pip(['install', ...box.offline, 'demo'], { env: { PATH: path } });
      expect(install.exitCode).toBe(0);
      expect(notices(install.stderr)).toHaveLength(1);
    }
  });

  it('skips stray copies of a shim that are not in a marked directory', async () => {
    const box = sandbox();
    const [a, b] = [join(box.dir, 'a'), join(box.dir, 'b')];
    for (const dir of [a, b]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pip'), readFileSync(join(box.shims, 'pip')), { mode: 0o755 });
    }
    const result = await runIn(box.env, 'pip', ['--version'], { env: { PATH: `${a}:${b}:${SYSTEM_PATH}` } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`pip ${PIP_VERSION}`);
  });
});

describe('a shim directory shared with real programs (/usr/local/bin)', () => {
  it('the shims pass over the shims there, not a real pip that replaced one', async () => {
    const box = sandbox();
    const shared = join(box.dir, 'shared');
    await box.pipGuard(['setup', '--dir', shared], { env: { PATH: SYSTEM_PATH } });
    // What `sudo pip install -U pip --break-system-packages` does to /usr/local/bin/pip.
    writeFileSync(join(shared, 'pip'), '#!/bin/sh\necho "the pip in shared $*"\n');
    const env = { PATH: `${box.shims}:${shared}:${SYSTEM_PATH}` };
    const pip = await box.pip(['--version'], { env });
    expect(pip.stdout).toBe('the pip in shared --version\n');
    const pip3 = await box.run('pip3', ['--version'], { env });
    expect(pip3.stdout).toContain(`pip ${PIP_VERSION} from /usr/lib/python3/dist-packages/pip`);
    const forced = await box.pip(['--version'], { env: { ...env, PIP_GUARD_REAL_PIP: join(shared, 'pip') } });
    expect(forced.stdout).toBe('the pip in shared --version\n');
  });
});
