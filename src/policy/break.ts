// Policy break: add --break-system-packages and run the real pip, only where the user's own
// config (or the environment) allows it: a project's config cannot.

import { afterCommand } from '../pip-cli/parse.js';
import type { Facts, FailPlan, ForwardPlan } from '../plan.js';
import { pythonOf } from './block.js';

// pip's argv with --break-system-packages after the command (not after a `--`), minus `dropped`.
function withBreak(facts: Facts, dropped: readonly number[]): string[] {
  const kept = facts.line.argv.filter((_, i) => !dropped.includes(i));
  return afterCommand(kept, facts.line.command ?? '', ['--break-system-packages']);
}

export function breakPlan(
  facts: Facts,
  from: string,
  dropped: readonly number[] = [],
): ForwardPlan | FailPlan {
  const allow = facts.config.allowBreak;
  if (!allow.value) {
    const only =
      allow.from === 'PIP_GUARD_ALLOW_BREAK'
        ? 'PIP_GUARD_ALLOW_BREAK=0 forbids that here, whatever the config files say'
        : 'pip-guard does that only when your own config allows it ' +
          '(allowBreakSystemPackages: true in ~/.config/pip-guard/config.json or /etc/pip-guard/config.json) or ' +
          'PIP_GUARD_ALLOW_BREAK=1 is set';
    return {
      kind: 'fail',
      reason: `break, chosen by ${from}, is not allowed`,
      exitCode: 2,
      message:
        `${from} asks pip-guard to install into ${pythonOf(facts)}'s own environment with --break-system-packages, ` +
        `which can break the system's own tools; ${only}. Nothing was installed.`,
    };
  }
  return {
    kind: 'forward',
    reason: `${facts.verdict.reason}; break, chosen by ${from}, allowed by ${allow.from}`,
    argv: withBreak(facts, dropped),
    // What the run's notice says before how it ended (run/notices.ts's forwardNotice).
    notice: `policy break (${from}): pip ran with --break-system-packages, on ${pythonOf(facts)}'s own environment`,
  };
}
