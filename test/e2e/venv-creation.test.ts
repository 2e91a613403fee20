// Issue 9, item 5 (a signal while the venv is being made), issue 10, L (the lock around making
// a venv) and issue 15, item 7 (kill -9 of pip-guard alone): a Python whose `-m venv` waits, or
// an index that never answers, keeps pip-guard in the middle of making a venv or installing.
import { existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, sandbox, waitUntil } from './harness.js';
import { hangingIndex, slowVenvPip, start, stopAll, venvRecords, waitingOn } from './stall.js';

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

// Resolves once process PID has ended (a zombie waiting for init counts as ended).
async function gone(pid: number): Promise<void> {
  const alive = () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  };
  await waitUntil(() => !alive(), 'the killed process to be gone');
}

describe('kill -9 of pip-guard alone, while the first install runs in the venv it made', () => {
  it('kills pip too, and the next install makes that venv again', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const index = await hangingIndex();
    const first = start(box, 'pip', ['install', ...waitingOn(index.url), 'demo']);
    await index.connected;
    process.kill(first.pid, 'SIGKILL');
    // pip writes to pip-guard's stdout and stderr: they close once pip is gone as well.
    const ended = await first.done;
    expect(ended.signal).toBe('SIGKILL');
    expect(existsSync(join(venv, 'bin', 'pip'))).toBe(true);
    const next = await box.pip(['install', ...box.offline, 'demo']);
    expect(next.exitCode).toBe(0);
    expect(notices(next.stderr)).toEqual([
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python ${PY})`),
    ]);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
  });
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
    // Its `python3 -m venv` dies with it (setpriv --pdeathsig), as pip-guard's child.
    await gone(making);
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
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python ${PY})`),
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
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python ${PY})`),
    ]);
    const version = await box.run(join(venv, 'bin', 'python'), [
      '-c',
      'import demo; print(demo.__version__)',
    ]);
    expect(version.stdout).toBe('1.0\n');
  });
});
