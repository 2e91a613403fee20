import { describe, expect, it } from 'vitest';
import { headLines, scriptHead, shWord, trampolinePython } from '../../../src/facts/shebang.js';

const trampoline = (word: string) => `#!/bin/sh\n'''exec' ${word} "$0" "$@"\n' '''`;
// A path whose #! line is 128 bytes: one too many for distlib.
const long = `/${'x'.repeat(100)}/.venv/bin/python3`.padEnd(125, 'y');

describe('scriptHead', () => {
  it.each([
    ['/p/.venv/bin/python3', '#!/p/.venv/bin/python3'],
    // distlib quotes for a space only, and counts bytes: ü is two.
    ['/home/me/my proj ü/.venv/bin/python3', trampoline('"/home/me/my proj ü/.venv/bin/python3"')],
    [long.slice(0, 124), `#!${long.slice(0, 124)}`],
    [long, trampoline(long)],
    [`${long.slice(0, 123)}ü`, trampoline(`${long.slice(0, 123)}ü`)],
    // Where pip's own scripts would not run: Linux ends the interpreter at a tab, the line at a newline.
    ['/p/tab\there/bin/python3', trampoline('"/p/tab\there/bin/python3"')],
    ['/p/new\nline/bin/python3', trampoline('"/p/new\nline/bin/python3"')],
    ['/p/my $HOME/bin/python3', trampoline(`'/p/my $HOME/bin/python3'`)],
    ["/p/it's/bin/python3", "#!/p/it's/bin/python3"],
    ["/p/it's here/bin/python3", trampoline(`'/p/it'"'"'s here/bin/python3'`)],
    ['/p/back\\slash x/bin/python3', trampoline(`'/p/back'"\\\\"'slash x/bin/python3'`)],
  ])('writes the head for %j as pip would', (python, head) => {
    expect(scriptHead(python)).toBe(head);
  });
});

describe('trampolinePython', () => {
  it.each([
    '/home/me/my proj ü/.venv/bin/python3',
    long,
    '/p/tab\there/bin/python3',
    '/p/new\nline/bin/python3',
    '/p/my $HOME `x` "y"/bin/python3',
    "/p/it's ''' here/bin/python3",
    '/p/back\\slash\\ x/bin/python3',
  ])('reads back the Python of the head written for %j', (python) => {
    const head = `${scriptHead(python)}\n# -*- coding: utf-8 -*-\nimport re\n`;
    expect(trampolinePython(head)).toBe(python);
    expect(headLines(head).join('\n')).toBe(scriptHead(python).split("\n' '''")[0]);
  });

  it.each([
    [trampoline('"/a b/python" # x'), undefined],
    ['#!/bin/sh\necho hi\n', undefined],
    [`${trampoline('"/a b\\"c/python"')}\n`, '/a b"c/python'],
    [`${trampoline("/a'b c'd/python")}\n`, '/ab cd/python'],
    ["#!/bin/sh\n'''exec' \"/unterminated\n", undefined],
  ])('reads %j as sh would', (head, python) => {
    expect(trampolinePython(head)).toBe(python);
  });

  it('takes the #! line alone for a plain script', () => {
    expect(headLines('#!/usr/bin/python3\nimport sys\n')).toEqual(['#!/usr/bin/python3']);
  });
});

describe('shWord', () => {
  it.each([
    ['/plain/path', '/plain/path'],
    ['/a b', '"/a b"'],
    ['/a;b', '"/a;b"'],
  ])('quotes %j as %j', (path, word) => {
    expect(shWord(path)).toBe(word);
  });
});
