// Carries out a Plan, as it says: pip in run-pip.ts, pipx in pipx.ts, and here the steps, the
// prompt and the one line at the end. What runs is the plan's (policy/); only what a step's run
// shows (a package pipx took, an answer to a question) changes what the next one is given.
import type { Env } from '../base/env.js';
import { say, UserError } from '../base/errors.js';
import { become, type Outcome, succeeded } from '../base/process.js';
import { interruption } from '../base/signals.js';
import type { Decision, Facts, Plan } from '../plan.js';
import { forwardNotice } from './notices.js';
import { attempt, forward, handOver, inVenv, type StepResult } from './run-pip.js';

// Each step in turn, stopping at the first that fails.
async function runSequence(steps: readonly Plan[], facts: Facts, env: Env): Promise<StepResult> {
  const notices: string[] = [];
  let outcome: Outcome = { code: 0 };
  let failure: string | undefined;
  for (const step of steps) {
    const result = await runStep(step, facts, env);
    outcome = result.outcome;
    notices.push(...result.notices);
    failure = result.failure;
    if (!succeeded(outcome) || interruption()) break;
  }
  return { outcome, notices, failure };
}

// One plan; `taken`: requirements (argv positions) that an earlier step took care of.
export async function runStep(
  plan: Plan,
  facts: Facts,
  env: Env,
  taken: readonly number[] = [],
): Promise<StepResult> {
  switch (plan.kind) {
    case 'fail':
      return { outcome: { code: plan.exitCode }, notices: [], failure: plan.message };
    case 'forward': {
      const outcome = await forward(plan, facts, env);
      const ended = { outcome, interrupted: interruption() };
      return { outcome, notices: plan.notice ? [forwardNotice(plan.notice, ended)] : [] };
    }
    case 'venv': {
      const { run, notice } = await inVenv(plan, facts, env, taken);
      return { outcome: run.outcome, notices: [notice] };
    }
    case 'pipx': {
      // Loaded here: pipx's plans are the apps'.
      const { runPipx } = await import('./pipx.js');
      return runPipx(plan, facts, env);
    }
    case 'sequence':
      return runSequence(plan.steps, facts, env);
    case 'prompt': {
      const { ask } = await import('./prompt.js');
      const answer = await ask(plan);
      if (answer === undefined) throw new UserError('cancelled: nothing was installed.', 130);
      return runStep(answer, facts, env);
    }
  }
}

// How carrying a decision out ended: `refused`, an attempt that pip refused with no fallback
// beside it (guard.ts then learns which Python refused, and decides once more).
export interface Carried {
  outcome: Outcome;
  refused?: boolean;
}

// What pip-guard keeps after a call, for the next ones: the interpreters' answers, which Python
// refused behind a wrapper, the project's venv for the shell code, the shim's answer. Loaded
// here, after pip has run.
async function keep(plan: Decision, facts: Facts, env: Env): Promise<void> {
  const [{ rememberAnswers, rememberRefusal }, { rememberProjectVenv }, { rememberAnswer }] =
    await Promise.all([
      import('./interpreter-cache.js'),
      import('./project-records.js'),
      import('./shim-records.js'),
    ]);
  rememberAnswers(env);
  const { refusal } = facts;
  if (refusal) rememberRefusal(env, refusal.wrapper, refusal.place, refusal.python);
  rememberProjectVenv(facts.venv, env, facts.cwd);
  rememberAnswer(plan, facts, env);
}

// Carries the decision out and ends with pip-guard's one line (unless the config says notice:
// false), and a fail plan's paragraph after it. An attempt runs the real pip as typed, and only
// if it refuses, its fallback.
export async function carryOut(plan: Decision, facts: Facts, env: Env): Promise<Carried> {
  let step: Plan | undefined = plan.kind === 'attempt' ? undefined : plan;
  if (plan.kind === 'attempt') {
    const tried = await attempt(facts, env);
    if (!tried.refused) {
      await keep(plan, facts, env);
      return { outcome: tried.outcome };
    }
    if (!plan.fallback) return { outcome: tried.outcome, refused: true };
    step = plan.fallback;
  }
  // Nothing left to do after the program: pip-guard becomes it, once what it keeps is kept.
  const over = handOver(step as Plan, facts, env);
  if (over) {
    await keep(step as Plan, facts, env);
    if (over.notice && facts.config.notice.value) say(over.notice);
    return { outcome: await become(over.file, over.args, over.env) };
  }
  const { outcome, notices, failure } = await runStep(step as Plan, facts, env);
  await keep(step as Plan, facts, env);
  if (notices.length > 0 && facts.config.notice.value) say(notices.join('; '));
  if (failure) say(failure);
  return { outcome };
}
