// pip-guard explain [--json] [--as NAME] -- <pip args>: what pip-guard would do with a pip
// command, without doing it (it creates nothing, not even its interpreter cache).
import type { Argv } from 'yargs';
import { gatherFacts } from '../facts.js';
import { decideChecked } from '../guard.js';
import { explainJson, explainText } from '../plan-text.js';
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
  const gathered = await gatherFacts({
    name: args.as,
    realPip: findRealPip(args.as, env),
    argv,
    env,
    cwd: process.cwd(),
    // What would happen in this terminal: a prompt here, nonInteractive in a script.
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    readOnly: true,
  });
  const { facts, plan } = await decideChecked(gathered);
  console.log(args.json ? explainJson(plan, facts) : explainText(plan, facts));
  return 0;
}
