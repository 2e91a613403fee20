// The pip shim's reading of pip-guard's records (shims/records.sh, shims/checks.sh), in a real sh:
// a record holds only while every fact it names does, a field the shim does not know is a doubt,
// and nothing in a record is ever run, whatever a path holds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fields, renderRecord, SNAPSHOT_ENV, snapshotOf } from '../../../src/facts/records.js';
import { renderChecks } from '../../../src/install/shims.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(name = 'dir'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'pip-guard-unit-')), name);
  dirs.push(join(dir, '..'));
  mkdirSync(dir);
  return dir;
}

const env = { HOME: '/h', PATH: '/usr/bin:/bin', PIP_CONFIG_FILE: '/dev/null' };

// Whether the record with FIELDS holds for the real pip REAL (and the project's venv VENV) in sh,
// and what it set.
function check(fields: Fields, real: string, extra: Record<string, string> = {}, venv = '') {
  const dir = tempDir('record');
  const file = join(dir, 'record');
  writeFileSync(file, renderRecord(fields));
  const script = `${renderChecks()}\nreal=$1 venv=$2\nrecord_holds "$3" && printf '%s|%s|%s|%s' "$scope" "$pip" "$notice" "$after"`;
  const result = spawnSync('/bin/sh', ['-c', script, 'sh', real, venv, file], {
    env: { ...env, ...extra },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  return result.status === 0 ? result.stdout : false;
}

// A pip script and the venv Python its first line names.
function venvWithPip(name = 'venv') {
  const dir = tempDir(name);
  mkdirSync(join(dir, 'bin'));
  symlinkSync('/usr/bin/python3', join(dir, 'bin', 'python'));
  writeFileSync(join(dir, 'pyvenv.cfg'), 'home = /usr/bin\n');
  const python = join(dir, 'bin', 'python');
  const pip = join(dir, 'bin', 'pip');
  writeFileSync(pip, `#!${python}\nimport sys\n`);
  return { dir, python, pip };
}

describe('record_holds', () => {
  it('holds for the real pip, Python and files it names, and not once one of them changes', () => {
    const { dir, python, pip } = venvWithPip();
    const conf = join(dir, 'pip.conf');
    writeFileSync(conf, '[global]\nuser = false\n');
    const fields: Fields = [
      ['env', snapshotOf(env)],
      ['real', pip],
      ['line', `#!${python}`],
      ['same', python],
      ['as', '/usr/bin/python3.11'],
      ['present', join(dir, 'pyvenv.cfg')],
      ['absent', join(dir, 'nothing-here')],
      ['file', conf],
      ['text', '[global]\nuser = false'],
      ['scope', 'all'],
    ];
    expect(check(fields, pip)).toBe('all|||');
    expect(check(fields, `${pip}3`)).toBe(false);
    expect(check(fields, pip, { XDG_CONFIG_HOME: '/elsewhere' })).toBe(false);
    expect(check(fields, pip, { VIRTUAL_ENV: dir })).toBe(false);
    writeFileSync(conf, '[global]\nuser = true\n');
    expect(check(fields, pip)).toBe(false);
    writeFileSync(conf, '[global]\nuser = false');
    expect(check(fields, pip)).toBe('all|||');
    writeFileSync(join(dir, 'nothing-here'), '');
    expect(check(fields, pip)).toBe(false);
    rmSync(join(dir, 'nothing-here'));
    writeFileSync(pip, '#!/usr/bin/python3\nimport sys\n');
    expect(check(fields, pip)).toBe(false);
    writeFileSync(pip, `#!${python}\nimport sys\n`);
    rmSync(join(dir, 'pyvenv.cfg'));
    expect(check(fields, pip)).toBe(false);
  });

  it('sets the pip and the notice of a route, for its venv only', () => {
    const { pip } = venvWithPip();
    const fields: Fields = [
      ['venv', '/p/.venv'],
      ['pip', '/p/.venv/bin/pip'],
      ['notice', 'this is /p/.venv; PIP_GUARD_POLICY=off pip '],
      ['after', " shows the system's packages"],
    ];
    expect(check(fields, pip, {}, '/p/.venv')).toBe(
      "|/p/.venv/bin/pip|this is /p/.venv; PIP_GUARD_POLICY=off pip | shows the system's packages",
    );
    expect(check(fields, pip, {}, '/q/.venv')).toBe(false);
  });

  it('takes a field it does not know, another header, or a cut-off record for a doubt', () => {
    const { pip } = venvWithPip();
    expect(
      check(
        [
          ['scope', 'all'],
          ['run', 'rm -rf /'],
        ],
        pip,
      ),
    ).toBe(false);
    const dir = tempDir('bad');
    for (const text of [
      'pip-guard record 2\nscope 1\nall\n',
      'pip-guard record 1\nscope 2\nall\n',
      '#!/bin/sh\n',
    ]) {
      writeFileSync(join(dir, 'record'), text);
      const script = `${renderChecks()}\nreal=/x\nrecord_holds "$1"`;
      expect(spawnSync('/bin/sh', ['-c', script, 'sh', join(dir, 'record')]).status).not.toBe(0);
    }
  });

  it('runs nothing a path holds: a newline and a command, $, `, quotes; and still holds for that path', () => {
    const base = tempDir('base');
    const odd = join(base, 'x\necho INJECTED >&2 #$(touch pwned)`touch pwned2`\'"');
    mkdirSync(odd);
    const { python, pip } = (() => {
      mkdirSync(join(odd, 'bin'));
      symlinkSync('/usr/bin/python3', join(odd, 'bin', 'python'));
      const p = join(odd, 'bin', 'pip');
      writeFileSync(p, '#!/bin/sh\nexec python "$0"\n');
      return { python: join(odd, 'bin', 'python'), pip: p };
    })();
    const fields: Fields = [
      ['real', pip],
      ['same', python],
      ['as', '/usr/bin/python3.11'],
      ['present', odd],
      ['absent', join(odd, 'nothing')],
      ['scope', 'all'],
    ];
    const result = check(fields, pip);
    expect(result).toBe('all|||');
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
    expect(existsSync(join(process.cwd(), 'pwned2'))).toBe(false);
  });

  it('spells the environment as sh does: every variable in it, each value after its length', () => {
    const script = `${renderChecks()}\nprintf '%s' "@ENV@"`;
    const values = { HOME: '/h|1:x', XDG_CONFIG_HOME: '', PIP_USER: 'ü' };
    const sh = SNAPSHOT_ENV.map((name) => `\${#${name}}:\${${name}-}`).join('|');
    const shown = spawnSync('/bin/sh', ['-c', script.replace('@ENV@', sh)], {
      env: values,
      encoding: 'utf8',
    });
    expect(shown.stdout).toBe(snapshotOf(values));
  });
});
