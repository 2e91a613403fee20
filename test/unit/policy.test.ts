import { describe, expect, it } from 'vitest';
import type { LoadedFile } from '../../src/config/load.js';
import { mergeConfig } from '../../src/config/merge.js';
import type { ConfigPolicy } from '../../src/config/policies.js';
import type { ConfigFile } from '../../src/config/schema.js';
import { venvNotice } from '../../src/notices.js';
import { type Interpreter, pep668Verdict } from '../../src/pep668.js';
import { parsePipArgs } from '../../src/pip-cli/parse.js';
import { effectiveSettings, envItems } from '../../src/pip-cli/settings.js';
import type { Facts } from '../../src/plan.js';
import { decide } from '../../src/policy/decide.js';
import { venvPipCommand } from '../../src/policy/venv.js';
import type { VenvState } from '../../src/project.js';
import { managed } from './fixtures.js';

// A run that made the venv and installed.
const installed = { outcome: { code: 0 }, created: true, removed: false, apps: [] };

interface Given {
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

function facts(line: string, given: Given = {}): Facts {
  const parsed = parsePipArgs(line.split(' ').filter(Boolean));
  const settings = effectiveSettings(parsed, envItems(given.env ?? {}));
  if ('problem' in settings) throw new Error(settings.problem);
  const interpreter = 'interpreter' in given ? given.interpreter : managed;
  const name = given.as ?? 'pip';
  const viaPython = name.startsWith('python');
  return {
    name,
    realPip: `/usr/bin/${name}`,
    realPipArgs: viaPython ? ['-m', 'pip'] : [],
    line: parsed,
    settings,
    verdict: pep668Verdict(parsed, settings, interpreter ?? { problem: 'a bash script' }),
    interpreter,
    venv: { path: '/p/.venv', origin: 'project', root: '/p', state: given.venv ?? { kind: 'missing' } },
    pipx: {
      path: given.pipx === null ? undefined : '/usr/bin/pipx',
      binDir: '/home/u/.local/bin',
      binDirOnPath: true,
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
  };
}

const valid: VenvState = { kind: 'valid' };

// [pip command line, given, plan kind, and for venv plans: create?]
const rows: [string, Given, string, boolean?][] = [
  ['install demo', {}, 'venv', true],
  ['install demo', { venv: valid }, 'venv', false],
  ['install demo', { venv: { kind: 'incomplete' } }, 'venv', true],
  ['install demo', { venv: { kind: 'broken', problem: 'no pyvenv.cfg' } }, 'fail'],
  ['install --user demo', {}, 'venv', true],
  ['install -r req.txt', {}, 'venv', true],
  ['install', {}, 'forward'],
  ['install demo', { policy: 'off' }, 'forward'],
  ['install --target /t demo', {}, 'forward'],
  ['install --break-system-packages demo', {}, 'forward'],
  ['install demo', { env: { PIP_BREAK_SYSTEM_PACKAGES: '1' } }, 'forward'],
  ['install demo', { interpreter: undefined }, 'attempt'],
  ['install demo', { interpreter: { ...managed, externallyManaged: false } }, 'forward'],
  ['uninstall -y demo', { venv: valid }, 'venv', false],
  ['uninstall -y demo', {}, 'forward'],
  ['uninstall -y demo', { interpreter: undefined }, 'attempt'],
  ['list', { venv: valid }, 'venv', false],
  ['list', {}, 'forward'],
  ['list --user', { venv: valid }, 'forward'],
  ['list --path /x', { venv: valid }, 'forward'],
  ['freeze', { venv: valid }, 'venv', false],
  ['show demo', { venv: valid }, 'venv', false],
  ['list', { venv: valid, policy: 'off' }, 'forward'],
  ['list', { venv: valid, interpreter: { ...managed, externallyManaged: false } }, 'forward'],
  ['download demo', { venv: valid }, 'forward'],
  ['install black', { policy: 'pipx' }, 'pipx'],
  ['install black demo', { policy: 'pipx', venv: valid }, 'pipx'],
  ['install -r req.txt', { policy: 'pipx' }, 'venv', true],
  ['install black', { policy: 'pipx', pipx: null }, 'venv', true],
  ['install black', { policy: 'pipx', pipx: null, pipxMissing: 'error' }, 'fail'],
  ['install black', { policy: 'pipx', venv: { kind: 'broken', problem: 'x' } }, 'pipx'],
  ['install --target /t black', { policy: 'pipx' }, 'forward'],
  ['uninstall -y black', { policy: 'pipx', pipx: ['black'] }, 'pipx'],
  ['uninstall -y black demo', { policy: 'pipx', pipx: ['black'], venv: valid }, 'pipx'],
  ['uninstall -y demo', { policy: 'pipx', pipx: ['black'], venv: valid }, 'venv', false],
  ['uninstall -y black', { policy: 'venv', pipx: ['black'], venv: valid }, 'venv', false],
  ['uninstall -y --break-system-packages black', { policy: 'pipx', pipx: ['black'] }, 'forward'],
  // auto, the default: known apps to pipx, the rest to the venv, a mix to the venv.
  ['install black', {}, 'pipx'],
  ['install Black==24.1', {}, 'pipx'],
  ['install black requests', {}, 'venv', true],
  ['install -r req.txt black', {}, 'venv', true],
  ['install --user black', {}, 'pipx'],
  ['uninstall -y black', { pipx: ['black'] }, 'pipx'],
  ['install my-tool', { project: { pipx: { apps: ['my-tool'] } } }, 'pipx'],
  // Per-package overrides, also splitting one command.
  ['install requests', { project: { packages: { requests: 'pipx' } } }, 'pipx'],
  ['install black', { project: { packages: { black: 'venv' } } }, 'venv', true],
  ['install black requests', { project: { packages: { black: 'pipx' } } }, 'sequence'],
  ['install requests flask', { project: { packages: { flask: 'block' } } }, 'fail'],
  [
    'install -r req.txt demo',
    { project: { packages: { demo: 'break' } }, user: { allowBreakSystemPackages: true } },
    'fail',
  ],
  [
    'install demo other',
    { project: { packages: { demo: 'break' } }, user: { allowBreakSystemPackages: true } },
    'sequence',
  ],
  // block, break, prompt.
  ['install requests', { project: { policy: 'block' } }, 'fail'],
  ['install requests', { project: { policy: 'block', packages: { requests: 'venv' } } }, 'venv', true],
  ['install requests', { project: { policy: 'break' } }, 'fail'],
  ['install requests', { project: { policy: 'break' }, user: { allowBreakSystemPackages: true } }, 'forward'],
  ['install requests', { policy: 'break', user: { allowBreakSystemPackages: true } }, 'forward'],
  ['uninstall -y requests', { policy: 'break', user: { allowBreakSystemPackages: true } }, 'forward'],
  ['install requests', { policy: 'prompt', interactive: true }, 'prompt'],
  ['install requests', { policy: 'prompt' }, 'venv', true],
  ['install requests', { policy: 'prompt', project: { nonInteractive: 'block' } }, 'fail'],
  ['install requests', { policy: 'prompt', project: { nonInteractive: 'off' } }, 'forward'],
  // Routing follows venv.route and stays off under block and break.
  ['list', { venv: valid, project: { venv: { route: false } } }, 'forward'],
  ['list', { venv: valid, project: { policy: 'block' } }, 'forward'],
];

describe('decide', () => {
  it.each(rows)('pip %s (%j) → %s', (line, given, kind, create) => {
    const plan = decide(facts(line, given));
    expect(plan.kind).toBe(kind);
    if (plan.kind === 'venv') expect(plan.create).toBe(create);
  });

  it('runs the same arguments in the venv, minus --user and --break-system-packages', () => {
    const plan = decide(facts('--python /usr/bin/python3 install --user -U demo'));
    expect(plan).toMatchObject({ kind: 'venv', argv: ['install', '-U', 'demo'], python: '/usr/bin/python3' });
  });

  it('says which interpreter is managed, where the packages went and how to use them', () => {
    const plan = decide(facts('install demo'));
    expect(plan.kind === 'venv' && venvNotice(plan, 'pip', 'install', installed)).toBe(
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv (Python 3.11); ' +
        'use it with `source /p/.venv/bin/activate`',
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
      /; use it with `source \/p\/\.venv\/bin\/activate`$/,
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

describe('python3 -m pip', () => {
  const withPip = (file: string) => file.endsWith('/bin/pip');

  it('runs pip as the venv’s python -m pip, or with --python where the venv has no pip', () => {
    const plan = decide(facts('install demo', { as: 'python3', venv: valid }));
    if (plan.kind !== 'venv') throw new Error(plan.kind);
    const given = facts('install demo', { as: 'python3', venv: valid });
    expect(venvPipCommand(plan.venv.path, given, plan.argv, withPip)).toEqual([
      '/p/.venv/bin/python',
      '-m',
      'pip',
      'install',
      'demo',
    ]);
    expect(venvPipCommand(plan.venv.path, given, plan.argv, () => false)).toEqual([
      '/usr/bin/python3',
      '-m',
      'pip',
      '--python',
      '/p/.venv/bin/python',
      'install',
      'demo',
    ]);
    const pip = facts('install demo', { venv: valid });
    expect(venvPipCommand('/p/.venv', pip, ['install', 'demo'], withPip)).toEqual([
      '/p/.venv/bin/pip',
      'install',
      'demo',
    ]);
  });

  it('stops python3.12 -m pip at a venv of Python 3.11, naming the commands as they are typed', () => {
    const venv: VenvState = { kind: 'valid', version: '3.11' };
    const plan = decide(facts('install demo', { as: 'python3.12', venv }));
    expect(plan.kind === 'fail' && plan.message).toContain(
      "python3.12 is for Python 3.12, and /p/.venv runs Python 3.11, so pip-guard did not install anything there. Either use the venv's Python: run `python -m pip` or `python3.11 -m pip` instead;",
    );
    expect(decide(facts('install demo', { as: 'python3.11', venv })).kind).toBe('venv');
  });
});
