// Plans that hand command-line applications to pipx: `pip install APP` → `pipx install APP`,
// `pip uninstall APP` → `pipx uninstall APP` for apps pipx manages.

import { isSet } from '../pip-cli/settings.js';
import type { Facts, FailPlan, ForwardPlan, PipxPlan, VenvPlan } from '../plan.js';
import { pipxInstallCalls, pipxUninstallCalls } from './pipx-translate.js';
import { installInVenv, routes, routeToVenv } from './venv.js';

const PIPX_HINT = 'Debian/Ubuntu: apt install pipx; elsewhere: https://pipx.pypa.io';

// `only`: the argv positions of the requirements that go to pipx (all, when not given).
export function installWithPipx(
  facts: Facts,
  from: string,
  only?: readonly number[],
): PipxPlan | VenvPlan | ForwardPlan | FailPlan {
  const { pipx, interpreter, line } = facts;
  const others = only ? line.argIndexes.filter((i) => !only.includes(i)) : [];
  if (!pipx?.path) {
    if (facts.pipxMissing === 'error') {
      return {
        kind: 'fail',
        reason: 'pipx was chosen, and pipx is not on PATH',
        exitCode: 1,
        message:
          `${from} sends this install to pipx, and pipx is not on PATH (${PIPX_HINT}). ` +
          'Install pipx, or unset PIP_GUARD_PIPX_MISSING=error to fall back to the project venv.',
      };
    }
    return installInVenv(facts, { dropped: others, from, notPipx: `pipx is not installed (${PIPX_HINT})` });
  }
  if (!interpreter) return installInVenv(facts, { dropped: others, from });
  const calls = pipxInstallCalls(line, interpreter.python, new Set(pipx.apps.keys()));
  if ('problem' in calls) return installInVenv(facts, { dropped: others, from, notPipx: calls.problem });
  const mine = calls.filter((call) => !only || only.includes(call.argIndex));
  // Packages pipx refuses for having no commands go to the venv instead.
  const noCommands = installInVenv(facts, { dropped: others, from });
  return {
    kind: 'pipx',
    command: 'install',
    reason: `${facts.verdict.reason}; pipx, chosen by ${from}`,
    pipx: pipx.path,
    python: interpreter.python,
    calls: mine,
    noCommands: noCommands.kind === 'forward' ? undefined : noCommands,
    binDir: pipx.binDir,
    binDirOnPath: pipx.binDirOnPath,
    binDirNextPrompt: !pipx.binDirOnPath && facts.shell?.hook === true,
  };
}

// `pip uninstall` of apps pipx manages; the other names follow the venv routing.
export function uninstallWithPipx(facts: Facts): PipxPlan | undefined {
  const { pipx, interpreter } = facts;
  if (!pipx?.path || !interpreter?.externallyManaged || interpreter.venv) return undefined;
  const calls = pipxUninstallCalls(facts.line, new Set(pipx.apps.keys()));
  if (!calls) return undefined;
  const named = calls.map((call) => call.argIndex);
  const others = facts.line.argIndexes.filter((i) => !named.includes(i));
  const rest: VenvPlan | ForwardPlan | FailPlan | undefined =
    others.length === 0
      ? undefined
      : routes(facts)
        ? routeToVenv(facts, named)
        : {
            kind: 'forward' as const,
            reason: 'not pipx apps',
            argv: facts.line.argv.filter((_, i) => !named.includes(i)),
          };
  const settings = 'problem' in facts.settings ? undefined : facts.settings;
  const yes = settings !== undefined && isSet(settings, 'yes');
  return {
    kind: 'pipx',
    command: 'uninstall',
    reason: `${calls.map((c) => c.requirement.name).join(', ')} ${calls.length === 1 ? 'is a pipx app' : 'are pipx apps'}`,
    confirm: yes ? undefined : { noInput: settings !== undefined && isSet(settings, 'no_input') },
    pipx: pipx.path,
    python: interpreter.python,
    calls,
    others: rest,
    binDir: pipx.binDir,
    binDirOnPath: pipx.binDirOnPath,
    binDirNextPrompt: !pipx.binDirOnPath && facts.shell?.hook === true,
  };
}
