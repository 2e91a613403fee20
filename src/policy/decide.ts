// Facts → Plan, with no effects: what pip-guard does with one pip command.
import type { Facts, Plan } from '../plan.js';
import { installWithPipx, uninstallWithPipx } from './pipx.js';
import { installInVenv, routes, routeToVenv } from './venv.js';

export function decide(facts: Facts): Plan {
  const { line, verdict, policy } = facts;
  if (policy.name === 'off') return { kind: 'forward', reason: `policy off (${policy.source})` };
  if (line.command === 'uninstall' && policy.name === 'pipx' && verdict.refuses === true) {
    const pipx = uninstallWithPipx(facts);
    if (pipx) return pipx;
  }
  if (routes(facts)) return routeToVenv(facts);
  if (verdict.refuses === 'unknown') {
    return { kind: 'attempt', reason: `cannot tell whether pip would refuse: ${verdict.reason}` };
  }
  if (verdict.refuses === false) return { kind: 'forward', reason: verdict.reason };
  if (line.command === 'install')
    return policy.name === 'pipx' ? installWithPipx(facts) : installInVenv(facts);
  return {
    kind: 'forward',
    reason: `${verdict.reason}; there is no pip-guard venv here to ${line.command} from`,
    notice: `pip-guard installs into ${facts.venv.path}, which does not exist yet: nothing of pip-guard's to ${line.command}`,
  };
}
