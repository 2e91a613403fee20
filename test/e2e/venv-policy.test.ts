import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, pathBehindShims, type Sandbox, sandbox } from './harness.js';

describe('a refused pip install goes to the project venv', () => {
  it('installs, upgrades, lists and uninstalls in <root>/.venv, run from a subdirectory', async () => {
    const box = sandbox();
    const src = join(box.project, 'src');
    const venv = join(box.project, '.venv');

    const install = await box.pip(['install', ...box.offline, 'demo==1.0'], { cwd: src });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.0');
    expect(install.stdout + install.stderr).not.toContain('externally-managed-environment');
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${venv} (Python ${PY}); ` +
        `\`python3\` here uses it`,
    ]);
    expect(existsSync(join(src, '.venv'))).toBe(false);

    const python = join(venv, 'bin', 'python');
    const imported = await box.run(python, ['-c', 'import demo, sys; print(demo.__version__, sys.prefix)']);
    expect(imported.stdout).toBe(`1.0 ${venv}\n`);
    const ownPip = await box.run(join(venv, 'bin', 'pip'), ['--version']);
    expect(ownPip.exitCode).toBe(0);
    expect(ownPip.stdout).toContain(join(venv, 'lib'));

    const upgrade = await box.pip(['install', '-U', ...box.offline, 'demo'], { cwd: src });
    expect(upgrade.exitCode).toBe(0);
    expect(upgrade.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(upgrade.stderr)).toHaveLength(1);
    expect((await box.run(python, ['-c', 'import demo; print(demo.__version__)'])).stdout).toBe('1.1\n');

    const list = await box.pip(['list', '--format=freeze'], { cwd: src });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('demo==1.1');

    const uninstall = await box.pip(['uninstall', '-y', 'demo'], { cwd: src });
    expect(uninstall.exitCode).toBe(0);
    expect(uninstall.stdout).toContain('Successfully uninstalled demo-1.1');
    expect((await box.run(python, ['-c', 'import demo'])).exitCode).toBe(1);
    expect(readdirSync(box.project).sort()).toEqual(['.venv', 'pyproject.toml', 'src']);
  });

  it('reuses an existing venv/ at the project root', async () => {
    const box = sandbox();
    await box.run('/usr/bin/python3', ['-m', 'venv', join(box.project, 'venv')]);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into ${join(box.project, 'venv')} (Python ${PY});`,
    );
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('installs outside any project into the default venv under XDG_DATA_HOME', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo'], { cwd: box.home });
    expect(install.exitCode).toBe(0);
    const venv = join(box.home, '.local', 'share', 'pip-guard', 'venvs', `python${PY}`);
    expect(notices(install.stderr)[0]).toContain(`pip-guard's default venv ${venv}`);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
  });

  it('drops --user, which makes no sense in a venv', async () => {
    const box = sandbox();
    const install = await box.pip(['install', '--user', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(existsSync(join(box.home, '.local', 'lib'))).toBe(false);
    expect((await box.run(join(box.project, '.venv', 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(
      0,
    );
  });

  it('passes stdin to pip (pip install -r /dev/stdin)', async () => {
    const box = sandbox();
    // Through a shell pipe: a Node 'pipe' is a socket, which /dev/stdin cannot open.
    const script = `printf 'demo==1.0\\n' | pip install --no-index --find-links '${box.wheels}' -r /dev/stdin`;
    const install = await box.run('/bin/sh', ['-c', script]);
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.0');
  });

  it('creates one venv when two installs race for it', async () => {
    const box = sandbox();
    const { log, pip } = racingPython(box);
    const env = { PATH: pathBehindShims(box, dirname(pip)) };
    const [a, b] = await Promise.all([
      box.pip(['install', ...box.offline, 'demo==1.0'], { env }),
      box.pip(['install', ...box.offline, 'demo==1.0'], { env }),
    ]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const created = [a, b].filter((r) => notices(r.stderr)[0]?.includes('a new venv'));
    expect(created).toHaveLength(1);
    // Both had asked their Python about PEP 668 before either made the venv, and only one made it.
    const venv = join(box.project, '.venv');
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) =>
        line
          .split(' ')
          .filter((_, i) => i !== 1)
          .join(' '),
      );
    expect(events.slice(0, 2)).toEqual(['probe-start', 'probe-start']);
    expect(events.filter((event) => event.startsWith('probe-end'))).toHaveLength(2);
    expect(events.indexOf(`venv-start ${venv}`)).toBeGreaterThan(events.lastIndexOf('probe-end'));
    expect(events.filter((event) => event.endsWith(venv))).toEqual([
      `venv-start ${venv}`,
      `venv-end ${venv}`,
    ]);
    // Meanwhile the pip and setuptools wheels, unpacked into pip-guard's cache for the first venv,
    // and the two venvs in the cache that the template of the next venvs is made of.
    expect(events.filter((event) => !event.endsWith(venv) && !event.startsWith('probe')).sort()).toEqual([
      'unpack-end',
      'unpack-end',
      'unpack-start',
      'unpack-start',
      ...['end', 'end', 'start', 'start'].map((at) =>
        expect.stringMatching(new RegExp(`^venv-${at} \\S+/venv-templates/`)),
      ),
    ]);
    // The one that waited for the other's venv and first install may have said so.
    const said = notices(a.stderr).concat(notices(b.stderr));
    const waited = said.filter((line) => line.includes('waiting for another pip-guard'));
    expect(waited).toEqual(
      waited.length === 0
        ? []
        : [
            expect.stringMatching(
              new RegExp(
                `^pip-guard: waiting for another pip-guard \\(pid \\d+\\) that is making the venv ${venv} and installing into it$`,
              ),
            ),
          ],
    );
    expect(said.filter((line) => !waited.includes(line)).sort()).toEqual(
      [
        `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into ${venv} (Python ${PY}); \`python3\` here uses it`,
        `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${venv} (Python ${PY}); \`python3\` here uses it`,
      ]
        .map((line) => line.replace('/usr/bin/python3', join(dirname(pip), 'python3')))
        .sort(),
    );
  });
});

// A pip on a Python that is Debian's behind a logging wrapper, for the race: the wrapper holds
// each pip-guard's PEP 668 question until both have asked (so both are under way before either
// decides), and holds `-m venv` until both have their answer; it logs each step.
function racingPython(box: Sandbox): { log: string; pip: string } {
  const bin = join(box.dir, 'racing', 'bin');
  mkdirSync(bin, { recursive: true });
  const log = join(box.dir, 'racing', 'log');
  writeFileSync(log, '');
  // Waits (at most a minute, then fails) until the log has two lines starting with $1.
  const wait = (event: string) =>
    `n=0; until [ "$(grep -c '^${event} ' '${log}')" -ge 2 ]; do n=$((n+1)); [ $n -lt 1200 ] || exit 3; sleep 0.05; done`;
  // Each step logged with its pid and, for `-m venv --without-pip PATH`, the PATH.
  const step = (event: string, what = '') =>
    `echo "${event}-start $$${what}" >> '${log}'; /usr/bin/python3 "$@"; rc=$?; echo "${event}-end $$${what}" >> '${log}'; exit $rc`;
  writeFileSync(
    join(bin, 'python3'),
    [
      '#!/bin/sh',
      // pip-guard's seeding unpacks each wheel with `python -I -c` too, once per wheel.
      'case "$1 $2 $3" in',
      `  "-I -c "*zipfile*) ${step('unpack')} ;;`,
      `  "-I -c "*) echo "probe-start $$" >> '${log}'; ${wait('probe-start')}`,
      `    /usr/bin/python3 "$@"; rc=$?; echo "probe-end $$" >> '${log}'; exit $rc ;;`,
      `  "-m venv "*) ${wait('probe-end')}; ${step('venv', ' $4')} ;;`,
      'esac',
      'exec /usr/bin/python3 "$@"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const pip = join(bin, 'pip');
  writeFileSync(
    pip,
    readFileSync('/usr/bin/pip', 'utf8').replace('#!/usr/bin/python3', `#!${join(bin, 'python3')}`),
    {
      mode: 0o755,
    },
  );
  return { log, pip };
}

describe('commands pip does not refuse go straight to the real pip', () => {
  it.each([
    [
      'install --target',
      (box: ReturnType<typeof sandbox>) => [
        'install',
        '--target',
        join(box.dir, 't'),
        ...box.offline,
        'demo',
      ],
    ],
    [
      'install --dry-run --report',
      (box: ReturnType<typeof sandbox>) => [
        'install',
        '--dry-run',
        '--report',
        join(box.dir, 'r.json'),
        ...box.offline,
        'demo',
      ],
    ],
    [
      'download',
      (box: ReturnType<typeof sandbox>) => ['download', '-d', join(box.dir, 'd'), ...box.offline, 'demo'],
    ],
  ])('%s creates no venv', async (_, args) => {
    const box = sandbox();
    const result = await box.pip(args(box));
    expect(result.exitCode).toBe(0);
    expect(notices(result.stderr)).toEqual([]);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    expect(existsSync(join(box.home, '.local', 'share', 'pip-guard', 'venvs'))).toBe(false);
  });
});
