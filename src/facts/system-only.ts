// Which of the names a `pip uninstall` names only the system's environment has, and which OS
// package owns one there: routed to pip-guard's venv, pip would say "Skipping … as it is not
// installed" and exit 0, and a script would take that for success (policy/system-only.ts).
// The probes: the venv's Python and the system's, asked which distributions they have.
import { capture } from '../base/process.js';
import { dpkgOwner } from './package-owners.js';

const WHERE = [
  'import json, sys',
  'from importlib import metadata',
  'found = {}',
  'for name in sys.argv[1:]:',
  '    try: found[name] = str(metadata.distribution(name)._path)',
  '    except Exception: pass',
  'print(json.dumps(found))',
].join('\n');

// name → the metadata directory of its installed distribution, for those `python` has.
async function installedIn(python: string, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const result = await capture(python, ['-I', '-c', WHERE, ...names]).catch(() => undefined);
  try {
    return new Map(Object.entries(JSON.parse(result?.stdout ?? '{}') as Record<string, string>));
  } catch {
    return new Map();
  }
}

export interface SystemOnly {
  name: string;
  argIndex: number;
  // Its metadata directory in the system's environment, and the OS package that owns it.
  path: string;
  owner?: string;
}

// Of the names at `args` (argv positions → requirement names), those `venvPython` lacks and
// `systemPython` has.
export async function systemOnly(
  venvPython: string,
  systemPython: string,
  args: ReadonlyMap<number, string>,
): Promise<SystemOnly[]> {
  const names = [...new Set(args.values())];
  const inVenv = await installedIn(venvPython, names);
  const inSystem = await installedIn(
    systemPython,
    names.filter((name) => !inVenv.has(name)),
  );
  const found: SystemOnly[] = [];
  for (const [argIndex, name] of args) {
    const path = inSystem.get(name);
    if (path) found.push({ name, argIndex, path, owner: await dpkgOwner(path) });
  }
  return found;
}
