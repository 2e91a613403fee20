// The decide table: pip command lines, the facts that differ from given.ts's, and the whole
// plan expected for each.

import type { VenvState } from '../../../src/facts/project.js';
import type { Decision, Plan } from '../../../src/plan.js';
import { managed } from '../fixtures.js';
import {
  blocked,
  breakRefused,
  broken,
  forward,
  MANAGED,
  NO_PIPX,
  pipxInstall,
  pipxUninstall,
  routed,
  unusableVenv,
  venv,
} from './expected.js';
import type { Given } from './given.js';

export const valid: VenvState = { kind: 'valid' };
const unmanaged = { ...managed, externallyManaged: false };
const allowBreak = { allowBreakSystemPackages: true };

// Who chose: the default, PIP_GUARD_POLICY, auto's list of apps, a key of /p/.pip-guardrc.
const DEFAULT = 'the default';
const ENV = 'PIP_GUARD_POLICY';
const APPS = 'pipx.apps (the built-in list)';
const P = (key: string) => `/p/.pip-guardrc (${key})`;
const NOBODY = ', as nobody can be asked here';
const NO_USER = '--user was left out: a venv has no separate user site';
const HOOK = { hook: true, defaultVenv: false, inProject: true, root: '/p' };

const attempt: Decision = { kind: 'attempt', reason: 'cannot tell whether pip would refuse: a bash script' };
const neverChecks = (command: string) => forward(`pip ${command} never checks PEP 668`);
const targetSet = forward(
  '--target is set on the command line: pip does not check PEP 668 outside the environment',
);
const breakFlag = forward('--break-system-packages is set on the command line');
const sequence = (...steps: Plan[]): Plan => ({
  kind: 'sequence',
  reason: `${MANAGED}; per-package policies`,
  steps,
});

const prompt: Plan = {
  kind: 'prompt',
  reason: `${MANAGED}; policy prompt (PIP_GUARD_POLICY)`,
  question: `${MANAGED}. Where should pip install requests?`,
  choices: [
    {
      value: 'venv',
      label: 'into the project venv (/p/.venv)',
      plan: venv(['install', 'requests'], 'your answer'),
    },
    {
      value: 'pipx',
      label: 'with pipx, as command-line apps',
      plan: pipxInstall(
        'your answer',
        [[1, 'requests', 'requests']],
        venv(['install', 'requests'], 'your answer'),
      ),
    },
    { value: 'block', label: 'nowhere: stop here', plan: blocked('your answer', 'requests') },
  ],
  initial: 'venv',
};

// [pip command line, given, the whole plan]
export const rows: [string, Given, Decision][] = [
  ['install demo', {}, venv(['install', 'demo'], DEFAULT)],
  ['install demo', { venv: valid }, venv(['install', 'demo'], DEFAULT, { state: valid })],
  [
    'install demo',
    { venv: { kind: 'incomplete' } },
    venv(['install', 'demo'], DEFAULT, { state: { kind: 'incomplete' } }),
  ],
  ['install demo', { venv: { kind: 'broken', problem: 'no pyvenv.cfg' } }, unusableVenv('no pyvenv.cfg')],
  ['install --user demo', {}, venv(['install', 'demo'], DEFAULT, { notes: [NO_USER], from: [0, 2] })],
  [
    'install -r req.txt',
    {},
    venv(['install', '-r', 'req.txt'], DEFAULT, { packages: [], requirementFiles: true }),
  ],
  ['install', {}, forward('nothing to install: pip explains its own usage')],
  ['install demo', { policy: 'off' }, forward('policy off (PIP_GUARD_POLICY)')],
  ['install --target /t demo', {}, targetSet],
  ['install --break-system-packages demo', {}, breakFlag],
  [
    'install demo',
    { env: { PIP_BREAK_SYSTEM_PACKAGES: '1' } },
    forward('--break-system-packages is set by PIP_BREAK_SYSTEM_PACKAGES'),
  ],
  ['install demo', { interpreter: undefined }, attempt],
  [
    'install demo',
    { interpreter: unmanaged },
    forward('/usr/bin/python3 is not externally managed (no EXTERNALLY-MANAGED file)'),
  ],
  ['uninstall -y demo', { venv: valid }, routed(['uninstall', '-y', 'demo'])],
  [
    'uninstall -y demo',
    {},
    forward(`${MANAGED}; there is no pip-guard venv here to uninstall from`, {
      notice:
        "pip-guard installs into /p/.venv, which does not exist yet: nothing of pip-guard's to uninstall",
    }),
  ],
  ['uninstall -y demo', { interpreter: undefined }, attempt],
  ['list', { venv: valid }, routed(['list'])],
  ['list', {}, neverChecks('list')],
  ['list --user', { venv: valid }, neverChecks('list')],
  ['list --path /x', { venv: valid }, neverChecks('list')],
  ['freeze', { venv: valid }, routed(['freeze'])],
  ['show demo', { venv: valid }, routed(['show', 'demo'])],
  ['list', { venv: valid, policy: 'off' }, forward('policy off (PIP_GUARD_POLICY)')],
  ['list', { venv: valid, interpreter: unmanaged }, neverChecks('list')],
  ['download demo', { venv: valid }, neverChecks('download')],
  [
    'install black',
    { policy: 'pipx' },
    pipxInstall(ENV, [[1, 'black', 'black']], venv(['install', 'black'], ENV)),
  ],
  [
    'install black demo',
    { policy: 'pipx', venv: valid },
    pipxInstall(
      ENV,
      [
        [1, 'black', 'black'],
        [2, 'demo', 'demo'],
      ],
      venv(['install', 'black', 'demo'], ENV, { state: valid }),
    ),
  ],
  [
    'install -r req.txt',
    { policy: 'pipx' },
    venv(['install', '-r', 'req.txt'], ENV, {
      because: 'pipx cannot express -r',
      packages: [],
      requirementFiles: true,
    }),
  ],
  ['install black', { policy: 'pipx', pipx: null }, venv(['install', 'black'], ENV, { because: NO_PIPX })],
  [
    'install black',
    { policy: 'pipx', pipx: null, pipxMissing: 'error' },
    {
      kind: 'fail',
      reason: 'pipx was chosen, and pipx is not on PATH',
      exitCode: 1,
      message:
        'PIP_GUARD_POLICY sends this install to pipx, and pipx is not on PATH (Debian/Ubuntu: apt install pipx; ' +
        'elsewhere: https://pipx.pypa.io). Install pipx, or unset PIP_GUARD_PIPX_MISSING=error to fall back to the project venv.',
    },
  ],
  [
    'install black',
    { policy: 'pipx', venv: { kind: 'broken', problem: 'x' } },
    pipxInstall(ENV, [[1, 'black', 'black']], unusableVenv('x')),
  ],
  ['install --target /t black', { policy: 'pipx' }, targetSet],
  ['uninstall -y black', { policy: 'pipx', pipx: ['black'] }, pipxUninstall([[2, 'black', 'black']])],
  [
    'uninstall -y black demo',
    { policy: 'pipx', pipx: ['black'], venv: valid },
    pipxUninstall([[2, 'black', 'black']], routed(['uninstall', '-y', 'demo'], [2], [0, 1, 3])),
  ],
  [
    'uninstall -y demo',
    { policy: 'pipx', pipx: ['black'], venv: valid },
    routed(['uninstall', '-y', 'demo']),
  ],
  [
    'uninstall -y black',
    { policy: 'venv', pipx: ['black'], venv: valid },
    routed(['uninstall', '-y', 'black']),
  ],
  ['uninstall -y --break-system-packages black', { policy: 'pipx', pipx: ['black'] }, breakFlag],
  // auto, the default: known apps to pipx, the rest to the venv, a mix to the venv.
  ['install black', {}, pipxInstall(APPS, [[1, 'black', 'black']], venv(['install', 'black'], APPS))],
  [
    'install Black==24.1',
    {},
    pipxInstall(
      APPS,
      [[1, 'Black==24.1', 'black', false]],
      venv(['install', 'Black==24.1'], APPS, { packages: ['black'] }),
    ),
  ],
  ['install black requests', {}, venv(['install', 'black', 'requests'], DEFAULT, { keptApps: ['black'] })],
  [
    'install -r req.txt black',
    {},
    venv(['install', '-r', 'req.txt', 'black'], DEFAULT, {
      packages: ['black'],
      keptApps: ['black'],
      requirementFiles: true,
    }),
  ],
  [
    'install --user black',
    {},
    pipxInstall(
      APPS,
      [[2, 'black', 'black']],
      venv(['install', 'black'], APPS, { notes: [NO_USER], from: [0, 2] }),
    ),
  ],
  ['uninstall -y black', { pipx: ['black'] }, pipxUninstall([[2, 'black', 'black']])],
  [
    'install my-tool',
    { project: { pipx: { apps: ['my-tool'] } } },
    pipxInstall(
      `pipx.apps (the built-in list, ${P('pipx.apps')})`,
      [[1, 'my-tool', 'my-tool']],
      venv(['install', 'my-tool'], `pipx.apps (the built-in list, ${P('pipx.apps')})`),
    ),
  ],
  // Per-package overrides, also splitting one command.
  [
    'install requests',
    { project: { packages: { requests: 'pipx' } } },
    pipxInstall(
      P('packages.requests'),
      [[1, 'requests', 'requests']],
      venv(['install', 'requests'], P('packages.requests')),
    ),
  ],
  [
    'install black',
    { project: { packages: { black: 'venv' } } },
    venv(['install', 'black'], P('packages.black')),
  ],
  [
    'install black requests',
    { project: { packages: { black: 'pipx' } } },
    sequence(
      pipxInstall(
        P('packages.black'),
        [[1, 'black', 'black']],
        venv(['install', 'black'], P('packages.black'), { dropped: [2] }),
      ),
      venv(['install', 'requests'], DEFAULT, { dropped: [1], from: [0, 2] }),
    ),
  ],
  [
    'install requests flask',
    { project: { packages: { flask: 'block' } } },
    blocked(P('packages.flask'), 'requests flask'),
  ],
  [
    'install -r req.txt demo',
    { project: { packages: { demo: 'break' } }, user: allowBreak },
    {
      kind: 'fail',
      reason: 'demo is to break, and requirement files cannot be split',
      exitCode: 2,
      message:
        '/p/.pip-guardrc (packages.demo) sends demo into the system with --break-system-packages, and this command ' +
        'also installs from requirement files (-r, -c, -e, …) whose packages must not follow it there: ' +
        'install demo on its own, and the rest separately.',
    },
  ],
  [
    'install demo other',
    { project: { packages: { demo: 'break' } }, user: allowBreak },
    sequence(
      broken(['install', '--break-system-packages', 'demo'], P('packages.demo')),
      venv(['install', 'other'], DEFAULT, { dropped: [1], from: [0, 2] }),
    ),
  ],
  // block, break, prompt.
  ['install requests', { project: { policy: 'block' } }, blocked(P('policy'), 'requests')],
  [
    'install requests',
    { project: { policy: 'block', packages: { requests: 'venv' } } },
    venv(['install', 'requests'], P('packages.requests')),
  ],
  ['install requests', { project: { policy: 'break' } }, breakRefused(P('policy'))],
  [
    'install requests',
    { project: { policy: 'break' }, user: allowBreak },
    broken(['install', '--break-system-packages', 'requests'], P('policy')),
  ],
  [
    'install requests',
    { policy: 'break', user: allowBreak },
    broken(['install', '--break-system-packages', 'requests'], ENV),
  ],
  [
    'uninstall -y requests',
    { policy: 'break', user: allowBreak },
    broken(['uninstall', '--break-system-packages', '-y', 'requests'], ENV),
  ],
  ['install requests', { policy: 'prompt', interactive: true }, prompt],
  ['install requests', { policy: 'prompt' }, venv(['install', 'requests'], `${DEFAULT}${NOBODY}`)],
  [
    'install requests',
    { policy: 'prompt', project: { nonInteractive: 'block' } },
    blocked(`${P('nonInteractive')}${NOBODY}`, 'requests'),
  ],
  [
    'install requests',
    { policy: 'prompt', project: { nonInteractive: 'off' } },
    forward(`policy off (${P('nonInteractive')}${NOBODY})`),
  ],
  // How the user gets at the venv: the calling shell's prompt hook activates it at the next prompt,
  // unless the hook walks another path (PWD) or the user typed deactivate in this project; a venv
  // pip-guard activated is active already; outside a project only with venv.activateDefault.
  ['install demo', { shell: HOOK }, venv(['install', 'demo'], DEFAULT, { use: 'next-prompt' })],
  ['install demo', { shell: { ...HOOK, root: '/elsewhere' } }, venv(['install', 'demo'], DEFAULT)],
  ['install demo', { shell: { ...HOOK, off: true } }, venv(['install', 'demo'], DEFAULT)],
  [
    'install demo',
    { shell: { ...HOOK, inProject: false, root: undefined } },
    venv(['install', 'demo'], DEFAULT),
  ],
  ['install demo', { shell: { ...HOOK, hook: false } }, venv(['install', 'demo'], DEFAULT)],
  [
    'install demo',
    { shell: HOOK, activated: true, venv: valid },
    venv(['install', 'demo'], DEFAULT, { use: 'active', state: valid }),
  ],
  [
    'install demo',
    { shell: { ...HOOK, inProject: false, root: undefined }, outside: true },
    venv(['install', 'demo'], DEFAULT, { outside: true }),
  ],
  [
    'install demo',
    { shell: { ...HOOK, defaultVenv: true, inProject: false, root: undefined }, outside: true },
    venv(['install', 'demo'], DEFAULT, { outside: true, use: 'next-prompt' }),
  ],
  [
    'install black',
    { policy: 'pipx', shell: HOOK, binDirOffPath: true },
    pipxInstall(ENV, [[1, 'black', 'black']], venv(['install', 'black'], ENV, { use: 'next-prompt' }), {
      binDirOnPath: false,
      binDirNextPrompt: true,
    }),
  ],
  [
    'install black',
    { policy: 'pipx', binDirOffPath: true },
    pipxInstall(ENV, [[1, 'black', 'black']], venv(['install', 'black'], ENV), { binDirOnPath: false }),
  ],
  // Routing follows venv.route and stays off under block and break.
  ['list', { venv: valid, project: { venv: { route: false } } }, neverChecks('list')],
  ['list', { venv: valid, project: { policy: 'block' } }, neverChecks('list')],
];
