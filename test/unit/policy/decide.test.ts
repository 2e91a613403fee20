import { describe, expect, it } from 'vitest';
import type { VenvState } from '../../../src/facts/project.js';
import { decide } from '../../../src/policy/decide.js';
import { venvNotice } from '../../../src/run/notices.js';
import { facts, type Given } from './given.js';
import { rows, valid } from './rows.js';

// A run that made the venv and installed.
const installed = {
  outcome: { code: 0 },
  created: true,
  removed: false,
  changes: { added: ['demo 1.1'], removed: [], reinstalled: [] },
  already: [],
  apps: [],
  shimmed: [],
};

describe('decide', () => {
  it.each(rows.map(([line, given, plan]) => [line, given, plan.kind, plan] as const))(
    'pip %s (%j) → %s',
    (line, given, _, plan) => {
      expect(decide(facts(line, given))).toStrictEqual(plan);
    },
  );

  it('runs the same arguments in the venv, minus --user and --break-system-packages', () => {
    const plan = decide(facts('--python /usr/bin/python3 install --user -U demo'));
    expect(plan).toMatchObject({ kind: 'venv', argv: ['install', '-U', 'demo'], python: '/usr/bin/python3' });
  });

  it('says which interpreter is managed, where the packages went and how to use them', () => {
    const plan = decide(facts('install demo'));
    expect(plan.kind === 'venv' && venvNotice(plan, 'pip', 'install', installed)).toBe(
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11); ' +
        'use it with `pip-guard run python3 …` or `eval "$(pip-guard activate)"`',
    );
  });

  it('sends what pipx does not manage on to the venv when an uninstall mixes both', () => {
    const plan = decide(facts('uninstall -y black demo', { policy: 'pipx', pipx: ['black'], venv: valid }));
    expect(plan.kind === 'pipx' && [plan.calls.map((c) => c.argv), plan.others?.kind]).toEqual([
      [['uninstall', 'black']],
      'venv',
    ]);
    expect(plan.kind === 'pipx' && plan.others?.kind === 'venv' && plan.others.argv).toEqual([
      'uninstall',
      '-y',
      'demo',
    ]);
  });

  it('keeps a mix of apps and libraries together in the venv under auto, and names the pipx command', () => {
    const plan = decide(facts('install black requests'));
    expect(plan.kind === 'venv' && venvNotice(plan, 'pip', 'install', installed)).toMatch(
      /; black is a command-line app: `pipx install black` would put it on PATH apart from this project$/,
    );
  });

  it('adds no app advice when no app is among the packages kept in the venv', () => {
    const plan = decide(
      facts('install x -r req.txt', { policy: 'pipx', project: { packages: { x: 'venv' } } }),
    );
    expect(plan.kind === 'venv' && venvNotice(plan, 'pip', 'install', installed)).toMatch(
      /; use it with `pip-guard run python3 …` or `eval "\$\(pip-guard activate\)"`$/,
    );
  });

  it('splits one command by per-package policies', () => {
    const plan = decide(facts('install black requests', { project: { packages: { black: 'pipx' } } }));
    if (plan.kind !== 'sequence') throw new Error(plan.kind);
    expect(plan.steps.map((step) => step.kind)).toEqual(['pipx', 'venv']);
    expect(plan.steps[1]?.kind === 'venv' && plan.steps[1].argv).toEqual(['install', 'requests']);
    expect(plan.steps[0]?.kind === 'pipx' && plan.steps[0].calls.map((c) => c.argv.at(-1))).toEqual([
      'black',
    ]);
  });

  it('does not send requirement files into the system along with one package’s break', () => {
    const given: Given = {
      project: { packages: { demo: 'break' } },
      user: { allowBreakSystemPackages: true },
    };
    const plan = decide(facts('install -r req.txt demo', given));
    expect(plan.kind === 'fail' && plan.message).toMatch(
      /^\/p\/\.pip-guardrc \(packages\.demo\) sends demo into the system/,
    );
    const split = decide(facts('install demo other', given));
    expect(
      split.kind === 'sequence' &&
        split.steps.map((s) => (s.kind === 'forward' || s.kind === 'venv' ? s.argv : s.kind)),
    ).toEqual([
      ['install', '--break-system-packages', 'demo'],
      ['install', 'other'],
    ]);
  });

  it('blocks with the file and key that chose it, and the two commands that would work', () => {
    const plan = decide(facts('install requests', { project: { policy: 'block' } }));
    expect(plan.kind === 'fail' && plan.message).toBe(
      "/usr/bin/python3 is externally managed (PEP 668), and pip-guard's policy block (/p/.pip-guardrc (policy)) keeps installs out of it, " +
        "so nothing was installed. What works: for a project's library, " +
        '`python3 -m venv .venv && .venv/bin/pip install requests`; for a command-line app, `pipx install requests`.',
    );
  });

  it('breaks system packages only where allowed, after the command and before a --', () => {
    const plan = decide(
      facts('install -q -- requests', {
        project: { policy: 'break' },
        user: { allowBreakSystemPackages: true },
      }),
    );
    expect(plan.kind === 'forward' && plan.argv).toEqual([
      'install',
      '--break-system-packages',
      '-q',
      '--',
      'requests',
    ]);
    const refused = decide(facts('install requests', { project: { policy: 'break' } }));
    expect(refused.kind === 'fail' && refused.message).toMatch(
      /^\/p\/\.pip-guardrc \(policy\) asks pip-guard to install into \/usr\/bin\/python3's own environment .* Nothing was installed\.$/,
    );
  });

  it('asks with auto’s choice preselected, and offers break only where allowed', () => {
    const ask = (given: Given) => {
      const plan = decide(facts('install black', { policy: 'prompt', interactive: true, ...given }));
      return plan.kind === 'prompt' ? [plan.initial, plan.choices.map((c) => c.value)] : plan.kind;
    };
    expect(ask({})).toEqual(['pipx', ['venv', 'pipx', 'block']]);
    expect(ask({ user: { allowBreakSystemPackages: true } })).toEqual([
      'pipx',
      ['venv', 'pipx', 'block', 'break'],
    ]);
  });

  it('refuses to touch a broken venv and names it with the fix', () => {
    const plan = decide(facts('install demo', { venv: { kind: 'broken', problem: 'it has no pyvenv.cfg' } }));
    expect(plan.kind === 'fail' && plan.message).toMatch(
      /\/p\/\.venv .*it has no pyvenv\.cfg.*python3 -m venv --clear/,
    );
  });
});

describe('the pip that runs in an existing venv', () => {
  const pip = (version: string, python = '3.11') => ({ version, site: '/x', python });
  const real = pip('24.2');
  const v311: VenvState = { kind: 'valid', version: '3.11' };
  const command = (given: Given) => {
    const plan = decide(facts('list', given));
    return plan.kind === 'venv' ? [...plan.pip.command, ...plan.argv] : plan.kind;
  };

  it.each([
    [
      'older than the real pip: the real pip, with --python',
      { real, venv: pip('23.0.1') },
      v311,
      ['/usr/bin/pip', '--python', '/p/.venv/bin/python', 'list'],
    ],
    ['as new as the real pip: its own', { real, venv: pip('24.2.0') }, v311, ['/p/.venv/bin/pip', 'list']],
    ['newer than the real pip: its own', { real, venv: pip('25.0.1') }, v311, ['/p/.venv/bin/pip', 'list']],
    [
      'older, in a venv of another Python: its own',
      { real, venv: pip('23.0.1') },
      { kind: 'valid', version: '3.12' } as VenvState,
      ['/p/.venv/bin/pip', 'list'],
    ],
    [
      'older, under a real pip without --python (22.3): its own',
      { real: pip('22.2'), venv: pip('21.0') },
      v311,
      ['/p/.venv/bin/pip', 'list'],
    ],
    [
      'of a version pip-guard cannot order: its own',
      { real, venv: pip('23.0.1+local') },
      v311,
      ['/p/.venv/bin/pip', 'list'],
    ],
    ['unknown: its own', { real }, v311, ['/p/.venv/bin/pip', 'list']],
  ] as const)('%s', (_, pips, venv, argv) => {
    expect(command({ venv, pips })).toEqual(argv);
  });
});

describe('python3 -m pip', () => {
  // The command that runs pip in the venv, for the venv's bin/ holding VENV_PIPS.
  const command = (given: Given) => {
    const plan = decide(facts('install demo', { venv: valid, ...given }));
    return plan.kind === 'venv' ? [...plan.pip.command, ...plan.argv] : plan.kind;
  };

  it('runs pip as the venv’s python -m pip, or with --python where the venv has no pip', () => {
    expect(command({ as: 'python3', venvPips: ['pip'] })).toEqual([
      '/p/.venv/bin/python',
      '-m',
      'pip',
      'install',
      'demo',
    ]);
    expect(command({ as: 'python3', venvPips: [] })).toEqual([
      '/usr/bin/python3',
      '-m',
      'pip',
      '--python',
      '/p/.venv/bin/python',
      'install',
      'demo',
    ]);
    expect(command({ venvPips: ['pip'] })).toEqual(['/p/.venv/bin/pip', 'install', 'demo']);
    expect(command({ as: 'pip3', venvPips: ['pip3', 'pip'] })).toEqual([
      '/p/.venv/bin/pip3',
      'install',
      'demo',
    ]);
  });

  it('runs the venv’s python -m pip where its scripts run another venv’s Python (a copied project)', () => {
    const pips = { venv: { version: '23.0.1', site: '/p/.venv/lib/python3.11/site-packages' } };
    const own = ['/p/.venv/bin/python', '-m', 'pip', 'install', 'demo'];
    expect(command({ venvPips: [], pips })).toEqual(own);
    expect(command({ as: 'pip3', venvPips: [], pips })).toEqual(own);
    expect(command({ as: 'python3', venvPips: [], pips })).toEqual(own);
  });

  it('stops python3.12 -m pip at a venv of Python 3.11, naming the commands as they are typed', () => {
    const venv: VenvState = { kind: 'valid', version: '3.11' };
    const plan = decide(facts('install demo', { as: 'python3.12', venv }));
    expect(plan.kind === 'fail' && plan.message).toContain(
      "python3.12 is for Python 3.12, and /p/.venv runs Python 3.11, so pip-guard did not install anything there. Either use the venv's Python: run `python -m pip` (pip-guard takes it to the venv) or `/p/.venv/bin/python -m pip` instead;",
    );
    expect(decide(facts('install demo', { as: 'python3.11', venv })).kind).toBe('venv');
  });
});
