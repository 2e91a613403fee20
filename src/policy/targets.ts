// Where each requested package goes under a policy: the per-package `packages` override first,
// then the policy itself (for `auto`: pipx for known command-line apps, the venv for the rest).
import type { Sourced } from '../config/merge.js';
import type { ConfigPolicy } from '../config/policies.js';
import { parseRequirement } from '../pip-cli/requirement.js';
import type { Facts } from '../plan.js';

export type Target = 'venv' | 'pipx' | 'block' | 'break';

export interface Choice {
  target: Target;
  // What chose it: a config file and key, an environment variable, the default.
  from: string;
  // Chosen by auto's list of apps, not by anybody's explicit word.
  byApps?: boolean;
}

// Policies that act on each package (prompt and off are settled before).
export type ActingPolicy = Exclude<ConfigPolicy, 'prompt' | 'off'>;

export function choose(facts: Facts, policy: Sourced<ActingPolicy>, name: string | undefined): Choice {
  const override = name ? facts.config.packages.get(name) : undefined;
  if (override) return { target: override.value, from: override.from };
  if (policy.value !== 'auto') return { target: policy.value, from: policy.from };
  if (name && facts.config.pipxApps.value.has(name)) {
    return { target: 'pipx', from: `pipx.apps (${facts.config.pipxApps.from.join(', ')})`, byApps: true };
  }
  return { target: 'venv', from: policy.from };
}

// One choice per positional requirement, in order, with the names they were made for.
export function chooseEach(facts: Facts, policy: Sourced<ActingPolicy>) {
  return facts.line.args.map((raw, i) => {
    const name = parseRequirement(raw).name;
    return { raw, name, argIndex: facts.line.argIndexes[i] as number, choice: choose(facts, policy, name) };
  });
}
