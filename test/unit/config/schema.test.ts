import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/schema.js';

const F = '/p/.pip-guardrc';

describe('validateConfig', () => {
  it('accepts every key', () => {
    const config = {
      policy: 'auto',
      venv: { path: '.venv', route: true },
      pipx: { apps: ['httpie'] },
      packages: { requests: 'venv', 'yt-dlp': 'pipx' },
      nonInteractive: 'venv',
      notice: false,
      allowBreakSystemPackages: false,
    };
    expect(validateConfig(F, config)).toEqual(config);
  });

  it.each([
    [
      { polcy: 'venv' },
      `${F}: unknown key "polcy" (did you mean "policy"?). The keys pip-guard knows are: policy, venv, pipx, packages, nonInteractive, notice, allowBreakSystemPackages.`,
    ],
    [
      { venv: { pth: '.v' } },
      `${F}: unknown key "venv.pth" (did you mean "venv.path"?). The keys pip-guard knows under venv are: path, route, activateDefault.`,
    ],
    [
      { index: 'https://x' },
      `${F}: unknown key "index". The keys pip-guard knows are: policy, venv, pipx, packages, nonInteractive, notice, allowBreakSystemPackages.`,
    ],
    [
      { policy: 'yolo' },
      `${F}: policy is "yolo", which pip-guard cannot use: it must be one of auto, venv, pipx, prompt, block, break, off.`,
    ],
    [
      { policy: 3 },
      `${F}: policy is 3, which pip-guard cannot use: it must be one of auto, venv, pipx, prompt, block, break, off.`,
    ],
    [{ notice: 'yes' }, `${F}: notice is "yes", which pip-guard cannot use: it must be true or false.`],
    [
      { venv: '.venv' },
      `${F}: venv is ".venv", which pip-guard cannot use: it must be a table with path, route and activateDefault.`,
    ],
    [
      { venv: { path: '' } },
      `${F}: venv.path is "", which pip-guard cannot use: it must be a path relative to the project root, such as ".venv".`,
    ],
    [
      { pipx: { apps: 'black' } },
      `${F}: pipx.apps is "black", which pip-guard cannot use: it must be a list of package names.`,
    ],
    [
      { pipx: { apps: ['ok', 'not a name'] } },
      `${F}: pipx.apps.1 is "not a name", which pip-guard cannot use: it must be a package name.`,
    ],
    [
      { packages: { requests: 'system' } },
      `${F}: packages.requests is "system", which pip-guard cannot use: it must be one of venv, pipx, block, break.`,
    ],
    [
      { nonInteractive: 'prompt' },
      `${F}: nonInteractive is "prompt", which pip-guard cannot use: it must be one of auto, venv, pipx, block, break, off.`,
    ],
    [
      ['policy', 'venv'],
      `${F} is not a table of settings (it holds ["policy","venv"]): write keys such as policy = "venv".`,
    ],
    ['venv', `${F} is not a table of settings (it holds "venv"): write keys such as policy = "venv".`],
  ])('explains %j', (content, message) => {
    expect(validateConfig(F, content)).toBe(message);
  });
});
