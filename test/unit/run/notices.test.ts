import { describe, expect, it } from 'vitest';
import type { VenvPlan } from '../../../src/plan.js';
import {
  forwardNotice,
  pipxNotice,
  pipxUninstallNotice,
  systemOnlyNotice,
  venvNotice,
} from '../../../src/run/notices.js';

const plan: VenvPlan = {
  kind: 'venv',
  purpose: 'install',
  reason: 'r',
  venv: { path: '/p/.venv', origin: 'project', root: '/p', state: { kind: 'missing' } },
  make: { argv: ['/usr/bin/python3', '-m', 'venv', '/p/.venv'], version: '3.11' },
  dryRun: false,
  python: '/usr/bin/python3',
  version: '3.11',
  pip: { command: ['/p/.venv/bin/pip'], real: false },
  argv: ['install', 'demo'],
  from: [0, 1],
  droppedArgs: [],
  requirementFiles: false,
  env: {},
  cause: '/usr/bin/python3 is externally managed (PEP 668)',
  notes: [],
  packages: ['demo'],
  keptApps: [],
  use: 'run',
  activate: 'eval "$(pip-guard activate)"',
};
const ran = { created: true, removed: false, apps: [], shimmed: [] };
const ok = { ...ran, outcome: { code: 0 } };

describe('venvNotice', () => {
  it.each([
    [
      'active',
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11)',
    ],
    [
      'next-prompt',
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11); it is active in this shell from the next prompt',
    ],
  ] as const)('a success says how the venv is used (%s)', (use, text) => {
    expect(venvNotice({ ...plan, use }, 'pip', 'install', ok)).toBe(text);
  });

  it.each([
    [
      'a success says installed, where, with which Python, and how to use it',
      plan,
      ok,
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11); use it with `pip-guard run python3 …` or `eval "$(pip-guard activate)"`',
    ],
    [
      'a failure says pip failed with its exit code, where it ran, and that the new venv went again',
      plan,
      { ...ran, removed: true, outcome: { code: 1 } },
      '/usr/bin/python3 is externally managed (PEP 668), so pip ran in a new venv, /p/.venv, and failed with exit code 1; pip-guard removed the venv it had made for this install, which held nothing of yours',
    ],
    [
      'a failure in an existing venv leaves it',
      plan,
      { ...ran, created: false, outcome: { code: 2 } },
      '/usr/bin/python3 is externally managed (PEP 668), so pip ran in /p/.venv, and failed with exit code 2',
    ],
    [
      'an interruption says so, whatever pip exited with',
      plan,
      { ...ran, removed: true, outcome: { code: 1 }, interrupted: 'SIGINT' as const },
      '/usr/bin/python3 is externally managed (PEP 668), so pip ran in a new venv, /p/.venv, and was interrupted (SIGINT); pip-guard removed the venv it had made for this install, which held nothing of yours',
    ],
    [
      'a child killed by a signal pip-guard did not pass on',
      plan,
      { ...ran, outcome: { signal: 'SIGKILL' as const } },
      '/usr/bin/python3 is externally managed (PEP 668), so pip ran in a new venv, /p/.venv, and was stopped by SIGKILL',
    ],
    [
      'a dry run names the venv a real install would use, and made nothing',
      { ...plan, make: undefined, dryRun: true },
      { ...ok, created: false },
      '/usr/bin/python3 is externally managed (PEP 668): this was a dry run, so pip-guard made nothing; a real install would go into a new venv, /p/.venv (Python 3.11)',
    ],
    [
      'notes follow a success: a dropped --user',
      { ...plan, notes: ['--user was left out: a venv has no separate user site'] },
      ok,
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11); use it with `pip-guard run python3 …` or `eval "$(pip-guard activate)"`; --user was left out: a venv has no separate user site',
    ],
    [
      'an app auto kept in the venv with libraries, already there: the pipx command for it',
      { ...plan, keptApps: ['black'] },
      ok,
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11); use it with `pip-guard run python3 …` or `eval "$(pip-guard activate)"`; black is a command-line app: `pipx install black` would put it on PATH apart from this project',
    ],
    [
      'an app the install put into the venv: its path, and the pipx install for PATH',
      plan,
      { ...ok, apps: [{ name: 'demo-app', commands: ['demo-app'] }] },
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11); use it with `pip-guard run python3 …` or `eval "$(pip-guard activate)"`; demo-app\'s command is in the venv: run /p/.venv/bin/demo-app, or `pipx install demo-app` to have it on PATH apart from this project',
    ],
  ])('%s', (_, given, run, text) => {
    expect(venvNotice(given, 'pip', 'install', run)).toBe(text);
  });

  it('says where a routed command ran, and how it ended when it failed', () => {
    const route = {
      ...plan,
      purpose: 'route' as const,
      make: undefined,
      cause: '/usr/bin/python3 is externally managed',
    };
    expect(venvNotice(route, 'pip3', 'list', { ...ok, created: false })).toBe(
      "this is /p/.venv, this project's venv (/usr/bin/python3 is externally managed); PIP_GUARD_POLICY=off pip3 list shows the system's packages",
    );
    expect(venvNotice(route, 'pip', 'uninstall', { ...ran, created: false, outcome: { code: 1 } })).toBe(
      "pip uninstall ran in /p/.venv, this project's venv (/usr/bin/python3 is externally managed), and failed with exit code 1; the system's own packages are its package manager's to remove",
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

  it('names the pipx call that failed', () => {
    const text = pipxNotice({
      python: '/usr/bin/python3',
      apps: [{ name: 'black', commands: ['black'], unlinked: [] }],
      binDir: '/b',
      binDirOnPath: true,
      binDirNextPrompt: false,
      libraries: [],
      failed: 'ruff',
      outcome: { code: 1 },
    });
    expect(text).toBe(
      '/usr/bin/python3 is externally managed (PEP 668), so black went to pipx: run black (linked in /b), and pip-guard ran `pipx install ruff`, which failed with exit code 1',
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
    const text = pipxNotice({
      python: '/usr/bin/python3',
      apps: [{ name: 'black', commands: ['black'], unlinked: [] }],
      binDir: '/b',
      binDirOnPath: onPath,
      binDirNextPrompt: hook,
      libraries: [],
      outcome: { code: 0 },
    });
    expect(text).toBe(
      `/usr/bin/python3 is externally managed (PEP 668), so black went to pipx: run black (linked in /b)${tail}`,
    );
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
    expect(systemOnlyNotice('/p/.venv', '/usr/bin/python3', found)).toBe(
      "click is not installed in /p/.venv, where pip-guard installs; only /usr/bin/python3's own environment has it: " +
        'click (/usr/lib/python3/dist-packages/click-8.1.3.egg-info, from the Debian package python3-click). ' +
        'That environment belongs to the system, and pip-guard does not uninstall its packages, so it was left as it is; ' +
        'to remove it from the system, `sudo apt remove python3-click`.',
    );
  });
});
