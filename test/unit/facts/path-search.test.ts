import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHIM_DIR_MARKER, which } from '../../../src/facts/path-search.js';

let top: string;
const program = (dir: string, name: string, text: string) => {
  mkdirSync(join(top, dir), { recursive: true });
  writeFileSync(join(top, dir, name), text);
  chmodSync(join(top, dir, name), 0o755);
};
const SHIM = '#!/bin/sh\n# pip-guard shim 0.1.0: written by `pip-guard setup`\n';

beforeEach(() => {
  top = mkdtempSync(join(tmpdir(), 'pip-guard-locate-'));
});
afterEach(() => rmSync(top, { recursive: true, force: true }));

describe('which', () => {
  it('passes over the shims in a shim directory, but not the real programs beside them', () => {
    // /usr/local/bin after setup --system: shims and the machine's own programs side by side.
    program('shared', SHIM_DIR_MARKER, '{}');
    program('shared', 'pip', SHIM);
    program('shared', 'pipx', '#!/usr/bin/python3\n');
    program('usr', 'pip', '#!/usr/bin/python3\n');
    program('usr', 'pipx', '#!/usr/bin/python3\n');
    const env = { PATH: `${join(top, 'shared')}:${join(top, 'usr')}` };
    expect(which('pip', env)).toBe(join(top, 'usr', 'pip'));
    expect(which('pipx', env)).toBe(join(top, 'shared', 'pipx'));
  });

  it('takes a stray copy of a shim outside a shim directory, unless told to skip it', () => {
    program('stray', 'pip', SHIM);
    program('usr', 'pip', '#!/usr/bin/python3\n');
    const env = { PATH: `${join(top, 'stray')}:${join(top, 'usr')}` };
    expect(which('pip', env)).toBe(join(top, 'stray', 'pip'));
    expect(which('pip', env, (file) => file.includes('stray'))).toBe(join(top, 'usr', 'pip'));
  });
});
