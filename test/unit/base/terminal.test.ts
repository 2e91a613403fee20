import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../../src/base/terminal.js';

// Under Node the answer is the streams' own; the Bun binary's (Bun's tty_wrap) is held by the
// end-to-end tests on a terminal (explain-prompt, activation) and off one (every other).
describe('isTerminal', () => {
  it('says what the standard streams say', () => {
    expect(isTerminal(0)).toBe(Boolean(process.stdin.isTTY));
    expect(isTerminal(1)).toBe(Boolean(process.stdout.isTTY));
    expect(isTerminal(2)).toBe(Boolean(process.stderr.isTTY));
  });
});
