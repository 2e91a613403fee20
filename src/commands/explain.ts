// pip-guard explain [--json] [--as NAME] -- <pip args>: what pip-guard would do with a pip
// command, without doing it: it creates nothing, not even its interpreter cache, and says what it
// ran to learn the facts (an interpreter's answer about PEP 668, say).
import type { Argv } from 'yargs';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { programsStarted } from '../base/process.js';
import { isTerminal } from '../base/terminal.js';
import { gatherFacts } from '../facts/gather.js';
import { which } from '../facts/path-search.js';
import { findRealPip } from '../facts/real-pips.js';
import { decide } from '../policy/decide.js';
import { explainJson, explainText } from '../policy/plan-text.js';

export const command = 'explain [pip..]';
export const describe = 'Show what pip-guard would do with a pip command, without doing it';

export const builder = (y: Argv) =>
  y
    .positional('pip', { type: 'string', array: true, describe: 'The pip command line, after --' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the plan as JSON' })
    .option('as', {
      type: 'string',
      default: 'pip',
      describe: 'The name pip was called by (pip3, pip3.11), or python3 for `python3 -m pip`',
    })
    .example('$0 explain -- install requests', 'What `pip install requests` would do here')
    .example('$0 explain --as pip3.11 install -U black', 'the same for `pip3.11 install -U black`')
    .example('$0 explain --json --as python3 -- install -r requirements.txt', '`python3 -m pip …`, as JSON');

// The real pip for NAME: a pip as its shim finds it, or for python3 (`python3 -m pip`, through
// the functions of pip-guard init) the interpreter on PATH.
function realPipAs(name: string, env: Env): { realPip: string; realPipArgs: string[] } {
  if (!/^python/.test(name)) return { realPip: findRealPip(name, env), realPipArgs: [] };
  const python = which(name, env);
  if (!python) throw new UserError(`--as ${name}: there is no ${name} on PATH; name one that is.`, 127);
  return { realPip: python, realPipArgs: ['-m', 'pip'] };
}

export async function handler(args: {
  pip?: string[];
  '--'?: string[];
  json: boolean;
  as: string;
}): Promise<number> {
  const env = process.env;
  const argv = [...(args.pip ?? []), ...(args['--'] ?? [])].map(String);
  const facts = await gatherFacts({
    name: args.as,
    ...realPipAs(args.as, env),
    argv,
    env,
    cwd: process.cwd(),
    // What would happen in this terminal: a prompt here, nonInteractive in a script.
    interactive: isTerminal(0) && isTerminal(2),
  });
  const plan = decide(facts);
  // It changes nothing and keeps nothing; it says what it ran to learn the facts (its probes).
  const ran = programsStarted();
  console.log(args.json ? explainJson(plan, facts, ran) : explainText(plan, facts, ran));
  return 0;
}
