// Issue 24, item 1, and issue 21's forward cache: read-only commands that pip-guard routed or
// forwarded once are answered by the pip shim itself from pip-guard's records, with no pip-guard
// process (strace shows every program started); any doubt sends the command back to pip-guard.
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, notices, type RunOptions, type Sandbox, sandbox } from './harness.js';

// The programs a command started, by path, and what it printed.
async function traced(box: Sandbox, args: string[], options: RunOptions = {}) {
  const result = await box.run(
    '/usr/bin/strace',
    ['-f', '-qq', '-e', 'trace=execve', '-e', 'signal=none', 'pip', ...args],
    options,
  );
  const programs = result.stderr
    .split('\n')
    .flatMap((line) => /execve\("([^"]+)"/.exec(line)?.[1] ?? [])
    .filter((program) => program !== '/usr/bin/strace');
  return { ...result, programs, pipGuard: programs.some((p) => p === CLI || p.endsWith('/pip-guard')) };
}

// A project whose venv pip-guard made, with demo in it.
async function projectWithVenv(box: Sandbox) {
  const install = await box.pip(['install', ...box.offline, 'demo']);
  expect(install.exitCode).toBe(0);
  return join(box.project, '.venv');
}

const ROUTE_NOTICE = (box: Sandbox, command: string) =>
  `pip-guard: this is ${box.project}/.venv, this project's venv (/usr/bin/python3 is externally managed); PIP_GUARD_POLICY=off pip ${command} shows the system's packages`;

describe("the pip shim answers from pip-guard's records", () => {
  it('routes list, show and freeze in a project to its venv with the same notice, without pip-guard', async () => {
    const box = sandbox();
    const venv = await projectWithVenv(box);
    const first = await traced(box, ['list']);
    expect([first.pipGuard, notices(first.stderr)]).toEqual([true, [ROUTE_NOTICE(box, 'list')]]);
    for (const args of [['list'], ['show', 'demo'], ['freeze'], ['list', '--format=freeze']]) {
      const again = await traced(box, args, { cwd: join(box.project, 'src') });
      expect([args, again.exitCode, again.pipGuard]).toEqual([args, 0, false]);
      expect(again.programs.slice(-1)).toEqual([join(venv, 'bin', 'pip')]);
      expect(notices(again.stderr)).toEqual([ROUTE_NOTICE(box, args[0] as string)]);
      const own = await box.run(join(venv, 'bin', 'pip'), args);
      expect(again.stdout).toBe(own.stdout);
    }
  });

  it('sends list outside any project to the real pip as typed, without pip-guard', async () => {
    const box = sandbox();
    await traced(box, ['list'], { cwd: box.home });
    const again = await traced(box, ['list'], { cwd: box.home });
    expect([again.exitCode, again.pipGuard, again.programs.slice(-1)]).toEqual([0, false, ['/usr/bin/pip']]);
    expect(notices(again.stderr)).toEqual([]);
  });

  it.each([
    [
      'a new config file',
      (box: Sandbox) => writeFileSync(join(box.project, '.pip-guardrc.json'), '{"notice": true}'),
      {},
    ],
    [
      'a changed config file',
      (box: Sandbox) =>
        writeFileSync(
          join(box.project, 'pyproject.toml'),
          '[project]\nname = "example"\n\n[tool.pip-guard]\nnotice = true\n',
        ),
      {},
    ],
    [
      'a pip config file',
      (box: Sandbox) => writeFileSync(join(box.home, 'pip.conf'), '[global]\n'),
      { PIP_CONFIG_FILE: 'HOME/pip.conf' },
    ],
    ['the venv’s pip at another version', (box: Sandbox) => otherPipVersion(box), {}],
    ['--python', () => {}, {}, ['--python', '/usr/bin/python3']],
    ['PIP_PYTHON', () => {}, { PIP_PYTHON: '/usr/bin/python3' }],
    ['an active venv', (box: Sandbox) => mkdirSync(join(box.dir, 'mine')), { VIRTUAL_ENV: 'DIR/mine' }],
    ['another user’s record', (box: Sandbox) => chownRecords(box), {}],
  ] as [string, (box: Sandbox) => void, Record<string, string>, string[]?][])(
    '%s sends the routed command back to pip-guard',
    async (_, change, env, extra = []) => {
      const box = sandbox();
      await projectWithVenv(box);
      await traced(box, ['list']);
      expect((await traced(box, ['list'])).pipGuard).toBe(false);
      change(box);
      const values = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, v.replace('HOME', box.home).replace('DIR', box.dir)]),
      );
      const doubted = await traced(box, [...extra, 'list'], { env: values });
      expect(doubted.pipGuard).toBe(true);
    },
  );
});

// The project venv's pip/__init__.py with another __version__ line (a new file: the one there
// is a hard link into pip-guard's seed cache).
function otherPipVersion(box: Sandbox): void {
  const init = join(box.project, '.venv', 'lib', 'python3.11', 'site-packages', 'pip', '__init__.py');
  const text = readFileSync(init, 'utf8');
  expect(text).toMatch(/^__version__ = /m);
  rmSync(init);
  writeFileSync(init, text.replace(/^__version__ = .*$/m, '__version__ = "99.0"'));
}

// The records of the project, made somebody else's (nobody's).
function chownRecords(box: Sandbox): void {
  const dir = join(
    box.home,
    '.local',
    'state',
    'pip-guard',
    'projects',
    ...box.project.split('/').filter(Boolean),
  );
  chownSync(join(dir, '.pip-guard-route.pip'), 65534, 65534);
}

describe('the forward cache, as data', () => {
  it('runs nothing that a path holds, a newline and a command in it, and still answers for that path', async () => {
    const box = sandbox();
    // As in the review: the fragment the shim sourced ran it. (A $(…) in the path would run in the
    // venv's own pip script, which pip writes for sh: not pip-guard's to guard.)
    const odd = join(box.dir, 'x\necho INJECTED >&2 #');
    mkdirSync(odd);
    const venv = join(odd, 'venv');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    const env = { PATH: `${box.shims}:${join(venv, 'bin')}:/usr/bin:/bin`, VIRTUAL_ENV: venv };
    const first = await traced(box, ['list'], { env, cwd: box.home });
    expect([first.exitCode, first.pipGuard]).toEqual([0, true]);
    const again = await traced(box, ['install', ...box.offline, 'demo'], { env, cwd: box.home });
    expect([again.exitCode, again.pipGuard]).toEqual([0, false]);
    // strace writes the newline as \n.
    const pip = join(venv, 'bin', 'pip').replaceAll('\n', '\\n');
    expect(again.programs.slice(0, 2)).toEqual([join(box.shims, 'pip'), pip]);
    // Run, the line would print INJECTED alone (strace shows the path with it, escaped).
    expect(`${first.stderr}\n${again.stderr}`.split('\n')).not.toContain('INJECTED');
  });
});
