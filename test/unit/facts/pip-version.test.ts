import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipIn, realPipPath } from '../../../src/facts/pip-version.js';
import { compareVersions } from '../../../src/pip-cli/pep440.js';
import { managed } from '../fixtures.js';

describe('compareVersions', () => {
  it.each([
    ['23.0.1', '24.2', -1],
    ['24.2', '23.0.1', 1],
    ['24.2', '24.2.0', 0],
    ['9.0.3', '10.0', -1],
    ['25.1b1', '25.1', -1],
    ['25.1rc1', '25.1b2', 1],
    ['26.0.dev0', '26.0a1', -1],
    ['24.0.post1', '24.0', 1],
    ['24.0', '24.0.post1.dev0', -1],
  ])('%s against %s: %i', (a, b, order) => {
    expect(compareVersions(a, b)).toBe(order);
  });

  it('leaves versions it cannot order unordered', () => {
    expect(compareVersions('24.2+debian', '24.2')).toBeUndefined();
    expect(compareVersions('latest', '24.2')).toBeUndefined();
  });
});

// A site directory with pip `version` in it, its RECORD, and a vendored or debundled _vendor.
function site(version: string, { record = true, debundled = false } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pip-guard-site-'));
  mkdirSync(join(dir, 'pip', '_vendor'), { recursive: true });
  writeFileSync(join(dir, 'pip', '__init__.py'), `from typing import List\n\n__version__ = "${version}"\n`);
  writeFileSync(join(dir, 'pip', '_vendor', '__init__.py'), `DEBUNDLED = ${debundled ? 'True' : 'False'}\n`);
  mkdirSync(join(dir, `pip-${version}.dist-info`));
  if (record) writeFileSync(join(dir, `pip-${version}.dist-info`, 'RECORD'), '');
  return dir;
}

describe('pipIn', () => {
  it('finds the first pip on the path, with the version pip --version prints', () => {
    const [first, second] = [site('24.2'), site('23.0.1')];
    expect(pipIn(['/nonexistent', first, second])).toEqual({
      version: '24.2',
      site: first,
      distInfo: join(first, 'pip-24.2.dist-info'),
    });
  });

  it('does not seed from a pip without a RECORD, or one whose vendored libraries are elsewhere', () => {
    expect(pipIn([site('24.2', { record: false })])?.distInfo).toBeUndefined();
    expect(pipIn([site('24.2', { debundled: true })])?.distInfo).toBeUndefined();
    expect(pipIn(['/nonexistent'])).toBeUndefined();
  });
});

describe('realPipPath', () => {
  const interpreter = {
    ...managed,
    pipPath: ['/usr/lib/python3.11', '/home/u/.local/site', '/usr/lib/python3/dist-packages'],
    userSite: '/home/u/.local/site',
  };

  it('puts PYTHONPATH first, and leaves the user site out under PYTHONNOUSERSITE', () => {
    expect(realPipPath(interpreter, { PYTHONPATH: 'lib:/opt/py' }, '/p')).toEqual([
      '/p/lib',
      '/opt/py',
      ...interpreter.pipPath,
    ]);
    expect(realPipPath(interpreter, { PYTHONNOUSERSITE: '1' }, '/p')).toEqual([
      '/usr/lib/python3.11',
      '/usr/lib/python3/dist-packages',
    ]);
  });
});
