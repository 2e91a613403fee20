// Carries out a Plan: the effects half of pip-guard (decisions are in policy.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env.js';
import { say, UserError } from './errors.js';
import { OutputFilter, PIP_REFUSAL } from './output-filter.js';
import type { EnvChanges, Facts, Plan } from './plan.js';
import { installNotice } from './policy.js';
import { execMarker, type Outcome, run } from './process.js';
import { createVenv } from './venv.js';

function withChanges(env: Env, changes: EnvChanges): Env {
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

// The real pip gets the loop marker the shims check (see shims/pip.sh).
const forRealPip = (facts: Facts, env: Env) =>
  withChanges(env, execMarker(env, facts.realPip, facts.line.argv));

// Runs the real pip as typed, hiding its PEP 668 refusal if it gives one.
export async function attempt(facts: Facts, env: Env): Promise<{ outcome: Outcome; refused: boolean }> {
  const filter = new OutputFilter(PIP_REFUSAL, (bytes) => process.stderr.write(bytes));
  const outcome = await run(facts.realPip, facts.line.argv, {
    env: forRealPip(facts, env),
    onStderr: (chunk) => filter.push(chunk),
  });
  const refused = filter.sawMessage && 'code' in outcome && outcome.code === 1;
  filter.end(refused);
  return { outcome, refused };
}

// The venv's own pip when it has one; a venv without pip (uv makes those) is driven from
// outside with `pip --python`, which every pip that knows PEP 668 has.
function venvPip(plan: Extract<Plan, { kind: 'venv' }>, facts: Facts): [string, string[]] {
  const own = join(plan.venv.path, 'bin', facts.name);
  const pip = join(plan.venv.path, 'bin', 'pip');
  for (const file of [own, pip]) if (existsSync(file)) return [file, plan.argv];
  return [facts.realPip, ['--python', join(plan.venv.path, 'bin', 'python'), ...plan.argv]];
}

export async function execute(plan: Plan, facts: Facts, env: Env): Promise<Outcome> {
  switch (plan.kind) {
    case 'fail':
      throw new UserError(plan.message, plan.exitCode);
    case 'attempt':
      return (await attempt(facts, env)).outcome;
    case 'forward': {
      const outcome = await run(facts.realPip, facts.line.argv, { env: forRealPip(facts, env) });
      if (plan.notice) say(plan.notice);
      return outcome;
    }
    case 'venv': {
      // Another pip-guard may have made the venv since the plan was made.
      const created = plan.create && (await createVenv(plan.venv.path, plan.python, env));
      const [file, args] = venvPip(plan, facts);
      const outcome = await run(file, args, { env: withChanges(env, plan.env) });
      say(plan.create && !created ? installNotice(plan.python, plan.venv, false) : plan.notice);
      return outcome;
    }
  }
}
