// pip-guard explain [--json] [--as NAME] -- <pip args>: what pip-guard would do with a pip
// command, without doing it (it creates nothing, not even its interpreter cache).
import type { Argv } from 'yargs';
import { gatherFacts } from '../facts.js';
import { describePlan, planCommands, shellLine } from '../plan-text.js';
import { decide } from '../policy/decide.js';
import { findRealPip } from '../shims.js';

export const command = 'explain [pip..]';
export const describe = 'Show what pip-guard would do with a pip command, without doing it';

export const builder = (y: Argv) =>
  y
    .positional('pip', { type: 'string', array: true, describe: 'The pip command line, after --' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the plan as JSON' })
    .option('as', { type: 'string', default: 'pip', describe: 'The name pip was called by (pip3, pip3.11)' })
    .example('$0 explain -- install requests', 'What `pip install requests` would do here');

export async function handler(args: {
  pip?: string[];
  '--'?: string[];
  json: boolean;
  as: string;
}): Promise<number> {
  const env = process.env;
  const argv = [...(args.pip ?? []), ...(args['--'] ?? [])].map(String);
  const realPip = findRealPip(args.as, env);
  const facts = await gatherFacts({
    name: args.as,
    realPip,
    argv,
    env,
    cwd: process.cwd(),
    // What would happen in this terminal: a prompt here, nonInteractive in a script.
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    readOnly: true,
  });
  const plan = decide(facts);
  const policy = facts.config.policy;
  if (args.json) {
    const { line, interpreter, verdict, venv, config } = facts;
    const json = {
      pip: {
        name: args.as,
        realPip,
        argv: line.argv,
        command: line.command ?? null,
        problem: line.problem ?? null,
      },
      interpreter: interpreter ?? null,
      pep668: verdict,
      venv,
      config: { files: config.files, policy },
      plan,
      commands: planCommands(plan, facts),
    };
    console.log(
      JSON.stringify(
        json,
        (_, value) => (value instanceof Map || value instanceof Set ? [...value] : value),
        2,
      ),
    );
    return 0;
  }
  const refuses = facts.verdict.refuses;
  const files = facts.config.files.map((f) => `${f.file} (${f.kind})`).join(', ') || 'none';
  console.log(
    [
      `pip-guard explain: ${shellLine([args.as, ...argv])}`,
      `  real pip:     ${realPip}${facts.interpreter ? `, on ${facts.interpreter.python} (Python ${facts.interpreter.version})` : ''}`,
      `  PEP 668:      ${refuses === true ? 'pip would refuse' : refuses === false ? 'pip would not refuse' : 'cannot tell'}: ${facts.verdict.reason}`,
      `  config files: ${files}`,
      `  policy:       ${policy.value} (${policy.from})`,
      `  venv:         ${facts.venv.path} (${facts.venv.state.kind})`,
      `  plan:         ${plan.reason}`,
      ...describePlan(plan, facts, '    '),
    ].join('\n'),
  );
  return 0;
}
