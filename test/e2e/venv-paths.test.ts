// A project anywhere (issue 15): under a path with a space and non-ASCII letters, one longer than
// a #! line may be, or one with a tab, a newline or a $ in it. The first redirect makes a venv
// whose scripts run (byte for byte pip's own where pip's own run), whose Python runs, and which
// a failing first install leaves no trace of.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { notices, type Sandbox, sandbox } from './harness.js';

const SCRIPTS = ['pip', 'pip3', `pip${PY}`];

// A project directory at `parts` under the sandbox.
function projectAt(box: Sandbox, ...parts: string[]): string {
  const dir = join(box.dir, ...parts);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "example"\nversion = "0"\n');
  return dir;
}

// Nested directories under the sandbox, down to a project path of at least 200 bytes.
function longProject(box: Sandbox): string[] {
  const parts = ['a-project-with-a-rather-long-name-for-its-directory'];
  while (Buffer.byteLength(join(box.dir, ...parts)) < 200) parts.push(`and-deeper-still-${parts.length}`);
  return parts;
}

// What pip itself writes there: the scripts of a venv that `python3 -m venv` makes at that path.
async function pipsOwnScripts(box: Sandbox, venv: string): Promise<string[]> {
  const made = await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
  expect(made.exitCode).toBe(0);
  const scripts = SCRIPTS.map((name) => readFileSync(join(venv, 'bin', name), 'utf8'));
  rmSync(venv, { recursive: true });
  return scripts;
}

// The first redirect in `project`, and that the venv's scripts and Python run.
async function firstRedirect(box: Sandbox, project: string) {
  const venv = join(project, '.venv');
  const install = await box.pip(['install', ...box.offline, 'demo==1.0'], { cwd: project });
  expect([install.exitCode, install.stdout]).toEqual([
    0,
    expect.stringContaining('Successfully installed demo-1.0'),
  ]);
  expect(install.stderr).toContain(`so pip installed into a new venv, ${venv} (Python ${PY})`);
  for (const name of SCRIPTS) {
    const version = await box.run(join(venv, 'bin', name), ['--version'], { cwd: project });
    expect([version.exitCode, version.stdout]).toEqual([
      0,
      `pip ${PIP_VERSION} from ${venv}/lib/python${PY}/site-packages/pip (python ${PY})\n`,
    ]);
  }
  const python = await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo, sys; print(sys.prefix)']);
  expect(python.stdout).toBe(`${venv}\n`);
  // The venv's own pip works on it too.
  const upgrade = await box.run(join(venv, 'bin', 'pip'), ['install', ...box.offline, 'demo==1.1']);
  expect(upgrade.stdout).toContain('Successfully installed demo-1.1');
  return { venv, install };
}

// A failing first install in `project` leaves no venv behind.
async function failingFirstInstall(box: Sandbox, project: string) {
  const failed = await box.pip(['install', ...box.offline, 'no-such-package'], { cwd: project });
  expect(failed.exitCode).toBe(1);
  expect(failed.stderr).toContain('No matching distribution found for no-such-package');
  expect(existsSync(join(project, '.venv'))).toBe(false);
}

describe('a project whose path pip writes its scripts differently for', () => {
  it.each([
    ['a space and non-ASCII letters', (_: Sandbox) => ['my proj ü']],
    ['200 bytes or more', longProject],
  ])('(%s): the first redirect makes a venv with pip’s own scripts, and they run', async (_, parts) => {
    const box = sandbox();
    const project = projectAt(box, ...parts(box));
    const byPip = await pipsOwnScripts(box, join(project, '.venv'));
    await failingFirstInstall(box, project);
    const { venv, install } = await firstRedirect(box, project);
    expect(SCRIPTS.map((name) => readFileSync(join(venv, 'bin', name), 'utf8'))).toEqual(byPip);
    // The notice's advice runs as it reads: `python3` here, through pip-guard's python shim.
    expect(notices(install.stderr)[0]).toMatch(/; `python3` here uses it$/);
    const used = await box.run('sh', ['-c', `python3 -c 'import demo, sys; print(sys.prefix)'`], {
      cwd: project,
    });
    expect(used.stdout).toBe(`${venv}\n`);
  });
});

describe('a project whose path pip’s own scripts do not run in', () => {
  it.each([
    ['a tab', 'tab\there'],
    ['a newline', 'new\nline'],
    ['a space and a $', 'my $HOME proj'],
  ])(
    '(%s): the venv’s scripts run all the same, and a failing first install leaves nothing',
    async (_, name) => {
      const box = sandbox();
      const project = projectAt(box, name);
      await failingFirstInstall(box, project);
      await firstRedirect(box, project);
    },
  );
});
