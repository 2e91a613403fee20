// pip-guard which [pip|pip3|pip3.N] [--json]: the real program a shim of that name runs, the
// Python it runs on, and whether pip refuses installs there. It writes nothing.
import type { Argv } from 'yargs';
import { UserError } from '../base/errors.js';
import { describeInterpreter, inspectPip, PIP_NAME, type PipReport, realPipFor } from '../facts/real-pips.js';

export const command = 'which [name]';
export const describe = 'Show the real pip a shim runs, its Python, and whether that is externally managed';

export const builder = (y: Argv) =>
  y
    .positional('name', { type: 'string', default: 'pip', describe: 'pip, pip3 or pip3.N' })
    .option('json', { type: 'boolean', default: false, describe: 'Print it as JSON' })
    .example('$0 which', 'The pip that `pip` runs behind the shim')
    .example('$0 which pip3.11 --json', 'The same for pip3.11, as JSON');

// What pip-guard does with an install through this pip, in one sentence.
function consequence(report: PipReport): string {
  const i = report.interpreter;
  if (!i) return 'pip-guard runs it, and redirects an install only if pip refuses it.';
  if (i.venv) return 'pip installs into that venv, and pip-guard never redirects it.';
  if (i.externallyManaged)
    return 'pip refuses installs there, so pip-guard redirects them to a venv or pipx.';
  return 'pip installs there as it always did; pip-guard leaves it alone.';
}

export async function handler(args: { name: string; json: boolean }): Promise<number> {
  const env = process.env;
  const name = String(args.name);
  if (!PIP_NAME.test(name))
    throw new UserError(`pip-guard which takes pip, pip3 or pip3.N (as in pip3.11), not "${name}".`, 2);
  const found = realPipFor(name, env);
  if ('problem' in found) {
    if (!args.json) throw new UserError(found.problem, 1);
    console.log(
      JSON.stringify({
        name,
        realPip: null,
        from: null,
        python: null,
        interpreter: null,
        problem: found.problem,
      }),
    );
    return 1;
  }
  const report = await inspectPip(found.path, env);
  if (args.json) {
    const json = {
      name,
      realPip: found.path,
      from: found.from,
      python: report.python ?? null,
      interpreter: report.interpreter ?? null,
      problem: report.problem ?? null,
    };
    console.log(JSON.stringify(json, null, 2));
    return 0;
  }
  const from = found.from === 'PIP_GUARD_REAL_PIP' ? ' (set by PIP_GUARD_REAL_PIP)' : '';
  console.log(`${name}: ${found.path}${from}`);
  console.log(`  ${describeInterpreter(report)}`);
  console.log(`  ${consequence(report)}`);
  return 0;
}
