// The seam between deciding and doing: facts gathered once, and the plain-data Plan that
// policy/ derives from them, every decision in it. `pip-guard explain` prints it; run/runner.ts
// carries it out.
import type { EffectiveConfig } from './config/merge.js';
import type { Interpreter, Verdict } from './facts/pep668.js';
import type { Pips } from './facts/pip-version.js';
import type { PipxFacts } from './facts/pipx-installed.js';
import type { VenvTarget } from './facts/project.js';
import type { ScriptShims } from './facts/script-shims.js';
import type { Seeds } from './facts/seed-wheels.js';
import type { SystemOnly } from './facts/system-only.js';
import type { PipCommandLine } from './pip-cli/parse.js';
import type { Settings } from './pip-cli/settings.js';
import type { PipxCall } from './policy/pipx-translate.js';

export interface Facts {
  // The name the shim was called by (pip, pip3, pip3.11) and the real program it stands for;
  // for `python3 -m pip` (see commands/init.ts), the interpreter's name and path, and realPipArgs
  // ['-m', 'pip'] (else []): the words between the program and pip's own arguments.
  name: string;
  realPip: string;
  realPipArgs: readonly string[];
  // The working directory pip runs in.
  cwd: string;
  line: PipCommandLine;
  // pip's effective options (argv over PIP_* over pip's config files), or why they are unknown.
  settings: Settings | { problem: string };
  verdict: Verdict;
  interpreter?: Interpreter;
  venv: VenvTarget;
  // The real pip's pip and the venv's own (pip-version.ts), where pip-guard found them.
  pips?: Pips;
  // What a new venv of the interpreter is seeded from (seed-wheels.ts), when there is anything.
  seeds?: Seeds;
  // Which of the names pip may be run by (as typed, and `pip`) the venv's bin/ has.
  venvPips: string[];
  // Only where a plan could use pipx (see facts/gather.ts).
  pipx?: PipxFacts;
  // For an uninstall pip would refuse: the names only the system's environment has.
  systemOnly?: SystemOnly[];
  // pip refused behind a wrapper pip-guard could not read (guard.ts): the Python that refused,
  // to remember for the place (run/interpreter-cache.ts).
  refusal?: { wrapper: string; place: string; python: string };
  config: EffectiveConfig;
  // Whether a person can be asked (stdin and stderr are terminals), for policy prompt.
  interactive: boolean;
  // Who runs pip (0: root, as under sudo), where the platform says; as root, the name of the
  // user who owns the venv's place, when it is not root.
  uid?: number;
  venvOwnerName?: string;
  // What to do when the policy wants pipx and there is none: fall back to the venv, or stop.
  pipxMissing: 'venv' | 'error';
  // The shell pip was typed in, where it evaluated `pip-guard init` (shell-functions.ts): whether
  // its prompt hook runs (and keeps the default venv active outside projects); what the hook sees
  // from that shell's PWD: a project, and its root (resolved, to compare with the venv's), or
  // none; and whether the user typed `deactivate` there (the hook's _PIP_GUARD_OFF).
  shell?: { hook: boolean; defaultVenv: boolean; inProject: boolean; root?: string; off?: boolean };
  // The name of the user's shell ($SHELL), for the commands notices give.
  shellName?: string;
  // What pip-guard's shims do for a script on this PATH (facts/script-shims.ts).
  scripts?: ScriptShims;
  // Whether the venv is active in that shell by pip-guard's own activation (the hook's, or
  // `pip-guard activate`).
  activated: boolean;
}

// pip run as root (sudo pip) where the venv, or the directory it would be made in, belongs to
// another user: their venv, their code, which root must neither make nor run.
export const rootInOthers = (uid: number | undefined, owner: number | undefined) =>
  uid === 0 && owner !== undefined && owner !== 0;

// What the user typed before pip's arguments (`pip3`, `python3 -m pip`), for messages.
export const typedPip = (facts: Pick<Facts, 'name' | 'realPipArgs'>) =>
  [facts.name, ...facts.realPipArgs].join(' ');

// The real pip's command line for pip's arguments ARGV.
export const realPipCommand = (facts: Pick<Facts, 'realPip' | 'realPipArgs'>, argv: readonly string[]) => [
  facts.realPip,
  ...facts.realPipArgs,
  ...argv,
];

// Changes to the environment of the command a plan runs (undefined removes a variable).
export type EnvChanges = Readonly<Record<string, string | undefined>>;

// How a venv still to be made is made (run/venv.ts): `python -m venv` as `argv` says, then seeded
// from `seeds` when there are any (--without-pip), else by ensurepip.
export interface VenvMaking {
  argv: string[];
  // The venv's Python version, major.minor.
  version: string;
  seeds?: Seeds;
}

// How pip runs in the venv: `command` then the plan's argv. `real`: the real pip, with --python
// (a venv without pip of its own, or one whose pip is older than the real one: `older`).
export interface VenvPip {
  command: string[];
  real: boolean;
  older?: { own: string; real: string };
}

// Run pip in a venv (made first when `make` says how), with argv rewritten for it.
export interface VenvPlan {
  kind: 'venv';
  // install: an install pip would refuse, run here instead; route: a command that shows or
  // removes what pip-guard installed, run where pip-guard installs.
  purpose: 'install' | 'route';
  reason: string;
  venv: VenvTarget;
  make?: VenvMaking;
  // A dry run (--dry-run): 'instead', for a venv still to be made, makes nothing and runs the real
  // pip against an empty temporary --target (DRY_RUN_TARGET in argv, filled in when it runs), to
  // show what the venv would get; 'here' runs in the venv, which it does not change. `report`:
  // argv asks pip for a report of what it would install (--report DRY_RUN_REPORT, pip >= 22.2),
  // which the notice names.
  dryRun?: 'instead' | 'here';
  report?: boolean;
  // The interpreter that creates the venv: the one the real pip runs on.
  python: string;
  // The venv's Python version (major.minor), when known.
  version?: string;
  pip: VenvPip;
  argv: string[];
  // Each word of argv's position in pip's command line (-1: added by pip-guard), so that what
  // other steps took care of when it ran can be left out (withoutArgs).
  from: number[];
  // Positions in pip's argv of the requirements this plan leaves to others.
  droppedArgs: number[];
  // Requirement files and the like, besides the packages named (their packages are unknown).
  requirementFiles: boolean;
  env: EnvChanges;
  // For the notice: why pip runs here ("/usr/bin/python3 is externally managed (PEP 668)"),
  // advice for after a success, the packages named (normalised), whose commands it shows, and
  // those auto would have given to pipx had the command not named libraries too.
  cause: string;
  notes: string[];
  packages: string[];
  keptApps: string[];
  // How the user gets at the venv afterwards (policy/venv.ts's venvUse), and the command that
  // activates it in their shell with pip-guard's policy kept.
  use: 'active' | 'shims' | 'next-prompt' | 'run';
  activate: string;
  // With use 'shims': the shim directory where the venv's commands get their shims (run/
  // command-shims.ts), when this user may write it.
  commandDir?: string;
  // An uninstall that left out names only the system has: the paragraph that says so, after
  // which the step ends with exit 1 (policy/system-only.ts).
  systemOnly?: string;
}

// Run pipx once per package, for a pip install or uninstall.
export interface PipxPlan {
  kind: 'pipx';
  command: 'install' | 'uninstall';
  reason: string;
  pipx: string;
  python: string;
  calls: PipxCall[];
  // install: where the packages pipx refuses for having no commands go instead.
  noCommands?: VenvPlan | FailPlan;
  // uninstall: what runs for the names pipx does not manage.
  others?: VenvPlan | ForwardPlan | FailPlan;
  binDir: string;
  binDirOnPath: boolean;
  // Not on PATH yet, and the calling shell's prompt hook puts it there at the next prompt.
  binDirNextPrompt: boolean;
  // For an uninstall without -y: ask first, as pip does (noInput: pip's --no-input, which
  // forbids asking).
  confirm?: { noInput: boolean };
}

// Run the real pip as typed (or with `argv`, for some of the packages).
export interface ForwardPlan {
  kind: 'forward';
  reason: string;
  argv?: string[];
  notice?: string;
}

// Stop with a message and exit code, running nothing.
export interface FailPlan {
  kind: 'fail';
  reason: string;
  message: string;
  exitCode: number;
}

// Ask the person at the terminal which of these plans to carry out.
export interface PromptPlan {
  kind: 'prompt';
  reason: string;
  question: string;
  choices: { value: string; label: string; plan: Plan }[];
  initial: string;
}

// Several plans, each for some of the packages (per-package policies), one after the other.
interface SequencePlan {
  kind: 'sequence';
  reason: string;
  steps: Plan[];
}

// Run the real pip as typed; only if it refuses under PEP 668, the fallback, decided beside it
// knowing that it refuses. Without one (pip-guard cannot tell which Python pip runs behind a
// wrapper), the Python that refused is a fact only the refusal gives: guard.ts asks for it, and
// decides once more.
export interface AttemptPlan {
  kind: 'attempt';
  reason: string;
  fallback?: Plan;
}

// What decide() makes of a command: a plan to carry out, or first an attempt.
export type Decision = Plan | AttemptPlan;

export type Plan = ForwardPlan | VenvPlan | PipxPlan | PromptPlan | SequencePlan | FailPlan;

// Where a dry run's empty --target and its report go in the plan's argv (the runner makes them,
// and fills them in).
export const DRY_RUN_TARGET = 'TEMPORARY-DIR';
export const DRY_RUN_REPORT = 'REPORT-FILE';

// pip's argv for a venv plan without the requirements at `argIndexes` (taken care of meanwhile).
export const withoutArgs = (plan: VenvPlan, argIndexes: readonly number[]) =>
  plan.argv.filter((_, i) => !argIndexes.includes(plan.from[i] as number));

// The venvs a plan may run pip in, in any of its steps, fallbacks or choices.
export function planVenvs(plan: Decision): VenvTarget[] {
  switch (plan.kind) {
    case 'venv':
      return [plan.venv];
    case 'attempt':
      return plan.fallback ? planVenvs(plan.fallback) : [];
    case 'pipx':
      return [plan.noCommands, plan.others].flatMap((rest) => (rest ? planVenvs(rest) : []));
    case 'sequence':
      return plan.steps.flatMap(planVenvs);
    case 'prompt':
      return plan.choices.flatMap((choice) => planVenvs(choice.plan));
    default:
      return [];
  }
}
