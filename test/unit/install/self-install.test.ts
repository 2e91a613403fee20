import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { originOf, type Running, shimCommand } from '../../../src/install/self-install.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const binary = (path: string): Running => ({ kind: 'binary', binary: path });
const bundle = (path: string): Running => ({ kind: 'bundle', node: '/usr/bin/node', bundle: path });

describe('originOf', () => {
  it.each([
    [binary('/usr/lib/node_modules/pip-guard/node_modules/@pip-guard/linux-x64/pip-guard'), { kind: 'npm' }],
    [binary('/p/lib/node_modules/@pip-guard/darwin-arm64/pip-guard'), { kind: 'npm' }],
    [bundle('/usr/lib/node_modules/pip-guard/dist/pip-guard.cjs'), { kind: 'npm' }],
    [binary(`${ROOT}/dist/pip-guard`), { kind: 'checkout', root: ROOT }],
    [bundle(`${ROOT}/dist/pip-guard.cjs`), { kind: 'checkout', root: ROOT }],
    [binary('/home/u/.local/share/pip-guard/bin/pip-guard'), { kind: 'release' }],
    [binary('/home/u/Downloads/pip-guard-0.1.0-linux-x64/pip-guard'), { kind: 'release' }],
    // Not npm's: a directory that only looks like a package.
    [binary('/x/node_modules/@pip-guard/linux-x64/bin/pip-guard'), { kind: 'release' }],
  ] as const)('%j → %j', (running, expected) => {
    expect(originOf(running, undefined)).toEqual(expected);
  });

  it("takes setup's record for its copy of a checkout's build", () => {
    const copy = binary('/home/u/.local/share/pip-guard/bin/pip-guard');
    expect(originOf(copy, { kind: 'binary', sha256: 'x', checkout: '/src/pip-guard' })).toEqual({
      kind: 'checkout',
      root: '/src/pip-guard',
    });
  });
});

describe('shimCommand', () => {
  it("runs a release's binary from its copy in the shim directory, npm's binary and the bundle where they are", () => {
    expect(shimCommand(binary('/tmp/pip-guard-0.1.0-linux-x64/pip-guard'), '/s')).toEqual(['/s/pip-guard']);
    const npm = '/usr/lib/node_modules/pip-guard/node_modules/@pip-guard/linux-x64/pip-guard';
    expect(shimCommand(binary(npm), '/s')).toEqual([npm]);
    expect(shimCommand(bundle('/b/pip-guard.cjs'), '/s')).toEqual(['/usr/bin/node', '/b/pip-guard.cjs']);
  });
});
