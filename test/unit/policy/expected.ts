// The plans the decide table expects, spelled out for the facts of given.ts (no pip-guard code
// computes them): every field, so that a wrong argv, target, reason or notice shows.

import type { VenvState } from '../../../src/facts/project.js';
import type { FailPlan, ForwardPlan, PipxPlan, Plan, VenvPlan } from '../../../src/plan.js';

export const MANAGED = '/usr/bin/python3 is externally managed (PEP 668)';
const PIPX_HINT = 'Debian/Ubuntu: apt install pipx; elsewhere: https://pipx.pypa.io';
export const NO_PIPX = `pipx is not installed (${PIPX_HINT})`;
export const USER_FILE = '/home/u/.config/pip-guard/config.json';

const DEFAULT_VENV = '/home/u/.local/share/pip-guard/venvs/python3.11';

const target = (state: VenvState) => ({ path: '/p/.venv', origin: 'project' as const, root: '/p', state });

export interface VenvOptions {
  state?: VenvState;
  dropped?: number[];
  // Why not pipx (in the reason and the notice), and the notes for the notice.
  because?: string;
  notes?: string[];
  // The packages named (default: argv's words after the command that are not options), and
  // the apps auto kept in the venv with them.
  packages?: string[];
  keptApps?: string[];
  // How the user gets at the venv afterwards (the default: pip-guard run or its activate script).
  use?: VenvPlan['use'];
  // The default venv (no project) instead of /p/.venv.
  outside?: boolean;
  // The reason's start, when it is not pip's refusal alone.
  refusal?: string;
  // Each argv word's position in pip's command line (default: the same, nothing left out).
  from?: number[];
  requirementFiles?: boolean;
  // The name pip runs by in the venv (default: pip).
  pip?: string[];
}

const ownPip = (o: VenvOptions, path = '/p/.venv') => ({
  command: o.pip ?? [`${path}/bin/pip`],
  real: false,
});
const positions = (argv: string[], o: VenvOptions) => o.from ?? argv.map((_, i) => i);

// A refused install run in /p/.venv (made first unless the state is valid), chosen by `from`.
export function venv(argv: string[], from: string, o: VenvOptions = {}): VenvPlan {
  const state = o.state ?? { kind: 'missing' };
  const create = state.kind !== 'valid';
  const because = o.because ? ` and ${o.because}` : '';
  return {
    kind: 'venv',
    purpose: 'install',
    reason: `${o.refusal ?? MANAGED}; the venv, chosen by ${from}${o.because ? `, and ${o.because}` : ''}`,
    venv: o.outside ? { path: DEFAULT_VENV, origin: 'default', state } : target(state),
    // No seed wheels in these facts: ensurepip installs pip.
    ...(create
      ? {
          make: {
            argv: ['/usr/bin/python3', '-m', 'venv', o.outside ? DEFAULT_VENV : '/p/.venv'],
            version: '3.11',
          },
        }
      : {}),
    python: '/usr/bin/python3',
    // A valid venv's own, else the Python that makes it.
    version: state.kind === 'valid' ? state.version : '3.11',
    pip: ownPip(o, o.outside ? DEFAULT_VENV : '/p/.venv'),
    argv,
    from: positions(argv, o),
    droppedArgs: o.dropped ?? [],
    requirementFiles: o.requirementFiles ?? false,
    env: { PIP_USER: '0', PIP_PYTHON: undefined },
    cause: `${MANAGED}${because}`,
    notes: o.notes ?? [],
    packages: o.packages ?? argv.slice(1).filter((word) => !word.startsWith('-')),
    keptApps: o.keptApps ?? [],
    use: o.use ?? 'run',
    activate: 'eval "$(pip-guard activate)"',
  };
}

// A command pip-guard runs in the existing /p/.venv instead of the system's environment.
export function routed(argv: string[], dropped: number[] = [], from?: number[]): VenvPlan {
  return {
    kind: 'venv',
    purpose: 'route',
    reason:
      '/usr/bin/python3 is externally managed and /p/.venv is where pip-guard installs (venv.route: the default)',
    venv: target({ kind: 'valid' }),
    python: '/usr/bin/python3',
    version: undefined,
    pip: ownPip({}),
    argv,
    from: positions(argv, { from }),
    droppedArgs: dropped,
    requirementFiles: false,
    env: { PIP_PYTHON: undefined },
    cause: '/usr/bin/python3 is externally managed',
    notes: [],
    packages: argv.slice(1).filter((word) => !word.startsWith('-')),
    keptApps: [],
    use: 'active',
    activate: 'eval "$(pip-guard activate)"',
  };
}

export const forward = (reason: string, more: Omit<ForwardPlan, 'kind' | 'reason'> = {}): ForwardPlan => ({
  kind: 'forward',
  reason,
  ...more,
});

// The real pip with --break-system-packages, as `from` chose and the user's file allows.
export const broken = (argv: string[], from: string, allowedBy = `${USER_FILE} (allowBreakSystemPackages)`) =>
  forward(`${MANAGED}; break, chosen by ${from}, allowed by ${allowedBy}`, {
    argv,
    notice: `policy break (${from}): pip ran with --break-system-packages, on /usr/bin/python3's own environment`,
  });

export function blocked(
  from: string,
  names: string,
  reason = `${MANAGED}; block, chosen by ${from}`,
): FailPlan {
  return {
    kind: 'fail',
    reason,
    exitCode: 1,
    message:
      `${MANAGED}, and pip-guard's policy block (${from}) keeps installs out of it, so nothing was installed. ` +
      `What works: for a project's library, \`python3 -m venv .venv && .venv/bin/pip install ${names}\`; ` +
      `for a command-line app, ${names
        .split(' ')
        .map((name) => `\`pipx install ${name}\``)
        .join(', ')}.`,
  };
}

export const breakRefused = (from: string): FailPlan => ({
  kind: 'fail',
  reason: `break, chosen by ${from}, is not allowed`,
  exitCode: 2,
  message:
    `${from} asks pip-guard to install into /usr/bin/python3's own environment with --break-system-packages, ` +
    "which can break the system's own tools; pip-guard does that only when your own config allows it " +
    '(allowBreakSystemPackages: true in ~/.config/pip-guard/config.json or /etc/pip-guard/config.json) or ' +
    'PIP_GUARD_ALLOW_BREAK=1 is set. Nothing was installed.',
});

export const unusableVenv = (problem: string): FailPlan => ({
  kind: 'fail',
  reason: `/p/.venv is not a usable venv: ${problem}`,
  exitCode: 1,
  message:
    `/p/.venv is not a usable virtual environment (${problem}), so pip-guard cannot install into it. ` +
    'pip-guard did not make it and will not delete it: recreate it with `python3 -m venv --clear /p/.venv`, ' +
    'or move it away, and run pip again.',
});

// [argIndex, raw requirement, its normalised name, whether it is a bare name (yes unless told)]
type Call = [number, string, string, boolean?];

const requirement = (raw: string, name: string, bare = true) => ({ raw, name, bare });

const pipxBase = {
  pipx: '/usr/bin/pipx',
  python: '/usr/bin/python3',
  binDir: '/home/u/.local/bin',
  binDirOnPath: true,
  binDirNextPrompt: false,
};

// `pipx install` once per package, chosen by `from`; what pipx refuses goes to `noCommands`.
export function pipxInstall(
  from: string,
  calls: Call[],
  noCommands: VenvPlan | FailPlan,
  path: Partial<Pick<PipxPlan, 'binDirOnPath' | 'binDirNextPrompt'>> = {},
): PipxPlan {
  return {
    kind: 'pipx',
    command: 'install',
    reason: `${MANAGED}; pipx, chosen by ${from}`,
    ...pipxBase,
    ...path,
    calls: calls.map(([argIndex, raw, name, bare]) => ({
      requirement: requirement(raw, name, bare),
      argIndex,
      argv: ['install', '--python', '/usr/bin/python3', raw],
    })),
    noCommands,
  };
}

// `pipx uninstall` of the apps pipx has; the other names go to `others`.
export function pipxUninstall(calls: Call[], others?: Plan): PipxPlan {
  const names = calls.map(([, , name]) => name);
  return {
    kind: 'pipx',
    command: 'uninstall',
    reason: `${names.join(', ')} ${names.length === 1 ? 'is a pipx app' : 'are pipx apps'}`,
    confirm: undefined,
    ...pipxBase,
    calls: calls.map(([argIndex, raw, name, bare]) => ({
      requirement: requirement(raw, name, bare),
      argIndex,
      argv: ['uninstall', raw],
    })),
    others: others as PipxPlan['others'],
  };
}
