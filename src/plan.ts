// The seam between deciding and doing: facts gathered once, and the plain-data Plan that
// policy.ts derives from them. `pip-guard explain` prints a Plan; runner.ts carries one out.
import type { Interpreter, Verdict } from './pep668.js';
import type { PipCommandLine } from './pip-cli/parse.js';
import type { Settings } from './pip-cli/settings.js';
import type { VenvTarget } from './project.js';

export type PolicyName = 'venv' | 'off';

export interface Facts {
  // The name the shim was called by (pip, pip3, pip3.11) and the real program it stands for.
  name: string;
  realPip: string;
  line: PipCommandLine;
  // pip's effective options (argv over PIP_* over pip's config files), or why they are unknown.
  settings: Settings | { problem: string };
  verdict: Verdict;
  interpreter?: Interpreter;
  venv: VenvTarget;
  policy: { name: PolicyName; source: string };
}

// Changes to the environment of the command a plan runs (undefined removes a variable).
export type EnvChanges = Readonly<Record<string, string | undefined>>;

export type Plan =
  // Run the real pip exactly as typed.
  | { kind: 'forward'; reason: string; notice?: string }
  // Run the real pip; only if it refuses under PEP 668, decide again knowing that.
  | { kind: 'attempt'; reason: string }
  // Run pip in a venv (created first when `create`), with argv rewritten for it.
  | {
      kind: 'venv';
      reason: string;
      venv: VenvTarget;
      create: boolean;
      // The interpreter that creates the venv: the one the real pip runs on.
      python: string;
      argv: string[];
      env: EnvChanges;
      notice: string;
    }
  // Stop with a message and exit code, running nothing.
  | { kind: 'fail'; reason: string; message: string; exitCode: number };
