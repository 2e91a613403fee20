import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/policy/decide.js';
import { explainText, planCommands } from '../../../src/policy/plan-text.js';
import { facts } from './given.js';
import { valid } from './rows.js';

const seeds = { sources: ['/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl'] };

describe('planCommands', () => {
  it('lists exactly what runs: the venv made (seeded, or by ensurepip), then pip there', () => {
    expect(planCommands(decide(facts('install demo')), facts('install demo'))).toEqual([
      ['/usr/bin/python3', '-m', 'venv', '/p/.venv'],
      ['/p/.venv/bin/pip', 'install', 'demo'],
    ]);
    const seeded = { ...facts('install demo'), seeds };
    expect(planCommands(decide(seeded), seeded)[0]).toEqual([
      '/usr/bin/python3',
      '-m',
      'venv',
      '--without-pip',
      '/p/.venv',
    ]);
  });

  it('shows a dry run against the temporary --target it gets, and a forward as typed', () => {
    const dry = facts('install --dry-run demo');
    expect(planCommands(decide(dry), dry)).toEqual([
      ['/usr/bin/pip', 'install', '--target', 'TEMPORARY-DIR', '--dry-run', 'demo'],
    ]);
    const target = facts('install --target /t demo');
    expect(planCommands(decide(target), target)).toEqual([
      ['/usr/bin/pip', 'install', '--target', '/t', 'demo'],
    ]);
  });

  it('runs pipx once per app, and the real pip with --python in a venv without a pip of its own', () => {
    const app = facts('install black', { policy: 'pipx' });
    expect(planCommands(decide(app), app)).toEqual([
      ['/usr/bin/pipx', 'install', '--python', '/usr/bin/python3', 'black'],
    ]);
    const bare = facts('list', { venv: valid, venvPips: [] });
    expect(planCommands(decide(bare), bare)).toEqual([
      ['/usr/bin/pip', '--python', '/p/.venv/bin/python', 'list'],
    ]);
  });
});

describe('explainText', () => {
  it('says what decided, then each step with its commands', () => {
    const given = { ...facts('install demo'), seeds };
    const ran = [['/usr/bin/python3', '-I', '-c', `import json, os\n${'x = 1\n'.repeat(20)}`]];
    expect(explainText(decide(given), given, ran).split('\n')).toEqual([
      'pip-guard explain: pip install demo',
      '  real pip:     /usr/bin/pip, on /usr/bin/python3 (Python 3.11)',
      '  PEP 668:      pip would refuse: /usr/bin/python3 is externally managed (PEP 668)',
      '  config files: none',
      '  policy:       auto (the default)',
      '  venv:         /p/.venv (missing)',
      '  ran:',
      "      $ /usr/bin/python3 -I -c 'import json, os…'",
      '  plan:         /usr/bin/python3 is externally managed (PEP 668); the venv, chosen by the default',
      '    create the venv /p/.venv and run pip in /p/.venv',
      "      pip seeded from /usr/share/python-wheels/pip-23.0.1-py3-none-any.whl (unpacked once into pip-guard's cache, then linked in, as virtualenv does)",
      "      the venv's own files (pyvenv.cfg, bin/python, the activate scripts) written from pip-guard's copy of what `python -m venv --without-pip` wrote, where it keeps one for such a path; else by that command",
      '      $ /usr/bin/python3 -m venv --without-pip /p/.venv',
      '      $ /p/.venv/bin/pip install demo',
    ]);
  });
});
