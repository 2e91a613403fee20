import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProjectRoot, locateVenv, venvState } from '../../../src/facts/project.js';

let top: string;
let home: string;
const touch = (...parts: string[]) => {
  const file = join(top, ...parts);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '');
  return file;
};
// A venv as far as pip-guard looks: pyvenv.cfg and a bin/python that resolves.
const fakeVenv = (...parts: string[]) => {
  const dir = join(top, ...parts);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'pyvenv.cfg'), `home = ${tmpdir()}\n`);
  symlinkSync(process.execPath, join(dir, 'bin', 'python'));
  return dir;
};

beforeEach(() => {
  top = mkdtempSync(join(tmpdir(), 'pip-guard-project-'));
  home = join(top, 'home');
  mkdirSync(join(home, 'work', 'app', 'src', 'deep'), { recursive: true });
});
afterEach(() => rmSync(top, { recursive: true, force: true }));

describe('findProjectRoot', () => {
  it.each(['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements-dev.txt', 'requirements.txt', '.git'])(
    'finds the nearest directory with %s, from a subdirectory',
    (marker) => {
      touch('home', 'work', 'app', marker);
      expect(findProjectRoot(join(home, 'work', 'app', 'src', 'deep'), home)).toBe(join(home, 'work', 'app'));
    },
  );

  it('counts a directory holding a .venv as a project', () => {
    fakeVenv('home', 'work', 'app', '.venv');
    expect(findProjectRoot(join(home, 'work', 'app', 'src'), home)).toBe(join(home, 'work', 'app'));
  });

  it('never looks above HOME', () => {
    touch('pyproject.toml');
    expect(findProjectRoot(join(home, 'work', 'app'), home)).toBeUndefined();
  });

  it('may stop at HOME itself', () => {
    touch('home', 'setup.py');
    expect(findProjectRoot(join(home, 'work'), home)).toBe(home);
  });
});

describe('venvState', () => {
  it('tells a missing, valid, incomplete and broken venv apart', () => {
    expect(venvState(join(top, 'none'))).toEqual({ kind: 'missing' });
    expect(venvState(fakeVenv('ok')).kind).toBe('valid');
    mkdirSync(join(top, 'half'));
    // Only pip-guard's own record makes a directory an interrupted creation, never its content.
    expect(
      venvState(join(top, 'half'), (path) => (path === join(top, 'half') ? 'creating' : undefined)),
    ).toEqual({
      kind: 'incomplete',
    });
    touch('planted', '.pip-guard-incomplete');
    expect(venvState(join(top, 'planted')).kind).toBe('broken');
    symlinkSync(join(top, 'nowhere'), join(top, 'dangling'));
    expect(venvState(join(top, 'dangling'))).toEqual({
      kind: 'broken',
      problem: 'it is a symlink to something that does not exist',
    });
    mkdirSync(join(top, 'nocfg'));
    expect(venvState(join(top, 'nocfg'))).toMatchObject({ kind: 'broken', problem: 'it has no pyvenv.cfg' });
    touch('file');
    expect(venvState(join(top, 'file'))).toMatchObject({
      kind: 'broken',
      problem: 'it is a file, not a directory',
    });
  });

  it('calls a venv whose Python is gone broken', () => {
    const dir = fakeVenv('gone');
    writeFileSync(join(dir, 'pyvenv.cfg'), 'home = /no/such/python/dir\n');
    expect(venvState(dir)).toMatchObject({
      kind: 'broken',
      problem: 'the Python it was made from (home = /no/such/python/dir) is gone',
    });
    rmSync(join(dir, 'bin', 'python'));
    symlinkSync('/no/such/python', join(dir, 'bin', 'python'));
    expect(venvState(dir)).toMatchObject({
      kind: 'broken',
      problem: 'its bin/python is missing or dangling',
    });
  });
});

describe('locateVenv', () => {
  const input = (cwd: string, virtualEnv?: string) => ({
    root: findProjectRoot(cwd, home),
    virtualEnv,
    defaultVenv: join(home, 'default'),
    names: ['.venv', 'venv'],
  });

  it('prefers the active venv while it still exists', () => {
    const active = fakeVenv('active');
    touch('home', 'work', 'app', 'pyproject.toml');
    expect(locateVenv(input(join(home, 'work', 'app'), active))).toMatchObject({
      path: active,
      origin: 'active',
    });
    rmSync(active, { recursive: true });
    expect(locateVenv(input(join(home, 'work', 'app'), active))).toMatchObject({ origin: 'project' });
  });

  it('reuses venv/ when there is no .venv, and plans .venv otherwise', () => {
    touch('home', 'work', 'app', 'pyproject.toml');
    const app = join(home, 'work', 'app');
    expect(locateVenv(input(join(app, 'src')))).toMatchObject({
      path: join(app, '.venv'),
      state: { kind: 'missing' },
    });
    fakeVenv('home', 'work', 'app', 'venv');
    expect(locateVenv(input(join(app, 'src')))).toMatchObject({
      path: join(app, 'venv'),
      state: { kind: 'valid' },
    });
  });

  it('ignores a plain folder called venv', () => {
    touch('home', 'work', 'app', 'pyproject.toml');
    touch('home', 'work', 'app', 'venv', 'code.py');
    const app = join(home, 'work', 'app');
    expect(locateVenv(input(app)).path).toBe(join(app, '.venv'));
  });

  it('uses the default venv outside any project', () => {
    expect(locateVenv(input(join(home, 'work')))).toMatchObject({
      path: join(home, 'default'),
      origin: 'default',
    });
  });
});
