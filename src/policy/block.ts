// Policy block: refuse the install, with the two commands that would work instead.

import { shellQuote } from '../base/shell.js';
import type { Facts, FailPlan } from '../plan.js';

export const pythonOf = (facts: Facts) => facts.interpreter?.python ?? 'this Python';

export function blockPlan(facts: Facts, from: string, packages: readonly string[]): FailPlan {
  const words = packages.length > 0 ? packages.map(shellQuote) : ['PACKAGE'];
  const names = words.join(' ');
  // Debian's pipx 1.1 takes one package per `pipx install`.
  const pipx = words.map((word) => `\`pipx install ${word}\``).join(', ');
  return {
    kind: 'fail',
    reason: `${facts.verdict.reason}; block, chosen by ${from}`,
    exitCode: 1,
    message:
      `${pythonOf(facts)} is externally managed (PEP 668), and pip-guard's policy block (${from}) keeps installs out of it, ` +
      `so nothing was installed. What works: for a project's library, ` +
      `\`python3 -m venv .venv && .venv/bin/pip install ${names}\`; for a command-line app, ${pipx}.`,
  };
}
