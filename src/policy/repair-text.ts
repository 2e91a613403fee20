// `pip-guard repair` in words: the plan for each package (what it is, where it goes, what is
// removed, what stays and why), and the last line, from what happened. Pure.
import { isAbsolute, relative } from 'node:path';
import type { PackagePlan, RemovalAs } from './repair.js';

// The files a package's RECORD lists, shortly: its top-level entries in the site directory (with
// how many files each), and the others by path.
export function filesInWords(files: readonly string[], siteDir: string): string {
  const counts = new Map<string, number>();
  for (const file of files) {
    const rel = relative(siteDir, file);
    const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    const parts = rel.split('/');
    const key = !inside ? file : parts.length > 1 ? `${parts[0]}/` : rel;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const entries = [...counts].map(([key, n]) =>
    key.endsWith('/') ? `${key} (${n} file${n > 1 ? 's' : ''})` : key,
  );
  return entries.join(', ');
}

const KIND = {
  app: (commands: readonly string[]) => `an app${commands.length > 0 ? ` (${commands.join(', ')})` : ''}`,
  library: () => 'a library',
  pip: () => 'pip itself',
};

function asWords(removal: RemovalAs | undefined): string {
  if (removal?.as !== 'owner') return '';
  return removal.via === 'sudo'
    ? ` as ${removal.user}, with sudo (pip-guard asks first)`
    : ` as ${removal.user}, who owns that directory`;
}

function goes(p: PackagePlan): string {
  const withIt = p.with.length > 0 ? `, with ${p.with.join(', ')}` : '';
  const had = p.had
    ? ` (it has ${p.name} ${p.had} already: nothing is installed, and the system's copy is removed)`
    : '';
  switch (p.action) {
    case 'pipx': {
      const sees = p.systemSite
        ? "; its venv sees the distribution's packages, for what only they provide"
        : '';
      return `goes to pipx, from a wheel rebuilt from its files${withIt}${had}${sees}`;
    }
    case 'venv':
      return `goes to the venv ${p.venv}, from a wheel rebuilt from its files${withIt}${had}`;
    case 'along':
      return `goes with ${p.along.join(' and ')}, which ${p.along.length > 1 ? 'need' : 'needs'} it`;
    case 'distribution':
      return "gives way: once it is gone, the distribution's own pip is the one that runs";
    default:
      return '';
  }
}

// The lines of one package's plan.
export function packageWords(p: PackagePlan, commands: readonly string[] = []): string[] {
  const head = `${p.name} ${p.version}, ${KIND[p.kind](commands)}, in ${p.siteDir}`;
  if (p.action === 'stay') return [head, `  stays: ${p.reason ?? 'pip-guard cannot move it'}`];
  return [
    head,
    `  ${goes(p)}`,
    `  removed${asWords(p.removal)}: ${filesInWords(p.removes, p.siteDir)} (the files its RECORD lists, none of them the distribution's)`,
  ];
}

export interface PlanView {
  packages: readonly PackagePlan[];
  // Python → its version, in the order scanned.
  pythons: readonly { python: string; version: string }[];
  commands: (p: PackagePlan) => readonly string[];
}

// The whole plan, by Python.
export function planWords(view: PlanView): string[] {
  const lines: string[] = [];
  for (const { python, version } of view.pythons) {
    const mine = view.packages.filter((p) => p.python === python);
    if (mine.length === 0) continue;
    lines.push(`What pip put into ${python} (Python ${version}):`);
    for (const p of mine) lines.push(...packageWords(p, view.commands(p)).map((line) => `  ${line}`));
    lines.push('');
  }
  return lines;
}

const names = (ps: readonly PackagePlan[]) => ps.map((p) => `${p.name} ${p.version}`).join(', ');

export interface Outcome {
  bundle: string;
  moved: readonly PackagePlan[];
  stayed: readonly PackagePlan[];
  // Planned to move, and not moved: the step that failed, or the signal that stopped it.
  notMoved: readonly PackagePlan[];
  failed?: string;
  interrupted?: string;
}

// The last line of `repair --yes`, from what happened.
export function outcomeLine(o: Outcome): string {
  const undo = `\`pip-guard repair --restore ${o.bundle}\` undoes it`;
  const moved =
    o.moved.length > 0
      ? `moved ${names(o.moved)} to ${o.moved.length > 1 ? 'their homes' : 'its home'} and off the system`
      : 'moved nothing';
  const stayed =
    o.stayed.length > 0
      ? `; ${names(o.stayed)} stay${o.stayed.length > 1 ? '' : 's'} in place, as said above`
      : '';
  if (o.failed || o.interrupted) {
    const why = o.failed ? `stopped, because a step failed (above)` : `was interrupted (${o.interrupted})`;
    return (
      `pip-guard repair ${why}: it ${moved}, and ${names(o.notMoved)} ${o.notMoved.length > 1 ? 'are' : 'is'} still in place${stayed}; ` +
      `\`pip-guard repair --yes\` picks up from the bundle ${o.bundle}, and ${undo}`
    );
  }
  return `pip-guard repair ${moved}${stayed}; ${undo}`;
}

export interface StandingView {
  name: string;
  version: string;
  inPlace: boolean;
  home: boolean;
  // Whether the repair takes it off the system (else it only goes along into a home).
  leaves: boolean;
  to: string;
}

// Where each package of a stopped repair stands.
export function standingWords(dir: string, packages: readonly StandingView[]): string[] {
  const state = (p: StandingView) => {
    if (p.home && !p.inPlace) return `in its home (${p.to}), and off the system`;
    if (p.home && p.leaves) return `in its home (${p.to}); still on the system, to be removed`;
    if (p.home) return `in its home (${p.to}), and it stays on the system`;
    if (p.inPlace) return `still in place; goes to ${p.to}`;
    return `neither in place nor in its home: \`pip-guard repair --restore ${dir}\` puts it back`;
  };
  return [
    `A repair was stopped before it finished; its bundle is ${dir}:`,
    ...packages.map((p) => `  ${p.name} ${p.version}: ${state(p)}`),
  ];
}

export interface RestoreView {
  dir: string;
  restored: readonly string[];
  inPlace: readonly string[];
  undone: readonly string[];
  problems: readonly string[];
}

export function restoreWords(v: RestoreView): string[] {
  const lines = [];
  if (v.restored.length > 0) lines.push(`put back where pip had installed them: ${v.restored.join(', ')}`);
  if (v.inPlace.length > 0) lines.push(`in place already: ${v.inPlace.join(', ')}`);
  if (v.undone.length > 0)
    lines.push(`taken back out of the homes the repair gave them: ${v.undone.join(', ')}`);
  for (const problem of v.problems) lines.push(`could not take back: ${problem}`);
  const what =
    v.restored.length > 0
      ? `put back ${v.restored.length} package${v.restored.length > 1 ? 's' : ''}`
      : 'had nothing to put back';
  const homes = v.problems.length > 0 ? ', and some homes could not be undone (above)' : '';
  lines.push(`pip-guard repair --restore ${what} from ${v.dir}${homes}`);
  return lines;
}
