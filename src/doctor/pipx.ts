// doctor's pipx checks: pipx on PATH, and the directory it links apps' commands into on PATH too.
import type { Env } from '../base/env.js';
import { pipxFacts } from '../facts/pipx-installed.js';
import { type Finding, ok, problem } from './finding.js';

// `hook`: the prompt hook of the shell that started doctor, which puts the bin directory on PATH
// once it exists.
export function pipxFindings(env: Env, hook: boolean): Finding[] {
  const pipx = pipxFacts(env);
  const present = pipx.path
    ? ok(`pipx: ${pipx.path}`)
    : problem(
        'pipx is not on PATH, so command-line apps that pip-guard would give to pipx go to the project venv instead',
        'install pipx (Debian and Ubuntu: `sudo apt install pipx`)',
      );
  const binDir = pipx.binDirOnPath
    ? ok(`pipx's bin directory ${pipx.binDir} is on PATH`)
    : hook
      ? ok(
          `pipx's bin directory ${pipx.binDir} is not there yet; this shell's prompt hook puts it on PATH once pipx makes it`,
        )
      : problem(
          `pipx links apps' commands into ${pipx.binDir}, which is not on PATH, so they are not found after \`pipx install\``,
          `run \`pip-guard setup --modify-path\` (or \`pipx ensurepath\`) and open a new shell, or add this line to your shell's rc file: export PATH="$PATH:${pipx.binDir}"`,
        );
  return [present, binDir];
}
