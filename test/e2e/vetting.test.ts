// Issue 21, item 1: vetting a venv pip-guard did not make runs nothing of a repository's. A cloned
// repository's own config (core.fsmonitor in a directory laid out as a bare repository) never
// runs, a venv the repository ships is never used, and one whose repository pip-guard cannot read
// is not used either, with a paragraph that says why.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notices, type Sandbox, sandbox } from './harness.js';

const git = (box: Sandbox, cwd: string, ...args: string[]) =>
  box.run('/usr/bin/git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd });

// A venv at DIR/.venv as a repository could ship one: its pip and python3 leave a mark at `ran`.
function shippedVenv(dir: string, ran: string): string {
  const venv = join(dir, '.venv');
  mkdirSync(join(venv, 'bin'), { recursive: true });
  writeFileSync(join(venv, 'pyvenv.cfg'), 'home = /usr/bin\n');
  symlinkSync('/usr/bin/python3', join(venv, 'bin', 'python'));
  for (const name of ['pip', 'python3'])
    writeFileSync(join(venv, 'bin', name), `#!/bin/sh\ntouch '${ran}'\n`, { mode: 0o755 });
  return venv;
}

// Every file named `name` under DIR.
const found = (dir: string, name: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((path) => path.split('/').pop() === name);

describe('a cloned repository with a directory laid out as a bare repository (core.fsmonitor)', () => {
  it('runs nothing of it at `pip list` there, and its committed .venv is not used', async () => {
    const box = sandbox();
    const origin = join(box.dir, 'origin');
    const evil = join(origin, 'evil');
    // HEAD, objects/ and refs/ make git take evil/ for a repository of its own, and its config
    // then names the program git runs to ask what changed.
    mkdirSync(join(evil, 'objects', 'info'), { recursive: true });
    mkdirSync(join(evil, 'refs', 'heads'), { recursive: true });
    writeFileSync(join(evil, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(evil, 'objects', 'info', 'keep'), '');
    writeFileSync(join(evil, 'refs', 'heads', 'keep'), '');
    // (Without repositoryformatversion, git 2.39 leaves core.worktree out and runs no fsmonitor.)
    writeFileSync(
      join(evil, 'config'),
      '[core]\n\trepositoryformatversion = 0\n\tworktree = .\n\tfsmonitor = "touch PWNED; false #"\n',
    );
    const ran = join(box.dir, 'venv-ran');
    shippedVenv(evil, ran);
    await git(box, box.dir, 'init', '-q', origin);
    await git(box, origin, 'add', '.');
    await git(box, origin, 'commit', '-qm', 'a venv, and a repository in a directory');
    const clone = join(box.dir, 'clone');
    expect((await git(box, box.dir, 'clone', '-q', origin, clone)).exitCode).toBe(0);
    const there = join(clone, 'evil');
    const venv = join(there, '.venv');

    const list = await box.pip(['list', '--format=freeze'], { cwd: there });
    expect(found(box.dir, 'PWNED')).toEqual([]);
    expect(existsSync(ran)).toBe(false);
    expect(list.exitCode).toBe(0);
    expect(notices(list.stderr)).toEqual([]);
    const install = await box.pip(['install', ...box.offline, 'demo'], { cwd: there });
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toContain(
      `pip-guard: ${venv} is not a usable virtual environment (it is committed to this repository, so running its pip, or anything in its bin/, would run somebody else's code)`,
    );
    const run = await box.pipGuard(['run', 'python3', '-c', 'pass'], { cwd: there });
    expect(run.exitCode).toBe(1);
    expect(found(box.dir, 'PWNED')).toEqual([]);
    expect(existsSync(ran)).toBe(false);
  });
});

describe('a venv in a repository whose index pip-guard cannot read', () => {
  it('is not used, and pip, explain and pip-guard run say why', async () => {
    const box = sandbox();
    await git(box, box.project, 'init', '-q');
    await git(box, box.project, 'add', 'pyproject.toml');
    await git(box, box.project, 'commit', '-qm', 'a project');
    // The user's own venv, which the repository does not ship; its index then damaged.
    const ran = join(box.dir, 'venv-ran');
    const venv = shippedVenv(box.project, ran);
    const index = join(box.project, '.git', 'index');
    writeFileSync(index, 'DIRC, and then nothing a git index holds\n');
    const why =
      `pip-guard could not check whether this repository ships it (${index}: its checksum does not match its content ` +
      '(a damaged or partly written index)), and does not run what a repository may have put there';
    const fix =
      'repair the repository (`git status` says what is wrong with it), or move it away, and pip-guard makes a venv of its own there at the next install';

    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(1);
    expect(install.stderr).toBe(
      `pip-guard: ${venv} is not a usable virtual environment (${why}), so pip-guard cannot install into it. ` +
        `pip-guard did not make it and will not delete it: ${fix}; then run pip again.\n`,
    );
    const explain = await box.pipGuard(['explain', '--', 'install', 'demo']);
    expect(explain.exitCode).toBe(0);
    expect(explain.stdout).toContain(why);
    const run = await box.pipGuard(['run', 'python3', '-c', 'pass']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(why);
    const list = await box.pip(['list', '--format=freeze']);
    expect(list.exitCode).toBe(0);
    expect(existsSync(ran)).toBe(false);
    // The prompt hook has nothing to activate there either.
    expect(existsSync(join(box.home, '.local', 'state', 'pip-guard', 'projects'))).toBe(false);
  });
});
