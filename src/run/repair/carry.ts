// Carrying a repair out, home by home, from its bundle (a new one, or one a stopped repair left):
// each home is made first (unless it is there already), then the packages that no longer need
// to stay are removed; so that whenever it stops (a failure, Ctrl-C, kill -9), every package is
// in its old place or in its new home, and the journal says what was started. Each step, once
// started, finishes (shielded); Ctrl-C stops the repair after it.
import { existsSync } from 'node:fs';
import type { Env } from '../../base/env.js';
import { say } from '../../base/errors.js';
import { capture } from '../../base/process.js';
import { interruption } from '../../base/signals.js';
import type { BundledPackage, BundledUnit, JournalEvent, Manifest } from '../../facts/repair-bundles.js';
import { normalizeName } from '../../pip-cli/requirement.js';
import type { RemovalAs } from '../../policy/repair.js';
import { isAlive } from '../lock.js';
import { journal } from './bundle.js';
import { type HomeContext, homeDone, installHome, linkApp, venvHas } from './homes.js';
import { removePackages } from './removal.js';

export interface Carried {
  // Ids (their .dist-info) now in their homes, and those taken off the system.
  homed: string[];
  removed: string[];
  // Commands pip-guard linked for pipx where the system's copy had been in the way.
  linked: string[];
  failed?: { ids: string[]; problem: string };
  interrupted?: NodeJS.Signals;
}

// A step that a killed pip-guard started may still be running (it was not tied to it): wait for it.
export async function waitForStopped(events: readonly JournalEvent[]): Promise<void> {
  const pids = events.flatMap((e) => ('pid' in e && e.pid ? [e.pid] : []));
  const running = [...new Set(pids)].filter(isAlive);
  if (running.length === 0) return;
  say(
    `waiting for ${running.map((pid) => `pid ${pid}`).join(', ')}, which the stopped repair started, to finish`,
  );
  while (running.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 200));
}

// What this unit would install into a venv that lacks it (all of it into pipx).
function installing(unit: BundledUnit, ctx: HomeContext): string[] {
  if (unit.to !== 'venv') return unit.to === 'pipx' ? [unit.lead] : [];
  const version = ctx.makers[unit.python]?.version ?? '';
  const has = existsSync(unit.venv as string) ? venvHas(unit.venv as string, version) : new Map();
  return unit.install.filter((id) => !has.has(normalizeName((ctx.packages.get(id) as BundledPackage).name)));
}

const label = (p: BundledPackage) => `${p.name} ${p.version}`;

function homeWords(unit: BundledUnit, ctx: HomeContext): string {
  const lead = ctx.packages.get(unit.lead) as BundledPackage;
  const others = unit.install.slice(1).map((id) => label(ctx.packages.get(id) as BundledPackage));
  const withIt = others.length > 0 ? `, with ${others.join(', ')}` : '';
  return unit.to === 'pipx'
    ? `${label(lead)} is in pipx now${withIt}`
    : `${label(lead)} is in ${unit.venv} now${withIt}`;
}

export interface CarryInput {
  dir: string;
  manifest: Manifest;
  journal: readonly JournalEvent[];
  ctx: HomeContext;
  removals: Readonly<Record<string, RemovalAs>>;
  env: Env;
  // Each step's one line (stdout, or nothing for --json).
  report: (line: string) => void;
}

// The removal of a unit's packages still in place, site by site.
async function removeUnit(unit: BundledUnit, input: CarryInput, done: Carried): Promise<boolean> {
  const { dir, ctx, removals, env } = input;
  const left = unit.remove
    .map((id) => ctx.packages.get(id) as BundledPackage)
    .filter((p) => existsSync(p.id));
  for (const site of [...new Set(left.map((p) => p.siteDir))]) {
    const here = left.filter((p) => p.siteDir === site);
    const ids = here.map((p) => p.id);
    const as = removals[site] ?? { as: 'self' };
    const pip = input.manifest.pips[here[0]?.python as string] ?? [];
    const problem = await removePackages(here, pip, as, env, (pid) =>
      journal(dir, { event: 'remove', ids, state: 'start', pid }),
    );
    if (problem) {
      done.failed = { ids, problem };
      return false;
    }
    journal(dir, { event: 'remove', ids, state: 'done' });
    done.removed.push(...ids);
    input.report(`removed from ${site}: ${here.map(label).join(', ')}`);
  }
  return true;
}

// Once pip's own pip is gone, the distribution's must be the one that runs (else the way to get it
// back is the package manager's, which pip-guard does not run).
async function distributionPip(unit: BundledUnit, input: CarryInput, done: Carried): Promise<boolean> {
  const result = await capture(unit.python, ['-m', 'pip', '--version'], input.env).catch(() => undefined);
  if (result?.code === 0) {
    input.report(`pip for ${unit.python} is the distribution's again: ${result.stdout.trim()}`);
    return true;
  }
  const problem =
    `no pip runs for ${unit.python} now that pip's own is gone: reinstall the distribution's ` +
    '(Debian and Ubuntu: `sudo apt install --reinstall python3-pip`)';
  done.failed = { ids: [unit.lead], problem };
  return false;
}

export async function carryOut(input: CarryInput): Promise<Carried> {
  const { dir, manifest, ctx } = input;
  const done: Carried = { homed: [], removed: [], linked: [] };
  for (const unit of manifest.units) {
    const signal = interruption();
    if (signal) {
      done.interrupted = signal;
      return done;
    }
    if (!homeDone(unit, ctx)) {
      const retry = input.journal.some((e) => e.event === 'home' && e.lead === unit.lead);
      const will = installing(unit, ctx);
      const onStart = (pid: number) =>
        journal(dir, { event: 'home', lead: unit.lead, state: 'start', installing: will, pid });
      const result = await installHome(unit, { ...ctx, onStart }, retry);
      if (!result.ok) {
        done.failed = { ids: unit.install, problem: result.problem };
        return done;
      }
      journal(dir, { event: 'home', lead: unit.lead, state: 'done', installing: result.installing });
      if (unit.to !== 'distribution') input.report(homeWords(unit, ctx));
    }
    done.homed.push(...unit.install);
    // Stopped here, the unit's packages are at home and still in place: the next run removes them.
    const stopped = interruption();
    if (stopped) {
      done.interrupted = stopped;
      return done;
    }
    if (!(await removeUnit(unit, input, done))) return done;
    if (unit.to === 'distribution' && !(await distributionPip(unit, input, done))) return done;
    if (unit.to === 'pipx')
      done.linked.push(...linkApp(input.env, ctx.packages.get(unit.lead) as BundledPackage));
  }
  // Everything is done, even if a signal came during the last step.
  journal(dir, { event: 'done' });
  return done;
}
