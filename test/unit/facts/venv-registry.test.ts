import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provenanceOf } from '../../../src/facts/venv-registry.js';
import { forget, remember } from '../../../src/run/venv-records.js';

let top: string;
let env: Record<string, string>;
beforeEach(() => {
  top = mkdtempSync(join(tmpdir(), 'pip-guard-registry-'));
  env = { HOME: top, XDG_STATE_HOME: join(top, 'state') };
});
afterEach(() => rmSync(top, { recursive: true, force: true }));

describe('the venv registry', () => {
  it('knows a directory by its inode, not by its path alone', () => {
    const venv = join(top, '.venv');
    mkdirSync(venv);
    remember(env, venv, 'created');
    expect(provenanceOf(env, venv)).toBe('created');
    rmSync(venv, { recursive: true });
    mkdirSync(venv);
    expect(provenanceOf(env, venv)).toBeUndefined();
  });

  it('counts a directory recorded just before its mkdir as its own only while it is empty', () => {
    const venv = join(top, '.venv');
    remember(env, venv, 'creating');
    expect(provenanceOf(env, venv)).toBeUndefined();
    mkdirSync(venv);
    expect(provenanceOf(env, venv)).toBe('creating');
    writeFileSync(join(venv, 'main.py'), '');
    expect(provenanceOf(env, venv)).toBeUndefined();
    forget(env, venv);
    rmSync(join(venv, 'main.py'));
    expect(provenanceOf(env, venv)).toBeUndefined();
  });
});
