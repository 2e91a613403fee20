// The forward fragment as the shim sources it (in a real sh): it returns 0 only while every fact
// it was written for still holds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFragment } from '../../../src/run/forward-cache.js';

// A venv of its own (bin/python a link to Debian's, pyvenv.cfg beside bin/) and its pip.
function venvWithPip() {
  const dir = mkdtempSync(join(tmpdir(), 'pip-guard-unit-'));
  const venv = join(dir, 'venv');
  mkdirSync(join(venv, 'bin'), { recursive: true });
  symlinkSync('/usr/bin/python3', join(venv, 'bin', 'python'));
  writeFileSync(join(venv, 'pyvenv.cfg'), 'home = /usr/bin\n');
  const python = join(venv, 'bin', 'python');
  const pip = join(venv, 'bin', 'pip');
  writeFileSync(pip, `#!${python}\nimport sys\n`);
  const interpreter = {
    python,
    version: '3.11',
    prefix: venv,
    stdlib: '/usr/lib/python3.11',
    venv: true,
    externallyManaged: true,
  };
  return { dir, venv, python, pip, interpreter };
}

const env = { HOME: '/h', PIP_CONFIG_FILE: '/dev/null' };

// Whether the fragment at FILE says "go straight to the real pip" for ARGS under ENV.
function holds(fragment: string, args: string[] = ['install', 'x'], extra: Record<string, string> = {}) {
  const script = `f() {\n${fragment}\n}\nf "$@"`;
  return spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { env: { ...env, ...extra } }).status === 0;
}

describe('the forward fragment', () => {
  it('holds for the pip it was written for, and not once any fact it checks changes', () => {
    const { dir, venv, pip, interpreter } = venvWithPip();
    try {
      const fragment = renderFragment(pip, { interpreter, head: [`#!${interpreter.python}`] }, env);
      expect(holds(fragment)).toBe(true);
      expect(holds(fragment, ['--python', '/x', 'install', 'x'])).toBe(false);
      expect(holds(fragment, ['install', 'x'], { PIP_PYTHON: '/x' })).toBe(false);
      expect(holds(fragment, ['install', 'x'], { PIP_CONFIG_FILE: '/etc/pip.conf' })).toBe(false);
      writeFileSync(pip, '#!/usr/bin/python3\nimport sys\n');
      expect(holds(fragment)).toBe(false);
      writeFileSync(pip, `#!${interpreter.python}\nimport sys\n`);
      expect(holds(fragment)).toBe(true);
      rmSync(join(venv, 'pyvenv.cfg'));
      expect(holds(fragment)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
