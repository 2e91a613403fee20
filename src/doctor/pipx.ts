// doctor's pipx checks: pipx on PATH, and the directory it links apps' commands into on PATH too.
import type { Env } from '../env.js';
import { pipxFacts } from '../pipx/installed.js';
import { type Finding, ok, problem } from './finding.js';

export function pipxFindings(env: Env): Finding[] {
  const pipx = pipxFacts(env);
  const present = pipx.path
    ? ok(`pipx: ${pipx.path}`)
    : problem(
        'pipx is not on PATH, so command-line apps that pip-guard would give to pipx go to the project venv instead',
        'install pipx (Debian and Ubuntu: `sudo apt install pipx`)',
      );
  const binDir = pipx.binDirOnPath
    ? ok(`pipx's bin directory ${pipx.binDir} is on PATH`)
    : problem(
        `pipx links apps' commands into ${pipx.binDir}, which is not on PATH, so they are not found after \`pipx install\``,
        `run \`pipx ensurepath\`, or add this line to your shell's rc file: export PATH="${pipx.binDir}:$PATH"`,
      );
  return [present, binDir];
}
