// Issue 9, item 5 (a signal while the venv is being made), issue 10, L (the lock around making
// a venv) and issue 15, item 7 (kill -9 of pip-guard alone): a Python whose `-m venv` waits, or
// an index that never answers, keeps pip-guard in the middle of making a venv or installing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, sandbox, waitUntil } from './harness.js';
import {
  hangingIndex,
  quote,
  slowVenvPip,
  start,
  stopAll,
  takingTurns,
  venvRecords,
  WAITING,
  waitingOn,
} from './stall.js';

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
    const { firstPid, first: a, second: b } = await takingTurns(box);
    expect(a.signal).toBe('SIGTERM');
    expect(b.exitCode).toBe(0);
    expect(notices(b.stderr)).toEqual([
      `${WAITING} (pid ${firstPid}) that is making the venv ${venv} and installing into it`,
      expect.stringContaining(`so pip installed into a new venv, ${venv} (Python ${PY})`),
    ]);
    const version = await box.run(join(venv, 'bin', 'python'), [
      '-c',
      'import demo; print(demo.__version__)',
    ]);
    expect(version.stdout).toBe('1.0\n');
  });
});

// A real pip (PIP_GUARD_REAL_PIP) whose #! names a `python3` wrapper that runs the shell code
// `after` (with $venv the venv's path) once `python3 -m venv` has made a venv; everything else is
// /usr/bin/python3 as it is.
function venvThenPip(box: ReturnType<typeof sandbox>, after: string): string {
  const bin = join(box.dir, 'wrapped');
  mkdirSync(bin);
  const python = join(bin, 'python3');
  writeFileSync(
    python,
    // Only for the project's venv: pip-guard also runs venv in its cache, for a template.
    `#!/bin/sh\nif [ "$1" = -m ] && [ "$2" = venv ]; then\n  /usr/bin/python3 "$@" || exit\n  for venv; do :; done\n  if [ "$venv" = ${quote(join(box.project, '.venv'))} ]; then\n    ${after}\n  fi\n  exit 0\nfi\nexec /usr/bin/python3 "$@"\n`,
    { mode: 0o755 },
  );
  const pip = join(bin, 'pip');
  writeFileSync(
    pip,
    `#!${python}\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.exit(main())\n`,
    { mode: 0o755 },
  );
  return pip;
}

// chattr -i on the files a test made immutable (those there), so that the suite can remove them.
const mutable = (...files: string[]) => {
  const there = files.filter((file) => existsSync(file));
  if (there.length > 0) execFileSync('chattr', ['-i', ...there]);
};

describe('what pip-guard cannot write or remove around a venv it makes', () => {
  it('a .gitignore it cannot write: the venv goes again, one paragraph says why, and nothing was installed', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const pip = venvThenPip(box, 'mkdir "$venv/.gitignore"');
    const result = await box.pip(['install', ...box.offline, 'demo'], { env: { PIP_GUARD_REAL_PIP: pip } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `pip-guard: pip-guard cannot write ${join(venv, '.gitignore')} (EISDIR: a directory where a file should be), which keeps the new venv out of ` +
        `version control, so it removed the venv ${venv} it had made, and nothing was installed: remove what is in the way, and run pip again.\n`,
    );
    expect(existsSync(venv)).toBe(false);
    expect(venvRecords(box)).toEqual([]);
  });

  it("a new venv it cannot remove after a failed install: pip's exit code, the truth, and the next install starts over", async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const pip = venvThenPip(box, 'touch "$venv/stuck" && chattr +i "$venv/stuck"');
    try {
      const result = await box.pip(['install', ...box.offline, 'demo==9'], {
        env: { PIP_GUARD_REAL_PIP: pip },
      });
      expect(result.exitCode).toBe(1);
      expect(notices(result.stderr)).toEqual([
        `pip-guard: pip-guard could not remove the venv ${venv} it had made for this install ` +
          '(EPERM: operation not permitted): the next install makes it again, or remove it yourself.',
        `pip-guard: ${join(box.dir, 'wrapped', 'python3')} is externally managed (PEP 668), so pip ran in a new venv, ${venv}, and failed with exit code 1`,
      ]);
      // Still pip-guard's own unfinished creation, by its record.
      expect(venvRecords(box)).toHaveLength(1);
    } finally {
      mutable(join(venv, 'stuck'));
    }
    const next = await box.pip(['install', ...box.offline, 'demo']);
    expect(next.exitCode).toBe(0);
    expect(notices(next.stderr)).toEqual([
      expect.stringContaining(`so pip installed into a new venv, ${venv}`),
    ]);
    expect(existsSync(join(venv, 'stuck'))).toBe(false);
  });

  it("its record of a venv it removed, which it cannot remove: pip's exit code, and no internal error", async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const records = join(box.home, '.local', 'state', 'pip-guard', 'venvs');
    const pip = venvThenPip(box, `chattr +i ${quote(records)}/*`);
    try {
      const result = await box.pip(['install', ...box.offline, 'demo==9'], {
        env: { PIP_GUARD_REAL_PIP: pip },
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).not.toContain('internal error');
      expect(notices(result.stderr).at(-1)).toBe(
        `pip-guard: ${join(box.dir, 'wrapped', 'python3')} is externally managed (PEP 668), so pip ran in a new venv, ${venv}, ` +
          'and failed with exit code 1; ' +
          'pip-guard removed the venv it had made for this install, which held nothing of yours',
      );
      expect(existsSync(venv)).toBe(false);
    } finally {
      mutable(...(existsSync(records) ? readdirSync(records).map((name) => join(records, name)) : []));
    }
  });
});
