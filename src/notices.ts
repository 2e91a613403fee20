// The one line pip-guard adds after pip's (or pipx's) output, saying what happened and how to
// use it. Pure: the plan carries the text, or the runner fills in what only the run can tell.
import { join } from 'node:path';
import type { VenvTarget } from './project.js';

const activateHint = (venv: string) => `source ${join(venv, 'bin', 'activate')}`;

function describe(venv: VenvTarget, created: boolean): string {
  if (venv.origin === 'active') return `the active venv ${venv.path}`;
  if (venv.origin === 'default') return `pip-guard's default venv ${venv.path} (no project here)`;
  return `${created ? 'a new venv, ' : ''}${venv.path}`;
}

const managed = (python: string, because?: string) =>
  `${python} is externally managed (PEP 668)${because ? ` and ${because}` : ''}`;

// After an install pip-guard ran in a venv instead; `because` says why not pipx, when it was
// asked for; `note` adds advice (the pipx command for apps that went along to the venv).
export function installNotice(
  python: string,
  venv: VenvTarget,
  created: boolean,
  because?: string,
  note?: string,
): string {
  const use = `use it with \`${activateHint(venv.path)}\``;
  return `${managed(python, because)}, so pip installed into ${describe(venv, created)}; ${use}${note ? `; ${note}` : ''}`;
}

// For apps that auto kept in the venv because the command also named libraries.
export function appsNote(apps: readonly string[]): string {
  const commands = apps.map((app) => `\`pipx install ${app}\``).join(', ');
  return `${list(apps)} ${apps.length === 1 ? 'is a command-line app' : 'are command-line apps'}: ${commands} would put ${apps.length === 1 ? 'it' : 'them'} on PATH apart from this project`;
}

// After pip-guard added --break-system-packages, as the config allowed.
export function breakNotice(python: string, from: string): string {
  return `policy break (${from}): pip ran with --break-system-packages, on ${python}'s own environment`;
}

// After a command pip-guard ran in its venv instead of the system's environment.
export function routeNotice(name: string, command: string, venv: VenvTarget, python: string): string {
  const which = venv.origin === 'project' ? `${venv.path}, this project's venv` : describe(venv, false);
  const why = `(${python} is externally managed)`;
  return command === 'uninstall'
    ? `pip uninstall ran in ${which} ${why}; the system's own packages are its package manager's to remove`
    : `this is ${which} ${why}; PIP_GUARD_POLICY=off ${name} ${command} shows the system's packages`;
}

interface PipxSummary {
  python: string;
  // What pipx installed or upgraded, with its commands and those pipx could not link
  // because a file that is not pipx's is in the way.
  apps: { name: string; commands: readonly string[]; unlinked: readonly string[] }[];
  binDir: string;
  binDirOnPath: boolean;
  // Packages pipx refused for having no commands, and where pip put them instead.
  libraries: string[];
  venv?: { target: VenvTarget; created: boolean };
}

const list = (words: readonly string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

export function pipxNotice(s: PipxSummary): string {
  const parts: string[] = [];
  if (s.apps.length > 0) {
    const commands = s.apps.flatMap((app) => app.commands.filter((c) => !app.unlinked.includes(c)));
    const where =
      commands.length > 0 ? `: run ${list(commands)} (linked in ${s.binDir})` : ` (commands in ${s.binDir})`;
    parts.push(`${list(s.apps.map((app) => app.name))} went to pipx${where}`);
  }
  if (s.venv && s.libraries.length > 0) {
    const them = s.libraries.length === 1 ? 'it' : 'them';
    parts.push(
      `${list(s.libraries)} ${s.libraries.length === 1 ? 'has' : 'have'} no commands, so pip installed ${them} ` +
        `into ${describe(s.venv.target, s.venv.created)} (\`${activateHint(s.venv.target.path)}\`)`,
    );
  }
  const unlinked = s.apps.flatMap((app) => app.unlinked);
  if (unlinked.length > 0) {
    parts.push(
      `pipx did not link ${list(unlinked.map((c) => `${c}: ${join(s.binDir, c)} is not pipx's`))} ` +
        '(move it away and run `pipx install --force` again)',
    );
  }
  const path =
    s.apps.length > 0 && !s.binDirOnPath
      ? `; ${s.binDir} is not on PATH yet: run \`pipx ensurepath\` and open a new shell`
      : '';
  return `${managed(s.python)}, so ${parts.join(', and ')}${path}`;
}

export function pipxUninstallNotice(names: readonly string[], rest: string | undefined): string {
  return `${list([...names])} ${names.length === 1 ? 'is' : 'are'} pipx's, so pipx uninstalled ${names.length === 1 ? 'it' : 'them'}${rest ? `; ${rest}` : ''}`;
}
