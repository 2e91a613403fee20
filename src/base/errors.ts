// Errors that speak to the user: one paragraph naming the file, key or argument and the fix.
// main prints the message alone; a stack trace only with PIP_GUARD_DEBUG=1.
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

// Prints one line (or paragraph) of pip-guard's own to stderr.
export function say(message: string): void {
  process.stderr.write(`${PREFIX} ${message}\n`);
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
