// Errors that speak to the user: one paragraph naming the file, key or argument and the fix.
// main prints the message alone; a stack trace only with PIP_GUARD_DEBUG=1.
import { writeSync } from 'node:fs';
import { whyNot, writeProblem } from './files.js';

export class UserError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

// The prefix every line pip-guard itself prints starts with, so users can tell it from pip.
const PREFIX = 'pip-guard:';

// Writes to stdout (1) or stderr (2) at once, with write(2) itself: Bun's process.stdout and
// process.stderr set the descriptor non-blocking, and with it the pipe or socket pip-guard shares
// with its parent and whatever that runs next (a CI step's next command then fails with EAGAIN).
// One that another program made non-blocking is waited on when full; one nobody reads any more
// (EPIPE) has nobody to tell.
export function writeOut(fd: 1 | 2, data: string | Uint8Array): void {
  let bytes = typeof data === 'string' ? Buffer.from(data) : data;
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

// Prints one line (or paragraph) of pip-guard's own to stderr, before anything after it (pip-guard
// may become another program next: process.ts's become).
export function say(message: string): void {
  writeOut(2, `${PREFIX} ${message}\n`);
}

// A directory of pip-guard's own that it cannot write (an XDG_* variable naming a file, a
// read-only HOME): one paragraph with the directory, what pip-guard keeps there, and the fix;
// by default for a pip command, else with what did not happen and what to run again.
export function unwritableDir(
  dir: string,
  keeps: string,
  variable: string,
  error: unknown,
  outcome = 'nothing was installed',
  again = 'run pip again',
): UserError {
  // mkdir -p says ENOENT on a read-only file system: access(2) on what is there says why.
  const why = writeProblem(dir) ?? whyNot(error, dir);
  return new UserError(
    `pip-guard cannot write ${dir} (${why}), where it keeps ${keeps}, so ${outcome}. ` +
      `Make it a directory pip-guard may write, or set ${variable} to one, and ${again}.`,
  );
}

// A result that did not work out, and why, in words for the user.
export type Problem = { problem: string };

// pip-guard stopped for a signal it received: main prints the message, then ends with the signal.
export class Interrupted extends UserError {
  readonly signal: NodeJS.Signals;

  constructor(message: string, signal: NodeJS.Signals) {
    super(message, 130);
    this.name = 'Interrupted';
    this.signal = signal;
  }
}
