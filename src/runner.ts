// Carries out a Plan: the effects half of pip-guard (decisions are in policy/).
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { proceed } from './confirm.js';
import type { Env } from './env.js';
import { say, UserError } from './errors.js';
import { installNotice, pipxNotice, pipxUninstallNotice } from './notices.js';
import { OutputFilter, PIP_REFUSAL, PIPX_NO_APPS } from './output-filter.js';
import { type PipxApp, pipxFacts } from './pipx/locate.js';
import type { EnvChanges, Facts, ForwardPlan, PipxPlan, Plan, VenvPlan } from './plan.js';
import { venvArgv, venvPipCommand } from './policy/venv.js';
import { execMarker, type Outcome, run } from './process.js';
import { createVenv } from './venv.js';

const ok = (outcome: Outcome) => 'code' in outcome && outcome.code === 0;

function withChanges(env: Env, changes: EnvChanges): Env {
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

// Runs a child whose stderr may end with `message`; says whether it did, and hides it if so.
async function runWatching(file: string, args: readonly string[], env: Env, message: string) {
  const filter = new OutputFilter(message, (bytes) => process.stderr.write(bytes));
  const outcome = await run(file, args, { env, onStderr: (chunk) => filter.push(chunk) });
  const said = filter.sawMessage && 'code' in outcome && outcome.code === 1;
  filter.end(said);
  return { outcome, said };
}

// The real pip gets the loop marker the shims check (see shims/pip.sh).
const forRealPip = (facts: Facts, env: Env, argv: readonly string[]) =>
  withChanges(env, execMarker(env, facts.realPip, argv));

// Runs the real pip as typed, hiding its PEP 668 refusal if it gives one.
export async function attempt(facts: Facts, env: Env): Promise<{ outcome: Outcome; refused: boolean }> {
  const argv = facts.line.argv;
  const { outcome, said } = await runWatching(facts.realPip, argv, forRealPip(facts, env, argv), PIP_REFUSAL);
  return { outcome, refused: said };
}

function forward(plan: ForwardPlan, facts: Facts, env: Env): Promise<Outcome> {
  const argv = plan.argv ?? facts.line.argv;
  return run(facts.realPip, argv, { env: forRealPip(facts, env, argv) });
}

async function inVenv(plan: VenvPlan, facts: Facts, env: Env, argv = plan.argv) {
  // Another pip-guard may have made the venv since the plan was made.
  const created = plan.create && (await createVenv(plan.venv.path, plan.python, env));
  const [file, ...args] = venvPipCommand(plan.venv.path, facts, argv, existsSync);
  const outcome = await run(file as string, args, { env: withChanges(env, plan.env) });
  const notice = plan.create && !created ? installNotice(plan.python, plan.venv, false) : plan.notice;
  return { outcome, created, notice };
}

// pipx links each command into its bin dir; a file of somebody else's there stays.
function linkedByPipx(binDir: string, command: string, name: string): boolean {
  try {
    return readlinkSync(join(binDir, command)).includes(`/venvs/${name}/`);
  } catch {
    return false;
  }
}

interface Done {
  outcome: Outcome;
  // pip-guard's notices, printed together as one line at the end.
  notices: string[];
}

// pip asks before it uninstalls (unless -y): so does pip-guard, for what pipx uninstalls.
function confirmUninstall(plan: PipxPlan, name: string, app: PipxApp | undefined): Promise<boolean> {
  const paths = [app?.venv, ...(app?.commands ?? []).map((c) => join(plan.binDir, c))].filter(Boolean);
  const listing = [`Found pipx app: ${name}`, '  Would remove:', ...paths.map((p) => `    ${p}`)];
  return proceed(listing, plan.confirm?.noInput ?? false);
}

interface PipxRun {
  outcome: Outcome;
  // argv positions pipx took care of, and those pip should leave too (declined at the question).
  done: number[];
  handled: number[];
  // Packages pipx refused for having no commands.
  refused: string[];
}

// One pipx call per package, stopping at the first that fails.
async function runPipxCalls(plan: PipxPlan, env: Env): Promise<PipxRun> {
  // pip's PIP_* settings reach pipx's pip as they are; PIP_PYTHON would make it re-run elsewhere.
  const pipxEnv = withChanges(env, { PIP_PYTHON: undefined });
  const run: PipxRun = { outcome: { code: 0 }, done: [], handled: [], refused: [] };
  const apps = pipxFacts(env).apps;
  for (const call of plan.calls) {
    const name = call.requirement.name ?? call.requirement.raw;
    // Declined: pip does nothing with it either.
    if (plan.confirm && !(await confirmUninstall(plan, name, apps.get(name)))) {
      run.handled.push(call.argIndex);
      continue;
    }
    const result = await runWatching(plan.pipx, call.argv, pipxEnv, PIPX_NO_APPS);
    if (result.said && plan.restTakes === 'refused') {
      run.refused.push(name);
      continue;
    }
    run.outcome = result.outcome;
    if (!ok(run.outcome)) break;
    run.done.push(call.argIndex);
    run.handled.push(call.argIndex);
  }
  return run;
}

async function withPipx(plan: PipxPlan, facts: Facts, env: Env): Promise<Done> {
  const run = await runPipxCalls(plan, env);
  let outcome = run.outcome;
  const names = plan.calls
    .filter((c) => run.done.includes(c.argIndex))
    .map((c) => c.requirement.name ?? c.requirement.raw);
  const others = facts.line.argIndexes.filter((i) => !run.handled.includes(i));
  const restNeeded =
    ok(outcome) && (plan.restTakes === 'refused' ? run.refused.length > 0 : others.length > 0);
  let venv: { target: VenvPlan['venv']; created: boolean } | undefined;
  let restNotice: string | undefined;
  if (restNeeded && plan.rest?.kind === 'fail') throw new UserError(plan.rest.message, plan.rest.exitCode);
  if (restNeeded && plan.rest?.kind === 'venv') {
    const argv = venvArgv(facts, [...plan.rest.droppedArgs, ...run.handled]);
    const result = await inVenv(plan.rest, facts, env, argv);
    outcome = result.outcome;
    venv = { target: plan.rest.venv, created: result.created };
    restNotice = result.notice;
  } else if (restNeeded && plan.rest?.kind === 'forward') {
    outcome = await forward(plan.rest, facts, env);
  }
  if (plan.restTakes === 'unnamed') {
    return { outcome, notices: names.length > 0 ? [pipxUninstallNotice(names, restNotice)] : [] };
  }
  const now = pipxFacts(env).apps;
  const apps = names.map((name) => {
    const commands = now.get(name)?.commands ?? [];
    return { name, commands, unlinked: commands.filter((c) => !linkedByPipx(plan.binDir, c, name)) };
  });
  if (apps.length === 0 && !venv) return { outcome, notices: [] };
  const { python, binDir, binDirOnPath } = plan;
  return {
    outcome,
    notices: [pipxNotice({ python, apps, binDir, binDirOnPath, libraries: run.refused, venv })],
  };
}

async function perform(plan: Plan, facts: Facts, env: Env): Promise<Done> {
  switch (plan.kind) {
    case 'fail':
      throw new UserError(plan.message, plan.exitCode);
    case 'attempt':
      return { outcome: (await attempt(facts, env)).outcome, notices: [] };
    case 'forward':
      return { outcome: await forward(plan, facts, env), notices: plan.notice ? [plan.notice] : [] };
    case 'venv': {
      const { outcome, notice } = await inVenv(plan, facts, env);
      return { outcome, notices: [notice] };
    }
    case 'pipx':
      return withPipx(plan, facts, env);
    case 'sequence': {
      const notices: string[] = [];
      let outcome: Outcome = { code: 0 };
      for (const step of plan.steps) {
        const done = await perform(step, facts, env);
        outcome = done.outcome;
        notices.push(...done.notices);
        if (!ok(outcome)) break;
      }
      return { outcome, notices };
    }
    case 'prompt': {
      const { ask } = await import('./prompt.js');
      const answer = await ask(plan);
      if (answer === undefined) throw new UserError('cancelled: nothing was installed.', 130);
      return perform(answer, facts, env);
    }
  }
}

// Carries the plan out and ends with pip-guard's one line (unless the config says notice: false).
export async function execute(plan: Plan, facts: Facts, env: Env): Promise<Outcome> {
  const { outcome, notices } = await perform(plan, facts, env);
  if (notices.length > 0 && facts.config.notice.value) say(notices.join('; '));
  return outcome;
}
