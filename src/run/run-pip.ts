// Running pip for a plan: the real pip (as typed, or with pip-guard's changes) or a venv's pip.
// Every program starts through process.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { UserError, writeOut } from '../base/errors.js';
import { execMarker, type Outcome, run, succeeded } from '../base/process.js';
import { interruption } from '../base/signals.js';
import { READ_ONLY_COMMANDS } from '../facts/records.js';
import { normalizeName } from '../pip-cli/requirement.js';
import {
  DRY_RUN_REPORT,
  DRY_RUN_TARGET,
  type EnvChanges,
  type Facts,
  type ForwardPlan,
  type Plan,
  realPipCommand,
  typedPip,
  type VenvPlan,
  withoutArgs,
} from '../plan.js';
import { routeNoticeParts, type VenvRun, venvNotice } from './notices.js';
import { OutputFilter, PIP_REFUSAL } from './output-filter.js';
import { rememberProjectVenv } from './project-records.js';
import type { VenvMaker } from './venv.js';
import { appsAdded, changesBetween, distsIn, present } from './venv-changes.js';
import { remember } from './venv-records.js';

// What a step of a plan ended with, and the notices it leaves for the one line at the end; a
// fail plan's paragraph (or a fallback's) comes after them, as the last thing said.
export interface StepResult {
  outcome: Outcome;
  notices: string[];
  failure?: string;
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
  const filter = new OutputFilter(message, (bytes) => writeOut(2, bytes));
  const outcome = await run(file, args, { env, onStderr: (chunk) => filter.push(chunk) });
  const said = filter.sawMessage && 'code' in outcome && outcome.code === 1;
  filter.end(said);
  return { outcome, said };
}

// The real pip gets the loop marker the shims check (see shims/pip.sh).
const forRealPip = (facts: Facts, env: Env, argv: readonly string[]) =>
  withChanges(env, execMarker(env, facts.realPip, argv));

// Runs the real pip with pip's arguments ARGV.
// A program to run, as run() and become() take it.
interface Call {
  file: string;
  args: string[];
  env: Env;
}

// The real pip with ARGV, and its environment.
function realPipCall(facts: Facts, argv: readonly string[], env: Env): Call {
  const [file, ...args] = realPipCommand(facts, argv) as [string, ...string[]];
  return { file, args, env: forRealPip(facts, env, argv) };
}

function runRealPip(facts: Facts, argv: readonly string[], env: Env): Promise<Outcome> {
  const call = realPipCall(facts, argv, env);
  return run(call.file, call.args, { env: call.env });
}

// Runs the real pip as typed, hiding its PEP 668 refusal if it gives one.
export async function attempt(facts: Facts, env: Env): Promise<{ outcome: Outcome; refused: boolean }> {
  const call = realPipCall(facts, facts.line.argv, env);
  const { outcome, said } = await runWatching(call.file, call.args, call.env, PIP_REFUSAL);
  return { outcome, refused: said };
}

export function forward(plan: ForwardPlan, facts: Facts, env: Env): Promise<Outcome> {
  return runRealPip(facts, plan.argv ?? facts.line.argv, env);
}

// A step pip-guard has nothing left to do after: the program it becomes (process.ts's become),
// and the notice to say first. A forward without a notice of its own; a read-only command routed
// to the venv's pip, whose notice says where it runs, whatever pip then does (as the shim's).
export interface HandOver extends Call {
  notice?: string;
}

export function handOver(plan: Plan, facts: Facts, env: Env): HandOver | undefined {
  if (plan.kind === 'forward' && !plan.notice) return realPipCall(facts, plan.argv ?? facts.line.argv, env);
  const command = facts.line.command ?? '';
  if (plan.kind !== 'venv' || plan.purpose !== 'route' || !READ_ONLY_COMMANDS.includes(command))
    return undefined;
  if (plan.systemOnly || plan.dryRun || plan.make) return undefined;
  adopt(plan, env);
  const notice = routeNoticeParts(plan, typedPip(facts)).join(command);
  return { ...venvPipCall(plan, facts, plan.argv, withChanges(env, plan.env)), notice };
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

// How a venv step ended that made, changed and shimmed nothing.
const nothingMade = (outcome: Outcome): VenvRun => ({
  outcome,
  interrupted: interruption(),
  created: false,
  removed: false,
  changes: { added: [], removed: [], reinstalled: [] },
  already: [],
  apps: [],
  shimmed: [],
});

// An empty directory for a dry run's --target and report, in TMPDIR (pip itself copes with one
// that is not there; pip-guard says so instead of failing inside).
function dryRunDir(): string {
  const tmpdir = () => process.getBuiltinModule('node:os').tmpdir();
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

// What pip's --report says it would install, as "name version".
function wouldInstall(report: string): string[] | undefined {
  try {
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
      install?: { metadata?: { name?: unknown; version?: unknown } }[];
    };
    return (parsed.install ?? []).map(
      ({ metadata }) => `${normalizeName(String(metadata?.name))} ${metadata?.version}`,
    );
  } catch {
    return undefined;
  }
}

// A dry run changes nothing: for a venv still to be made, the real pip resolves the same
// requirements against an empty temporary --target, which is what a new venv would get; in an
// existing venv, its pip runs as typed. Where the plan asks for it, pip's report says what it
// would install.
async function dryRunFor(
  plan: VenvPlan,
  facts: Facts,
  env: Env,
  taken: readonly number[],
): Promise<VenvStep> {
  const dir = dryRunDir();
  const target = join(dir, 'target');
  const report = join(dir, 'report.json');
  try {
    const placeholders: Record<string, string> = { [DRY_RUN_TARGET]: target, [DRY_RUN_REPORT]: report };
    const filled = plan.argv.map((word, i) => (plan.from[i] === -1 ? (placeholders[word] ?? word) : word));
    const args = withoutArgs({ ...plan, argv: filled }, taken);
    const changed = withChanges(env, plan.env);
    const outcome =
      plan.dryRun === 'instead'
        ? await runRealPip(facts, args, changed)
        : await runPip(plan, facts, args, changed);
    const ran = { ...nothingMade(outcome), wouldInstall: plan.report ? wouldInstall(report) : undefined };
    return { run: ran, notice: venvNotice(plan, typedPip(facts), facts.line.command ?? '', ran) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The plan's pip in its venv, with ARGV: the real pip (with --python) gets the shims' loop marker.
// The plan's pip for its venv with ARGV (the real pip with --python, or the venv's own), and its
// environment.
function venvPipCall(plan: VenvPlan, facts: Facts, argv: readonly string[], env: Env): Call {
  const [file, ...args] = [...plan.pip.command, ...argv] as [string, ...string[]];
  return {
    file,
    args,
    env: plan.pip.real ? forRealPip(facts, env, args.slice(facts.realPipArgs.length)) : env,
  };
}

function runPip(plan: VenvPlan, facts: Facts, argv: readonly string[], env: Env, tied = false) {
  const call = venvPipCall(plan, facts, argv, env);
  return run(call.file, call.args, { env: call.env, tied });
}

// Runs pip in the plan's venv (made first when the plan says so), without the requirements at
// `taken` (argv positions that earlier steps took care of).
export async function inVenv(
  plan: VenvPlan,
  facts: Facts,
  env: Env,
  taken: readonly number[] = [],
): Promise<VenvStep> {
  if (plan.dryRun) return dryRunFor(plan, facts, env, taken);
  const argv = withoutArgs(plan, taken);
  adopt(plan, env);
  const before = distsIn(plan.venv.path);
  // Tied to pip-guard's life where pip-guard made the venv (process.ts).
  const pip = (tied = false) => runPip(plan, facts, argv, withChanges(env, plan.env), tied);
  // Loaded here: the lock and the seeding are for a venv still to be made.
  const used = plan.make
    ? await (await import('./venv.js')).inNewVenv(plan.venv.path, makerOf(plan), env, pip)
    : { outcome: await pip(), created: false, removed: false };
  // What the run changed there, as the venv shows it now.
  const after = used.removed ? new Map() : distsIn(plan.venv.path);
  const changes = changesBetween(before, after);
  const touched = new Set([...changes.added, ...changes.reinstalled]);
  const already = present(before, plan.packages).filter((dist) => after.size > 0 && !touched.has(dist));
  const installed = plan.purpose === 'install' && succeeded(used.outcome);
  const apps = installed ? appsAdded(before, after, plan.packages) : [];
  const shimmed = installed ? await forScripts(plan, env, facts.cwd) : [];
  const ran: VenvRun = { ...used, changes, already, apps, shimmed, interrupted: interruption() };
  const notice = venvNotice(plan, typedPip(facts), facts.line.command ?? '', ran);
  if (!plan.systemOnly) return { run: ran, notice };
  // Names left out that only the system has: pip's success is no success (policy/system-only.ts).
  const outcome = succeeded(ran.outcome) ? { code: 1 } : ran.outcome;
  return { run: { ...ran, outcome }, notice: `${notice}; ${plan.systemOnly}` };
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
