// Facts → Plan, with no effects: what pip-guard does with one pip command.
import { join } from 'node:path';
import { withoutOptions } from './pip-cli/parse.js';
import { isSet } from './pip-cli/settings.js';
import type { Facts, Plan } from './plan.js';
import type { VenvTarget } from './project.js';

// Commands that show or remove what is installed: with a pip-guard venv at hand they go there,
// so that what pip-guard installed is what pip lists and removes.
const ROUTED = new Set(['list', 'freeze', 'show', 'check', 'inspect', 'uninstall']);

// Options that already say which environment to look at: pip-guard leaves those commands alone.
const PLACED = ['path', 'user'];

// What --user and the like mean nowhere but in the system environment.
const DROPPED_IN_VENV = ['use_user_site', 'override_externally_managed', 'python'];

// Anything that names something to install (pip fails with a usage error otherwise).
const REQUIREMENT_DESTS = ['requirements', 'editables', 'dependency_groups', 'requirements_from_scripts'];

export const activateHint = (venv: string) => `source ${join(venv, 'bin', 'activate')}`;

function describe(venv: VenvTarget, created: boolean): string {
  if (venv.origin === 'active') return `the active venv ${venv.path}`;
  if (venv.origin === 'default') return `pip-guard's default venv ${venv.path} (no project here)`;
  return `${created ? 'a new venv, ' : ''}${venv.path}`;
}

// After a command pip-guard ran in its venv instead of the system's environment.
function routeNotice(name: string, command: string, venv: VenvTarget, python: string): string {
  const which = venv.origin === 'project' ? `${venv.path}, this project's venv` : describe(venv, false);
  const why = `(${python} is externally managed)`;
  return command === 'uninstall'
    ? `pip uninstall ran in ${which} ${why}; the system's own packages are its package manager's to remove`
    : `this is ${which} ${why}; PIP_GUARD_POLICY=off ${name} ${command} shows the system's packages`;
}

// The one line that follows pip's output after an install pip-guard redirected.
export function installNotice(python: string, venv: VenvTarget, created: boolean): string {
  return (
    `${python} is externally managed (PEP 668), so pip installed into ${describe(venv, created)}; ` +
    `use it with \`${activateHint(venv.path)}\``
  );
}

function brokenVenv(facts: Facts, why: string): Plan {
  const path = facts.venv.path;
  return {
    kind: 'fail',
    reason: `${path} is not a usable venv: ${why}`,
    exitCode: 1,
    message:
      `${path} is not a usable virtual environment (${why}), so pip-guard cannot install into it. ` +
      `pip-guard did not make it and will not delete it: recreate it with \`python3 -m venv --clear ${path}\`, ` +
      `or move it away, and run pip again.`,
  };
}

function hasRequirements(facts: Facts): boolean {
  if (facts.line.args.length > 0) return true;
  const settings = facts.settings;
  return !('problem' in settings) && REQUIREMENT_DESTS.some((dest) => isSet(settings, dest));
}

// The real pip would refuse: install into the venv pip-guard picked instead.
function installInVenv(facts: Facts): Plan {
  const { venv, interpreter } = facts;
  if (venv.state.kind === 'broken') return brokenVenv(facts, venv.state.why);
  if (!hasRequirements(facts))
    return { kind: 'forward', reason: 'nothing to install: pip explains its own usage' };
  if (!interpreter) {
    return {
      kind: 'fail',
      reason: `${facts.verdict.reason}, on a Python pip-guard could not identify`,
      exitCode: 1,
      message:
        `${facts.realPip} refused to install (PEP 668), and pip-guard could not tell which Python it runs on ` +
        `to make a venv with: create one yourself (\`python3 -m venv .venv\`) and run pip again, ` +
        `or set PIP_GUARD_REAL_PIP to a pip whose first line names its Python.`,
    };
  }
  const create = venv.state.kind !== 'valid';
  const managed = interpreter.python;
  return {
    kind: 'venv',
    reason: `${facts.verdict.reason}; policy ${facts.policy.name} (${facts.policy.source})`,
    venv,
    create,
    python: managed,
    argv: withoutOptions(facts.line, DROPPED_IN_VENV),
    // PIP_USER=0 also beats a `user = true` in pip's config files; PIP_PYTHON would re-run pip elsewhere.
    env: { PIP_USER: '0', PIP_PYTHON: undefined },
    notice: installNotice(managed, venv, create),
  };
}

// A read-only command (or an uninstall pip would refuse) shown in / run on the pip-guard venv.
function routeToVenv(facts: Facts): Plan | undefined {
  const { line, venv, interpreter, settings } = facts;
  if (!line.command || !ROUTED.has(line.command) || 'problem' in settings) return undefined;
  if (!interpreter || interpreter.venv || !interpreter.externallyManaged) return undefined;
  if (
    venv.state.kind !== 'valid' ||
    PLACED.some((dest) => isSet(settings, dest)) ||
    isSet(settings, 'python')
  ) {
    return undefined;
  }
  if (line.command === 'uninstall' && facts.verdict.refuses !== true) return undefined;
  return {
    kind: 'venv',
    reason: `${interpreter.python} is externally managed and ${venv.path} is where pip-guard installs`,
    venv,
    create: false,
    python: interpreter.python,
    argv: withoutOptions(facts.line, DROPPED_IN_VENV),
    env: { PIP_PYTHON: undefined },
    notice: routeNotice(facts.name, line.command, venv, interpreter.python),
  };
}

export function decide(facts: Facts): Plan {
  const { line, verdict, policy } = facts;
  if (policy.name === 'off') return { kind: 'forward', reason: `policy off (${policy.source})` };
  const routed = routeToVenv(facts);
  if (routed) return routed;
  if (verdict.refuses === 'unknown') {
    return { kind: 'attempt', reason: `cannot tell whether pip would refuse: ${verdict.reason}` };
  }
  if (verdict.refuses === false) return { kind: 'forward', reason: verdict.reason };
  if (line.command === 'install') return installInVenv(facts);
  return {
    kind: 'forward',
    reason: `${verdict.reason}; there is no pip-guard venv here to ${line.command} from`,
    notice: `pip-guard installs into ${facts.venv.path}, which does not exist yet: nothing of pip-guard's to ${line.command}`,
  };
}
