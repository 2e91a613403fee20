// Which paths the git repository around a directory tracks, read from its index file (git-index.ts)
// and never by running git: git reads the repository's own config, whose core.fsmonitor,
// core.hooksPath or a directory laid out as a bare repository with its own config can make it
// run a program of the repository's (issue 21). The repository is found as git finds one: the
// nearest directory at or above with `.git`, a directory, or a file that says `gitdir: PATH` (a
// worktree, a submodule). A directory shaped as a bare repository is none: only `.git` counts, as
// with git's safe.bareRepository=explicit.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { whyNot } from '../base/files.js';
import { type GitIndex, mergeShared, type Problem, parseIndex } from './git-index.js';

export interface Tracked {
  // The repository's top: the directory its `.git` is in.
  top: string;
  paths: string[];
}

const read = (file: string): Uint8Array | { error: unknown } => {
  try {
    return readFileSync(file);
  } catch (error) {
    return { error };
  }
};

// The git directory of the repository at `dir` (its `.git`, or where a `.git` file points), if
// `dir` has a `.git`.
function gitDirAt(dir: string): string | Problem | undefined {
  const dotGit = join(dir, '.git');
  let isDir: boolean;
  try {
    isDir = statSync(dotGit).isDirectory();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? undefined
      : { problem: `${dotGit}: ${whyNot(error, dotGit)}` };
  }
  if (isDir) return dotGit;
  const text = read(dotGit);
  if ('error' in text) return { problem: `${dotGit}: ${whyNot(text.error, dotGit)}` };
  const pointer = /^gitdir: *(.+?)\s*$/m.exec(Buffer.from(text).toString('utf8'))?.[1];
  return pointer ? resolve(dir, pointer) : { problem: `${dotGit} is a file that names no git directory` };
}

// Whether the repository's HEAD names a branch with no commit yet (a new `git init`, which has no
// index file until something is added): its ref is neither a file nor in packed-refs.
function unborn(gitDir: string): boolean {
  const head = read(join(gitDir, 'HEAD'));
  const ref =
    'error' in head
      ? undefined
      : /^ref: (refs\/heads\/\S+)\s*$/.exec(Buffer.from(head).toString('utf8'))?.[1];
  // A detached HEAD has a commit; reftable's HEAD names refs/heads/.invalid: nothing to tell by.
  if (!ref || ref === 'refs/heads/.invalid') return false;
  const pointer = read(join(gitDir, 'commondir'));
  const common = 'error' in pointer ? gitDir : resolve(gitDir, Buffer.from(pointer).toString('utf8').trim());
  if (!('error' in read(join(common, ref)))) return false;
  const packed = read(join(common, 'packed-refs'));
  return (
    'error' in packed ||
    !Buffer.from(packed)
      .toString('utf8')
      .split('\n')
      .some((line) => line.endsWith(` ${ref}`))
  );
}

const parsed = (file: string): GitIndex | Problem => {
  const data = read(file);
  if ('error' in data) return { problem: `${file}: ${whyNot(data.error, file)}` };
  const index = parseIndex(data);
  return 'problem' in index ? { problem: `${file}: ${index.problem}` } : index;
};

// The paths the index in git directory `gitDir` tracks, a split index read together with its
// shared index.
function indexPaths(gitDir: string): string[] | Problem {
  const file = join(gitDir, 'index');
  const data = read(file);
  if ('error' in data) {
    const code = (data.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && unborn(gitDir)) return [];
    return { problem: `${file}: ${whyNot(data.error, file)}` };
  }
  const index = parsed(file);
  if ('problem' in index) return index;
  if (!index.link || /^0+$/.test(index.link.shared)) return index.paths;
  const shared = parsed(join(gitDir, `sharedindex.${index.link.shared}`));
  if ('problem' in shared) return shared;
  const paths = mergeShared(index, shared);
  return 'problem' in paths ? { problem: `${file}: ${paths.problem}` } : paths;
}

// The repository at or above `dir` and what it tracks; undefined outside any repository.
export function trackedPaths(dir: string): Tracked | Problem | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const gitDir = gitDirAt(at);
    if (gitDir !== undefined) {
      if (typeof gitDir !== 'string') return gitDir;
      const paths = indexPaths(gitDir);
      return Array.isArray(paths) ? { top: at, paths } : paths;
    }
    if (dirname(at) === at) return undefined;
  }
}
