import { describe, expect, it } from 'vitest';
import { shebangInterpreter } from '../../src/interpreter.js';

const which = (name: string) => (name === 'python3' ? '/usr/bin/python3' : undefined);

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
    ['#!/opt/pypy/bin/pypy3\n', '/opt/pypy/bin/pypy3'],
  ])('reads the interpreter of %j', (head, expected) => {
    expect(shebangInterpreter(head, '/x/pip', which)).toBe(expected);
  });

  it.each([
    ['#!/usr/bin/env bash\nset -e\n', /runs \/usr\/bin\/env bash|runs .*bash/],
    ['\x7fELF\x02\x01', /no #! line/],
    ['#!/usr/bin/env python9\n', /env python9.*not on PATH/],
    ['#!/bin/sh\necho hi\n', /runs \/bin\/sh, not Python/],
  ])('cannot tell the interpreter of %j', (head, why) => {
    const result = shebangInterpreter(head, '/x/pip', which);
    expect(typeof result === 'object' && result.problem).toMatch(why);
  });
});
