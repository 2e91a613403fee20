// doctor's first section: every pip on PATH, in order, and the Python each one runs; and
// PIP_GUARD_REAL_PIP, which the shims run instead of any of them when it is set.
import type { Env } from '../base/env.js';
import { describeInterpreter, type PipOnPath, type PipReport, realPipFor } from '../facts/real-pips.js';
import { type Finding, note, ok, problem } from './finding.js';

function forcedPip(env: Env): Finding | undefined {
  const forced = env.PIP_GUARD_REAL_PIP;
  if (!forced) return undefined;
  const found = realPipFor('pip', env);
  if ('problem' in found)
    return problem('PIP_GUARD_REAL_PIP is set, and the shims cannot run it', found.problem);
  return ok(`PIP_GUARD_REAL_PIP=${forced}: the shims run it for pip, pip3 and pip3.N alike`);
}

export function pipFindings(pips: readonly PipOnPath[], reports: readonly PipReport[], env: Env): Finding[] {
  const forced = forcedPip(env);
  const listed = pips.map((pip, i) => note(`${pip.path} ${describeInterpreter(reports[i] as PipReport)}`));
  if (pips.length === 0 && !forced) {
    return [
      problem(
        "there is no pip, pip3 or pip3.N on PATH besides pip-guard's shims, so the shims have nothing to run",
        'install pip (Debian and Ubuntu: `sudo apt install python3-pip`)',
      ),
    ];
  }
  return [...(forced ? [forced] : []), ...listed];
}
