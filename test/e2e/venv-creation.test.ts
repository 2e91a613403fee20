// Issue 9, item 5 (a signal while the venv is being made) and issue 10, L (the lock around
// making a venv): a Python whose `-m venv` waits keeps pip-guard in the middle of making it.
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notices, sandbox } from './harness.js';
import { slowVenvPip, start, stop, stopAll, venvRecords } from './stall.js';

const WAITING = 'pip-guard: waiting for another pip-guard';

afterEach(stopAll);

describe('a signal while pip-guard makes a venv', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s to pip-guard alone stops `python -m venv`, removes the venv and ends by that signal',
    async (signal) => {
      const box = sandbox();
      const venv = join(box.project, '.venv');
      const slow = slowVenvPip(box);
      const pip = start(box, 'pip', ['install', ...box.offline, 'demo'], { PIP_GUARD_REAL_PIP: slow.pip });
      await slow.making();
      process.kill(pip.pid, signal);
      const ended = await pip.done;
      expect(ended.signal).toBe(signal);
      expect(notices(ended.stderr)).toEqual([
        `pip-guard: interrupted while making the venv ${venv}: pip-guard removed it, and nothing was installed`,
      ]);
      expect(existsSync(venv)).toBe(false);
      expect(venvRecords(box)).toEqual([]);
    },
  );
});

describe('the lock held while a venv is made', () => {
  it('left by a pip-guard killed with -9, is taken over at once by the next install', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const slow = slowVenvPip(box);
    const first = start(box, 'pip', ['install', ...box.offline, 'demo'], { PIP_GUARD_REAL_PIP: slow.pip });
    const making = await slow.making();
    process.kill(first.pid, 'SIGKILL');
    await first.done;
    // Its `python3 -m venv` lives on: gone too, as after a reboot.
    stop(making);
    // The next install must not wait for the lock to age: keep it looking fresh all along.
    const locks = join(box.home, '.cache', 'pip-guard', 'locks');
    const left = readdirSync(locks).filter((name) => name.endsWith('.lock'));
    expect(left).toHaveLength(1);
    const ahead = new Date(Date.now() + 3_600_000);
    utimesSync(join(locks, left[0] as string), ahead, ahead);

    const next = await box.pip(['install', ...box.offline, 'demo']);
    expect(next.exitCode).toBe(0);
    expect(next.stderr).not.toContain(WAITING);
    expect(notices(next.stderr)).toEqual([
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python 3.11)`),
    ]);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
  });

  it('held by a live pip-guard: the next install says once what it waits for, then installs', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const slow = slowVenvPip(box);
    const first = start(box, 'pip', ['install', ...box.offline, 'demo'], { PIP_GUARD_REAL_PIP: slow.pip });
    await slow.making();
    const second = start(box, 'pip', ['install', ...box.offline, 'demo==1.0']);
    await second.printed('stderr', WAITING);
    process.kill(first.pid, 'SIGTERM');
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.signal).toBe('SIGTERM');
    expect(b.exitCode).toBe(0);
    expect(notices(b.stderr)).toEqual([
      `${WAITING} (pid ${first.pid}) that is making the venv ${venv} and installing into it`,
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python 3.11)`),
    ]);
    const version = await box.run(join(venv, 'bin', 'python'), [
      '-c',
      'import demo; print(demo.__version__)',
    ]);
    expect(version.stdout).toBe('1.0\n');
  });
});
