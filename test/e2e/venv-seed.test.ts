// A venv pip-guard makes is seeded with pip from the wheels ensurepip would use (src/venv-seed.ts),
// hard-linked from pip-guard's cache, and is a normal venv afterwards: its pip runs, upgrades and
// uninstalls itself without touching the cache, and the venv outlives the cache and is copied
// with its project like any other.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_24_WHEEL, PIP_VERSION, PY } from './env.js';
import { notices, runIn, type Sandbox, sandbox } from './harness.js';

const site = (venv: string) => join(venv, 'lib', `python${PY}`, 'site-packages');
const seedCache = (box: Sandbox) => join(box.home, '.cache', 'pip-guard', 'seed', `python${PY}`);

// Every file under DIR with its content's hash: what must not change.
function contents(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return `${relative(dir, file)} ${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    })
    .sort();
}

// Each entry under ROOT as `path mode kind`, with a file's text or a link's target: a venv's tree,
// less the paths SKIP matches.
function treeOf(root: string, skip: RegExp): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => !skip.test(path))
    .map((path) => {
      const full = join(root, path);
      const stat = lstatSync(full);
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isSymbolicLink()) return `${path} ${mode} link ${readlinkSync(full)}`;
      if (stat.isDirectory()) return `${path} ${mode} dir`;
      return `${path} ${mode} file\n${readFileSync(full, 'utf8')}`;
    })
    .sort();
}

// The first `pip install` in a new project at DIR, and the programs it started (strace's lines).
async function tracedFirstInstall(box: Sandbox, dir: string) {
  mkdirSync(dir);
  writeFileSync(join(dir, 'pyproject.toml'), '');
  const log = join(box.dir, 'execve.log');
  const traced = ['-f', '-qq', '-s', '4096', '-e', 'trace=execve', '-e', 'signal=none', '-o', log];
  const install = await box.run('strace', [...traced, 'pip', 'install', ...box.offline, 'demo==1.0'], {
    cwd: dir,
  });
  return { install, started: readFileSync(log, 'utf8') };
}

// `pip install -U pip` with the venv's own pip (as `python -m pip`, which a copied venv's scripts
// would not reach), from pip 24.2: newer than the pip the venvs are seeded with.
async function upgradePip(box: Sandbox, venv: string) {
  const dir = join(box.dir, 'pip-24');
  if (!existsSync(dir)) {
    mkdirSync(dir);
    copyFileSync(PIP_24_WHEEL, join(dir, basename(PIP_24_WHEEL)));
  }
  const args = ['-m', 'pip', 'install', '-U', '--no-index', '--find-links', dir, 'pip'];
  return box.run(join(venv, 'bin', 'python'), args);
}

// Another project beside the sandbox's, with its venv made through pip-guard.
async function otherProject(box: Sandbox): Promise<string> {
  const other = join(box.dir, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'pyproject.toml'), '');
  const install = await box.pip(['install', ...box.offline, 'demo==1.0'], { cwd: other });
  expect(notices(install.stderr)[0]).toContain(`a new venv, ${join(other, '.venv')}`);
  return join(other, '.venv');
}

const pipVersion = async (box: Sandbox, venv: string) =>
  (await box.run(join(venv, 'bin', 'python'), ['-m', 'pip', '--version'])).stdout;

// `pip list --format=freeze` of a venv, as its own pip says.
async function packages(box: Sandbox, venv: string): Promise<string> {
  const list = await box.run(join(venv, 'bin', 'pip'), ['list', '--format=freeze']);
  expect(list.exitCode).toBe(0);
  return list.stdout;
}

describe('a venv pip-guard makes', () => {
  it('has what `python3 -m venv` gives: pip and setuptools, their scripts, and a RECORD like ensurepip’s', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo==1.0']);
    expect(install.exitCode).toBe(0);
    const venv = join(box.project, '.venv');
    const byHand = join(box.dir, 'by-hand');
    await box.run('/usr/bin/python3', ['-m', 'venv', byHand]);
    await box.run(join(byHand, 'bin', 'pip'), ['install', ...box.offline, 'demo==1.0']);
    expect(await packages(box, venv)).toBe(await packages(box, byHand));
    expect(readdirSync(join(venv, 'bin')).sort()).toEqual(readdirSync(join(byHand, 'bin')).sort());
    expect(readdirSync(site(venv)).sort()).toEqual(readdirSync(site(byHand)).sort());
    const record = (root: string) =>
      readFileSync(join(site(root), `pip-${PIP_VERSION}.dist-info`, 'RECORD'), 'utf8')
        .split('\r\n')
        .filter((line) => !line.startsWith('../../../bin/'))
        .sort();
    expect(record(venv)).toEqual(record(byHand));
    const script = readFileSync(join(venv, 'bin', 'pip'), 'utf8');
    expect(script).toBe(readFileSync(join(byHand, 'bin', 'pip'), 'utf8').replace(byHand, venv));
    const runsHere = await box.run(join(venv, 'bin', 'python'), ['-m', 'pip', '--version']);
    expect(runsHere.stdout).toContain(`from ${site(venv)}/pip (python ${PY})`);
  });

  it('has a pip that upgrades and uninstalls itself', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const cache = contents(seedCache(box));
    const venv = join(box.project, '.venv');
    const pip = join(venv, 'bin', 'pip');
    const again = await box.run(pip, [
      'install',
      '--force-reinstall',
      '--no-index',
      `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`,
    ]);
    expect(again.stdout).toContain(`Successfully uninstalled pip-${PIP_VERSION}`);
    expect(again.stdout).toContain(`Successfully installed pip-${PIP_VERSION}`);
    const gone = await runIn(box.env, join(venv, 'bin', 'python'), ['-m', 'pip', 'uninstall', '-y', 'pip']);
    expect(gone.stdout).toContain(`Successfully uninstalled pip-${PIP_VERSION}`);
    for (const name of ['pip', 'pip3', `pip${PY}`]) expect(existsSync(join(venv, 'bin', name))).toBe(false);
    expect(existsSync(join(site(venv), 'pip'))).toBe(false);
    // pip removed the venv's links, not the files they shared with the cache.
    expect(contents(seedCache(box))).toEqual(cache);
  });

  it('survives `pip install -U pip` inside it, which leaves the cache and the other venvs as they were', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const other = await otherProject(box);
    const venv = join(box.project, '.venv');
    const shared = join(site(venv), 'pip', '__init__.py');
    expect(statSync(shared).ino).toBe(statSync(join(site(other), 'pip', '__init__.py')).ino);
    const cache = contents(seedCache(box));
    const upgrade = await upgradePip(box, venv);
    expect(upgrade.exitCode).toBe(0);
    expect(upgrade.stdout).toContain(`Successfully uninstalled pip-${PIP_VERSION}`);
    expect(upgrade.stdout).toContain('Successfully installed pip-24.2');
    expect(await pipVersion(box, venv)).toBe(`pip 24.2 from ${site(venv)}/pip (python ${PY})\n`);
    expect((await box.run(join(venv, 'bin', 'pip'), ['--version'])).stdout).toMatch(/^pip 24\.2 /);
    expect(readdirSync(site(venv)).filter((name) => name.startsWith('pip-'))).toEqual(['pip-24.2.dist-info']);
    expect(contents(seedCache(box))).toEqual(cache);
    expect(await pipVersion(box, other)).toContain(`pip ${PIP_VERSION} from`);
    const check = await box.run(join(other, 'bin', 'pip'), ['check']);
    expect([check.exitCode, check.stdout]).toEqual([0, 'No broken requirements found.\n']);
  });

  it('keeps working when pip-guard’s cache is removed', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const venv = join(box.project, '.venv');
    const before = await packages(box, venv);
    rmSync(join(box.home, '.cache', 'pip-guard'), { recursive: true });
    expect(await packages(box, venv)).toBe(before);
    const imports = await box.run(join(venv, 'bin', 'python'), [
      '-c',
      'import setuptools, pkg_resources, pip',
    ]);
    expect(imports.exitCode).toBe(0);
    const install = await box.pip(['install', ...box.offline, 'demo==1.1']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(`so pip installed into ${venv} (Python ${PY})`);
    expect((await upgradePip(box, venv)).stdout).toContain('Successfully installed pip-24.2');
    // The next new venv unpacks the wheels again.
    expect(await pipVersion(box, await otherProject(box))).toContain(`pip ${PIP_VERSION} from`);
  });

  it.each([['-r'], ['-a']])('is a venv of its own in a copy of the project (cp %s)', async (flag) => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const cache = contents(seedCache(box));
    const copy = join(box.dir, 'copy');
    await box.run('cp', [flag, box.project, copy]);
    const [venv, copied] = [join(box.project, '.venv'), join(copy, '.venv')];
    const file = (root: string) => statSync(join(site(root), 'pip', '__init__.py'));
    expect(file(copied).ino).not.toBe(file(venv).ino);
    // Its scripts still name the original's Python (as any venv's do): pip-guard runs pip there
    // with the copy's own, and says so.
    const install = await box.pip(['install', ...box.offline, 'demo==1.1'], { cwd: copy });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(`so pip installed into ${copied} (Python ${PY})`);
    expect(await packages(box, venv)).toContain('demo==1.0\n');
    expect(
      await box.run(join(copied, 'bin', 'python'), ['-m', 'pip', 'list', '--format=freeze']),
    ).toMatchObject({
      stdout: expect.stringContaining('demo==1.1\n'),
    });
    expect((await upgradePip(box, copied)).stdout).toContain('Successfully installed pip-24.2');
    expect(await pipVersion(box, copied)).toBe(`pip 24.2 from ${site(copied)}/pip (python ${PY})\n`);
    expect(await pipVersion(box, venv)).toBe(`pip ${PIP_VERSION} from ${site(venv)}/pip (python ${PY})\n`);
    expect(contents(seedCache(box))).toEqual(cache);
    // The original gone, the copy still works.
    rmSync(box.project, { recursive: true });
    const after = await box.pip(['install', ...box.offline, 'demo==1.0'], { cwd: copy });
    expect(after.exitCode).toBe(0);
    expect(notices(after.stderr)[0]).toContain(`so pip installed into ${copied} (Python ${PY})`);
  });

  it('is copied, not linked, from a cache on another file system, and its bytecode still holds', async () => {
    const box = sandbox();
    expect(statSync('/dev/shm').dev).not.toBe(statSync(box.home).dev);
    const project = mkdtempSync('/dev/shm/pip-guard-test-');
    try {
      writeFileSync(join(project, 'pyproject.toml'), '');
      const install = await box.pip(['install', ...box.offline, 'demo==1.0'], { cwd: project });
      expect(install.exitCode).toBe(0);
      const venv = join(project, '.venv');
      const pyc = join(site(venv), 'pip', '__pycache__', `__init__.cpython-${PY.replace('.', '')}.pyc`);
      expect(statSync(join(site(venv), 'pip', '__init__.py')).nlink).toBe(1);
      const written = statSync(pyc).mtimeMs;
      expect(await pipVersion(box, venv)).toContain(`pip ${PIP_VERSION} from ${site(venv)}/pip`);
      // Python found the bytecode current (the sources keep the cache's mtimes) and left it.
      expect(statSync(pyc).mtimeMs).toBe(written);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('is written from a template after the first, as `python -m venv` writes it, without running it', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const other = join(box.dir, 'other');
    const { install, started } = await tracedFirstInstall(box, other);
    expect(notices(install.stderr)[0]).toContain(`a new venv, ${join(other, '.venv')}`);
    expect(started).not.toContain('"venv"');
    // What venv itself writes at that path, beside it.
    await box.run('mv', [join(other, '.venv'), join(other, 'made')]);
    await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', join(other, '.venv')]);
    const venvs = [join(other, 'made'), join(other, '.venv')];
    // Less pip-guard's own: its .gitignore, and the seeded pip.
    const seeded = /^(\.gitignore$|bin\/pip|lib(64)?\/python[\d.]+\/site-packages\/)/;
    const [made, byVenv] = venvs.map((root) => treeOf(root, seeded).join('\n\n'));
    expect(made?.replaceAll(venvs[0] as string, venvs[1] as string)).toBe(byVenv);
    expect(byVenv).toContain(`pyvenv.cfg 644 file\nhome = /usr/bin\n`);
  });

  it('is made by `python -m venv` where venv would quote its path, as under `my proj/`', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const spaced = join(box.dir, 'my proj');
    const { install, started } = await tracedFirstInstall(box, spaced);
    expect(install.exitCode).toBe(0);
    expect(started).toContain(`"-m", "venv", "--without-pip", "${spaced}/.venv"`);
    expect(readFileSync(join(spaced, '.venv', 'bin', 'activate'), 'utf8')).toContain(`'${spaced}/.venv'`);
  });

  it('is linked from wheels unpacked once into the cache, which later venvs share', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo==1.0']);
    const entries = readdirSync(seedCache(box)).sort();
    expect(entries.map((entry) => entry.replace(/-[0-9a-f]{12}$/, ''))).toEqual([
      `pip-${PIP_VERSION}-py3-none-any`,
      'setuptools-66.1.1-py3-none-any',
    ]);
    const unpacked = statSync(join(seedCache(box), entries[0] as string)).mtimeMs;
    const venv = join(box.project, '.venv');
    expect(statSync(join(site(venv), 'pip', '__init__.py')).nlink).toBeGreaterThan(1);
    const other = join(box.dir, 'other');
    await box.run('mkdir', ['-p', other]);
    writeFileSync(join(other, 'pyproject.toml'), '');
    const second = await box.pip(['install', ...box.offline, 'demo==1.0'], { cwd: other });
    expect(notices(second.stderr)[0]).toContain(`a new venv, ${join(other, '.venv')}`);
    expect(readdirSync(seedCache(box)).sort()).toEqual(entries);
    expect(statSync(join(seedCache(box), entries[0] as string)).mtimeMs).toBe(unpacked);
  });

  it('falls back to ensurepip, and explain says so, when no wheel to seed from is there', async () => {
    const box = sandbox();
    // The interpreter's answer, cached with wheels that are gone.
    await box.pipGuard(['explain', '--', 'install', 'demo']);
    await box.pip(['install', '--dry-run', ...box.offline, 'demo']);
    const file = join(box.home, '.cache', 'pip-guard', 'interpreters.json');
    const cache = JSON.parse(readFileSync(file, 'utf8'));
    cache['/usr/bin/python3'].facts.seedWheels = { pip: '/nonexistent/pip-1.0-py3-none-any.whl' };
    writeFileSync(file, JSON.stringify(cache));
    const explain = await box.pipGuard(['explain', '--', 'install', 'demo']);
    expect(explain.stdout).toContain(
      'no wheel to seed pip from was found: `python -m venv` has ensurepip install pip, as by hand',
    );
    expect(explain.stdout).toContain(`$ /usr/bin/python3 -m venv ${join(box.project, '.venv')}\n`);
    const install = await box.pip(['install', ...box.offline, 'demo==1.0']);
    expect(install.exitCode).toBe(0);
    expect(existsSync(join(box.project, '.venv', 'bin', 'pip'))).toBe(true);
    expect(existsSync(seedCache(box))).toBe(false);
  });

  it('shows one status line on a terminal while the venv is made, cleared before pip prints', async () => {
    const box = sandbox();
    const command = `pip install --no-index --find-links ${box.wheels} demo==1.0`;
    const tty = await box.run('script', ['-qec', command, '/dev/null']);
    expect(tty.stdout).toContain(`pip-guard: making the venv ${join(box.project, '.venv')}…\r\x1b[K`);
    const other = sandbox();
    const plain = await other.pip(['install', ...other.offline, 'demo==1.0']);
    expect(plain.stderr).not.toContain('making the venv');
  });
});
