import { describe, expect, it } from 'vitest';
import { dpkgOwners, dpkgPattern, pacmanOwners, rpmOwners } from '../../../src/facts/package-owners.js';

const A = '/usr/lib/python3/dist-packages/six.py';
const B = '/usr/local/lib/python3.11/dist-packages/demo/__init__.py';

describe('reading what the package managers say of files', () => {
  it.each([
    ['dpkg: one owner', `python3-six: ${A}\n`, [A, B], { [A]: 'python3-six' }],
    [
      'dpkg: two packages share a file',
      `libfoo:amd64, libfoo:i386, libbar: ${A}\n`,
      [A],
      { [A]: 'libfoo, libbar' },
    ],
    [
      'dpkg: a diversion line names no owner',
      `diversion by foo from: ${A}\ndiversion by foo to: ${A}.real\n`,
      [A],
      {},
    ],
    ['dpkg: only the paths asked about', `python3-six: ${A}/sub\n`, [A], {}],
    ['dpkg: none', '', [A], {}],
  ])('%s', (_, stdout, paths, expected) => {
    expect(Object.fromEntries(dpkgOwners(stdout, paths))).toEqual(expected);
  });

  it('rpm: one line per path, in order', () => {
    const out = `python3-six\nfile ${B} is not owned by any package\n`;
    expect(Object.fromEntries(rpmOwners(out, [A, B]))).toEqual({ [A]: 'python3-six' });
  });

  it('pacman: the owned ones on stdout', () => {
    expect(Object.fromEntries(pacmanOwners(`${A} is owned by python-six 1.16.0-8\n`, [A, B]))).toEqual({
      [A]: 'python-six',
    });
  });

  it('dpkg -S looks a path with glob characters up literally', () => {
    expect(dpkgPattern('/usr/lib/a[1]*?\\b.py')).toBe('/usr/lib/a\\[1]\\*\\?\\\\b.py');
  });
});
