// The one line pip-guard adds after pip's (or pipx's) output. It says what happened, as the run
// ended (installed, failed with exit N, interrupted), never what was planned, and how to use it.
// Pure: the runner passes in how each step ended.
import { join } from 'node:path';
import { type Outcome, succeeded } from '../base/process.js';
import type { VenvTarget } from '../facts/project.js';
import type { VenvPlan } from '../plan.js';
import type { DistChanges } from './venv-changes.js';

// A command to paste into a shell, whatever the path holds (a space, say).
// How to use the venv from here (see policy/venv.ts's venvUse): nothing to say where it is active
// in the user's shell already.
const useAdvice = (plan: VenvPlan, run: VenvRun): string[] => {
  if (plan.use === 'active') return [];
  if (plan.use === 'shims')
    return [run.shimmed.length > 0 ? '`python3` and its commands here use it' : '`python3` here uses it'];
  if (plan.use === 'next-prompt') return ['it is active in this shell from the next prompt'];
  return [`use it with \`pip-guard run python3 …\` or \`${plan.activate}\``];
};

const list = (words: readonly string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

// The venv as the notice names it, with its Python where known.
function describe(venv: VenvTarget, created: boolean, version?: string): string {
  const python = version ? ` (Python ${version})` : '';
  if (venv.origin === 'active')
    return `the active ${venv.conda ? 'conda environment' : 'venv'} ${venv.path}${python}`;
  if (venv.origin === 'default')
    return `pip-guard's default venv ${venv.path} (${version ? `Python ${version}, ` : ''}no project here)`;
  return `${created ? 'a new venv, ' : ''}${venv.path}${python}`;
}

const managed = (python: string, because?: string) =>
  `${python} is externally managed (PEP 668)${because ? ` and ${because}` : ''}`;

// How a step ended: its child's outcome, and the signal pip-guard received meanwhile, if any.
export interface Ended {
  outcome: Outcome;
  interrupted?: NodeJS.Signals;
}

const succeededEnd = (ended: Ended) => succeeded(ended.outcome);

// "failed with exit code 1", "was interrupted (SIGINT)", "was stopped by SIGKILL".
function howItFailed(ended: Ended): string {
  const { outcome, interrupted } = ended;
  if (interrupted) return `was interrupted (${interrupted})`;
  return 'signal' in outcome ? `was stopped by ${outcome.signal}` : `failed with exit code ${outcome.code}`;
}

// What a venv step did, as seen after it: its effects, beyond how it ended.
export interface VenvRun extends Ended {
  created: boolean;
  // The venv this call made, removed again after a failed or interrupted install.
  removed: boolean;
  // The distributions the run added, removed or installed anew there ("demo 1.1").
  changes: DistChanges;
  // The packages named that were there before and that the run left as they were.
  already: string[];
  // A dry run: what pip's report says it would install, where it was asked for one.
  wouldInstall?: string[];
  // Command-line apps the install put into the venv, of the packages named.
  apps: { name: string; commands: string[] }[];
  // The venv's commands that have a shim now (run/command-shims.ts): they run by name.
  shimmed: string[];
}

// For the apps an install put into the venv: how to run them, and how pipx would put them on PATH.
// Where the venv is active in the user's shell (or will be at the next prompt), by their names.
function venvAppsNote(plan: VenvPlan, run: VenvRun): string[] {
  const byName = (command: string) =>
    plan.use === 'active' || plan.use === 'next-prompt' || run.shimmed.includes(command);
  return run.apps.map(({ name, commands }) => {
    const paths = commands.map((command) =>
      byName(command) ? command : join(plan.venv.path, 'bin', command),
    );
    return `${name}'s ${commands.length === 1 ? 'command is' : 'commands are'} in the venv: run ${list(paths)}, or \`pipx install ${name}\` to have ${commands.length === 1 ? 'it' : 'them'} on PATH apart from this project`;
  });
}

// For apps that auto kept in the venv because the command also named libraries.
function appsNote(apps: readonly string[]): string {
  const commands = apps.map((app) => `\`pipx install ${app}\``).join(', ');
  return `${list(apps)} ${apps.length === 1 ? 'is a command-line app' : 'are command-line apps'}: ${commands} would put ${apps.length === 1 ? 'it' : 'them'} on PATH apart from this project`;
}

const REMOVED = 'pip-guard removed the venv it had made for this install, which held nothing of yours';

// A dry run: nothing changed, and what pip would install, where its report says.
function dryRunNotice(plan: VenvPlan, run: VenvRun): string {
  const failed = succeededEnd(run) ? '' : `; pip ${howItFailed(run)}`;
  const would = run.wouldInstall;
  const what =
    would === undefined
      ? ''
      : would.length === 0
        ? ': nothing to install'
        : `: it would install ${list(would)}`;
  if (plan.dryRun === 'instead')
    return `${plan.cause}: this was a dry run, so pip-guard made nothing; a real install would go into ${describe(plan.venv, true, plan.version)}${what}${failed}`;
  return `${plan.cause}, so pip's dry run ran in ${describe(plan.venv, false, plan.version)}${what}, and changed nothing${failed}`;
}

// An install that changed nothing: what the command named was there already.
function unchangedNotice(plan: VenvPlan, run: VenvRun): string {
  const where = describe(plan.venv, false, plan.version);
  const there =
    run.already.length > 0
      ? `${list(run.already)} ${run.already.length === 1 ? 'was' : 'were'} there already`
      : plan.requirementFiles
        ? 'what it asked for was there already'
        : 'nothing was installed';
  return `${plan.cause}, so pip ran in ${where}: ${there}, and nothing changed`;
}

function installNotice(plan: VenvPlan, run: VenvRun): string {
  const where = describe(plan.venv, run.created);
  if (plan.dryRun) return dryRunNotice(plan, run);
  if (!succeededEnd(run)) {
    return `${plan.cause}, so pip ran in ${where}, and ${howItFailed(run)}${run.removed ? `; ${REMOVED}` : ''}`;
  }
  const changed = run.changes.added.length + run.changes.reinstalled.length > 0;
  if (!changed && !run.created) return unchangedNotice(plan, run);
  // Apps kept here that this install did not add (already there): the pipx command alone.
  const added = new Set(run.apps.map((app) => app.name));
  const kept = plan.keptApps.filter((app) => !added.has(app));
  const advice = [
    ...useAdvice(plan, run),
    ...plan.notes,
    ...(kept.length > 0 ? [appsNote(kept)] : []),
    ...venvAppsNote(plan, run),
  ];
  const into = describe(plan.venv, run.created, plan.version);
  return `${plan.cause}, so pip installed into ${into}${advice.length > 0 ? `; ${advice.join('; ')}` : ''}`;
}

const routedTo = (plan: VenvPlan) =>
  plan.venv.origin === 'project' ? `${plan.venv.path}, this project's venv` : describe(plan.venv, false);

// A read-only command's notice before and after the command's name (the pip shim prints it from
// its record, run/shim-records.ts).
export const routeNoticeParts = (plan: VenvPlan, name: string): [string, string] => [
  `this is ${routedTo(plan)} (${plan.cause}); PIP_GUARD_POLICY=off ${name} `,
  " shows the system's packages",
];

// After a command pip-guard ran in its venv instead of the system's environment. A list or show
// that fails still ran there (pip says why); an uninstall says how it ended, as installs do.
function routeNotice(plan: VenvPlan, name: string, command: string, run: VenvRun): string {
  const which = routedTo(plan);
  if (command !== 'uninstall') return routeNoticeParts(plan, name).join(command);
  const ended = succeededEnd(run) ? '' : `, and ${howItFailed(run)}`;
  return `pip uninstall ran in ${which} (${plan.cause})${ended}; the system's own packages are its package manager's to remove`;
}

export const venvNotice = (plan: VenvPlan, name: string, command: string, run: VenvRun) =>
  plan.purpose === 'route' ? routeNotice(plan, name, command, run) : installNotice(plan, run);

// A forward plan's notice, with how the run ended when it did not succeed.
export const forwardNotice = (notice: string, ended: Ended) =>
  succeededEnd(ended) ? notice : `${notice}; pip ${howItFailed(ended)}`;

interface PipxSummary extends Ended {
  python: string;
  // What pipx installed or upgraded, with its commands and those pipx could not link
  // because a file that is not pipx's is in the way; `already`: pipx had it, and left it.
  apps: { name: string; commands: readonly string[]; unlinked: readonly string[]; already?: boolean }[];
  binDir: string;
  binDirOnPath: boolean;
  binDirNextPrompt: boolean;
  // The package whose pipx call failed or was interrupted.
  failed?: string;
  // Packages pipx refused for having no commands, and how pip did with them in the venv.
  libraries: string[];
  venv?: { plan: VenvPlan; run: VenvRun };
}

function pipxAppsPart(s: PipxSummary): string[] {
  const part = (apps: PipxSummary['apps'], what: string) => {
    if (apps.length === 0) return [];
    const commands = apps.flatMap((app) => app.commands.filter((c) => !app.unlinked.includes(c)));
    const where =
      commands.length > 0 ? `: run ${list(commands)} (linked in ${s.binDir})` : ` (commands in ${s.binDir})`;
    return [`${list(apps.map((app) => app.name))} ${what}${where}`];
  };
  const already = s.apps.filter((app) => app.already);
  return [
    ...part(
      s.apps.filter((app) => !app.already),
      'went to pipx',
    ),
    ...part(already, `${already.length === 1 ? 'was' : 'were'} in pipx already, and pipx changed nothing`),
  ];
}

function pipxLibrariesPart(s: PipxSummary): string[] {
  if (!s.venv || s.libraries.length === 0) return [];
  const { plan, run } = s.venv;
  const what = `${list(s.libraries)} ${s.libraries.length === 1 ? 'has' : 'have'} no commands, so pip`;
  const where = describe(plan.venv, run.created);
  if (!succeededEnd(run))
    return [`${what} ran in ${where}, and ${howItFailed(run)}${run.removed ? `; ${REMOVED}` : ''}`];
  const them = s.libraries.length === 1 ? 'it' : 'them';
  return [`${what} installed ${them} into ${where} (\`${plan.activate}\`)`];
}

export function pipxNotice(s: PipxSummary): string {
  const parts = [...pipxAppsPart(s), ...pipxLibrariesPart(s)];
  if (s.failed) parts.push(`pip-guard ran \`pipx install ${s.failed}\`, which ${howItFailed(s)}`);
  const unlinked = s.apps.flatMap((app) => app.unlinked);
  if (unlinked.length > 0) {
    parts.push(
      `pipx did not link ${list(unlinked.map((c) => `${c}: ${join(s.binDir, c)} is not pipx's`))} ` +
        '(move it away and run `pipx install --force` again)',
    );
  }
  return `${managed(s.python)}, so ${parts.join(', and ')}${pathPart(s)}`;
}

// Whether the apps' commands run from the user's shell: its PATH has pipx's bin directory, or its
// prompt hook adds it at the next prompt, or neither (then by their path, until pipx ensurepath).
function pathPart(s: PipxSummary): string {
  const linked = s.apps.flatMap((app) => app.commands.filter((c) => !app.unlinked.includes(c)));
  if (s.apps.length === 0 || s.binDirOnPath) return '';
  if (s.binDirNextPrompt) return `; ${s.binDir} is on this shell's PATH from the next prompt`;
  const byPath = linked.length > 0 ? ` (until then: ${join(s.binDir, linked[0] as string)})` : '';
  return `; ${s.binDir} is not on PATH yet: run \`pipx ensurepath\` and open a new shell${byPath}`;
}

export function pipxUninstallNotice(
  names: readonly string[],
  failed: (Ended & { name: string }) | undefined,
  rest: string | undefined,
): string {
  const parts: string[] = [];
  if (names.length > 0)
    parts.push(
      `${list([...names])} ${names.length === 1 ? 'is' : 'are'} pipx's, so pipx uninstalled ${names.length === 1 ? 'it' : 'them'}`,
    );
  if (failed)
    parts.push(`${failed.name} is pipx's, and \`pipx uninstall ${failed.name}\` ${howItFailed(failed)}`);
  if (rest) parts.push(rest);
  return parts.join('; ');
}
