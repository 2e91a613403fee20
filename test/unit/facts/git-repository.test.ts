// Finding the repository around a directory as git does, and reading what it tracks, with
// repositories the real git made: worktrees and submodules (a `.git` file), a new repository
// with no index yet, and the ways it can fail (then a problem, never "not tracked").
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trackedPaths } from '../../../src/facts/git-repository.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pip-guard-git-repo-'));
  made.push(dir);
  return dir;
};

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'protocol.file.allow=always', ...args],
    { cwd, env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'pipe' },
  );

// A repository in DIR with FILES committed.
function repository(dir: string, files: string[]): string {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  for (const file of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), `${file}\n`);
  }
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'files');
  return dir;
}

// What was found, its paths sorted; a problem as it is.
const sorted = (tracked: ReturnType<typeof trackedPaths>) => {
  if (!tracked || 'problem' in tracked) return { top: undefined, paths: undefined, ...tracked };
  return { top: tracked.top, paths: [...tracked.paths].sort() };
};

describe('trackedPaths', () => {
  it('finds the repository above a directory, and what its index tracks', () => {
    const top = repository(join(temp(), 'repo'), ['a.py', 'evil/.venv/bin/python']);
    mkdirSync(join(top, 'deep', 'er'), { recursive: true });
    expect(sorted(trackedPaths(join(top, 'deep', 'er')))).toEqual({
      top,
      paths: ['a.py', 'evil/.venv/bin/python'],
    });
  });

  it('passes over a directory laid out as a bare repository: only .git makes one', () => {
    const top = repository(join(temp(), 'repo'), [
      'evil/HEAD',
      'evil/objects/x',
      'evil/refs/x',
      'evil/config',
    ]);
    expect(sorted(trackedPaths(join(top, 'evil'))).top).toBe(top);
  });

  it('reads a worktree’s own index, through its .git file', () => {
    const dir = temp();
    const top = repository(join(dir, 'repo'), ['a.py']);
    git(top, 'worktree', 'add', '-q', join(dir, 'wt'));
    writeFileSync(join(dir, 'wt', 'only-here.py'), '');
    git(join(dir, 'wt'), 'add', 'only-here.py');
    expect(sorted(trackedPaths(join(dir, 'wt')))).toEqual({
      top: join(dir, 'wt'),
      paths: ['a.py', 'only-here.py'],
    });
  });

  it('reads a submodule’s index, not its superproject’s', () => {
    const dir = temp();
    const inner = repository(join(dir, 'inner'), ['.venv/bin/python']);
    const top = repository(join(dir, 'outer'), ['a.py']);
    git(top, 'submodule', 'add', '-q', inner, 'sub');
    expect(sorted(trackedPaths(join(top, 'sub')))).toEqual({
      top: join(top, 'sub'),
      paths: ['.venv/bin/python'],
    });
    expect(sorted(trackedPaths(top)).paths).toEqual(['.gitmodules', 'a.py', 'sub']);
  });

  it('a new repository with no commit and no index tracks nothing', () => {
    const top = join(temp(), 'new');
    mkdirSync(top);
    git(top, 'init', '-q');
    expect(trackedPaths(top)).toEqual({ top, paths: [] });
  });

  it('is undefined outside any repository', () => {
    expect(trackedPaths(temp())).toBeUndefined();
  });

  it.each([
    [
      'an index gone from a repository with commits',
      (top: string) => rmSync(join(top, '.git', 'index')),
      /\.git\/index: ENOENT/,
    ],
    [
      'a damaged index',
      (top: string) =>
        writeFileSync(join(top, '.git', 'index'), 'DIRC but not much else, and no checksum either'),
      /\.git\/index: its checksum does not match/,
    ],
    [
      'a split index whose shared index is gone',
      (top: string) => {
        git(top, 'update-index', '--split-index');
        for (const name of readdirSync(join(top, '.git')))
          if (name.startsWith('sharedindex.')) rmSync(join(top, '.git', name));
      },
      /sharedindex\.[0-9a-f]{40}: ENOENT/,
    ],
    [
      'a .git file that names no git directory',
      (top: string) => {
        rmSync(join(top, '.git'), { recursive: true });
        writeFileSync(join(top, '.git'), 'nothing here\n');
      },
      /\.git is a file that names no git directory/,
    ],
  ])('%s: a problem, not "nothing tracked"', (_, damage, problem) => {
    const top = repository(join(temp(), 'repo'), ['a.py']);
    damage(top);
    const tracked = trackedPaths(top);
    expect(tracked && 'problem' in tracked && tracked.problem).toMatch(problem);
  });
});
