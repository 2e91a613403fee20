import { describe, expect, it } from 'vitest';
import type { LoadedFile, SourceKind } from '../../../src/config/load.js';
import { BUILTIN_APPS, mergeConfig } from '../../../src/config/merge.js';
import type { ConfigFile } from '../../../src/config/schema.js';

const FILES: Record<SourceKind, string> = {
  system: '/etc/pip-guard/config.json',
  user: '/home/u/.config/pip-guard/config.yaml',
  project: '/p/.pip-guardrc',
};

function merged(layers: Partial<Record<SourceKind, ConfigFile>>, env: Record<string, string> = {}) {
  const files: LoadedFile[] = (['system', 'user', 'project'] as const)
    .filter((kind) => layers[kind])
    .map((kind) => ({ kind, file: FILES[kind], config: layers[kind] as ConfigFile }));
  return mergeConfig(files, env, '/p');
}

const policyOf = (layers: Partial<Record<SourceKind, ConfigFile>>, env: Record<string, string> = {}) => {
  const config = merged(layers, env);
  return 'problem' in config ? config.problem : `${config.policy.value} from ${config.policy.from}`;
};

describe('precedence: environment > project > user > system > defaults', () => {
  it.each([
    [{}, {}, 'auto from the default'],
    [{ system: { policy: 'block' } }, {}, 'block from /etc/pip-guard/config.json (policy)'],
    [
      { system: { policy: 'block' }, user: { policy: 'pipx' } },
      {},
      'pipx from /home/u/.config/pip-guard/config.yaml (policy)',
    ],
    [{ user: { policy: 'pipx' }, project: { policy: 'venv' } }, {}, 'venv from /p/.pip-guardrc (policy)'],
    [{ system: { policy: 'block' }, project: { policy: 'venv' } }, {}, 'venv from /p/.pip-guardrc (policy)'],
    [{ project: { policy: 'venv' } }, { PIP_GUARD_POLICY: 'block' }, 'block from PIP_GUARD_POLICY'],
    [{ user: { policy: 'venv' } }, { PIP_GUARD_POLICY: 'off' }, 'off from PIP_GUARD_POLICY'],
    [{ user: { notice: false } }, {}, 'auto from the default'],
  ] as const)('%j with %j → %s', (layers, env, expected) => {
    expect(policyOf(layers as Partial<Record<SourceKind, ConfigFile>>, env)).toBe(expected);
  });

  it('merges key by key: each key from the highest file that sets it', () => {
    const config = merged({
      system: { notice: false, venv: { route: false } },
      user: { venv: { path: '.env' } },
      project: { venv: { path: 'venvs/dev' } },
    });
    if ('problem' in config) throw new Error(config.problem);
    expect(config.venvPath).toEqual({ value: 'venvs/dev', from: '/p/.pip-guardrc (venv.path)' });
    expect(config.venvRoute).toEqual({ value: false, from: '/etc/pip-guard/config.json (venv.route)' });
    expect(config.notice).toEqual({ value: false, from: '/etc/pip-guard/config.json (notice)' });
  });

  it('adds every file’s pipx.apps to the built-in list and lets packages override per name', () => {
    const config = merged({
      user: { pipx: { apps: ['My_Tool'] }, packages: { requests: 'block', black: 'venv' } },
      project: { pipx: { apps: ['other-tool'] }, packages: { Requests: 'venv' } },
    });
    if ('problem' in config) throw new Error(config.problem);
    expect([...config.pipxApps.value].sort()).toEqual([...BUILTIN_APPS, 'my-tool', 'other-tool'].sort());
    expect(config.packages.get('requests')).toEqual({
      value: 'venv',
      from: '/p/.pip-guardrc (packages.Requests)',
    });
    expect(config.packages.get('black')?.value).toBe('venv');
  });
});

describe('safety: a project file cannot weaken the system’s protection', () => {
  it('allows break only from the user’s or the system’s config, or PIP_GUARD_ALLOW_BREAK', () => {
    const allow = (layers: Partial<Record<SourceKind, ConfigFile>>, env: Record<string, string> = {}) => {
      const config = merged(layers, env);
      return 'problem' in config ? config.problem : config.allowBreak.value;
    };
    expect(allow({})).toBe(false);
    expect(allow({ system: { allowBreakSystemPackages: true } })).toBe(true);
    expect(allow({ user: { allowBreakSystemPackages: true } })).toBe(true);
    expect(allow({}, { PIP_GUARD_ALLOW_BREAK: '1' })).toBe(true);
    expect(allow({}, { PIP_GUARD_ALLOW_BREAK: 'On' })).toBe(true);
    expect(allow({}, { PIP_GUARD_ALLOW_BREAK: 'no' })).toBe(false);
    expect(allow({}, { PIP_GUARD_ALLOW_BREAK: 'maybe' })).toBe(
      'PIP_GUARD_ALLOW_BREAK=maybe is not a yes or no pip-guard knows: use 1 (policy break may install into the system) or 0, or unset it.',
    );
    expect(allow({ project: { allowBreakSystemPackages: true } })).toMatch(
      /^\/p\/\.pip-guardrc: allowBreakSystemPackages can only be set in your own config/,
    );
  });

  it('takes venv.activateDefault from the user and the system only: a project file that sets it is an error', () => {
    const activate = (layers: Partial<Record<SourceKind, ConfigFile>>) => {
      const config = merged(layers);
      return 'problem' in config ? config.problem : config.activateDefault;
    };
    expect(activate({})).toEqual({ value: false, from: 'the default' });
    expect(activate({ user: { venv: { activateDefault: true } } })).toEqual({
      value: true,
      from: '/home/u/.config/pip-guard/config.yaml (venv.activateDefault)',
    });
    expect(activate({ project: { venv: { activateDefault: true } } })).toMatch(
      /^\/p\/\.pip-guardrc: venv\.activateDefault is about your shells outside any project/,
    );
  });

  it.each(['../elsewhere', '/tmp/venv', '.', 'a/../../b'])('rejects a project venv.path of %s', (path) => {
    const config = merged({ project: { venv: { path } } });
    expect('problem' in config && config.problem).toMatch(
      /venv\.path is ".*", which is not inside the project \(\/p\)/,
    );
  });

  it('rejects a PIP_GUARD_POLICY it does not know', () => {
    expect(policyOf({}, { PIP_GUARD_POLICY: 'yolo' })).toBe(
      'PIP_GUARD_POLICY=yolo is not a policy pip-guard knows: use one of auto, venv, pipx, prompt, block, break, off, or unset it.',
    );
  });
});

describe('allowBreakSystemPackages', () => {
  it.each([
    [
      { user: { allowBreakSystemPackages: true } },
      {},
      { value: true, from: '/home/u/.config/pip-guard/config.yaml (allowBreakSystemPackages)' },
    ],
    [{}, { PIP_GUARD_ALLOW_BREAK: 'yes' }, { value: true, from: 'PIP_GUARD_ALLOW_BREAK' }],
    // A no in the environment is a word too, over every file, as a yes is.
    [
      { user: { allowBreakSystemPackages: true } },
      { PIP_GUARD_ALLOW_BREAK: '0' },
      { value: false, from: 'PIP_GUARD_ALLOW_BREAK' },
    ],
    [
      { system: { allowBreakSystemPackages: true } },
      { PIP_GUARD_ALLOW_BREAK: 'off' },
      { value: false, from: 'PIP_GUARD_ALLOW_BREAK' },
    ],
    // Empty is unset.
    [
      { user: { allowBreakSystemPackages: true } },
      { PIP_GUARD_ALLOW_BREAK: '' },
      { value: true, from: '/home/u/.config/pip-guard/config.yaml (allowBreakSystemPackages)' },
    ],
    [{}, {}, { value: false, from: 'the default' }],
  ] as const)('%j with %j → %j', (layers, env, expected) => {
    const config = merged(layers as Partial<Record<SourceKind, ConfigFile>>, env);
    if ('problem' in config) throw new Error(config.problem);
    expect(config.allowBreak).toEqual(expected);
  });
});
