import { describe, expect, it } from 'vitest';
import { choose, chooseEach } from '../../../src/policy/targets.js';
import { facts } from './given.js';

const auto = { value: 'auto' as const, from: 'the default' };

describe('choose', () => {
  it('takes a package’s own entry first, then the policy, and under auto the list of apps', () => {
    const given = facts('install black requests pytest', { project: { packages: { pytest: 'block' } } });
    expect(chooseEach(given, auto).map((each) => [each.raw, each.choice])).toEqual([
      ['black', { target: 'pipx', from: 'pipx.apps (the built-in list)', byApps: true }],
      ['requests', { target: 'venv', from: 'the default' }],
      ['pytest', { target: 'block', from: '/p/.pip-guardrc (packages.pytest)' }],
    ]);
    expect(choose(given, { value: 'venv', from: 'PIP_GUARD_POLICY' }, 'black')).toEqual({
      target: 'venv',
      from: 'PIP_GUARD_POLICY',
    });
    expect(choose(given, auto, undefined)).toEqual({ target: 'venv', from: 'the default' });
  });

  it('matches names as PEP 503 normalises them, and keeps where each argument stands', () => {
    const given = facts('install -q Black==24.1', { project: { pipx: { apps: ['my_tool'] } } });
    expect(chooseEach(given, auto)).toEqual([
      {
        raw: 'Black==24.1',
        name: 'black',
        argIndex: 2,
        choice: {
          target: 'pipx',
          from: 'pipx.apps (the built-in list, /p/.pip-guardrc (pipx.apps))',
          byApps: true,
        },
      },
    ]);
    expect(
      choose(facts('install my-tool', { project: { pipx: { apps: ['my_tool'] } } }), auto, 'my-tool').target,
    ).toBe('pipx');
  });

  it('reads a wheel named without a path by its project (PEP 427), so that its own entry applies', () => {
    const given = facts('install black-24.1.0-py3-none-any.whl Demo_App-1.0-py3-none-any.whl', {
      project: { packages: { black: 'block', 'demo-app': 'venv' } },
    });
    expect(chooseEach(given, auto).map((each) => [each.name, each.choice.target])).toEqual([
      ['black', 'block'],
      ['demo-app', 'venv'],
    ]);
  });
});
