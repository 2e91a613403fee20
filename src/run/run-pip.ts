// Running pip for a plan: the real pip (as typed, or with pip-guard's changes) or a venv's pip.
// Every program starts through process.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { execMarker, type Outcome, run, succeeded } from '../base/process.js';
import { interruption } from '../base/signals.js';
import { remember } from '../facts/venv-registry.js';
import { parseRequirement } from '../pip-cli/requirement.js';
import {
  DRY_RUN_TARGET,
  type EnvChanges,
  type Facts,
  type ForwardPlan,
  realPipCommand,
  typedPip,
  type VenvPlan,
  withoutArgs,
} from '../plan.js';
import { systemOnlyNotice, type VenvRun, venvNotice } from './notices.js';
import { OutputFilter, PIP_REFUSAL } from './output-filter.js';
import { rememberProjectVenv } from './project-records.js';
import { systemOnly } from './system-packages.js';
import type { VenvMaker } from './venv.js';
import { appsAdded, distInfos } from './venv-apps.js';

// What a step of a plan ended with, and the notices it leaves for the one line at the end.
export interface StepResult {
  outcome: Outcome;
  notices: string[];
}

export function withChanges(env: Env, changes: EnvChanges): Env {
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

// Runs a child whose stderr may end with `message`; says whether it did, and hides it if so.
export async function runWatching(file: string, args: readonly string[], env: Env, message: string) {
  const filter = new OutputFilter(message, (bytes) => process.stderr.write(bytes));
  const outcome = await run(file, args, { env, onStderr: (chunk) => filter.push(chunk) });
  const said = filter.sawMessage && 'code' in outcome && outcome.code === 1;
  filter.end(said);
  return { outcome, said };
}

// The real pip gets the loop marker the shims check (see shims/pip.sh).
const forRealPip = (facts: Facts, env: Env, argv: readonly string[]) =>
  withChanges(env, execMarker(env, facts.realPip, argv));

// Runs the real pip with pip's arguments ARGV.
function runRealPip(facts: Facts, argv: readonly string[], env: Env): Promise<Outcome> {
  const [file, ...args] = realPipCommand(facts, argv) as [string, ...string[]];
  return run(file, args, { env: forRealPip(facts, env, argv) });
}

// Runs the real pip as typed, hiding its PEP 668 refusal if it gives one.
export async function attempt(facts: Facts, env: Env): Promise<{ outcome: Outcome; refused: boolean }> {
  const argv = facts.line.argv;
  const [file, ...args] = realPipCommand(facts, argv) as [string, ...string[]];
  const { outcome, said } = await runWatching(file, args, forRealPip(facts, env, argv), PIP_REFUSAL);
  return { outcome, refused: said };
}

export function forward(plan: ForwardPlan, facts: Facts, env: Env): Promise<Outcome> {
  return runRealPip(facts, plan.argv ?? facts.line.argv, env);
}

// A project venv pip-guard did not make, checked by guard.ts: from now on pip-guard knows it.
function adopt(plan: VenvPlan, env: Env): void {
  const { venv } = plan;
  if (venv.origin === 'project' && venv.state.kind === 'valid' && !venv.state.provenance)
    remember(env, venv.path, 'accepted');
}

export interface VenvStep {
  run: VenvRun;
  notice: string;
}

// How a venv step ended that made, installed and shimmed nothing.
const nothingMade = (outcome: Outcome): VenvRun => ({
  outcome,
  interrupted: interruption(),
  created: false,
  removed: false,
  apps: [],
  shimmed: [],
});

// An empty directory to resolve a dry run against, in TMPDIR (pip itself copes with one that is
// not there; pip-guard says so instead of failing inside).
function dryRunTarget(): string {
  try {
    return mkdtempSync(join(tmpdir(), 'pip-guard-dry-run-'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(
      `pip-guard cannot make a temporary directory in ${tmpdir()} (${why}) to show what this dry run would install: ` +
        'set TMPDIR to a directory pip-guard may write, and run pip again.',
    );
  }
}

// A dry run for a venv still to be made makes nothing: the real pip resolves the same
// requirements against an empty temporary --target, which is what a new venv would get.
async function dryRunFor(
  plan: VenvPlan,
  facts: Facts,
  env: Env,
  taken: readonly number[],
): Promise<VenvStep> {
  const target = dryRunTarget();
  try {
    const filled = plan.argv.map((word, i) =>
      plan.from[i] === -1 && word === DRY_RUN_TARGET ? target : word,
    );
    const args = withoutArgs({ ...plan, argv: filled }, taken);
    const outcome = await runRealPip(facts, args, withChanges(env, plan.env));
    const ran = nothingMade(outcome);
    return { run: ran, notice: venvNotice(plan, typedPip(facts), facts.line.command ?? '', ran) };
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}

// `pip uninstall` in pip-guard's venv of a name only the system has: pip would say "Skipping …
// as it is not installed" and exit 0, and a script would take that for success. Those names are
// left out, and the step ends with exit 1 and a paragraph, as pip's own refusal would. Which
// names they are, only the venv's Python can tell, as the command runs.
async function uninstallRouted(plan: VenvPlan, facts: Facts, env: Env, taken: readonly number[]) {
  const named = new Map<number, string>();
  facts.line.args.forEach((raw, i) => {
    const at = facts.line.argIndexes[i] as number;
    const name = parseRequirement(raw).name;
    if (name && plan.from.includes(at) && !taken.includes(at)) named.set(at, name);
  });
  const python = facts.interpreter?.python;
  const found = python ? await systemOnly(join(plan.venv.path, 'bin', 'python'), python, named) : [];
  if (found.length === 0) return undefined;
  const rest = named.size > found.length || plan.requirementFiles;
  const step = rest
    ? await inVenv(plan, facts, env, [...taken, ...found.map((p) => p.argIndex)], false)
    : undefined;
  const paragraph = systemOnlyNotice(plan.venv.path, python ?? facts.realPip, found);
  const outcome = step && !succeeded(step.run.outcome) ? step.run.outcome : { code: 1 };
  const ran = nothingMade(outcome);
  return { run: ran, notice: step ? `${step.notice}; ${paragraph}` : paragraph };
}

// Runs pip in the plan's venv (made first when the plan says so), without the requirements at
// `taken` (argv positions that earlier steps took care of).
export async function inVenv(
  plan: VenvPlan,
  facts: Facts,
  env: Env,
  taken: readonly number[] = [],
  checkSystem = true,
): Promise<VenvStep> {
  if (plan.dryRun) return dryRunFor(plan, facts, env, taken);
  const argv = withoutArgs(plan, taken);
  if (checkSystem && plan.purpose === 'route' && facts.line.command === 'uninstall') {
    const checked = await uninstallRouted(plan, facts, env, taken);
    if (checked) return checked;
  }
  adopt(plan, env);
  const before = distInfos(plan.venv.path);
  // Tied to pip-guard's life where pip-guard made the venv (process.ts); the real pip, with
  // --python, gets the shims' loop marker.
  const pip = (tied = false) => {
    const [file, ...args] = [...plan.pip.command, ...argv] as [string, ...string[]];
    const changed = withChanges(env, plan.env);
    const real = plan.pip.real ? forRealPip(facts, changed, args.slice(facts.realPipArgs.length)) : changed;
    return run(file, args, { env: real, tied });
  };
  // Loaded here: the lock and the seeding are for a venv still to be made.
  const used = plan.make
    ? await (await import('./venv.js')).inNewVenv(plan.venv.path, makerOf(plan), env, pip)
    : { outcome: await pip(), created: false, removed: false };
  const installed = plan.purpose === 'install' && succeeded(used.outcome);
  const apps = installed ? appsAdded(plan.venv.path, before, plan.packages) : [];
  const shimmed = installed ? await forScripts(plan, env, facts.cwd) : [];
  const ran: VenvRun = { ...used, apps, shimmed, interrupted: interruption() };
  return { run: ran, notice: venvNotice(plan, typedPip(facts), facts.line.command ?? '', ran) };
}

// After an install into a project's venv: its record for the shell code (the hook, the python
// shims), and a shim for each of its commands, where the plan says the shims use the venv.
async function forScripts(plan: VenvPlan, env: Env, cwd: string): Promise<string[]> {
  const { venv } = plan;
  if (venv.origin !== 'project' || !venv.root) return [];
  rememberProjectVenv(venv, env, cwd);
  if (!plan.commandDir) return [];
  // Loaded here: the shims' templates are for an install into a project's venv.
  const { writeCommandShims } = await import('./command-shims.js');
  return writeCommandShims(plan.commandDir, venv.path, venv.root, env);
}

// What run/venv.ts needs to make the plan's venv.
const makerOf = (plan: VenvPlan): VenvMaker => ({
  python: plan.python,
  version: plan.make?.version,
  seedWheels: plan.make?.seeds?.sources,
});
