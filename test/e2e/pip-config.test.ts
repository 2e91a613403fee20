// pip's own config files, as pip reads them (pip/_internal/configuration.py): a
// `break-system-packages = true` in any of them turns pip's PEP 668 check off, so pip-guard must
// forward; under --isolated pip skips the user files (and PIP_* variables) but still reads the
// global ones, the site config and PIP_CONFIG_FILE. Each case asks the real pip first.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, pathBehindShims, type Sandbox, sandbox } from './harness.js';
import { makePython, type TestPython } from './pythons.js';

// A sandbox whose pip reads config files, with an externally managed Python of its own behind
// the shims: pip may install into its site-packages, which are the test's.
function configured() {
  const box = sandbox({ pipConfig: true });
  const python = makePython(join(box.dir, 'python'), { managed: true });
  box.env.PATH = pathBehindShims(box, dirname(python.pip));
  return { box, python };
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

interface Place {
  // The file pip reads there, and the environment that makes it read it.
  file(box: Sandbox, python: TestPython): string;
  env?(box: Sandbox, python: TestPython): Record<string, string>;
  // Whether pip still reads it under --isolated.
  isolated: boolean;
}

const PLACES: Record<string, Place> = {
  // The second of two directories: pip reads every one.
  'XDG_CONFIG_DIRS/pip/pip.conf': {
    file: (box) => join(box.dir, 'xdg-2', 'pip', 'pip.conf'),
    env: (box) => ({ XDG_CONFIG_DIRS: `${box.xdgConfigDirs}:${join(box.dir, 'xdg-2')}` }),
    isolated: true,
  },
  '/etc/pip.conf': { file: (box) => join(box.etc, 'pip.conf'), isolated: true },
  '~/.pip/pip.conf': { file: (box) => join(box.home, '.pip', 'pip.conf'), isolated: false },
  '~/.config/pip/pip.conf': { file: (box) => join(box.home, '.config', 'pip', 'pip.conf'), isolated: false },
  'the site config ($prefix/pip.conf)': {
    file: (_, python) => join(python.prefix, 'pip.conf'),
    isolated: true,
  },
  PIP_CONFIG_FILE: {
    file: (box) => join(box.dir, 'my-pip.conf'),
    env: (box) => ({ PIP_CONFIG_FILE: join(box.dir, 'my-pip.conf') }),
    isolated: true,
  },
};

const BREAK = (section: string) => `[${section}]\nbreak-system-packages = true\n`;

// What the real pip does with `install [--isolated] demo`: refuse, or go ahead (--dry-run).
async function realPipRefuses(box: Sandbox, python: TestPython, flags: string[], env = {}) {
  const dry = await box.run(python.pip, ['install', ...flags, '--dry-run', ...box.offline, 'demo'], { env });
  const refused = dry.exitCode === 1 && dry.stderr.includes('error: externally-managed-environment');
  expect(refused || (dry.exitCode === 0 && dry.stdout.includes('Would install demo-1.1'))).toBe(true);
  return refused;
}

// pip-guard ran the real pip as typed: demo is in the interpreter's own site-packages.
async function expectForwarded(box: Sandbox, python: TestPython, flags: string[], env = {}) {
  const install = await box.pip(['install', ...flags, ...box.offline, 'demo'], { env });
  expect(install.exitCode).toBe(0);
  expect(install.stdout).toContain('Successfully installed demo-1.1');
  expect(notices(install.stderr)).toEqual([]);
  expect(existsSync(join(python.sitePackages, 'demo'))).toBe(true);
  expect(existsSync(join(box.project, '.venv'))).toBe(false);
}

// pip-guard saw that pip would refuse, and installed into the project venv instead.
async function expectRedirected(box: Sandbox, python: TestPython, flags: string[], env = {}) {
  const install = await box.pip(['install', ...flags, ...box.offline, 'demo'], { env });
  expect(install.exitCode).toBe(0);
  expect(install.stderr).not.toContain('externally-managed-environment');
  expect(notices(install.stderr)).toEqual([
    `pip-guard: ${python.python} is externally managed (PEP 668), so pip installed into a new venv, ` +
      `${join(box.project, '.venv')} (Python ${PY}); \`python3\` here uses it`,
  ]);
  expect(existsSync(join(python.sitePackages, 'demo'))).toBe(false);
  const imported = await box.run(join(box.project, '.venv', 'bin', 'python'), ['-c', 'import demo']);
  expect(imported.exitCode).toBe(0);
}

describe('break-system-packages in each file pip reads', () => {
  const cases = Object.entries(PLACES).flatMap(([name, place]) =>
    ['global', 'install'].map((section) => [name, section, place] as const),
  );
  it.each(cases)('%s, [%s]: the real pip goes ahead, and so does pip-guard', async (_, section, place) => {
    const { box, python } = configured();
    write(place.file(box, python), BREAK(section));
    const env = place.env?.(box, python) ?? {};
    expect(await realPipRefuses(box, python, [], env)).toBe(false);
    await expectForwarded(box, python, [], env);
  });
});

describe('pip --isolated', () => {
  it.each(Object.entries(PLACES))('reads %s as pip does', async (_, place) => {
    const { box, python } = configured();
    write(place.file(box, python), BREAK('global'));
    const env = place.env?.(box, python) ?? {};
    expect(await realPipRefuses(box, python, ['--isolated'], env)).toBe(!place.isolated);
    if (place.isolated) await expectForwarded(box, python, ['--isolated'], env);
    else await expectRedirected(box, python, ['--isolated'], env);
  });

  it('ignores PIP_BREAK_SYSTEM_PACKAGES, as pip does', async () => {
    const { box, python } = configured();
    const env = { PIP_BREAK_SYSTEM_PACKAGES: '1' };
    expect(await realPipRefuses(box, python, ['--isolated'], env)).toBe(true);
    await expectRedirected(box, python, ['--isolated'], env);
  });
});

describe('pip --isolated and --python', () => {
  // pip's main parser, which reads --python, is never isolated (create_main_parser).
  it('still runs pip under PIP_PYTHON’s interpreter, as pip does', async () => {
    const { box, python } = configured();
    const venv = join(box.dir, 'elsewhere');
    expect((await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv])).exitCode).toBe(0);
    const env = { PIP_PYTHON: venv };
    expect(await realPipRefuses(box, python, ['--isolated'], env)).toBe(false);
    const install = await box.pip(['--isolated', 'install', ...box.offline, 'demo'], { env });
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([]);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });
});

describe('which file wins', () => {
  it('a PIP_CONFIG_FILE that exists hides the user files', async () => {
    const { box, python } = configured();
    write(join(box.home, '.config', 'pip', 'pip.conf'), BREAK('global'));
    const env = { PIP_CONFIG_FILE: join(box.dir, 'empty.conf') };
    write(env.PIP_CONFIG_FILE, '');
    expect(await realPipRefuses(box, python, [], env)).toBe(true);
    await expectRedirected(box, python, [], env);
  });

  it('PIP_CONFIG_FILE=/dev/null hides every file, the site config too', async () => {
    const { box, python } = configured();
    write(join(python.prefix, 'pip.conf'), BREAK('global'));
    const env = { PIP_CONFIG_FILE: '/dev/null' };
    expect(await realPipRefuses(box, python, [], env)).toBe(true);
    await expectRedirected(box, python, [], env);
  });

  it('the user’s false beats /etc/pip.conf’s true', async () => {
    const { box, python } = configured();
    write(join(box.etc, 'pip.conf'), BREAK('global'));
    write(join(box.home, '.config', 'pip', 'pip.conf'), '[global]\nbreak-system-packages = false\n');
    expect(await realPipRefuses(box, python, [])).toBe(true);
    await expectRedirected(box, python, []);
  });

  it('PIP_CONFIG_FILE’s false beats the site config’s true', async () => {
    const { box, python } = configured();
    write(join(python.prefix, 'pip.conf'), BREAK('install'));
    const env = { PIP_CONFIG_FILE: join(box.dir, 'no.conf') };
    write(env.PIP_CONFIG_FILE, '[install]\nbreak-system-packages = no\n');
    expect(await realPipRefuses(box, python, [], env)).toBe(true);
    await expectRedirected(box, python, [], env);
  });

  it('[install] beats [global] whatever the files’ order', async () => {
    const { box, python } = configured();
    write(join(box.etc, 'pip.conf'), '[install]\nbreak-system-packages = false\n');
    const env = { PIP_CONFIG_FILE: join(box.dir, 'yes.conf') };
    write(env.PIP_CONFIG_FILE, BREAK('global'));
    expect(await realPipRefuses(box, python, [], env)).toBe(true);
    await expectRedirected(box, python, [], env);
  });
});
