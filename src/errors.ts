// Errors that speak to the user: one paragraph naming the file, key or argument and the fix.
// main prints the message alone; a stack trace only with PIP_GUARD_DEBUG=1.
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
// read-only HOME): one paragraph with the directory, what pip-guard keeps there, and the fix.
export function unwritableDir(dir: string, keeps: string, variable: string, error: unknown): UserError {
  const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new UserError(
    `pip-guard cannot write ${dir} (${why}), where it keeps ${keeps}, so nothing was installed. ` +
      `Make it a directory pip-guard may write, or set ${variable} to one, and run pip again.`,
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
