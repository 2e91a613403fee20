import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notices, runIn, type Sandbox, SYSTEM_PATH, sandbox, tracingShims } from './harness.js';

// Commands that pip-guard does not redirect (no venv exists, or pip would not refuse): through
// the shim they must be indistinguishable from /usr/bin/pip itself. Some take the shim's
// fast path, some pass through pip-guard (list, show, install --target, …): both are covered.
const commands: [string, (box: Sandbox) => string[]][] = [
  ['--version', () => ['--version']],
  ['-V', () => ['-V']],
  ['no command', () => []],
  ['help', () => ['help']],
  ['help install', () => ['help', 'install']],
  ['install --help', () => ['install', '--help']],
  ['unknown command', () => ['instal', 'demo']],
  ['list', () => ['list']],
  ['list --format=json', () => ['list', '--format=json']],
  ['freeze', () => ['freeze']],
  ['show pip', () => ['show', 'pip']],
  ['show a missing package', () => ['show', 'no-such-package-x']],
  ['check', () => ['check']],
  ['config list', () => ['config', 'list']],
  ['cache dir', () => ['cache', 'dir']],
  ['debug', () => ['debug']],
  ['hash', (box) => ['hash', join(box.wheels, 'demo-1.0-py3-none-any.whl')]],
  ['download', (box) => ['download', '-d', join(box.dir, 'out'), ...box.offline, 'demo']],
  ['wheel', (box) => ['wheel', '-w', join(box.dir, 'out'), ...box.offline, 'demo']],
  ['install --target', (box) => ['install', '--target', join(box.dir, 'out'), ...box.offline, 'demo']],
  [
    'install --dry-run --report -',
    (box) => ['install', '--dry-run', '--report', '-', ...box.offline, 'demo'],
  ],
  ['install --require-virtualenv', (box) => ['install', '--require-virtualenv', ...box.offline, 'demo']],
  ['install with an unknown option', () => ['install', '--no-such-option', 'demo']],
  ['uninstall with nothing named', () => ['uninstall']],
  [
    'uninstall --break-system-packages of a missing package',
    () => ['uninstall', '-y', '--break-system-packages', 'no-such-package-x'],
  ],
  ['a global option with a value', () => ['--timeout', '5', 'list', '--format=freeze']],
  ['an abbreviated global option', () => ['--disable-pip', 'list']],
];

describe('pip through the shim is pip', () => {
  it.each(commands)('%s: same stdout, stderr and exit code as /usr/bin/pip', async (_, args) => {
    const box = sandbox();
    const argv = args(box);
    const direct = await runIn({ ...box.env, PATH: SYSTEM_PATH }, '/usr/bin/pip', argv, { cwd: box.project });
    rmSync(join(box.dir, 'out'), { recursive: true, force: true });
    const shimmed = await box.pip(argv);
    expect({ code: shimmed.exitCode, out: shimmed.stdout, err: shimmed.stderr }).toEqual({
      code: direct.exitCode,
      out: direct.stdout,
      err: direct.stderr,
    });
    expect(shimmed.raw.stdout.equals(direct.raw.stdout) && shimmed.raw.stderr.equals(direct.raw.stderr)).toBe(
      true,
    );
  });
});

// Whether stdout and stderr are non-blocking (O_NONBLOCK), as a Python program sees them: a
// pipe's or a socket's flag is shared by every program that writes to it.
const FLAGS =
  'import fcntl, os, sys; print(sys.argv[1], [bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK) for fd in (1, 2)])';

describe('stdout and stderr, pipes or sockets shared with the caller', () => {
  it('stay blocking for pip and for what runs after pip-guard, as the caller left them', async () => {
    const box = sandbox();
    const pip = join(box.dir, 'flags-pip');
    writeFileSync(pip, `#!/usr/bin/python3\n${FLAGS.replace('sys.argv[1]', "'pip'")}\n`, { mode: 0o755 });
    // A fresh HOME: pip-guard asks the interpreter (a helper whose output it reads) first; the
    // install makes a venv and prints its line.
    const script = [
      `PIP_GUARD_REAL_PIP=${pip} pip show x`,
      `python3 -c "$FLAGS" 'after a forward:'`,
      `pip install ${box.offline.join(' ')} demo`,
      `python3 -c "$FLAGS" 'after an install:'`,
      `pip install ${box.offline.join(' ')} demo`,
      `python3 -c "$FLAGS" 'after another:'`,
    ].join('\n');
    const result = await runIn(box.env, 'sh', ['-c', script], { cwd: box.project, env: { FLAGS } });
    expect(result.stdout.split('\n').filter((line) => line.includes('['))).toEqual([
      'pip [False, False]',
      'after a forward: [False, False]',
      'after an install: [False, False]',
      'after another: [False, False]',
    ]);
    expect(notices(result.stderr)).toHaveLength(2);
  });

  it("stay blocking after pip-guard's own commands that print: init, activate, explain", async () => {
    const box = sandbox();
    const script = [
      `pip install ${box.offline.join(' ')} demo`,
      'pip-guard init bash',
      `python3 -c "$FLAGS" 'after init:'`,
      'pip-guard activate',
      `python3 -c "$FLAGS" 'after activate:'`,
      'pip-guard explain install demo',
      `python3 -c "$FLAGS" 'after explain:'`,
    ].join('\n');
    const result = await runIn(box.env, 'sh', ['-c', script], { cwd: box.project, env: { FLAGS } });
    expect([result.exitCode, result.stdout.split('\n').filter((line) => line.startsWith('after '))]).toEqual([
      0,
      ['after init: [False, False]', 'after activate: [False, False]', 'after explain: [False, False]'],
    ]);
  });
});

describe('the shim fast path', () => {
  it('runs harmless commands without starting Node, and hands the rest to pip-guard', async () => {
    const box = sandbox();
    const { dir, trace } = tracingShims(box);
    const env = { PATH: `${dir}:${SYSTEM_PATH}` };
    for (const argv of [
      ['--version'],
      ['-V'],
      ['help'],
      ['config', 'list'],
      ['cache', 'dir'],
      ['download', '--help'],
      ['-q', 'wheel', '--help'],
      ['--timeout', '5', 'hash', '--help'],
    ]) {
      expect((await box.pip(argv, { env })).exitCode).toBe(0);
    }
    expect(() => readFileSync(trace, 'utf8')).toThrow();
    expect((await box.pip(['--version'], { env: { ...env, PIP_GUARD_DISABLE: '1' } })).exitCode).toBe(0);
    expect(
      (await box.pip(['install', 'demo'], { env: { ...env, PIP_GUARD_DISABLE: '1' } })).stderr,
    ).toContain('externally-managed-environment');
    expect(() => readFileSync(trace, 'utf8')).toThrow();

    expect((await box.pip(['install', 'demo'], { env })).exitCode).toBe(99);
    expect((await box.pip(['--isol', 'list'], { env })).exitCode).toBe(99);
    expect(readFileSync(trace, 'utf8')).toBe(
      `--pip-guard-shim pip /usr/bin/pip install demo\n--pip-guard-shim pip /usr/bin/pip --isol list\n`,
    );
  });

  it('runs the real pip without starting Node under PIP_GUARD_POLICY=off', async () => {
    const box = sandbox();
    const { dir, trace } = tracingShims(box);
    const env = { PATH: `${dir}:${SYSTEM_PATH}` };
    for (const argv of [['install', ...box.offline, 'demo'], ['uninstall', '-y', 'demo'], ['list']]) {
      const direct = await runIn({ ...box.env, PATH: SYSTEM_PATH }, '/usr/bin/pip', argv, {
        cwd: box.project,
      });
      const off = await box.pip(argv, { env: { ...env, PIP_GUARD_POLICY: 'off' } });
      expect(off).toEqual(direct);
    }
    expect(() => readFileSync(trace, 'utf8')).toThrow();
    // Any other policy is pip-guard's to apply.
    expect((await box.pip(['list'], { env: { ...env, PIP_GUARD_POLICY: 'venv' } })).exitCode).toBe(99);
    expect(readFileSync(trace, 'utf8')).toBe('--pip-guard-shim pip /usr/bin/pip list\n');
  });
});
