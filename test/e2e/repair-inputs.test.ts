// Issue 22: `pip-guard repair` with bad arguments (one paragraph naming the argument and the fix,
// a non-zero exit, nothing changed), with pip itself among the damage, with what `pip install
// --user` left, and with a site directory only root may change, as another user.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { damaged, damageLeft, fingerprint, inSite, pipxApps, repair } from './damaged.js';
import { PIP_VERSION, PY } from './env.js';
import { CLI, openDir, runIn, sandbox } from './harness.js';
import { makePython } from './pythons.js';

const DATA = (home: string) => join(home, '.local', 'share', 'pip-guard');

describe('pip-guard repair with an argument it cannot use', () => {
  it('says which, and how to fix it, in one paragraph; exits non-zero and changes nothing', async () => {
    const box = sandbox();
    const d = await damaged(box);
    const notManaged = makePython(join(box.dir, 'plain'), { managed: false });
    const notes = join(box.dir, 'notes.txt');
    writeFileSync(notes, 'not a program\n', { mode: 0o644 });
    const before = fingerprint(d.local);
    const cases: [string[], number, string][] = [
      [
        ['--python', notes],
        2,
        `--python ${notes} is not a Python interpreter pip-guard can run: name the interpreter whose packages to repair, such as /usr/bin/python3. Nothing was changed.`,
      ],
      [
        ['--python', '/bin/true'],
        2,
        '--python /bin/true is not a Python interpreter pip-guard can run (/bin/true printed nothing where pip-guard asked it about PEP 668, not an answer (is it a Python, or a wrapper that prints more?)): name the interpreter whose packages to repair, such as /usr/bin/python3. Nothing was changed.',
      ],
      [
        ['--python', notManaged.python],
        2,
        `--python ${notManaged.python} is not externally managed (it has no EXTERNALLY-MANAGED file): pip never refuses to install there, so nothing pip put into it is damage to repair. Name an externally-managed Python, such as /usr/bin/python3. Nothing was changed.`,
      ],
      [
        ['--only', 'nope', 'Solo'],
        2,
        `--only nope: pip did not put that into any externally-managed Python on PATH, so there is nothing of its to repair. The packages repair can move are: edited, mylib, mytool, owned, solo (\`pip-guard doctor\` lists them). Nothing was changed.`,
      ],
      [
        ['--to-venv', join(box.dir, 'no-venv')],
        2,
        `--to-venv ${join(box.dir, 'no-venv')} is not a venv (there is nothing there): name an existing venv, such as a project's .venv (\`python3 -m venv .venv\` makes one). Nothing was changed.`,
      ],
      [
        ['--to-venv', box.project],
        2,
        `--to-venv ${box.project} is not a venv (it has no pyvenv.cfg): name an existing venv, such as a project's .venv (\`python3 -m venv .venv\` makes one). Nothing was changed.`,
      ],
      [
        ['--restore', join(box.dir, 'nothing-here')],
        2,
        `--restore ${join(box.dir, 'nothing-here')}: ${join(box.dir, 'nothing-here')} is not a restore bundle pip-guard can use (there is no such directory). Name a bundle that pip-guard repair printed (they are in ${join(DATA(box.home), 'repair')}). Nothing was changed.`,
      ],
      [
        ['--restore', box.project],
        2,
        `--restore ${box.project}: ${box.project} is not a restore bundle pip-guard can use (it has no bundle.json of yours: it is not a restore bundle). Name a bundle that pip-guard repair printed (they are in ${join(DATA(box.home), 'repair')}). Nothing was changed.`,
      ],
    ];
    for (const [args, code, paragraph] of cases) {
      const result = await repair(d, ['--yes', ...args]);
      expect({ args, exitCode: result.exitCode, stderr: result.stderr, stdout: result.stdout }).toEqual({
        args,
        exitCode: code,
        stderr: `pip-guard: ${paragraph}\n`,
        stdout: '',
      });
    }
    expect(fingerprint(d.local)).toEqual(before);
    expect(existsSync(DATA(box.home))).toBe(false);
  });

  it('--to-venv: a venv committed to its repository is refused; another one takes the libraries', async () => {
    const box = sandbox();
    const d = await damaged(box, box.dir, ['solo']);
    symlinkSync('/usr/bin/git', join(box.dir, 'tools', 'git'));
    const venv = join(box.project, '.venv');
    await box.run(d.python.python, ['-m', 'venv', '--without-pip', venv]);
    const git = (...args: string[]) =>
      box.run('/usr/bin/git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: box.project });
    await git('init', '-q');
    await git('add', '-f', '.venv');
    await git('commit', '-qm', 'oops');
    const refused = await repair(d, ['--yes', '--to-venv', venv]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe(
      `pip-guard: --to-venv ${venv} is not a venv pip-guard will use: it is committed to this repository, so running its pip, or anything in its bin/, would run somebody else's code. Name another venv. Nothing was changed.\n`,
    );
    expect(inSite(d, 'solo')).toBe(true);
    const other = join(box.dir, 'elsewhere', '.venv');
    await box.run(d.python.python, ['-m', 'venv', '--without-pip', other]);
    const moved = await repair(d, ['--yes', '--to-venv', other]);
    expect(moved.exitCode).toBe(0);
    expect(moved.stdout).toContain(`solo 1.0 is in ${other} now\n`);
    // That venv has no pip of its own: the real pip put it there with --python.
    const imported = await box.run(join(other, 'bin', 'python'), ['-c', 'import solo; print(solo.__file__)']);
    expect(imported.stdout).toBe(join(other, 'lib', `python${PY}`, 'site-packages', 'solo', '__init__.py\n'));
    expect(inSite(d, 'solo')).toBe(false);
  });

  it('--restore of a bundle whose files changed since: restores nothing', async () => {
    const box = sandbox();
    const d = await damaged(box, box.dir, ['solo']);
    const done = JSON.parse((await repair(d, ['--yes', '--json'])).stdout);
    const after = fingerprint(d.local);
    const wheel = join(done.bundle, 'wheels', 'solo-1.0-py3-none-any.whl');
    writeFileSync(wheel, Buffer.concat([readFileSync(wheel), Buffer.from('x')]));
    const result = await repair(d, ['--restore', done.bundle]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `pip-guard: ${done.bundle} is damaged: wheels/solo-1.0-py3-none-any.whl is missing or differs from the sha256 its bundle.json gives it, so nothing was restored. ` +
        'A bundle is only as good as its files: if you have a copy of that directory, restore from it.\n',
    );
    expect(fingerprint(d.local)).toEqual(after);
    writeFileSync(join(done.bundle, 'bundle.json'), '{"format": 1');
    const cut = await repair(d, ['--restore', done.bundle]);
    expect(cut.exitCode).toBe(2);
    expect(cut.stderr).toContain('(its bundle.json is not one pip-guard wrote (it was cut short or edited))');
  });
});

describe('pip-guard repair and pip itself', () => {
  it("takes pip's own pip off the system, so that the distribution's runs again; never to pipx", async () => {
    const box = sandbox();
    const d = await damaged(box, box.dir, ['solo']);
    const wheel = `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`;
    const over = await box.run(d.python.pip, ['install', '--break-system-packages', '--no-index', wheel]);
    expect(over.exitCode).toBe(0);
    const dry = await repair(d, ['--only', 'pip']);
    expect(dry.stdout).toContain(
      `  pip ${PIP_VERSION}, pip itself, in ${d.site}\n    gives way: once it is gone, the distribution's own pip is the one that runs\n`,
    );
    const result = await repair(d, ['--yes', '--only', 'pip']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`removed from ${d.site}: pip ${PIP_VERSION}\n`);
    expect(pipxApps(d)).toEqual([]);
    const version = await box.run(d.python.python, ['-m', 'pip', '--version']);
    expect(version.stdout).toContain(`from ${join(d.python.distPackages, 'pip')} `);
    expect(result.stdout).toContain(
      `pip for ${d.python.python} is the distribution's again: ${version.stdout}`,
    );
    expect(await damageLeft(d)).toEqual(['solo']);
  });
});

describe("pip-guard repair of the user's site directory (pip install --user --break-system-packages)", () => {
  it("links the app's command where pipx could not while the old one was in the way", async () => {
    const box = sandbox();
    const d = await damaged(box, box.dir, []);
    const bin = join(box.home, '.local', 'bin');
    const user = await box.run(d.python.pip, [
      'install',
      '--user',
      '--break-system-packages',
      '--no-index',
      '--find-links',
      join(box.dir, 'repair-wheels'),
      'mytool',
    ]);
    expect(user.exitCode).toBe(0);
    expect(existsSync(join(bin, 'mytool'))).toBe(true);
    // pipx links into ~/.local/bin, as Debian's does by default.
    const env = { PIPX_BIN_DIR: bin, PATH: `${bin}:${d.env.PATH}` };
    const result = await repair(d, ['--yes'], env);
    expect(result.exitCode).toBe(0);
    const userSite = join(box.home, '.local', 'lib', `python${PY}`, 'site-packages');
    expect(result.stdout).toContain(`removed from ${userSite}: mylib 1.0, mytool 1.0\n`);
    expect(readdirSync(userSite)).toEqual([]);
    expect((await box.run('mytool', [], { env: { ...d.env, ...env } })).stdout).toBe('mytool 1.0 1.0\n');
    expect(readlinkSync(join(bin, 'mytool'))).toBe(join(box.pipxHome, 'venvs', 'mytool', 'bin', 'mytool'));
  });
});

describe("pip-guard repair of root's site directory, as another user", () => {
  // User nobody, with a HOME of their own, and a `sudo` on PATH that only says how it was called.
  async function asNobody() {
    const box = sandbox();
    const d = await damaged(box, openDir(), ['solo']);
    const home = openDir();
    const tools = join(home, 'tools');
    mkdirSync(tools);
    const log = join(home, 'sudo.log');
    writeFileSync(join(tools, 'sudo'), `#!/bin/sh\necho "$@" >> ${log}\nexit 1\n`, { mode: 0o755 });
    await box.run('chown', ['-R', '65534:65534', home]);
    const env = {
      ...box.env,
      ...d.env,
      HOME: home,
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      XDG_CONFIG_HOME: join(home, '.config'),
    };
    const run = (args: string[], sudo: boolean) =>
      runIn(
        { ...env, PATH: sudo ? `${d.env.PATH}:${tools}` : d.env.PATH },
        '/usr/bin/setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', CLI, 'repair', ...args],
        { cwd: home },
      );
    return { d, home, log, run };
  }

  it('without sudo: the package stays, and the plan says why', async () => {
    const { d, run } = await asNobody();
    const result = await run([], false);
    expect(result.stdout).toContain(
      `    stays: ${d.site} belongs to root, and there is no sudo: run pip-guard repair as root\n`,
    );
  });

  it('asks before it runs sudo: with no terminal to ask on, it stops before anything; --sudo runs it', async () => {
    const { d, home, log, run } = await asNobody();
    const before = fingerprint(d.local);
    const dry = await run([], true);
    expect(dry.stdout).toContain(
      '    removed as root, with sudo (pip-guard asks first): solo-1.0.dist-info/ (5 files)',
    );
    const refused = await run(['--yes'], true);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `pip-guard: ${d.site} belongs to root, so pip-guard must remove packages there as root, with sudo, and it runs sudo only when you say so: ` +
        'there is no terminal to ask on. Nothing was changed. Run it again with --sudo, or as root (`sudo pip-guard repair …`).\n',
    );
    expect(existsSync(log)).toBe(false);
    expect(existsSync(DATA(home))).toBe(false);
    expect(fingerprint(d.local)).toEqual(before);
    // With --sudo it runs `sudo -u #0 -- PIP uninstall …`; this sudo fails, so solo is in its
    // home and still in place, and the repair says so.
    const allowed = await run(['--yes', '--sudo'], true);
    expect(allowed.exitCode).toBe(1);
    expect(readFileSync(log, 'utf8')).toBe(
      `-u #0 -- ${d.python.pip} uninstall --isolated --no-input --disable-pip-version-check --yes --break-system-packages solo\n`,
    );
    expect(allowed.stdout).toContain('solo 1.0 is in ');
    expect(allowed.stdout).toMatch(
      /\npip-guard repair stopped, because a step failed \(above\): it moved nothing, and solo 1\.0 is still in place; /,
    );
    expect(fingerprint(d.local)).toEqual(before);
  });
});
