// Running pip for a plan: the real pip (as typed, or with pip-guard's changes) or a venv's pip.
// Every program starts through process.ts.
import { existsSync } from 'node:fs';
import type { Env } from './env.js';
import { installNotice } from './notices.js';
import { OutputFilter, PIP_REFUSAL } from './output-filter.js';
import type { EnvChanges, Facts, ForwardPlan, VenvPlan } from './plan.js';
import { venvPipCommand } from './policy/venv.js';
import { execMarker, type Outcome, run } from './process.js';
import { createVenv } from './venv.js';
import { remember } from './venv-registry.js';

export const succeeded = (outcome: Outcome) => 'code' in outcome && outcome.code === 0;

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

// Runs the real pip as typed, hiding its PEP 668 refusal if it gives one.
export async function attempt(facts: Facts, env: Env): Promise<{ outcome: Outcome; refused: boolean }> {
  const argv = facts.line.argv;
  const { outcome, said } = await runWatching(facts.realPip, argv, forRealPip(facts, env, argv), PIP_REFUSAL);
  return { outcome, refused: said };
}

export function forward(plan: ForwardPlan, facts: Facts, env: Env): Promise<Outcome> {
  const argv = plan.argv ?? facts.line.argv;
  return run(facts.realPip, argv, { env: forRealPip(facts, env, argv) });
}

// A project venv pip-guard did not make, checked by guard.ts: from now on pip-guard knows it.
function adopt(plan: VenvPlan, env: Env): void {
  const { venv } = plan;
  if (venv.origin === 'project' && venv.state.kind === 'valid' && !venv.state.provenance)
    remember(env, venv.path, 'accepted');
}

// Runs pip in the plan's venv (made first when the plan says so), with `argv` for it.
export async function inVenv(plan: VenvPlan, facts: Facts, env: Env, argv = plan.argv) {
  adopt(plan, env);
  // Another pip-guard may have made the venv since the plan was made.
  const created = plan.create && (await createVenv(plan.venv.path, plan.python, env));
  const [file, ...args] = venvPipCommand(plan.venv.path, facts, argv, existsSync);
  const outcome = await run(file as string, args, { env: withChanges(env, plan.env) });
  const notice = plan.create && !created ? installNotice(plan.python, plan.venv, false) : plan.notice;
  return { outcome, created, notice };
}
