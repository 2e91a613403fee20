import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../../src/base/shell.js';
import { shimWords } from '../../../src/doctor/shim-words.js';

// The shim as src/shims.ts renderShim writes it (the template itself is bundled as text).
const template = readFileSync(join(import.meta.dirname, '..', '..', '..', 'shims', 'pip.sh'), 'utf8');
const render = (command: string[]) =>
  template.replaceAll('@VERSION@', '9.9.9').replaceAll('@RUN@', command.map(shellQuote).join(' '));

describe('shimWords', () => {
  it.each([
    [['/usr/bin/node', '/opt/pip-guard/dist/pip-guard.cjs']],
    [['/home/me/.local/share/pip-guard/bin/pip-guard']],
    [['/usr/bin/node', "/home/o'brien/my tools/pip-guard.cjs"]],
    [['/path with  two spaces/node', '/a/$HOME/`x`/"q".cjs']],
  ])('reads back %j from the shim that runs it', (command) => {
    expect(shimWords(render(command))).toEqual(command);
  });

  it('finds nothing in a file that is not a shim', () => {
    expect(shimWords('#!/bin/sh\nexec /usr/bin/pip "$@"\n')).toBeUndefined();
  });
});
