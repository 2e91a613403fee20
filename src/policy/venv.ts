// Plans that run pip in a venv: a refused install, and the commands routed to pip-guard's venv.
import { join } from 'node:path';
import { shellQuote } from '../base/shell.js';
import type { VenvTarget } from '../facts/project.js';
import { GUARDED_COMMANDS } from '../pip-cli/options.js';
import { keptIndexes } from '../pip-cli/parse.js';
import { compareVersions } from '../pip-cli/pep440.js';
import { parseRequirement } from '../pip-cli/requirement.js';
import { isSet } from '../pip-cli/settings.js';
import {
  DRY_RUN_REPORT,
  DRY_RUN_TARGET,
  type Facts,
  type FailPlan,
  type ForwardPlan,
  realPipCommand,
  rootInOthers,
  typedPip,
  type VenvMaking,
  type VenvPip,
  type VenvPlan,
} from '../plan.js';
import { systemOnlyMessage, systemOnlyOf } from './system-only.js';

// Commands that show or remove what is installed: with a pip-guard venv at hand they go there,
// so that what pip-guard installed is what pip lists and removes.
const ROUTED = new Set(GUARDED_COMMANDS.filter((command) => command !== 'install'));

// Options that already say which environment to look at: pip-guard leaves those commands alone.
const PLACED = ['path', 'user', 'python'];

// What --user and the like mean nowhere but in the system environment.
const DROPPED_IN_VENV = ['use_user_site', 'override_externally_managed', 'python'];

// Anything besides positional arguments that names something to install.
const REQUIREMENT_DESTS = ['requirements', 'editables', 'dependency_groups', 'requirements_from_scripts'];

// The venv's own pip where it has one (a venv still to be made will): by the name pip was called
// by, else `pip`; for `python3 -m pip`, or where its scripts run another venv's Python (a copied
// project's: gather.ts), the venv's python with -m pip (a venv has the pip module where it has
// bin/pip, or where pip-guard found it).
function ownPip(facts: Facts, made: boolean): string[] | undefined {
  const bin = join(facts.venv.path, 'bin');
  const has = (name: string) => made || facts.venvPips.includes(name);
  const module = has('pip') || facts.pips?.venv !== undefined;
  const name = facts.realPipArgs.length > 0 ? undefined : [facts.name, 'pip'].find(has);
  if (name) return [join(bin, name)];
  return module ? [join(bin, 'python'), '-m', 'pip'] : undefined;
}

// A venv whose own pip is older than the real pip: the user's command is for theirs, so the real
// pip runs there with --python (pip >= 22.3; its code then runs on the venv's Python, which must
// be the version it runs on now). The venv's pip is the venv owner's: never upgraded behind them.
function olderVenvPip(facts: Facts): { own: string; real: string } | undefined {
  const { real, venv: own } = facts.pips ?? {};
  const state = facts.venv.state;
  if (!real || !own || state.kind !== 'valid' || state.version !== real.python) return undefined;
  const older = compareVersions(own.version, real.version) === -1;
  return older && compareVersions(real.version, '22.3') !== -1
    ? { own: own.version, real: real.version }
    : undefined;
}

// How pip runs in the venv (`made`: the venv is still to be made): its own pip, unless that is
// older than the real pip; a venv without pip (uv makes those) is driven from outside with `pip
// --python`, which every pip that knows PEP 668 has.
function venvPip(facts: Facts, made: boolean): VenvPip {
  const older = made ? undefined : olderVenvPip(facts);
  const own = older ? undefined : ownPip(facts, made);
  if (own) return { command: own, real: false };
  const python = join(facts.venv.path, 'bin', 'python');
  return { command: realPipCommand(facts, ['--python', python]), real: true, ...(older ? { older } : {}) };
}

// pip's argv for the venv, without the requirements at `droppedArgs` (handled elsewhere), and
// where each word comes from in pip's own.
function venvArgv(facts: Facts, droppedArgs: readonly number[]): Pick<VenvPlan, 'argv' | 'from'> {
  const from = keptIndexes(facts.line, DROPPED_IN_VENV, droppedArgs);
  return { argv: from.map((i) => facts.line.argv[i] as string), from };
}

// How a venv still to be made is made: seeded where there is something to seed it from.
function making(facts: Facts, python: string, version: string): VenvMaking {
  const seeds = facts.interpreter?.python === python ? facts.seeds : undefined;
  const venvArgs = seeds ? ['-m', 'venv', '--without-pip', facts.venv.path] : ['-m', 'venv', facts.venv.path];
  return { argv: [python, ...venvArgs], version, ...(seeds ? { seeds } : {}) };
}

// Words pip-guard adds to pip's argv just after the command (`from` -1: they are not the user's).
function withWords(facts: Facts, argv: Pick<VenvPlan, 'argv' | 'from'>, words: string[]) {
  const at = argv.argv.indexOf(facts.line.command ?? 'install') + 1;
  const insert = <T>(list: readonly T[], added: T[]) => [...list.slice(0, at), ...added, ...list.slice(at)];
  return {
    argv: insert(argv.argv, words),
    from: insert(
      argv.from,
      words.map(() => -1),
    ),
  };
}

// A dry run asks pip for a report of what it would install (pip >= 22.2), unless the user asked
// for one of their own: the notice names what pip would install, and never says "installed".
function reportWords(facts: Facts, pip: string | undefined): string[] {
  const settings = 'problem' in facts.settings ? undefined : facts.settings;
  if (!pip || !settings || settings.has('json_report_file') || compareVersions(pip, '22.2') === -1) return [];
  return ['--report', DRY_RUN_REPORT];
}

// A dry run for a venv still to be made runs the real pip against an empty --target, filled in
// when it runs (run-pip.ts).
function dryRunOf(facts: Facts, argv: Pick<VenvPlan, 'argv' | 'from'>) {
  const report = reportWords(facts, facts.pips?.real?.version);
  return {
    ...withWords(facts, argv, ['--target', DRY_RUN_TARGET, ...report]),
    dryRun: 'instead' as const,
    report: report.length > 0,
    pip: { command: realPipCommand(facts, []), real: true },
  };
}

// A dry run in an existing venv, by the pip that runs there.
function dryRunHere(facts: Facts, argv: Pick<VenvPlan, 'argv' | 'from'>, pip: VenvPip) {
  const report = reportWords(facts, (pip.real ? facts.pips?.real : facts.pips?.venv)?.version);
  return { ...withWords(facts, argv, report), dryRun: 'here' as const, report: report.length > 0, pip };
}

// A venv pip-guard cannot use, as one paragraph: what it would have done there ("install into
// it"), and the fix, for pip (`again`: "run pip again") or pip-guard's own commands.
export function brokenVenvMessage(venv: VenvTarget, problem: string, doing: string, again: string): string {
  const path = venv.path;
  const own = venv.state.kind === 'broken' ? venv.state.fix : undefined;
  // `venv --clear` on a symlink would empty the directory it points to, which may be anybody's.
  const fix = own
    ? `${own}; then ${again}`
    : venv.symlink
      ? `remove the symlink (\`rm ${shellQuote(path)}\`) or point it at a working venv, and ${again}`
      : `recreate it with \`python3 -m venv --clear ${shellQuote(path)}\`, or move it away, and ${again}`;
  return (
    `${path} is not a usable virtual environment (${problem}), so pip-guard cannot ${doing}. ` +
    `pip-guard did not make it and will not delete it: ${fix}.`
  );
}

function brokenVenv(facts: Facts, problem: string): FailPlan {
  return {
    kind: 'fail',
    reason: `${facts.venv.path} is not a usable venv: ${problem}`,
    exitCode: 1,
    message: brokenVenvMessage(facts.venv, problem, 'install into it', 'run pip again'),
  };
}

// pip3.N (and python3.N -m pip) names a Python version: a venv of another version is not its
// environment.
function versionMismatch(facts: Facts): FailPlan | undefined {
  const named = /^(?:pip|python)(\d+\.\d+)$/.exec(facts.name)?.[1];
  const { venv } = facts;
  const venvVersion = venv.state.kind === 'valid' ? venv.state.version : undefined;
  if (!named || !venvVersion || named === venvVersion) return undefined;
  // As it is typed: pip, or python -m pip; and the venv's own, which is there whatever PATH holds.
  const viaPython = facts.realPipArgs.length > 0;
  const plain = viaPython ? 'python -m pip' : 'pip';
  const own = viaPython
    ? `${shellQuote(`${venv.path}/bin/python`)} -m pip`
    : shellQuote(`${venv.path}/bin/pip`);
  const other = `${venv.path}-${named}`;
  return {
    kind: 'fail',
    reason: `${facts.name} is Python ${named}, and ${venv.path} runs Python ${venvVersion}`,
    exitCode: 1,
    message:
      `${facts.name} is for Python ${named}, and ${venv.path} runs Python ${venvVersion}, so pip-guard did not ` +
      `${facts.line.command} anything there. Either use the venv's Python: run \`${plain}\` (pip-guard takes it to the venv) or \`${own}\` instead; ` +
      `or give Python ${named} a venv of its own: \`python${named} -m venv ${shellQuote(other)}\` and ` +
      `activate it (\`source ${shellQuote(`${other}/bin/activate`)}\`), then run pip again.`,
  };
}

// pip run as root (sudo pip install) in a directory another user owns: a venv made or changed
// as root would leave root's files in it, and needs no root at all.
function rootInOthersVenv(facts: Facts): FailPlan | undefined {
  const { venv, uid } = facts;
  if (!rootInOthers(uid, venv.owner)) return undefined;
  const user = facts.venvOwnerName ?? `uid ${venv.owner}`;
  const command = [
    ...typedPip(facts).split(' '),
    ...facts.line.argv.filter((word) => word !== '--break-system-packages'),
  ];
  return {
    kind: 'fail',
    reason: `pip runs as root, and ${venv.path} belongs to ${user}`,
    exitCode: 1,
    message:
      `pip runs as root here, and this install would go into ${venv.path}, which ${user} owns: pip-guard will not ` +
      `make or change a venv there as root (its files would then belong to root). A venv needs no root: ` +
      `run \`${command.map(shellQuote).join(' ')}\` without sudo, as ${user}. Nothing was installed.`,
  };
}

// Requirement files, editables and the like (which name packages pip-guard cannot see).
export function hasRequirementOptions(facts: Facts): boolean {
  const settings = facts.settings;
  return !('problem' in settings) && REQUIREMENT_DESTS.some((dest) => isSet(settings, dest));
}

interface VenvInstall {
  // Requirements (argv positions) that other plans take care of.
  dropped?: number[];
  // Why not pipx, where pipx was asked for.
  notPipx?: string;
  // Apps auto would have sent to pipx, kept here with the libraries the command names.
  keptApps?: string[];
  // What chose the venv, for the plan's reason.
  from: string;
}

// A --user that pip-guard leaves out (there is no user site in a venv), and where it came from.
function userNote(facts: Facts): string[] {
  const user = 'problem' in facts.settings ? undefined : facts.settings.get('use_user_site');
  if (!user || user.value === false) return [];
  const from = user.source === 'the command line' ? '--user' : `--user (set by ${user.source})`;
  return [`${from} was left out: a venv has no separate user site`];
}

// The normalised names of the packages named on the command line, less those handled elsewhere.
const namedPackages = (facts: Facts, dropped: readonly number[]) =>
  facts.line.args
    .filter((_, i) => !dropped.includes(facts.line.argIndexes[i] as number))
    .flatMap((raw) => parseRequirement(raw).name ?? []);

// Nothing pip-guard can help with: no interpreter to make a venv with.
function unknownPython(facts: Facts): FailPlan {
  return {
    kind: 'fail',
    reason: `${facts.verdict.reason}, on a Python pip-guard could not identify`,
    exitCode: 1,
    message:
      `${realPipCommand(facts, []).join(' ')} refused to install (PEP 668), and pip-guard could not tell which Python it runs on ` +
      `to make a venv with: create one yourself (\`python3 -m venv .venv\`) and run pip again, ` +
      `or set PIP_GUARD_REAL_PIP to a pip whose first line names its Python.`,
  };
}

// How the user gets at the venv once this install is done (for the notice): it is active in
// their shell already; their shell's prompt hook activates it at the next prompt (a project's
// venv, unless they typed `deactivate` there; the default venv where venv.activateDefault asks
// for it); pip-guard's python shims run a project's venv for `python3` and its commands there,
// in scripts as at the prompt; or `pip-guard run` and the venv's activate script.
export function venvUse(facts: Facts): VenvPlan['use'] {
  const { venv, shell } = facts;
  if (venv.origin === 'active' || facts.activated) return 'active';
  const hook = shell?.hook && !shell.off;
  if (hook && venv.origin === 'project' && shell.root !== undefined && shell.root === venv.root)
    return 'next-prompt';
  if (hook && venv.origin === 'default' && shell.defaultVenv && !shell.inProject) return 'next-prompt';
  return venv.origin === 'project' && facts.scripts?.python ? 'shims' : 'run';
}

// pip-guard activate in the user's shell ($SHELL): it keeps the policy, where the venv's own
// activate script would put the venv's pip first (and pip-guard steps aside for that).
const activateCommand = (facts: Facts) =>
  facts.shellName === 'fish' ? 'pip-guard activate fish | source' : 'eval "$(pip-guard activate)"';

// The real pip would refuse: install into the venv pip-guard picked instead.
export function installInVenv(facts: Facts, how: VenvInstall): VenvPlan | ForwardPlan | FailPlan {
  const { venv, interpreter } = facts;
  const dropped = how.dropped ?? [];
  if (venv.state.kind === 'broken') return brokenVenv(facts, venv.state.problem);
  if (facts.line.args.length === 0 && !hasRequirementOptions(facts) && !facts.line.problem) {
    return { kind: 'forward', reason: 'nothing to install: pip explains its own usage' };
  }
  if (!interpreter) return unknownPython(facts);
  const mismatch = versionMismatch(facts) ?? rootInOthersVenv(facts);
  if (mismatch) return mismatch;
  const create = venv.state.kind !== 'valid';
  const settings = 'problem' in facts.settings ? undefined : facts.settings;
  const dryRun = settings !== undefined && isSet(settings, 'dry_run');
  const argv = venvArgv(facts, dropped);
  const run =
    dryRun && create
      ? dryRunOf(facts, argv)
      : dryRun
        ? dryRunHere(facts, argv, venvPip(facts, false))
        : {
            ...argv,
            pip: venvPip(facts, create),
            ...(create ? { make: making(facts, interpreter.python, interpreter.version) } : {}),
          };
  return {
    kind: 'venv',
    purpose: 'install',
    reason: `${facts.verdict.reason}; the venv, chosen by ${how.from}${how.notPipx ? `, and ${how.notPipx}` : ''}`,
    venv,
    python: interpreter.python,
    version: venv.state.kind === 'valid' ? venv.state.version : interpreter.version,
    ...run,
    droppedArgs: dropped,
    requirementFiles: hasRequirementOptions(facts),
    // PIP_USER=0 also beats a `user = true` in pip's config files; PIP_PYTHON would re-run pip elsewhere.
    env: { PIP_USER: '0', PIP_PYTHON: undefined },
    cause: `${interpreter.python} is externally managed (PEP 668)${how.notPipx ? ` and ${how.notPipx}` : ''}`,
    notes: userNote(facts),
    packages: namedPackages(facts, dropped),
    keptApps: how.keptApps ?? [],
    use: venvUse(facts),
    activate: activateCommand(facts),
    ...(venv.origin === 'project' && facts.scripts?.commandDir
      ? { commandDir: facts.scripts.commandDir }
      : {}),
  };
}

// Whether pip-guard's venv stands in for the system's environment for this command.
export function routes(facts: Facts): boolean {
  const { line, venv, interpreter, settings, config } = facts;
  if (!config.venvRoute.value || ['block', 'break', 'off'].includes(config.policy.value)) return false;
  if (!line.command || !ROUTED.has(line.command) || 'problem' in settings) return false;
  if (!interpreter || interpreter.venv || !interpreter.externallyManaged) return false;
  if (venv.state.kind !== 'valid' || PLACED.some((dest) => isSet(settings, dest))) return false;
  if (line.command !== 'uninstall' && versionMismatch(facts)) return false;
  // Root never runs the pip of a venv somebody else owns: it is their code.
  if (rootInOthers(facts.uid, venv.owner)) return false;
  return line.command !== 'uninstall' || facts.verdict.refuses === true;
}

// A read-only command (or an uninstall pip would refuse) run in the pip-guard venv. An uninstall
// leaves out the names only the system has (policy/system-only.ts), and ends with that paragraph.
export function routeToVenv(facts: Facts, dropped: number[] = []): VenvPlan | FailPlan {
  const { venv } = facts;
  const python = facts.interpreter?.python ?? facts.realPip;
  const mismatch = versionMismatch(facts);
  if (mismatch) return mismatch;
  const systemOnly = facts.line.command === 'uninstall' ? systemOnlyOf(facts, dropped) : [];
  const paragraph = systemOnly.length > 0 ? systemOnlyMessage(venv.path, python, systemOnly) : undefined;
  const droppedArgs = [...dropped, ...systemOnly.map((found) => found.argIndex)];
  const rest = facts.line.argIndexes.some((i) => !droppedArgs.includes(i)) || hasRequirementOptions(facts);
  if (paragraph && !rest) {
    return {
      kind: 'fail',
      reason: `${systemOnly.map((f) => f.name).join(', ')}: only the system has them`,
      exitCode: 1,
      message: paragraph,
    };
  }
  return {
    kind: 'venv',
    purpose: 'route',
    reason: `${python} is externally managed and ${venv.path} is where pip-guard installs (venv.route: ${facts.config.venvRoute.from})`,
    venv,
    python,
    version: venv.state.kind === 'valid' ? venv.state.version : undefined,
    pip: venvPip(facts, false),
    ...venvArgv(facts, droppedArgs),
    droppedArgs,
    requirementFiles: hasRequirementOptions(facts),
    env: { PIP_PYTHON: undefined },
    cause: `${python} is externally managed`,
    notes: [],
    packages: namedPackages(facts, droppedArgs),
    keptApps: [],
    use: 'active',
    activate: activateCommand(facts),
    ...(paragraph ? { systemOnly: paragraph } : {}),
  };
}
