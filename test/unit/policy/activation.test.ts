import { describe, expect, it } from 'vitest';
import type { VenvTarget } from '../../../src/facts/project.js';
import { activationChanges, noVenvProblem, venvPrompt } from '../../../src/policy/activation.js';

const venv: VenvTarget = { path: '/p/.venv', origin: 'project', root: '/p', state: { kind: 'valid' } };

describe('venvPrompt', () => {
  it.each([
    ['home = /usr/bin\nversion = 3.11.2\n', '(.venv) '],
    ['home = /usr/bin\nversion = 3.12.1\n', '.venv'],
    ["version = 3.11.2\nprompt = 'my proj'\n", '(my proj) '],
    ['version_info = 3.13.0.final.0\nprompt = uv-made\n', 'uv-made'],
    ['', '(.venv) '],
  ])('pyvenv.cfg %j shows as %j', (cfg, prompt) => {
    expect(venvPrompt('/p/.venv', cfg)).toBe(prompt);
  });
});

describe('activationChanges', () => {
  it("puts the venv's bin/ first and pipx's bin directory last, and unsets PYTHONHOME and pip-guard's marks", () => {
    expect(
      activationChanges(
        venv,
        'version = 3.11.2\n',
        { PATH: '/s:/usr/bin', PYTHONHOME: '/x' },
        '/h/.local/bin',
      ),
    ).toEqual({
      PATH: '/p/.venv/bin:/s:/usr/bin:/h/.local/bin',
      VIRTUAL_ENV: '/p/.venv',
      VIRTUAL_ENV_PROMPT: '(.venv) ',
      PYTHONHOME: undefined,
      _PIP_GUARD_VENV: undefined,
      _PIP_GUARD_AUTO: undefined,
    });
  });

  it('takes out the bin/ of a venv that pip-guard activated, and adds nothing twice', () => {
    const env = {
      PATH: '/s:/q/.venv/bin:/h/.local/bin:/p/.venv/bin',
      VIRTUAL_ENV: '/q/.venv',
      _PIP_GUARD_VENV: '/q/.venv',
    };
    expect(activationChanges(venv, '', env, '/h/.local/bin').PATH).toBe('/p/.venv/bin:/s:/h/.local/bin');
  });

  it('leaves an active conda environment as conda made it', () => {
    const conda: VenvTarget = { path: '/c', origin: 'active', conda: true, state: { kind: 'valid' } };
    expect(activationChanges(conda, '', { PATH: '/c/bin:/usr/bin' }, undefined)).toEqual({
      PATH: '/c/bin:/usr/bin',
    });
  });
});

describe('noVenvProblem', () => {
  it('has nothing to say of a venv that is there', () => {
    expect(noVenvProblem(venv, 'run')).toBeUndefined();
  });

  it.each([
    [
      { ...venv, state: { kind: 'missing' } },
      'run',
      /^this project's venv \/p\/\.venv does not exist yet, so there is nothing to run the command in/,
    ],
    [
      { path: '/h/venvs/python3.11', origin: 'default', state: { kind: 'incomplete' } },
      'activate',
      /^outside any project, pip-guard installs into its default venv \/h\/venvs\/python3\.11, which does not exist yet, so there is nothing to activate/,
    ],
    [
      { ...venv, state: { kind: 'broken', problem: 'it has no pyvenv.cfg' } },
      'run',
      /^\/p\/\.venv is not a usable virtual environment \(it has no pyvenv.cfg\), so pip-guard cannot run anything in it\. .* and run `pip-guard run` again\.$/,
    ],
  ] as const)('explains %j (%s)', (target, command, text) => {
    expect(noVenvProblem(target as VenvTarget, command)).toMatch(text);
  });
});
