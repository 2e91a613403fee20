// Issue 15, item 6: pip-guard (the shim included) uses no state or cache file of another user's.
// As root with HOME and XDG_* of another user (`sudo -E pip …`), that user's files would decide
// what root runs: a forward fragment the shim sources, interpreter answers that name the wheels a
// new venv is seeded from, the unpacked seed wheels themselves, a lock held "forever", a venv
// record that lets pip-guard remove a directory, a trust record. And what pip-guard writes is
// never writable by group or others, whatever the umask.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { esc, PIP_VERSION, PY } from './env.js';
import { CLI, notices, runIn, type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';
import { quote, stopAll, takingTurns, WAITING } from './stall.js';

const NOBODY = 65534;

// HOME and the XDG directories of user nobody, as `sudo -E` keeps them for root.
function othersHome(box: Sandbox) {
  const home = join(box.dir, 'nobody-home');
  mkdirSync(home);
  const env = {
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
  };
  return {
    home,
    env,
    cache: join(home, '.cache', 'pip-guard'),
    state: join(home, '.local', 'state', 'pip-guard'),
  };
}

const chownTree = (box: Sandbox, dir: string) => box.run('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);

// Root's own home, as /etc/passwd names it (/root), is the sandbox's `root-home` for `file args`:
// they run in a mount namespace of their own with that directory bound over /root, so that what
// pip-guard keeps in root's own home under sudo -E (the locks, the venv records) stays in the
// test's sandbox.
function inRootHome(box: Sandbox, file: string, args: string[]): [string, string[]] {
  const home = join(box.dir, 'root-home');
  mkdirSync(home, { recursive: true });
  const bind = 'mount --bind "$1" /root && shift && exec "$@"';
  return [
    '/usr/bin/unshare',
    ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', bind, 'sh', home, file, ...args],
  ];
}

// Every path under DIR with its owner, mode, size and mtime: what root must leave as it was.
function snapshot(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort().map((entry) => {
    const stat = lstatSync(join(dir, entry));
    return `${entry} ${stat.uid} ${stat.mode.toString(8)} ${stat.size} ${stat.mtimeMs}`;
  });
}

// A line for a .pth file: Python runs it at every start of an interpreter whose site-packages holds it.
const touching = (marker: string) => `import os; open(${JSON.stringify(marker)}, 'w').close()\n`;

describe("as root with another user's HOME (sudo -E)", () => {
  afterEach(stopAll);
  const PLANTS = ['forward fragment', 'interpreter answers', 'seed wheels', 'lock'] as const;

  it.each([...PLANTS.map((plant) => [plant, [plant]]), ['all of these', PLANTS]] as [
    string,
    readonly string[],
  ][])('uses none of their cache (%s) and installs as for root', async (_, plants) => {
    const box = sandbox();
    // A cache as a real install leaves it, copied into nobody's HOME, then planted.
    expect((await box.pip(['install', ...box.offline, 'demo==1.0'])).exitCode).toBe(0);
    rmSync(join(box.project, '.venv'), { recursive: true });
    const other = othersHome(box);
    mkdirSync(join(other.home, '.cache'));
    cpSync(join(box.home, '.cache', 'pip-guard'), other.cache, { recursive: true });
    const marker = join(box.dir, 'ran-as-root');
    const venv = join(box.project, '.venv');
    if (plants.includes('forward fragment')) {
      // The shim would source this for /usr/bin/pip, and then run it as typed.
      const fragment = join(other.cache, 'forward', 'usr', 'bin', 'pip');
      mkdirSync(join(fragment, '..'), { recursive: true });
      writeFileSync(fragment, `: > ${quote(marker)}\nreturn 0\n`);
    }
    if (plants.includes('interpreter answers')) {
      // Answers naming a pip wheel of nobody's, with a .pth in it.
      const wheel = join(other.home, `pip-${PIP_VERSION}-py3-none-any.whl`);
      await box.run('/usr/bin/python3', [
        '-c',
        'import shutil, sys, zipfile; shutil.copy(sys.argv[1], sys.argv[2]); zipfile.ZipFile(sys.argv[2], "a").writestr("planted.pth", sys.argv[3])',
        `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`,
        wheel,
        touching(marker),
      ]);
      const answers = join(other.cache, 'interpreters.json');
      const cached = JSON.parse(readFileSync(answers, 'utf8'));
      for (const entry of Object.values(cached) as { facts: { seedWheels: { pip: string } } }[])
        entry.facts.seedWheels.pip = wheel;
      writeFileSync(answers, JSON.stringify(cached));
    }
    if (plants.includes('seed wheels')) {
      // The unpacked wheels, with a .pth added.
      const seed = join(other.cache, 'seed', `python${PY}`);
      for (const unpacked of readdirSync(seed))
        writeFileSync(join(seed, unpacked, 'site', 'planted.pth'), touching(marker));
    }
    if (plants.includes('lock')) {
      // A lock on the project's venv, held by a process that lives as long as the machine.
      const name = `${createHash('sha256').update(venv).digest('hex').slice(0, 16)}.target.lock`;
      const lock = join(other.cache, 'locks', name);
      mkdirSync(lock, { recursive: true });
      writeFileSync(`${lock}.pid`, '1');
      const later = new Date(Date.now() + 3_600_000);
      utimesSync(lock, later, later);
    }
    await chownTree(box, other.home);
    const before = snapshot(other.home);

    const install = await box.run(...inRootHome(box, 'pip', ['install', ...box.offline, 'demo']), {
      env: other.env,
    });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python ${PY})`),
    ]);
    const python = join(venv, 'bin', 'python');
    expect((await box.run(python, ['-c', 'import demo'])).exitCode).toBe(0);
    expect((await box.run(join(venv, 'bin', 'pip'), ['--version'])).stdout).toMatch(
      new RegExp(`^pip ${esc(PIP_VERSION)} from `),
    );
    expect(readdirSync(join(venv, 'lib', `python${PY}`, 'site-packages'))).not.toContain('planted.pth');
    expect(existsSync(marker)).toBe(false);
    // Nothing of root's left in nobody's HOME either.
    expect(snapshot(other.home)).toEqual(before);
  });

  it("takes the lock in root's own cache, so that two installs making one venv take turns", async () => {
    const box = sandbox();
    const other = othersHome(box);
    await chownTree(box, other.home);
    const venv = join(box.project, '.venv');
    const turns = await takingTurns(box, other.env, (file, args) => inRootHome(box, file, args));
    expect(turns.first.signal).toBe('SIGTERM');
    expect(turns.second.exitCode).toBe(0);
    expect(notices(turns.second.stderr)).toEqual([
      `${WAITING} (pid ${turns.firstPid}) that is making the venv ${venv} and installing into it`,
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python ${PY})`),
    ]);
    expect(readdirSync(join(box.dir, 'root-home', '.cache', 'pip-guard', 'locks'))).not.toEqual([]);
    expect(existsSync(join(other.cache, 'locks'))).toBe(false);
  });

  it("says why it takes no lock where root's own cache is not root's either, and installs", async () => {
    const box = sandbox();
    const other = othersHome(box);
    await chownTree(box, other.home);
    const venv = join(box.project, '.venv');
    const [file, args] = inRootHome(box, 'pip', ['install', ...box.offline, 'demo']);
    await chownTree(box, join(box.dir, 'root-home'));
    const install = await box.run(file, args, { env: other.env });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([
      `pip-guard: pip-guard takes no lock while it makes ${venv}: it keeps its locks in ${other.cache}, which belongs to ` +
        `another user (uid ${NOBODY}), not to you, and /root/.cache/pip-guard, in your own home by /etc/passwd, is not yours ` +
        'either; another pip-guard making this venv at the same time could spoil it (under sudo: leave out -E).',
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python ${PY})`),
    ]);
  });

  it('does not ask the Python their refusals.json names (behind a wrapper, for pip list)', async () => {
    const box = sandbox();
    const wrapper = join(box.dir, 'wrapped-pip');
    writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/pip "$@"\n', { mode: 0o755 });
    const other = othersHome(box);
    const marker = join(box.dir, 'ran-as-root');
    const python = join(other.home, 'python3');
    writeFileSync(python, `#!/bin/sh\n: > ${quote(marker)}\nexec /usr/bin/python3 "$@"\n`, { mode: 0o755 });
    mkdirSync(other.cache, { recursive: true });
    writeFileSync(
      join(other.cache, 'refusals.json'),
      JSON.stringify({ [`${wrapper}\0${box.project}\0`]: python }),
    );
    await chownTree(box, other.home);
    const list = await box.run(...inRootHome(box, 'pip', ['list']), {
      env: { ...other.env, PIP_GUARD_REAL_PIP: wrapper },
    });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^pip +${esc(PIP_VERSION)}$`, 'm'));
    expect(existsSync(marker)).toBe(false);
  });

  it('does not take their venv record for its own, so it never removes the venv it names', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    // pip-guard's record of a venv it checked, as a first install writes it...
    expect((await box.pip(['install', ...box.offline, 'demo==1.0'])).exitCode).toBe(0);
    writeFileSync(join(venv, 'mine.txt'), 'mine\n');
    const other = othersHome(box);
    mkdirSync(join(other.home, '.local', 'state'), { recursive: true });
    cpSync(join(box.home, '.local', 'state', 'pip-guard'), other.state, { recursive: true });
    // ...that says pip-guard was interrupted while making it (then pip-guard would make it again).
    for (const name of readdirSync(join(other.state, 'venvs'))) {
      const file = join(other.state, 'venvs', name);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"accepted"', '"creating"'));
    }
    await chownTree(box, other.home);
    const install = await box.run(...inRootHome(box, 'pip', ['install', ...box.offline, 'demo==1.1']), {
      env: other.env,
    });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([
      expect.stringContaining(`so pip installed into ${venv} (Python ${PY})`),
    ]);
    expect(readFileSync(join(venv, 'mine.txt'), 'utf8')).toBe('mine\n');
  });

  it('does not take their trust for its own, and trust says whose directory it is', async () => {
    const box = sandbox();
    const file = join(box.project, 'pip-guard.config.js');
    const marker = join(box.dir, 'ran');
    writeFileSync(
      file,
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');\nmodule.exports = {};\n`,
    );
    expect((await box.pipGuard(['trust', file])).exitCode).toBe(0);
    const other = othersHome(box);
    mkdirSync(join(other.home, '.local', 'state'), { recursive: true });
    cpSync(join(box.home, '.local', 'state', 'pip-guard'), other.state, { recursive: true });
    await chownTree(box, other.home);
    const install = await box.run(...inRootHome(box, 'pip', ['install', ...box.offline, 'demo']), {
      env: other.env,
    });
    expect(install.exitCode).toBe(2);
    expect(install.stderr).toContain('you have not trusted it');
    expect(existsSync(marker)).toBe(false);
    const trust = await box.pipGuard(['trust', file], { env: other.env });
    expect(trust).toMatchObject({ exitCode: 1, stdout: '' });
    expect(trust.stderr).toBe(
      `pip-guard: pip-guard keeps its trust records in ${other.state}, which belongs to another user (uid ${NOBODY}), not to you, so ${file} is not trusted. ` +
        'Run `pip-guard trust` as that user, or set XDG_STATE_HOME to a directory of yours (under sudo: leave out -E).\n',
    );
  });
});

describe("as another user with root's files in their cache (left by an earlier sudo -E)", () => {
  const opened: string[] = [];
  afterEach(() => {
    for (const dir of opened.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("the shim passes over root's forward fragment", async () => {
    const box = sandbox();
    const open = mkdtempSync(join(tmpdir(), 'pip-guard-open-'));
    opened.push(open);
    chmodSync(open, 0o755);
    const shims = join(open, 'shims');
    expect((await box.pipGuard(['setup', '--dir', shims], { env: { PATH: SYSTEM_PATH } })).exitCode).toBe(0);
    const home = join(open, 'home');
    const fragment = join(home, '.cache', 'pip-guard', 'forward', 'usr', 'bin', 'pip');
    mkdirSync(join(fragment, '..'), { recursive: true });
    const marker = join(home, 'sourced');
    writeFileSync(fragment, `: > ${quote(marker)}\nreturn 0\n`);
    await chownTree(box, home);
    // The fragment's own file, and the one above it, are root's.
    await box.run('chown', ['0:0', fragment, join(home, '.cache', 'pip-guard')]);
    const list = await runIn(
      box.env,
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', 'pip', 'list'],
      {
        cwd: '/',
        env: { HOME: home, XDG_CACHE_HOME: undefined, PATH: `${shims}:${SYSTEM_PATH}` },
      },
    );
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^pip +${esc(PIP_VERSION)}$`, 'm'));
    expect(existsSync(marker)).toBe(false);
  });
});

describe('what pip-guard writes', () => {
  // Paths under DIR that group or others may write.
  const writableByOthers = (dir: string) =>
    (readdirSync(dir, { recursive: true }) as string[])
      .filter((entry) => {
        const stat = lstatSync(join(dir, entry));
        return !stat.isSymbolicLink() && (stat.mode & 0o022) !== 0;
      })
      .sort();

  it('is never writable by group or others, whatever the umask: cache, state, shims', async () => {
    const box = sandbox();
    const umask0 = (command: string) => box.run('/bin/sh', ['-c', `umask 000 && ${command}`]);
    const install = await umask0(`exec pip install --no-index --find-links ${quote(box.wheels)} demo`);
    expect(install.exitCode).toBe(0);
    const cache = join(box.home, '.cache', 'pip-guard');
    const state = join(box.home, '.local', 'state', 'pip-guard');
    expect(readdirSync(cache).sort()).toEqual(['interpreters.json', 'locks', 'seed', 'venv-templates']);
    expect(writableByOthers(cache)).toEqual([]);
    expect(writableByOthers(state)).toEqual([]);
    const shims = join(box.dir, 'new', 'shims');
    expect((await umask0(`exec ${quote(CLI)} setup --dir ${quote(shims)}`)).exitCode).toBe(0);
    expect(writableByOthers(join(box.dir, 'new'))).toEqual([]);
    expect(lstatSync(shims).mode & 0o777).toBe(0o755);
  });
});
