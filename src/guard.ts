// One pip command, as a shim hands it over: gather facts, decide, carry out.
import { gatherFacts, type Invocation } from './facts.js';
import { probeInterpreter } from './interpreter.js';
import type { Interpreter } from './pep668.js';
import type { Facts } from './plan.js';
import { decide } from './policy/decide.js';
import { capture, type Outcome } from './process.js';
import { attempt, execute } from './runner.js';

// After a refusal pip-guard could not predict (a pyenv shim, say), `pip debug` names the
// interpreter that refused.
async function refusingInterpreter(realPip: string, inv: Invocation): Promise<Interpreter | undefined> {
  const debug = await capture(realPip, ['debug'], inv.env).catch(() => undefined);
  const python = /^sys\.executable: (.+)$/m.exec(debug?.stdout ?? '')?.[1];
  if (!python) return undefined;
  const probed = await probeInterpreter(python.trim(), inv.env);
  return 'unknown' in probed ? undefined : probed;
}

export async function guard(inv: Invocation): Promise<Outcome> {
  let facts: Facts = await gatherFacts(inv);
  let plan = decide(facts);
  if (plan.kind === 'attempt') {
    const { outcome, refused } = await attempt(facts, inv.env);
    if (!refused) return outcome;
    const interpreter = await refusingInterpreter(inv.realPip, inv);
    facts = interpreter ? await gatherFacts(inv, interpreter) : facts;
    facts = {
      ...facts,
      verdict: {
        refuses: true,
        reason: `${inv.realPip} refused: its Python is externally managed (PEP 668)`,
      },
    };
    plan = decide(facts);
  }
  return execute(plan, facts, inv.env);
}
