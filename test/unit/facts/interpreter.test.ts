import { describe, expect, it } from 'vitest';
import { answerIn, shebangInterpreter } from '../../../src/facts/interpreter.js';

// A PATH with python3 and bash on it, and nothing else.
const ON_PATH: Record<string, string> = { python3: '/usr/bin/python3', bash: '/bin/bash' };
const which = (name: string) => ON_PATH[name];

describe('shebangInterpreter', () => {
  it.each([
    ['#!/usr/bin/python3\nimport re\n', '/usr/bin/python3'],
    ['#!/usr/bin/python3 -I\n', '/usr/bin/python3'],
    ['#!/p/.venv/bin/python\n', '/p/.venv/bin/python'],
    ['#!/usr/bin/env python3\n', '/usr/bin/python3'],
    ['#!/usr/bin/env -S python3 -E\n', '/usr/bin/python3'],
    [
      "#!/bin/sh\n'''exec' \"/very/long/path/bin/python\" \"$0\" \"$@\"\n' '''\n",
      '/very/long/path/bin/python',
    ],
    ["#!/bin/sh\n'''exec' /very/long/bare/bin/python3 \"$0\" \"$@\"\n' '''\n", '/very/long/bare/bin/python3'],
    [
      "#!/bin/sh\n'''exec' \"/home/me/my proj ü/.venv/bin/python3\" \"$0\" \"$@\"\n' '''\n",
      '/home/me/my proj ü/.venv/bin/python3',
    ],
    ["#!/bin/sh\n'''exec' '/p/$x'\"'\"'s/bin/python3' \"$0\" \"$@\"\n' '''\n", "/p/$x's/bin/python3"],
    ['#!/opt/pypy/bin/pypy3\n', '/opt/pypy/bin/pypy3'],
  ])('reads the interpreter of %j', (head, expected) => {
    expect(shebangInterpreter(head, '/x/pip', which)).toBe(expected);
  });

  it.each([
    ['#!/usr/bin/env bash\nset -e\n', '/x/pip runs /bin/bash, not Python (a pyenv shim or a wrapper?)'],
    ['#!/bin/sh\necho hi\n', '/x/pip runs /bin/sh, not Python (a pyenv shim or a wrapper?)'],
    ['#!/usr/bin/env zsh\nset -e\n', '/x/pip runs `env zsh`, which is not on PATH'],
    ['#!/usr/bin/env python9\n', '/x/pip runs `env python9`, which is not on PATH'],
    ['\x7fELF\x02\x01', '/x/pip has no #! line pip-guard can read'],
  ])('cannot tell the interpreter of %j', (head, why) => {
    expect(shebangInterpreter(head, '/x/pip', which)).toEqual({ problem: why });
  });
});

describe('answerIn', () => {
  const answer = { venv: false, stdlib: '/usr/lib/python3.11', prefix: '/usr', version: '3.11' };
  const line = JSON.stringify(answer);

  it.each([
    [line, answer],
    [`Welcome!\n${line}`, answer],
    [`${line}\nbye\n`, answer],
    [
      JSON.stringify({ ...answer, seedWheels: { pip: '/w/pip.whl', setuptools: null } }),
      { ...answer, seedWheels: { pip: '/w/pip.whl', setuptools: null } },
    ],
  ])('finds the answer in %j', (stdout, expected) => {
    expect(answerIn(stdout)).toEqual(expected);
  });

  it.each([
    '',
    '{}',
    'null',
    '[1]',
    JSON.stringify({ ...answer, stdlib: 5 }),
    JSON.stringify({ ...answer, stdlib: 'lib' }),
    JSON.stringify({ ...answer, venv: 'no' }),
    JSON.stringify({ ...answer, version: '3' }),
    JSON.stringify({ ...answer, seedWheels: { pip: 'pip.whl' } }),
    JSON.stringify({ ...answer, seedWheels: null }),
  ])('finds none in %j', (stdout) => {
    expect(answerIn(stdout)).toBeUndefined();
  });
});
