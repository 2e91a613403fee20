// Carries out a pipx plan: one pipx call per package, then pip for what pipx did not take.
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../base/env.js';
import { succeeded } from '../base/process.js';
import { interruption } from '../base/signals.js';
import { type PipxApp, type PipxFacts, pipxFacts } from '../facts/pipx-installed.js';
import type { Facts, PipxPlan, VenvPlan } from '../plan.js';
import { proceed } from './confirm.js';
import type { VenvRun } from './notices.js';
import { pipxNotice, pipxUninstallNotice } from './notices.js';
import { PIPX_NO_APPS } from './output-filter.js';
import { inVenv, runWatching, type StepResult, withChanges } from './run-pip.js';

type PipxApps = PipxFacts['apps'];

// pipx links each command into its bin dir; a file of somebody else's there stays.
function linkedByPipx(binDir: string, command: string, name: string): boolean {
  try {
    return readlinkSync(join(binDir, command)).includes(`/venvs/${name}/`);
  } catch {
    return false;
  }
}

// pip asks before it uninstalls (unless -y): so does pip-guard, for what pipx uninstalls.
function confirmUninstall(plan: PipxPlan, name: string, app: PipxApp | undefined): Promise<boolean> {
  const paths = [app?.venv, ...(app?.commands ?? []).map((c) => join(plan.binDir, c))].filter(Boolean);
  const listing = [`Found pipx app: ${name}`, '  Would remove:', ...paths.map((p) => `    ${p}`)];
  return proceed(listing, plan.confirm?.noInput ?? false);
}

interface PipxCalls {
  outcome: StepResult['outcome'];
  // argv positions pipx took care of, and those pip leaves alone: pipx's, and those the person
  // declined at the question.
  byPipx: number[];
  settled: number[];
  // Packages pipx refused for having no commands.
  noCommands: string[];
  // The package whose call failed or was interrupted (the calls stop there).
  failed?: string;
}

const nameOf = (call: PipxPlan['calls'][number]) => call.requirement.name ?? call.requirement.raw;

// One pipx call per package, stopping at the first that fails.
async function runPipxCalls(plan: PipxPlan, env: Env, apps: PipxApps): Promise<PipxCalls> {
  // pip's PIP_* settings reach pipx's pip as they are; PIP_PYTHON would make it re-run elsewhere.
  const pipxEnv = withChanges(env, { PIP_PYTHON: undefined });
  const result: PipxCalls = { outcome: { code: 0 }, byPipx: [], settled: [], noCommands: [] };
  for (const call of plan.calls) {
    // Declined: pip does nothing with it either.
    if (plan.confirm && !(await confirmUninstall(plan, nameOf(call), apps.get(nameOf(call))))) {
      result.settled.push(call.argIndex);
      continue;
    }
    const ran = await runWatching(plan.pipx, call.argv, pipxEnv, PIPX_NO_APPS);
    if (ran.said && plan.command === 'install') {
      result.noCommands.push(nameOf(call));
      continue;
    }
    result.outcome = ran.outcome;
    if (!succeeded(result.outcome) || interruption()) {
      result.failed = nameOf(call);
      break;
    }
    result.byPipx.push(call.argIndex);
    result.settled.push(call.argIndex);
  }
  return result;
}

const pipxNames = (plan: PipxPlan, calls: PipxCalls) =>
  plan.calls.filter((c) => calls.byPipx.includes(c.argIndex)).map(nameOf);

const endedOf = (calls: PipxCalls) => ({ outcome: calls.outcome, interrupted: interruption() });

// pip uninstall: pipx removes its apps, pip the other names.
async function uninstall(plan: PipxPlan, facts: Facts, env: Env): Promise<StepResult> {
  const calls = await runPipxCalls(plan, env, facts.pipx?.apps ?? new Map());
  let outcome = calls.outcome;
  let rest: string | undefined;
  const others = plan.others;
  const unnamed = facts.line.argIndexes.filter((i) => !calls.settled.includes(i));
  const restNeeded = succeeded(outcome) && !interruption() && unnamed.length > 0 && others;
  if (restNeeded) {
    // The runner's, as any step, less what pipx took or the person declined.
    const { runStep } = await import('./runner.js');
    const step = await runStep(others, facts, env, calls.settled);
    outcome = step.outcome;
    rest = step.notices[0];
  }
  const failed = calls.failed ? { name: calls.failed, ...endedOf(calls) } : undefined;
  const names = pipxNames(plan, calls);
  const notice = names.length > 0 || failed || rest ? [pipxUninstallNotice(names, failed, rest)] : [];
  return { outcome, notices: notice };
}

// pip install: pipx installs the apps; what it refuses for having no commands goes to the venv,
// or to the fallback's paragraph where that is a fail plan.
async function install(plan: PipxPlan, facts: Facts, env: Env): Promise<StepResult> {
  const before = facts.pipx?.apps ?? new Map();
  const calls = await runPipxCalls(plan, env, before);
  let outcome = calls.outcome;
  let venv: { plan: VenvPlan; run: VenvRun } | undefined;
  let failure: string | undefined;
  const fallback = plan.noCommands;
  if (succeeded(outcome) && !interruption() && calls.noCommands.length > 0 && fallback) {
    if (fallback.kind === 'fail') {
      outcome = { code: fallback.exitCode };
      failure = fallback.message;
    } else {
      const step = await inVenv(fallback, facts, env, calls.settled);
      outcome = step.run.outcome;
      venv = { plan: fallback, run: step.run };
    }
  }
  // What pipx has now: an app whose metadata pipx did not write again was there already.
  const now = pipxFacts(env).apps;
  const apps = pipxNames(plan, calls).map((name) => {
    const commands = now.get(name)?.commands ?? [];
    const already = before.get(name)?.stamp !== undefined && before.get(name)?.stamp === now.get(name)?.stamp;
    return { name, commands, unlinked: commands.filter((c) => !linkedByPipx(plan.binDir, c, name)), already };
  });
  if (apps.length === 0 && !venv && !calls.failed) return { outcome, notices: [], failure };
  const { python, binDir, binDirOnPath, binDirNextPrompt } = plan;
  const summary = {
    python,
    apps,
    binDir,
    binDirOnPath,
    binDirNextPrompt,
    libraries: calls.noCommands,
    venv,
    failed: calls.failed,
  };
  return { outcome, notices: [pipxNotice({ ...summary, ...endedOf(calls) })], failure };
}

export const runPipx = (plan: PipxPlan, facts: Facts, env: Env): Promise<StepResult> =>
  plan.command === 'install' ? install(plan, facts, env) : uninstall(plan, facts, env);
