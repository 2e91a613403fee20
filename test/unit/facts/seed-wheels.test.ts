import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pips } from '../../../src/facts/pip-version.js';
import { seedsOf } from '../../../src/facts/seed-wheels.js';
import { managed } from '../fixtures.js';

// Debian's two wheels, as files of the test's own.
const dir = mkdtempSync(join(tmpdir(), 'pip-guard-wheels-'));
const pip = join(dir, 'pip-23.0.1-py3-none-any.whl');
const setuptools = join(dir, 'setuptools-66.1.1-py3-none-any.whl');
for (const wheel of [pip, setuptools]) writeFileSync(wheel, '');
const interpreter = { ...managed, seedWheels: { pip, setuptools } };
const real = (version: string, python = '3.11'): Pips => ({
  real: { version, site: '/s', distInfo: `/s/pip-${version}.dist-info`, python },
});

describe('seedsOf', () => {
  it('seeds from the wheels where the real pip is no newer than the pip wheel', () => {
    for (const pips of [undefined, real('23.0.1'), real('22.0.4'), real('24.2+x')])
      expect(seedsOf(interpreter, pips)).toEqual({ sources: [pip, setuptools] });
  });

  it('seeds pip from the real pip’s own files where they are newer, and setuptools from its wheel', () => {
    expect(seedsOf(interpreter, real('24.2'))).toEqual({
      sources: ['/s/pip-24.2.dist-info', setuptools],
      newerPip: { version: '24.2', distInfo: '/s/pip-24.2.dist-info', wheel: pip, wheelVersion: '23.0.1' },
    });
  });

  it('keeps the wheel where the newer pip was installed for another Python, or cannot be copied', () => {
    expect(seedsOf(interpreter, real('24.2', '3.12'))).toEqual({ sources: [pip, setuptools] });
    const noRecord: Pips = { real: { version: '24.2', site: '/s', python: '3.11' } };
    expect(seedsOf(interpreter, noRecord)).toEqual({ sources: [pip, setuptools] });
  });

  it('has nothing to seed from where a wheel is gone', () => {
    const gone = { ...managed, seedWheels: { pip: join(dir, 'pip-1.0-py3-none-any.whl'), setuptools } };
    expect(seedsOf(gone, real('24.2'))).toBeUndefined();
  });
});
