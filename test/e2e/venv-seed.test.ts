// A venv pip-guard makes is seeded with pip from the wheels ensurepip would use (src/venv-seed.ts),
// and is a normal venv afterwards: its pip runs, upgrades and uninstalls itself.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { notices, runIn, type Sandbox, sandbox } from './harness.js';

const site = (venv: string) => join(venv, 'lib', `python${PY}`, 'site-packages');
const seedCache = (box: Sandbox) => join(box.home, '.cache', 'pip-guard', 'seed', `python${PY}`);

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
