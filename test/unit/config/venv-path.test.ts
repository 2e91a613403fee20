import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { venvPathEscapes, venvPathOutside } from '../../../src/config/venv-path.js';

let top: string;
beforeEach(() => {
  top = mkdtempSync(join(tmpdir(), 'pip-guard-venv-path-'));
});
afterEach(() => rmSync(top, { recursive: true, force: true }));

describe('venvPathOutside', () => {
  it.each([
    ['.venv', false],
    ['envs/py311', false],
    ['../app/.venv', false],
    ['.', true],
    ['..', true],
    ['../other', true],
    ['/tmp/venv', true],
  ])('%s is outside the project: %s', (path, outside) => {
    const problem = venvPathOutside('/p/app/.pip-guardrc', path, '/p/app');
    expect(problem === undefined).toBe(!outside);
    if (outside) expect(problem).toContain('/p/app/.pip-guardrc: venv.path is');
  });
});

describe('venvPathEscapes', () => {
  it('follows symlinks as far as the path exists', () => {
    const root = join(top, 'app');
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    mkdirSync(join(top, 'outside'));
    symlinkSync(join(top, 'outside'), join(root, 'link'));
    const escapes = (path: string) => venvPathEscapes('rc', path, root) !== undefined;
    expect(escapes('.venv')).toBe(false);
    expect(escapes('src/deep/venv')).toBe(false);
    expect(escapes('link/venv')).toBe(true);
    expect(escapes('../app/.venv')).toBe(false);
    expect(escapes('../other')).toBe(true);
  });
});
