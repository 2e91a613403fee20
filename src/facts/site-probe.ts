// What `pip-guard repair` must know of the damaged packages of one Python, beyond doctor's scan:
// each one's RECORD checked against the files, its requirements and what meets them, who else
// needs it, and where its site directory's scheme puts scripts and data. Asked of that Python
// (site-probe.py), read-only.
import type { Env } from '../base/env.js';
import { capture } from '../base/process.js';
import PROBE from './site-probe.py';

export interface Met {
  distInfo: string;
  version: string;
  // Installed by pip too (then it moves along), or the distribution's.
  damaged: boolean;
  // Its version is one the requirement allows.
  ok: boolean;
}

export interface RequirementFact {
  // PEP 503 normalised.
  name: string;
  spec: string;
  met: Met | null;
}

export interface DistFacts {
  distInfo: string;
  name: string;
  version: string;
  // A user named it (pip wrote REQUESTED), rather than pip pulling it in for another package.
  requested: boolean;
  // Another copy of it that comes first on the path, if one does.
  shadowedBy: string | null;
  scripts: string[];
  // Every file its RECORD lists, as absolute paths.
  files: string[];
  // Why its files cannot be trusted (missing, changed, no RECORD), if they cannot.
  problem: string | null;
  // null: pip-guard could not read requirements on that Python (no packaging library).
  requires: RequirementFact[] | null;
}

export type Scheme = Partial<Record<'purelib' | 'platlib' | 'scripts' | 'data', string>>;

export interface SiteFacts {
  dists: DistFacts[];
  // Normalised name → the distribution's packages ("name version") that need it.
  systemDependents: Record<string, string[]>;
  // Normalised name → the copies of it that pip did not install, which it hides.
  copies: Record<string, string[]>;
  // Site directory → its scheme, or null when pip-guard cannot tell it.
  schemes: Record<string, Scheme | null>;
}

// -I: no PYTHON* variables or user site of the caller's; -S: no .pth file runs; -B: no bytecode
// written. `path` is the Python's own sys.path as its pip sees it (the user site included).
export async function probeSites(
  python: string,
  path: readonly string[],
  damaged: readonly string[],
  sites: readonly string[],
  env: Env,
): Promise<SiteFacts | { problem: string }> {
  const argument = JSON.stringify({ path, damaged, sites });
  const result = await capture(python, ['-I', '-S', '-B', '-c', PROBE, argument], env).catch(
    (error: Error) => ({
      code: undefined,
      stdout: '',
      stderr: error.message,
    }),
  );
  try {
    if (result.code !== 0) throw new Error();
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as SiteFacts;
  } catch {
    const said = result.stderr.trim().split('\n').pop() ?? '';
    return { problem: `${python} could not read its packages' records${said ? ` (${said})` : ''}` };
  }
}
