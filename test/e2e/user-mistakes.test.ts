// Issue 15, item 3: a directory the user cannot write, an odd file where pip-guard reads one, a
// Python that answers pip-guard's probe with something else: each was an internal error (exit
// 70), and is one paragraph naming the path and the fix, or no trouble at all. Tests run as root,
// who may write anywhere: a file in the way, a read-only bind mount or another user make
// "cannot write" real.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esc, PIP_VERSION, PY } from './env.js';
import {
  CLI,
  notices,
  openDir,
  type RunOptions,
  runIn,
  type Sandbox,
  SYSTEM_PATH,
  sandbox,
} from './harness.js';
import { inTerminal } from './stall.js';

const noInternalError = (stderr: string) => expect(stderr).not.toContain('internal error');

// FILE ARGS with DIR read-only: a bind mount of it, in a mount namespace of the command's own.
const READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"';
const withReadOnly = (box: Sandbox, dir: string, file: string, args: string[], options: RunOptions = {}) =>
  box.run(
    '/usr/bin/unshare',
    ['--mount', '--', '/bin/sh', '-c', READ_ONLY, 'sh', dir, file, ...args],
    options,
  );

const asNobody = (box: Sandbox, file: string, args: string[]) =>
  runIn(box.env, 'setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', file, ...args], {
    cwd: '/',
    env: { HOME: '/nonexistent', PATH: SYSTEM_PATH },
  });

const setupCannot = (dir: string, why: string) =>
  `pip-guard: pip-guard cannot write ${dir} (${why}), where setup puts the shims and pip-guard, so it wrote nothing. ` +
  'Choose a directory you may write with --dir, or make this one writable, and run setup again.\n';

describe('setup --dir a directory pip-guard cannot write', () => {
  it('under a file: one paragraph naming the file, exit 1, and nothing made', async () => {
    const box = sandbox();
    const file = join(box.dir, 'afile');
    writeFileSync(file, 'mine\n');
    const dir = join(file, 'bin');
    const result = await box.pipGuard(['setup', '--dir', dir]);
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toBe(setupCannot(dir, `ENOTDIR: ${file} is a file, not a directory`));
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('on a read-only file system: the same, and nothing made', async () => {
    const box = sandbox();
    const ro = join(box.dir, 'ro');
    mkdirSync(ro);
    const dir = join(ro, 'bin');
    const result = await withReadOnly(box, ro, CLI, ['setup', '--dir', dir]);
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toBe(setupCannot(dir, 'EROFS: a read-only file system'));
    expect(readdirSync(ro)).toEqual([]);
  });

  it("as another user, in root's directory: the same", async () => {
    const box = sandbox();
    const roots = join(openDir(), 'roots');
    mkdirSync(roots, { mode: 0o755 });
    const dir = join(roots, 'bin');
    const result = await asNobody(box, CLI, ['setup', '--dir', dir]);
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toBe(setupCannot(dir, 'EACCES: permission denied'));
    expect(readdirSync(roots)).toEqual([]);
  });
});

describe('teardown --dir where pip-guard cannot write', () => {
  it('removes nothing, says why in one paragraph, and works once it can', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'shims');
    expect((await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } })).exitCode).toBe(0);
    const before = readdirSync(dir).sort();
    const result = await withReadOnly(box, dir, CLI, ['teardown', '--dir', dir]);
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toBe(
      `pip-guard: pip-guard cannot remove the shims from ${dir} (EROFS: a read-only file system), so teardown removed nothing: ` +
        `run it as the user who ran setup there, or make ${dir} writable, and run teardown again.\n`,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    const again = await box.pipGuard(['teardown', '--dir', dir]);
    expect(again.exitCode).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('setup --modify-path and teardown with an rc file pip-guard cannot write', () => {
  it('setup writes nothing, teardown removes nothing, each says why in one paragraph', async () => {
    const box = sandbox();
    const rc = join(box.home, '.bashrc');
    writeFileSync(rc, '# mine\n');
    const dir = join(box.dir, 'shims');
    const env = { SHELL: '/bin/bash', PATH: SYSTEM_PATH };
    const setup = await withReadOnly(box, rc, CLI, ['setup', '--modify-path', '--dir', dir], { env });
    expect(setup).toMatchObject({ exitCode: 1, stdout: '' });
    expect(setup.stderr).toBe(
      `pip-guard: pip-guard cannot add the PATH line to ${rc} (EROFS: a read-only file system), so setup wrote nothing: ` +
        'make it writable, or leave out --modify-path and add the line yourself, and run setup again.\n',
    );
    expect(existsSync(dir)).toBe(false);
    expect((await box.pipGuard(['setup', '--modify-path', '--dir', dir], { env })).exitCode).toBe(0);
    const before = readdirSync(dir).sort();
    const teardown = await withReadOnly(box, rc, CLI, ['teardown', '--dir', dir]);
    expect(teardown).toMatchObject({ exitCode: 1, stdout: '' });
    expect(teardown.stderr).toBe(
      `pip-guard: pip-guard cannot take the PATH line out of ${rc} (EROFS: a read-only file system), so teardown removed nothing: ` +
        'make it writable, and run teardown again.\n',
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    expect((await box.pipGuard(['teardown', '--dir', dir])).exitCode).toBe(0);
    expect(readFileSync(rc, 'utf8')).toBe('# mine\n');
  });
});

describe('trust and untrust with a state directory pip-guard cannot write', () => {
  it.each([
    ['under a file', 'file'],
    ['on a read-only file system', 'read-only'],
  ])('%s: one paragraph naming it and XDG_STATE_HOME, exit 1', async (_, how) => {
    const box = sandbox();
    const file = join(box.project, 'pip-guard.config.js');
    writeFileSync(file, "module.exports = { policy: 'venv' };\n");
    const state = join(box.dir, 'state');
    let trust: Awaited<ReturnType<Sandbox['run']>>;
    let why: string;
    if (how === 'file') {
      writeFileSync(state, '');
      trust = await box.pipGuard(['trust', file], { env: { XDG_STATE_HOME: state } });
      why = `ENOTDIR: ${state} is a file, not a directory`;
    } else {
      mkdirSync(state);
      trust = await withReadOnly(box, state, CLI, ['trust', file], { env: { XDG_STATE_HOME: state } });
      why = 'EROFS: a read-only file system';
    }
    expect(trust).toMatchObject({ exitCode: 1, stdout: '' });
    expect(trust.stderr).toBe(
      `pip-guard: pip-guard cannot write ${join(state, 'pip-guard', 'trust')} (${why}), where it keeps its trust records, ` +
        `so ${file} is not trusted. Make it a directory pip-guard may write, or set XDG_STATE_HOME to one, and run \`pip-guard trust\` again.\n`,
    );
    for (const args of [
      ['trust', '--list'],
      ['untrust', file],
    ]) {
      const other = await box.pipGuard(args, { env: { XDG_STATE_HOME: state } });
      expect(other.exitCode).toBe(0);
      noInternalError(other.stderr);
    }
  });

  it('trust of a directory named like a JavaScript config: one paragraph, exit 2', async () => {
    const box = sandbox();
    const dir = join(box.project, 'pip-guard.config.js');
    mkdirSync(dir);
    const result = await box.pipGuard(['trust', dir]);
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toBe(
      `pip-guard: ${dir} cannot be read (EISDIR: a directory where a file should be): name a config file you may read.\n`,
    );
  });
});

// A real pip (PIP_GUARD_REAL_PIP) whose #! names `python3`, a wrapper script running `body`.
function wrappedPip(box: Sandbox, body: string): { pip: string; python: string } {
  const bin = join(box.dir, 'wrapped');
  mkdirSync(bin);
  const python = join(bin, 'python3');
  writeFileSync(python, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  const pip = join(bin, 'pip');
  writeFileSync(pip, `#!${python}\nfrom pip._internal.cli.main import main\nimport sys\nsys.exit(main())\n`, {
    mode: 0o755,
  });
  return { pip, python };
}

describe('a Python whose answer to pip-guard’s probe is not the one it asks for', () => {
  it('a wrapper that prints a line after it: the answer is still found, and the install redirected', async () => {
    const box = sandbox();
    const { pip, python } = wrappedPip(
      box,
      '/usr/bin/python3 "$@"\nstatus=$?\necho "bye from the wrapper"\nexit $status',
    );
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: { PIP_GUARD_REAL_PIP: pip } });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      `pip-guard: ${python} is externally managed (PEP 668), so pip installed into a new venv, ${join(box.project, '.venv')}`,
    );
  });

  it('a program that prints {}: pip runs as typed, and which names what it printed', async () => {
    const box = sandbox();
    const { pip, python } = wrappedPip(box, "echo '{}'");
    const env = { PIP_GUARD_REAL_PIP: pip };
    const install = await box.pip(['install', ...box.offline, 'demo'], { env });
    expect(install).toMatchObject({ exitCode: 0, stdout: '{}\n', stderr: '' });
    const which = await box.pipGuard(['which'], { env });
    expect(which.exitCode).toBe(0);
    expect(which.stdout).toContain(
      `(${python} printed "{}" where pip-guard asked it about PEP 668, not an answer (is it a Python, or a wrapper that prints more?)): pip-guard cannot tell which Python it runs`,
    );
  });

  it('a cached answer of another shape is asked again', async () => {
    const box = sandbox();
    expect((await box.pip(['list'])).exitCode).toBe(0);
    const cache = join(box.home, '.cache', 'pip-guard', 'interpreters.json');
    const entries = JSON.parse(readFileSync(cache, 'utf8'));
    for (const entry of Object.values(entries) as { facts: unknown }[]) entry.facts = {};
    writeFileSync(cache, JSON.stringify(entries));
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain('so pip installed into a new venv');
  });
});

describe('an odd file where pip-guard reads one', () => {
  it('a .venv whose pyvenv.cfg is a directory: the broken-venv paragraph; list goes to the system', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    mkdirSync(join(venv, 'pyvenv.cfg'), { recursive: true });
    mkdirSync(join(venv, 'bin'));
    symlinkSync('/usr/bin/python3', join(venv, 'bin', 'python'));
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install).toMatchObject({ exitCode: 1, stdout: '' });
    expect(install.stderr).toBe(
      `pip-guard: ${venv} is not a usable virtual environment (its pyvenv.cfg cannot be read, EISDIR: a directory where a file should be), ` +
        `so pip-guard cannot install into it. pip-guard did not make it and will not delete it: recreate it with \`python3 -m venv --clear ${venv}\`, ` +
        'or move it away, and run pip again.\n',
    );
    const list = await box.pip(['list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^pip +${esc(PIP_VERSION)}$`, 'm'));
  });

  it("pipx's venvs directory is a file: the install goes on (pipx would say what is wrong)", async () => {
    const box = sandbox();
    mkdirSync(box.pipxHome);
    writeFileSync(join(box.pipxHome, 'venvs'), '');
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain('so pip installed into a new venv');
  });

  it("a venv's site-packages that is a file: pip's own error and exit code, and the notice says so", async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    const site = join(venv, 'lib', `python${PY}`, 'site-packages');
    rmSync(site, { recursive: true });
    writeFileSync(site, '');
    const install = await box.pip(['install', ...box.offline, 'demo']);
    noInternalError(install.stderr);
    expect(install.exitCode).not.toBe(0);
    expect(notices(install.stderr).at(-1)).toContain(
      `so pip ran in ${venv}, and failed with exit code ${install.exitCode}`,
    );
  });

  it("a file where pip-guard's lock goes: it is cleared, and the install goes on", async () => {
    const box = sandbox();
    const first = await box.pip(['install', ...box.offline, 'demo']);
    expect(first.exitCode).toBe(0);
    const locks = join(box.home, '.cache', 'pip-guard', 'locks');
    const [target] = readdirSync(locks).filter((name) => name.endsWith('.target'));
    rmSync(join(box.project, '.venv'), { recursive: true });
    writeFileSync(join(locks, `${target}.lock`), 'not a lock\n');
    const again = await box.pip(['install', ...box.offline, 'demo']);
    expect(again.exitCode).toBe(0);
    expect(notices(again.stderr)).toEqual([expect.stringContaining('so pip installed into a new venv')]);
  });
});

describe('the status line while a venv is made', () => {
  it('fits a narrow terminal, so that erasing it leaves nothing of it above pip’s output', async () => {
    const box = sandbox();
    const deep = join(box.project, 'a-rather-long-directory-name', 'and-another-one');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'requirements.txt'), '');
    const command = `stty cols 60; pip install --no-index --find-links ${box.wheels} demo==1.0`;
    const tty = await inTerminal(box, `cd ${deep} && ${command}`).done;
    const at = tty.stdout.indexOf('pip-guard: making');
    const status = tty.stdout.slice(at, tty.stdout.indexOf('\r\x1b[K', at));
    expect(status).toMatch(/^pip-guard: making the venv ….*and-another-one\/\.venv…$/);
    expect([...status].length).toBeLessThan(60);
  });
});
