// The index parser against indexes the real git wrote (versions 2, 3 and 4, sparse, split,
// SHA-256), each read as `git ls-files` reads it, and what it makes of a damaged one.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type GitIndex, mergeShared, parseIndex, tracks } from '../../../src/facts/git-index.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

// A repository of the test's own, with FILES committed (and `git` run there with no config but ours).
function repository(files: string[], ...init: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'pip-guard-git-index-'));
  made.push(dir);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8',
    });
  git('init', '-q', ...init);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), `${file}\n`);
  }
  git('add', '.');
  git('commit', '-qm', 'files');
  const index = () => readFileSync(join(dir, '.git', 'index'));
  // Paths as git has them: NUL-separated, never quoted.
  const listed = (...args: string[]) =>
    git('ls-files', '-z', ...args)
      .split('\0')
      .filter(Boolean)
      .sort();
  return { dir, git, index, listed };
}

const FILES = [
  'README',
  'src/a.py',
  'src/pkg/b.py',
  'src/pkg/c.py',
  '.venv/bin/python',
  'docs/x y.md',
  'naïve.txt',
];

const parsed = (data: Uint8Array): GitIndex => {
  const index = parseIndex(data);
  if ('problem' in index) throw new Error(index.problem);
  return index;
};

describe('parseIndex, on what git wrote', () => {
  it('version 2: every path git ls-files lists', () => {
    const repo = repository(FILES);
    const index = parsed(repo.index());
    expect(index.version).toBe(2);
    expect([...index.paths].sort()).toEqual(repo.listed());
  });

  it('version 3: entries with extended flags (git add -N)', () => {
    const repo = repository(FILES);
    writeFileSync(join(repo.dir, 'later.py'), '');
    repo.git('add', '-N', 'later.py');
    const index = parsed(repo.index());
    expect(index.version).toBe(3);
    expect([...index.paths].sort()).toEqual(repo.listed());
    expect(index.paths).toContain('later.py');
  });

  it('version 4: each path compressed against the one before', () => {
    const repo = repository(FILES);
    repo.git('update-index', '--index-version', '4');
    const index = parsed(repo.index());
    expect(index.version).toBe(4);
    expect([...index.paths].sort()).toEqual(repo.listed());
  });

  it('a sparse index: the directories outside the cone as entries ending in /', () => {
    const repo = repository(FILES);
    repo.git('sparse-checkout', 'init', '--cone', '--sparse-index');
    repo.git('sparse-checkout', 'set', 'src');
    const index = parsed(repo.index());
    expect([...index.paths].sort()).toEqual(repo.listed('--sparse'));
    expect(index.paths).toContain('.venv/');
  });

  it.each([
    ['version 2', []],
    ['version 4', ['--index-version', '4']],
  ])('a split index (%s) and its shared index: entries added, changed and deleted since', (_, version) => {
    const repo = repository(FILES);
    if (version.length > 0) repo.git('update-index', ...version);
    repo.git('update-index', '--split-index');
    writeFileSync(join(repo.dir, 'src', 'a.py'), 'changed\n');
    writeFileSync(join(repo.dir, 'new.py'), '');
    rmSync(join(repo.dir, 'src', 'pkg', 'b.py'));
    // However much changed, a split index (git would write a new shared index past 20%).
    repo.git('-c', 'splitIndex.maxPercentChange=100', 'add', '-A');
    const index = parsed(repo.index());
    expect(index.version).toBe(version.length > 0 ? 4 : 2);
    expect(index.link).toBeDefined();
    expect(index.link?.deleted.length).toBeGreaterThan(0);
    expect(index.link?.replaced.length).toBeGreaterThan(0);
    const gitDir = join(repo.dir, '.git');
    const sharedFile = readdirSync(gitDir).find((name) => name === `sharedindex.${index.link?.shared}`);
    expect(sharedFile).toBeDefined();
    const shared = parsed(readFileSync(join(gitDir, sharedFile as string)));
    const paths = mergeShared(index, shared);
    expect(Array.isArray(paths) ? [...paths].sort() : paths).toEqual(repo.listed());
    // Not the shared index another split index names.
    expect(mergeShared(index, { ...shared, checksum: '00' })).toEqual({
      problem: 'its shared index is not the one it names',
    });
  });

  it('a SHA-256 repository', () => {
    const repo = repository(FILES, '--object-format=sha256');
    const index = parsed(repo.index());
    expect([...index.paths].sort()).toEqual(repo.listed());
  });

  it('an index written without its checksum (index.skipHash): all zeros there', () => {
    const repo = repository(FILES);
    const data = repo.index();
    data.fill(0, data.length - 20);
    expect([...parsed(data).paths].sort()).toEqual(repo.listed());
  });
});

// The index with its checksum made right again after a change.
const resealed = (data: Uint8Array) => {
  const body = data.subarray(0, data.length - 20);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
};

describe('parseIndex, on what does not add up: a problem, never a guess', () => {
  const repo = repository(FILES);
  const good = repo.index();

  it.each([
    ['cut short', () => good.subarray(0, good.length - 7), /checksum/],
    ['a changed byte', () => Buffer.from(good).fill(0x41, 40, 41), /checksum does not match/],
    ['empty', () => new Uint8Array(0), /too short/],
    [
      'not an index',
      () => resealed(Buffer.concat([Buffer.from('PACK'), good.subarray(4)])),
      /not a git index/,
    ],
    [
      'a version it does not know',
      () => resealed(Buffer.concat([good.subarray(0, 4), Buffer.from([0, 0, 0, 5]), good.subarray(8)])),
      /index version 5/,
    ],
    [
      'more entries than it holds',
      () => resealed(Buffer.concat([good.subarray(0, 8), Buffer.from([0, 0, 1, 0]), good.subarray(12)])),
      /./,
    ],
    [
      'an extension git requires that pip-guard does not know',
      () => {
        const body = good.subarray(0, good.length - 20);
        const extension = Buffer.concat([Buffer.from('abcd'), Buffer.from([0, 0, 0, 0])]);
        return resealed(Buffer.concat([body, extension, Buffer.alloc(20)]));
      },
      /extension pip-guard does not know and git requires \("abcd"\)/,
    ],
  ])('%s', (_, data, problem) => {
    const index = parseIndex(data());
    expect('problem' in index && index.problem).toMatch(problem);
  });

  it('an optional extension it does not know is passed over', () => {
    const body = good.subarray(0, good.length - 20);
    const extension = Buffer.concat([Buffer.from('ZZZZ'), Buffer.from([0, 0, 0, 3]), Buffer.from('abc')]);
    const index = parsed(resealed(Buffer.concat([body, extension, Buffer.alloc(20)])));
    expect([...index.paths].sort()).toEqual(repo.listed());
  });
});

describe('tracks: whether an index ships a path', () => {
  const paths = ['README', 'src/a.py', '.venv/bin/python', 'env', 'sub', 'outside/', 'venv2/lib/'];
  it.each([
    ['.venv', 'yes'],
    ['.venv/bin', 'yes'],
    ['env', 'yes'],
    // A submodule (or a file) where the venv is.
    ['sub', 'yes'],
    ['venv2', 'yes'],
    ['src', 'yes'],
    ['.ven', 'no'],
    ['venv', 'no'],
    ['srcx', 'no'],
    ['other/.venv', 'no'],
    // Inside a sparse directory, whose files the index does not list.
    ['outside/.venv', 'maybe'],
  ] as const)('%s: %s', (rel, answer) => {
    expect(tracks(paths, rel)).toBe(answer);
  });
});
