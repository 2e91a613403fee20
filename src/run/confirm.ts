// pip's own question before an uninstall (pip/_internal/utils/misc.py: ask), for what pip-guard
// uninstalls in pip's place: "Proceed (Y/n)? " on stdout, y, n or Enter, asked again otherwise.
import { UserError, writeOut } from '../base/errors.js';

const QUESTION = 'Proceed (Y/n)? ';

// Prints what would go, then asks; end of input stops with exit code 2, as pip does.
export async function proceed(listing: readonly string[], noInput: boolean): Promise<boolean> {
  // By write(2), not Bun's stdout stream, which would leave a shared pipe non-blocking for pip.
  for (const line of listing) writeOut(1, `${line}\n`);
  if (noInput)
    throw new UserError(`No input was expected (--no-input or PIP_NO_INPUT); question: ${QUESTION}`);
  // Loaded here: only an uninstall that asks needs it.
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (;;) {
      writeOut(1, QUESTION);
      const next = await lines.next();
      // pip's ask() meets EOFError there, and pip ends with exit code 2.
      if (next.done) throw new UserError('no answer (end of input), so nothing was uninstalled.', 2);
      const answer = String(next.value).trim().toLowerCase();
      if (answer === 'y' || answer === '') return true;
      if (answer === 'n') return false;
      writeOut(1, `Your response ('${answer}') was not one of the expected responses: y, n, \n`);
    }
  } finally {
    rl.close();
  }
}
