// Facts for the decide tables: Debian's managed /usr/bin/python3 and its /usr/bin/pip, a project
// at /p whose venv is /p/.venv, pipx at /usr/bin/pipx, and whatever a row changes of that.
import type { LoadedFile } from '../../../src/config/load.js';
import { mergeConfig } from '../../../src/config/merge.js';
import type { ConfigPolicy } from '../../../src/config/policies.js';
import type { ConfigFile } from '../../../src/config/schema.js';
import { type Interpreter, pep668Verdict } from '../../../src/facts/pep668.js';
import type { Pips } from '../../../src/facts/pip-version.js';
import type { VenvState } from '../../../src/facts/project.js';
import { parsePipArgs } from '../../../src/pip-cli/parse.js';
import { effectiveSettings, envItems } from '../../../src/pip-cli/settings.js';
import type { Facts } from '../../../src/plan.js';
import { managed } from '../fixtures.js';

export interface Given {
  env?: Record<string, string>;
  interpreter?: Interpreter;
  venv?: VenvState;
  policy?: ConfigPolicy;
  // The project's config file (/p/.pip-guardrc) and the user's.
  project?: ConfigFile;
  user?: ConfigFile;
  interactive?: boolean;
  // pipx: absent (null), or the apps it has.
  pipx?: string[] | null;
  pipxMissing?: 'venv' | 'error';
  // The name typed: pip (the default), pip3.11, or python3 for `python3 -m pip`.
  as?: string;
  // The calling shell, as pip-guard init marked it; a venv pip-guard activated there.
  shell?: Facts['shell'];
  activated?: boolean;
  // No project: the default venv.
  outside?: boolean;
  // The names the venv's bin/ has pip by (default: all).
  venvPips?: string[];
  // pipx's bin directory is not on PATH.
  binDirOffPath?: boolean;
  // The real pip's pip and the venv's own.
  pips?: Pips;
}

function configOf(given: Given) {
  const files: LoadedFile[] = [];
  if (given.user)
    files.push({ kind: 'user', file: '/home/u/.config/pip-guard/config.json', config: given.user });
  if (given.project) files.push({ kind: 'project', file: '/p/.pip-guardrc', config: given.project });
  const env = given.policy ? { PIP_GUARD_POLICY: given.policy } : {};
  const config = mergeConfig(files, env, '/p');
  if ('problem' in config) throw new Error(config.problem);
  return config;
}

// The facts of `pip LINE` (words split on spaces) as gatherFacts would find them.
export function facts(line: string, given: Given = {}): Facts {
  const parsed = parsePipArgs(line.split(' ').filter(Boolean));
  const settings = effectiveSettings(parsed, envItems(given.env ?? {}));
  if ('problem' in settings) throw new Error(settings.problem);
  const interpreter = 'interpreter' in given ? given.interpreter : managed;
  const name = given.as ?? 'pip';
  return {
    name,
    realPip: `/usr/bin/${name}`,
    realPipArgs: name.startsWith('python') ? ['-m', 'pip'] : [],
    cwd: '/home/me/proj',
    line: parsed,
    settings,
    verdict: pep668Verdict(parsed, settings, interpreter ?? { problem: 'a bash script' }),
    interpreter,
    venv: given.outside
      ? {
          path: '/home/u/.local/share/pip-guard/venvs/python3.11',
          origin: 'default',
          state: given.venv ?? { kind: 'missing' },
        }
      : { path: '/p/.venv', origin: 'project', root: '/p', state: given.venv ?? { kind: 'missing' } },
    ...(given.pips ? { pips: given.pips } : {}),
    pipx: {
      path: given.pipx === null ? undefined : '/usr/bin/pipx',
      binDir: '/home/u/.local/bin',
      binDirOnPath: !given.binDirOffPath,
      apps: new Map(
        (given.pipx ?? []).map((name) => [
          name,
          { venv: `/home/u/.local/pipx/venvs/${name}`, commands: [name] },
        ]),
      ),
    },
    config: configOf(given),
    interactive: given.interactive ?? false,
    pipxMissing: given.pipxMissing ?? 'venv',
    venvPips: given.venvPips ?? (given.venv?.kind === 'valid' ? [name, 'pip'] : []),
    shell: given.shell,
    activated: given.activated ?? false,
  };
}
