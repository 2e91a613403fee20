import { describe, expect, it } from 'vitest';
import { type Interpreter, pep668Verdict } from '../../src/pep668.js';
import { parsePipArgs } from '../../src/pip-cli/parse.js';
import { effectiveSettings, envItems } from '../../src/pip-cli/settings.js';
import type { Facts, PolicyName } from '../../src/plan.js';
import { decide } from '../../src/policy/decide.js';
import type { VenvState } from '../../src/project.js';
import { managed } from './fixtures.js';

interface Given {
  env?: Record<string, string>;
  interpreter?: Interpreter;
  venv?: VenvState;
  policy?: PolicyName;
  // pipx: absent (null), or the apps it has.
  pipx?: string[] | null;
  pipxMissing?: 'venv' | 'error';
}

function facts(line: string, given: Given = {}): Facts {
  const parsed = parsePipArgs(line.split(' ').filter(Boolean));
  const settings = effectiveSettings(parsed, envItems(given.env ?? {}));
  if ('problem' in settings) throw new Error(settings.problem);
  const interpreter = 'interpreter' in given ? given.interpreter : managed;
  return {
    name: 'pip',
    realPip: '/usr/bin/pip',
    line: parsed,
    settings,
    verdict: pep668Verdict(parsed, settings, interpreter ?? { unknown: 'a bash script' }),
    interpreter,
    venv: { path: '/p/.venv', origin: 'project', root: '/p', state: given.venv ?? { kind: 'missing' } },
    pipx: {
      path: given.pipx === null ? undefined : '/usr/bin/pipx',
      binDir: '/home/u/.local/bin',
      binDirOnPath: true,
      apps: new Map((given.pipx ?? []).map((name) => [name, [name]])),
    },
    policy: { name: given.policy ?? 'venv', source: 'the default' },
    pipxMissing: given.pipxMissing ?? 'venv',
  };
}

const valid: VenvState = { kind: 'valid', hasPip: true };

// [pip command line, given, plan kind, and for venv plans: create?]
const rows: [string, Given, string, boolean?][] = [
  ['install demo', {}, 'venv', true],
  ['install demo', { venv: valid }, 'venv', false],
  ['install demo', { venv: { kind: 'incomplete' } }, 'venv', true],
  ['install demo', { venv: { kind: 'broken', why: 'no pyvenv.cfg' } }, 'fail'],
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
  ['install black', { policy: 'pipx', venv: { kind: 'broken', why: 'x' } }, 'pipx'],
  ['install --target /t black', { policy: 'pipx' }, 'forward'],
  ['uninstall -y black', { policy: 'pipx', pipx: ['black'] }, 'pipx'],
  ['uninstall -y black demo', { policy: 'pipx', pipx: ['black'], venv: valid }, 'pipx'],
  ['uninstall -y demo', { policy: 'pipx', pipx: ['black'], venv: valid }, 'venv', false],
  ['uninstall -y black', { policy: 'venv', pipx: ['black'], venv: valid }, 'venv', false],
  ['uninstall -y --break-system-packages black', { policy: 'pipx', pipx: ['black'] }, 'forward'],
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
    expect(plan.kind === 'venv' && plan.notice).toBe(
      '/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, /p/.venv; ' +
        'use it with `source /p/.venv/bin/activate`',
    );
  });

  it('sends what pipx does not manage on to the venv when an uninstall mixes both', () => {
    const plan = decide(facts('uninstall -y black demo', { policy: 'pipx', pipx: ['black'], venv: valid }));
    expect(plan.kind === 'pipx' && [plan.calls.map((c) => c.argv), plan.rest?.kind]).toEqual([
      [['uninstall', 'black']],
      'venv',
    ]);
    expect(plan.kind === 'pipx' && plan.rest?.kind === 'venv' && plan.rest.argv).toEqual([
      'uninstall',
      '-y',
      'demo',
    ]);
  });

  it('refuses to touch a broken venv and names it with the fix', () => {
    const plan = decide(facts('install demo', { venv: { kind: 'broken', why: 'it has no pyvenv.cfg' } }));
    expect(plan.kind === 'fail' && plan.message).toMatch(
      /\/p\/\.venv .*it has no pyvenv\.cfg.*python3 -m venv --clear/,
    );
  });
});
