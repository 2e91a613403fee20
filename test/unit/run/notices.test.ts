// Every line pip-guard adds after pip's (or pipx's), as a function of the plan and of what the run
// changed: it says what happened, never what was planned.
import { describe, expect, it } from 'vitest';
import type { VenvPlan } from '../../../src/plan.js';
import { systemOnlyMessage } from '../../../src/policy/system-only.js';
import {
  forwardNotice,
  pipxNotice,
  pipxUninstallNotice,
  type VenvRun,
  venvNotice,
} from '../../../src/run/notices.js';

const MANAGED = '/usr/bin/python3 is externally managed (PEP 668)';
const REMOVED = 'pip-guard removed the venv it had made for this install, which held nothing of yours';
const RUN = 'use it with `pip-guard run python3 …` or `eval "$(pip-guard activate)"`';

const plan: VenvPlan = {
  kind: 'venv',
  purpose: 'install',
  reason: 'r',
  venv: { path: '/p/.venv', origin: 'project', root: '/p', state: { kind: 'missing' } },
  make: { argv: ['/usr/bin/python3', '-m', 'venv', '/p/.venv'], version: '3.11' },
  python: '/usr/bin/python3',
  version: '3.11',
  pip: { command: ['/p/.venv/bin/pip'], real: false },
  argv: ['install', 'demo'],
  from: [0, 1],
  droppedArgs: [],
  requirementFiles: false,
  env: {},
  cause: MANAGED,
  notes: [],
  packages: ['demo'],
  keptApps: [],
  use: 'run',
  activate: 'eval "$(pip-guard activate)"',
};
// An existing venv: nothing to make.
const existing: VenvPlan = {
  ...plan,
  make: undefined,
  venv: { ...plan.venv, state: { kind: 'valid', version: '3.11' } },
};

const none = { added: [], removed: [], reinstalled: [] };
const made: VenvRun = {
  outcome: { code: 0 },
  created: true,
  removed: false,
  changes: { ...none, added: ['demo 1.1'] },
  already: [],
  apps: [],
  shimmed: [],
};
const inExisting: VenvRun = { ...made, created: false };
const unchanged: VenvRun = { ...inExisting, changes: none };

const rows: [string, VenvPlan, VenvRun, string][] = [
  [
    'a new venv, installed into',
    plan,
    made,
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); ${RUN}`,
  ],
  [
    'an existing venv, installed into',
    existing,
    inExisting,
    `${MANAGED}, so pip installed into /p/.venv (Python 3.11); ${RUN}`,
  ],
  [
    'an upgrade in place (installed anew) is an install',
    existing,
    { ...inExisting, changes: { ...none, reinstalled: ['demo 1.1'] } },
    `${MANAGED}, so pip installed into /p/.venv (Python 3.11); ${RUN}`,
  ],
  [
    'what the command named was there already: it says so, and that nothing changed',
    existing,
    { ...unchanged, already: ['demo 1.1'] },
    `${MANAGED}, so pip ran in /p/.venv (Python 3.11): demo 1.1 was there already, and nothing changed`,
  ],
  [
    'two named, both there already',
    { ...existing, packages: ['demo', 'demo-app'] },
    { ...unchanged, already: ['demo 1.1', 'demo-app 1.0'] },
    `${MANAGED}, so pip ran in /p/.venv (Python 3.11): demo 1.1 and demo-app 1.0 were there already, and nothing changed`,
  ],
  [
    'a requirements file whose requirements were met already',
    { ...existing, packages: [], requirementFiles: true },
    unchanged,
    `${MANAGED}, so pip ran in /p/.venv (Python 3.11): what it asked for was there already, and nothing changed`,
  ],
  [
    'a success that changed nothing pip-guard can tell',
    { ...existing, packages: [] },
    unchanged,
    `${MANAGED}, so pip ran in /p/.venv (Python 3.11): nothing was installed, and nothing changed`,
  ],
  [
    'a dry run for a venv still to be made, with what pip would install',
    { ...plan, make: undefined, dryRun: 'instead', report: true },
    { ...unchanged, wouldInstall: ['demo 2.0'] },
    `${MANAGED}: this was a dry run, so pip-guard made nothing; a real install would go into a new venv, /p/.venv (Python 3.11): it would install demo 2.0`,
  ],
  [
    'a dry run without a report (an older pip, or the user’s own --report)',
    { ...plan, make: undefined, dryRun: 'instead' },
    unchanged,
    `${MANAGED}: this was a dry run, so pip-guard made nothing; a real install would go into a new venv, /p/.venv (Python 3.11)`,
  ],
  [
    'a dry run in an existing venv: what it would install, and nothing changed',
    { ...existing, dryRun: 'here', report: true },
    { ...unchanged, wouldInstall: ['demo 2.0'] },
    `${MANAGED}, so pip's dry run ran in /p/.venv (Python 3.11): it would install demo 2.0, and changed nothing`,
  ],
  [
    'a dry run with nothing to install',
    { ...existing, dryRun: 'here', report: true },
    { ...unchanged, wouldInstall: [] },
    `${MANAGED}, so pip's dry run ran in /p/.venv (Python 3.11): nothing to install, and changed nothing`,
  ],
  [
    'a dry run that failed',
    { ...existing, dryRun: 'here', report: true },
    { ...unchanged, outcome: { code: 1 } },
    `${MANAGED}, so pip's dry run ran in /p/.venv (Python 3.11), and changed nothing; pip failed with exit code 1`,
  ],
  [
    'a failure: pip’s exit code, where it ran, and the new venv gone again',
    plan,
    { ...made, removed: true, changes: none, outcome: { code: 1 } },
    `${MANAGED}, so pip ran in a new venv, /p/.venv, and failed with exit code 1; ${REMOVED}`,
  ],
  [
    'a failure in an existing venv leaves it',
    existing,
    { ...unchanged, outcome: { code: 2 } },
    `${MANAGED}, so pip ran in /p/.venv, and failed with exit code 2`,
  ],
  [
    'an interruption, whatever pip exited with',
    plan,
    { ...made, removed: true, changes: none, outcome: { code: 1 }, interrupted: 'SIGINT' },
    `${MANAGED}, so pip ran in a new venv, /p/.venv, and was interrupted (SIGINT); ${REMOVED}`,
  ],
  [
    'a child killed by a signal pip-guard did not pass on',
    plan,
    { ...made, changes: none, outcome: { signal: 'SIGKILL' } },
    `${MANAGED}, so pip ran in a new venv, /p/.venv, and was stopped by SIGKILL`,
  ],
  [
    'active already: nothing to say about using it',
    { ...plan, use: 'active' },
    made,
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11)`,
  ],
  [
    'the prompt hook activates it',
    { ...plan, use: 'next-prompt' },
    made,
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); it is active in this shell from the next prompt`,
  ],
  [
    'the python shims use it, and its commands',
    { ...plan, use: 'shims' },
    { ...made, shimmed: ['demo-app'] },
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); \`python3\` and its commands here use it`,
  ],
  [
    'the python shims use it, its commands have none',
    { ...plan, use: 'shims' },
    made,
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); \`python3\` here uses it`,
  ],
  [
    'notes follow a success: a dropped --user',
    { ...plan, notes: ['--user was left out: a venv has no separate user site'] },
    made,
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); ${RUN}; --user was left out: a venv has no separate user site`,
  ],
  [
    'an app auto kept in the venv with libraries, already there: the pipx command for it',
    { ...plan, keptApps: ['black'] },
    made,
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); ${RUN}; black is a command-line app: \`pipx install black\` would put it on PATH apart from this project`,
  ],
  [
    'an app the install put into the venv: its path, and the pipx install for PATH',
    plan,
    { ...made, apps: [{ name: 'demo-app', commands: ['demo-app'] }] },
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); ${RUN}; demo-app's command is in the venv: run /p/.venv/bin/demo-app, or \`pipx install demo-app\` to have it on PATH apart from this project`,
  ],
  [
    'an app whose command has a shim: by its name',
    { ...plan, use: 'shims' },
    { ...made, apps: [{ name: 'demo-app', commands: ['demo-app'] }], shimmed: ['demo-app'] },
    `${MANAGED}, so pip installed into a new venv, /p/.venv (Python 3.11); \`python3\` and its commands here use it; demo-app's command is in the venv: run demo-app, or \`pipx install demo-app\` to have it on PATH apart from this project`,
  ],
];

describe('venvNotice, for an install', () => {
  it.each(rows)('%s', (_, given, run, text) => {
    expect(venvNotice(given, 'pip', 'install', run)).toBe(text);
  });

  it('never says installed where nothing changed', () => {
    for (const [, given, run] of rows) {
      const said = venvNotice(given, 'pip', 'install', run);
      const changed = run.changes.added.length + run.changes.reinstalled.length > 0 && !given.dryRun;
      expect([said, said.includes('installed into')]).toEqual([
        said,
        changed && !('code' in run.outcome && run.outcome.code !== 0),
      ]);
    }
  });
});

describe('venvNotice, for a routed command', () => {
  const route = { ...existing, purpose: 'route' as const, cause: '/usr/bin/python3 is externally managed' };
  it('says where a routed command ran, and how an uninstall ended', () => {
    expect(venvNotice(route, 'pip3', 'list', unchanged)).toBe(
      "this is /p/.venv, this project's venv (/usr/bin/python3 is externally managed); PIP_GUARD_POLICY=off pip3 list shows the system's packages",
    );
    expect(venvNotice(route, 'pip', 'uninstall', { ...unchanged, outcome: { code: 1 } })).toBe(
      "pip uninstall ran in /p/.venv, this project's venv (/usr/bin/python3 is externally managed), and failed with exit code 1; the system's own packages are its package manager's to remove",
    );
    expect(venvNotice(route, 'pip', 'uninstall', unchanged)).toBe(
      "pip uninstall ran in /p/.venv, this project's venv (/usr/bin/python3 is externally managed); the system's own packages are its package manager's to remove",
    );
  });
});

describe('the other notices', () => {
  it('adds how a forwarded command ended when it failed', () => {
    expect(forwardNotice('policy break (x): pip ran', { outcome: { code: 0 } })).toBe(
      'policy break (x): pip ran',
    );
    expect(forwardNotice('policy break (x): pip ran', { outcome: { code: 1 } })).toBe(
      'policy break (x): pip ran; pip failed with exit code 1',
    );
  });

  const pipx = {
    python: '/usr/bin/python3',
    binDir: '/b',
    binDirOnPath: true,
    binDirNextPrompt: false,
    libraries: [],
    outcome: { code: 0 },
  };
  const black = { name: 'black', commands: ['black'], unlinked: [] };

  it.each([
    ['an app pipx installed', [black], `${MANAGED}, so black went to pipx: run black (linked in /b)`],
    [
      'an app pipx had already, and left as it was',
      [{ ...black, already: true }],
      `${MANAGED}, so black was in pipx already, and pipx changed nothing: run black (linked in /b)`,
    ],
    [
      'one of each',
      [black, { name: 'ruff', commands: ['ruff'], unlinked: [], already: true }],
      `${MANAGED}, so black went to pipx: run black (linked in /b), and ruff was in pipx already, and pipx changed nothing: run ruff (linked in /b)`,
    ],
    [
      'a command pipx could not link',
      [{ ...black, unlinked: ['black'] }],
      `${MANAGED}, so black went to pipx (commands in /b), and pipx did not link black: /b/black is not pipx's (move it away and run \`pipx install --force\` again)`,
    ],
  ])('pipx: %s', (_, apps, text) => {
    expect(pipxNotice({ ...pipx, apps })).toBe(text);
  });

  it('names the pipx call that failed', () => {
    expect(pipxNotice({ ...pipx, apps: [black], failed: 'ruff', outcome: { code: 1 } })).toBe(
      `${MANAGED}, so black went to pipx: run black (linked in /b), and pip-guard ran \`pipx install ruff\`, which failed with exit code 1`,
    );
  });

  it('says where the libraries pipx refused went, and how that ended', () => {
    const library = (run: VenvRun) =>
      pipxNotice({ ...pipx, apps: [], libraries: ['demo'], venv: { plan, run } });
    expect(library(made)).toBe(
      `${MANAGED}, so demo has no commands, so pip installed it into a new venv, /p/.venv (\`eval "$(pip-guard activate)"\`)`,
    );
    expect(library({ ...made, removed: true, outcome: { code: 1 } })).toBe(
      `${MANAGED}, so demo has no commands, so pip ran in a new venv, /p/.venv, and failed with exit code 1; ${REMOVED}`,
    );
  });

  it.each([
    [
      false,
      false,
      '; /b is not on PATH yet: run `pipx ensurepath` and open a new shell (until then: /b/black)',
    ],
    [false, true, "; /b is on this shell's PATH from the next prompt"],
    [true, false, ''],
  ])('says whether the apps run from this shell (on PATH: %s, hook: %s)', (onPath, hook, tail) => {
    const text = pipxNotice({ ...pipx, apps: [black], binDirOnPath: onPath, binDirNextPrompt: hook });
    expect(text).toBe(`${MANAGED}, so black went to pipx: run black (linked in /b)${tail}`);
  });

  it('says what pipx uninstalled, and what failed', () => {
    expect(pipxUninstallNotice(['black'], undefined, undefined)).toBe(
      "black is pipx's, so pipx uninstalled it",
    );
    expect(pipxUninstallNotice([], { name: 'ruff', outcome: { code: 1 } }, undefined)).toBe(
      "ruff is pipx's, and `pipx uninstall ruff` failed with exit code 1",
    );
  });

  it("says a package only the system has is the system's, and which apt package owns it", () => {
    const found = [
      {
        name: 'click',
        argIndex: 2,
        path: '/usr/lib/python3/dist-packages/click-8.1.3.egg-info',
        owner: 'python3-click',
      },
    ];
    expect(systemOnlyMessage('/p/.venv', '/usr/bin/python3', found)).toBe(
      "click is not installed in /p/.venv, where pip-guard installs; only /usr/bin/python3's own environment has it: " +
        'click (/usr/lib/python3/dist-packages/click-8.1.3.egg-info, from the Debian package python3-click). ' +
        'That environment belongs to the system, and pip-guard does not uninstall its packages, so it was left as it is; ' +
        'to remove it from the system, `sudo apt remove python3-click`.',
    );
  });
});
