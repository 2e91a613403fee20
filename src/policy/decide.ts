// Facts → Plan, with no effects: what pip-guard does with one pip command.
import type { Sourced } from '../config/merge.js';
import { PIPX_POLICIES } from '../config/policies.js';
import type { Decision, Facts, Plan } from '../plan.js';
import { blockPlan } from './block.js';
import { breakPlan } from './break.js';
import { installWithPipx, uninstallWithPipx } from './pipx.js';
import { type ActingPolicy, type Choice, choose, chooseEach, type Target } from './targets.js';
import { hasRequirementOptions, installInVenv, routes, routeToVenv } from './venv.js';

// One target for the command's packages, less those at `dropped` (other steps take them).
function planFor(facts: Facts, choice: Choice, dropped: number[], names: string[]): Plan {
  switch (choice.target) {
    case 'block':
      return blockPlan(facts, choice.from, names);
    case 'break':
      return breakPlan(facts, choice.from, dropped);
    case 'pipx':
      return installWithPipx(
        facts,
        choice.from,
        dropped.length > 0 ? facts.line.argIndexes.filter((i) => !dropped.includes(i)) : undefined,
      );
    case 'venv':
      return installInVenv(facts, { dropped, from: choice.from });
  }
}

type Each = ReturnType<typeof chooseEach>;

// -r and friends cannot be split per package: they would go to the system with a package to break.
function cannotSplitBreak(broken: Each[number]): Plan {
  return {
    kind: 'fail',
    reason: `${broken.raw} is to break, and requirement files cannot be split`,
    exitCode: 2,
    message:
      `${broken.choice.from} sends ${broken.raw} into the system with --break-system-packages, and this command ` +
      'also installs from requirement files (-r, -c, -e, …) whose packages must not follow it there: ' +
      `install ${broken.raw} on its own, and the rest separately.`,
  };
}

// Per-package overrides: one step per target, each with its own packages.
function perPackage(facts: Facts, each: Each): Plan {
  const steps = (['break', 'pipx', 'venv'] as const).flatMap((target) => {
    const mine = each.filter((e) => e.choice.target === target);
    const first = mine[0];
    if (!first) return [];
    const dropped = each.filter((e) => e.choice.target !== target).map((e) => e.argIndex);
    return [
      planFor(
        facts,
        first.choice,
        dropped,
        mine.map((e) => e.raw),
      ),
    ];
  });
  const failed = steps.find((step) => step.kind === 'fail');
  return failed ?? { kind: 'sequence', reason: `${facts.verdict.reason}; per-package policies`, steps };
}

// pip would refuse this install: where each package goes under `policy`.
function install(facts: Facts, policy: Sourced<ActingPolicy>): Plan {
  // A command line pip-guard could not read (pip read it, and refused): it goes as a whole.
  const each = facts.line.problem ? [] : chooseEach(facts, policy);
  const whole = choose(facts, policy, undefined);
  const names = each.map((e) => e.raw);
  const files = hasRequirementOptions(facts);
  // Requirement files and the like: their packages are unknown, so they go where the policy says.
  const choices = [...each.map((e) => e.choice), ...(files || each.length === 0 ? [whole] : [])];
  const blocked = choices.find((c) => c.target === 'block');
  if (blocked) return blockPlan(facts, blocked.from, names);
  const targets = new Set<Target>(choices.map((c) => c.target));
  if (targets.size === 1) return planFor(facts, choices[0] as Choice, [], names);
  const broken = each.find((e) => e.choice.target === 'break');
  if (broken && files) return cannotSplitBreak(broken);
  // Only auto's app list made the difference: keep the command together in the venv, and say
  // how the apps would get their own place. Requirement files cannot be split either.
  const apps = each.filter((e) => e.choice.target === 'pipx');
  const onlyByApps = each.every((e) => e.choice.target !== 'pipx' || e.choice.byApps);
  if ((onlyByApps || files) && !targets.has('break')) {
    return installInVenv(facts, { from: whole.from, keptApps: apps.map((e) => e.name ?? e.raw) });
  }
  return perPackage(facts, each);
}

function promptPlan(facts: Facts): Plan {
  const python = facts.interpreter?.python ?? 'this Python';
  const fromAnswer = (value: ActingPolicy): Sourced<ActingPolicy> => ({ value, from: 'your answer' });
  const suggested = install(facts, { value: 'auto', from: facts.config.policy.from });
  const initial = suggested.kind === 'pipx' ? 'pipx' : 'venv';
  const choices: { value: ActingPolicy; label: string }[] = [
    { value: 'venv', label: `into the project venv (${facts.venv.path})` },
    { value: 'pipx', label: 'with pipx, as command-line apps' },
    { value: 'block', label: 'nowhere: stop here' },
    ...(facts.config.allowBreak.value
      ? [{ value: 'break' as const, label: `into ${python} itself (--break-system-packages)` }]
      : []),
  ];
  return {
    kind: 'prompt',
    reason: `${facts.verdict.reason}; policy prompt (${facts.config.policy.from})`,
    question: `${python} is externally managed (PEP 668). Where should pip install ${facts.line.args.join(' ') || 'this'}?`,
    choices: choices.map((c) => ({ ...c, plan: install(facts, fromAnswer(c.value)) })),
    initial,
  };
}

export function decide(facts: Facts): Decision {
  const { line, verdict, config } = facts;
  let policy = config.policy;
  if (policy.value === 'off') return { kind: 'forward', reason: `policy off (${policy.from})` };
  if (policy.value === 'prompt' && !facts.interactive) {
    policy = {
      value: config.nonInteractive.value,
      from: `${config.nonInteractive.from}, as nobody can be asked here`,
    };
    if (policy.value === 'off') return { kind: 'forward', reason: `policy off (${policy.from})` };
  }
  const usesPipx = PIPX_POLICIES.includes(policy.value);
  if (line.command === 'uninstall' && usesPipx && verdict.refuses === true) {
    const pipx = uninstallWithPipx(facts);
    if (pipx) return pipx;
  }
  if (routes(facts)) return routeToVenv(facts);
  if (verdict.refuses === 'unknown') {
    // Where pip-guard knows the Python, it knows what to do should it refuse.
    const refusing = { ...facts, verdict: { refuses: true, reason: `${verdict.reason}, and pip refused` } };
    const fallback = facts.interpreter ? decide(refusing) : undefined;
    return {
      kind: 'attempt',
      reason: `cannot tell whether pip would refuse: ${verdict.reason}`,
      ...(fallback && fallback.kind !== 'attempt' ? { fallback } : {}),
    };
  }
  if (verdict.refuses === false) return { kind: 'forward', reason: verdict.reason };
  if (line.command === 'install') {
    return policy.value === 'prompt' ? promptPlan(facts) : install(facts, policy as Sourced<ActingPolicy>);
  }
  if (policy.value === 'break') return breakPlan(facts, policy.from);
  return {
    kind: 'forward',
    reason: `${verdict.reason}; there is no pip-guard venv here to ${line.command} from`,
    notice: `pip-guard installs into ${facts.venv.path}, which does not exist yet: nothing of pip-guard's to ${line.command}`,
  };
}
