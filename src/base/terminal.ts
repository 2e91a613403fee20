// Whether a standard file descriptor is a terminal, without building process.stdin or
// process.stderr to ask: in the Bun-compiled binary their getters make Node streams, and
// node:tty loads them too (3 ms or more on every guarded call, which may print nothing at all).
// Bun's tty_wrap binding answers with isatty(3) itself; Node has its streams ready already.
import { bun } from './bun.js';

type Fd = 0 | 1 | 2;

interface TtyWrap {
  isTTY(fd: number): boolean;
}
// Node's own process.binding is deprecated (and absent from its types); Bun keeps this one.
type WithBinding = { binding(name: 'tty_wrap'): TtyWrap };

export function isTerminal(fd: Fd): boolean {
  if (bun) return (process as unknown as WithBinding).binding('tty_wrap').isTTY(fd);
  return Boolean([process.stdin, process.stdout, process.stderr][fd]?.isTTY);
}
