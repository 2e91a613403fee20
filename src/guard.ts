// One pip command, as a shim hands it over: gather the facts, decide, carry the plan out.

import { homeOf } from './base/env.js';
import { capture, type Outcome } from './base/process.js';
import { gatherFacts, type Invocation } from './facts/gather.js';
import { probeInterpreter, rememberRefusal } from './facts/interpreter.js';
import type { Interpreter } from './facts/pep668.js';
import { findProjectRoot } from './facts/project.js';
import { unseen, vetted } from './facts/venv-registry.js';
import { type Decision, type Facts, planVenvs, realPipCommand } from './plan.js';
import { decide } from './policy/decide.js';
import { rememberProjectVenv } from './run/project-records.js';
import { attempt } from './run/run-pip.js';
import { carryOut } from './run/runner.js';
import { rememberAnswer } from './run/shim-records.js';

// After a refusal pip-guard could not predict (a pyenv shim, say), `pip debug` names the
// interpreter that refused.
async function refusingInterpreter(inv: Invocation): Promise<Interpreter | undefined> {
  const [file, ...args] = realPipCommand(inv, ['debug']) as [string, ...string[]];
  const debug = await capture(file, args, inv.env).catch(() => undefined);
  const python = /^sys\.executable: (.+)$/m.exec(debug?.stdout ?? '')?.[1];
  if (!python) return undefined;
  const probed = await probeInterpreter(python.trim(), inv.env);
  return 'problem' in probed ? undefined : probed;
}

// Decides; when the plan would run pip in a project venv that pip-guard neither made nor has
// seen before, first vets it, and decides again knowing that.
export async function decideChecked(facts: Facts): Promise<{ facts: Facts; plan: Decision }> {
  const plan = decide(facts);
  const { venv } = facts;
  if (!unseen(venv) || !planVenvs(plan).some((v) => v.path === venv.path)) return { facts, plan };
  const checked: Facts = { ...facts, venv: await vetted(venv) };
  return checked.venv === venv ? { facts, plan } : { facts: checked, plan: decide(checked) };
}

// pip refused where pip-guard could not tell beforehand: the facts, now knowing it refuses;
// the interpreter that refused is remembered for the routed commands (interpreter.ts).
async function afterRefusal(inv: Invocation, facts: Facts): Promise<Facts> {
  const interpreter = await refusingInterpreter(inv);
  const place = findProjectRoot(inv.cwd, homeOf(inv.env)) ?? inv.cwd;
  if (interpreter) rememberRefusal(inv.env, inv.realPip, place, interpreter.python);
  const known = interpreter ? await gatherFacts(inv, interpreter) : facts;
  const reason = `${realPipCommand(inv, []).join(' ')} refused: its Python is externally managed (PEP 668)`;
  return { ...known, verdict: { refuses: true, reason } };
}

export async function guard(inv: Invocation): Promise<Outcome> {
  let { facts, plan } = await decideChecked(await gatherFacts(inv));
  if (plan.kind === 'attempt') {
    const { outcome, refused } = await attempt(facts, inv.env);
    if (!refused) return outcome;
    ({ facts, plan } = await decideChecked(await afterRefusal(inv, facts)));
    // Knowing that pip refuses, decide() has nothing left to attempt.
    if (plan.kind === 'attempt') return outcome;
  }
  const outcome = await carryOut(plan, facts, inv.env);
  // Now that pip ran there, the prompt hook may activate the venv (project-records.ts), and the
  // shim may answer the same command itself next time (shim-records.ts).
  rememberProjectVenv(facts.venv, inv.env, inv.cwd);
  rememberAnswer(plan, facts, inv.env);
  return outcome;
}
