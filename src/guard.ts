// One pip command, as a shim hands it over: gather the facts, decide, carry the decision out.
// Only a refusal pip-guard could not foresee (pip behind a wrapper whose Python it cannot read)
// is a fact the run itself gives: then it learns which Python refused, and does the same once more.
import { homeOf } from './base/env.js';
import type { Outcome } from './base/process.js';
import { gatherFacts, type Invocation } from './facts/gather.js';
import { refusingInterpreter } from './facts/interpreter.js';
import { findProjectRoot } from './facts/project.js';
import { type Facts, realPipCommand } from './plan.js';
import { decide } from './policy/decide.js';
import { carryOut } from './run/runner.js';

// pip refused where pip-guard could not tell beforehand: the facts, now knowing it refuses, and
// which Python it runs (remembered for the routed commands there: run/interpreter-cache.ts).
async function afterRefusal(inv: Invocation, facts: Facts): Promise<Facts> {
  const interpreter = await refusingInterpreter(realPipCommand(inv, ['debug']), inv.env);
  const place = findProjectRoot(inv.cwd, homeOf(inv.env)) ?? inv.cwd;
  const known = interpreter ? await gatherFacts(inv, interpreter) : facts;
  const reason = `${realPipCommand(inv, []).join(' ')} refused: its Python is externally managed (PEP 668)`;
  const refusal = interpreter && { wrapper: inv.realPip, place, python: interpreter.python };
  return { ...known, verdict: { refuses: true, reason }, ...(refusal ? { refusal } : {}) };
}

export async function guard(inv: Invocation): Promise<Outcome> {
  const facts = await gatherFacts(inv);
  const done = await carryOut(decide(facts), facts, inv.env);
  if (!done.refused) return done.outcome;
  const known = await afterRefusal(inv, facts);
  const again = decide(known);
  // Knowing that pip refuses, decide() has nothing left to attempt.
  if (again.kind === 'attempt') return done.outcome;
  return (await carryOut(again, known, inv.env)).outcome;
}
