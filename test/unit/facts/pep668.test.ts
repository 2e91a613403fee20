import { describe, expect, it } from 'vitest';
import { type Interpreter, pep668Verdict } from '../../../src/facts/pep668.js';
import { parseIni } from '../../../src/pip-cli/config-files.js';
import { parsePipArgs } from '../../../src/pip-cli/parse.js';
import { effectiveSettings, envItems, type PipConfigItem } from '../../../src/pip-cli/settings.js';
import { managed } from '../fixtures.js';

const inVenv = { ...managed, python: '/p/.venv/bin/python', venv: true };
const unmanaged = { ...managed, python: '/opt/py/bin/python3', externallyManaged: false };
const unknown = { problem: '/x/pip is a bash script' };

interface Context {
  env?: Record<string, string>;
  conf?: string;
  interpreter?: Interpreter | { problem: string };
}

function verdict(line: string, { env = {}, conf, interpreter = managed }: Context = {}) {
  const parsed = parsePipArgs(line.split(' '));
  const fileItems = conf === undefined ? [] : (parseIni(conf, '/etc/pip.conf') as PipConfigItem[]);
  const settings = effectiveSettings(parsed, [...fileItems, ...envItems(env)]);
  if ('problem' in settings) throw new Error(settings.problem);
  return pep668Verdict(parsed, settings, interpreter).refuses;
}

// [pip command line, context, refuses?]
const rows: [string, Context, boolean | 'unknown'][] = [
  ['install demo', {}, true],
  ['install --user demo', {}, true],
  ['uninstall -y demo', {}, true],
  ['uninstall -r req.txt', {}, true],
  ['uninstall -y', {}, false],
  ['install -U demo', {}, true],
  ['install --dry-run demo', {}, true],
  ['install --break-system-packages demo', {}, false],
  ['install --break-sys demo', {}, false],
  ['install demo --break', {}, false],
  ['uninstall --break-system-packages demo', {}, false],
  ['install demo', { env: { PIP_BREAK_SYSTEM_PACKAGES: '1' } }, false],
  ['install demo', { env: { PIP_BREAK_SYSTEM_PACKAGES: 'yes' } }, false],
  ['install demo', { env: { PIP_BREAK_SYSTEM_PACKAGES: '0' } }, true],
  ['install demo', { env: { PIP_BREAK_SYSTEM_PACKAGES: '' } }, true],
  ['install demo', { conf: '[global]\nbreak-system-packages = true\n' }, false],
  ['install demo', { conf: '[install]\nbreak_system_packages: on\n' }, false],
  ['uninstall demo', { conf: '[uninstall]\nbreak-system-packages = true\n' }, false],
  ['uninstall demo', { conf: '[install]\nbreak-system-packages = true\n' }, true],
  ['install demo', { conf: '[global]\nbreak-system-packages = false\n' }, true],
  ['install --target /t demo', {}, false],
  ['install --targ /t demo', {}, false],
  ['install -t/t demo', {}, false],
  ['install --prefix /p demo', {}, false],
  ['install --root / demo', {}, false],
  ['install demo', { env: { PIP_TARGET: '/t' } }, false],
  ['install demo', { conf: '[install]\nprefix = /opt/x\n' }, false],
  ['install --dry-run --report - demo', {}, false],
  ['install --dry-run --report=r.json demo', {}, false],
  ['install --report r.json demo', {}, true],
  ['install --dry-run demo', { env: { PIP_REPORT: 'r.json' } }, false],
  ['install --pre demo', {}, true],
  ['--require-virtualenv install demo', {}, false],
  ['install demo', { env: { PIP_REQUIRE_VIRTUALENV: 'true' } }, false],
  ['--timeout 5 install demo', {}, true],
  ['-q --cache-dir /c install -q demo', {}, true],
  ['install demo', { interpreter: inVenv }, false],
  ['install demo', { interpreter: unmanaged }, false],
  ['install demo', { interpreter: unknown }, 'unknown'],
  ['install --target /t demo', { interpreter: unknown }, false],
  ['list', {}, false],
  ['freeze', {}, false],
  ['show demo', {}, false],
  ['download demo', {}, false],
  ['wheel demo', {}, false],
  ['check', {}, false],
];

describe('pep668Verdict', () => {
  it.each(rows)('pip %s (%j) refuses: %s', (line, context, expected) => {
    expect(verdict(line, context)).toBe(expected);
  });

  it('names where --break-system-packages came from', () => {
    const parsed = parsePipArgs(['install', 'demo']);
    const settings = effectiveSettings(parsed, envItems({ PIP_BREAK_SYSTEM_PACKAGES: '1' }));
    if ('problem' in settings) throw new Error(settings.problem);
    expect(pep668Verdict(parsed, settings, managed).reason).toBe(
      '--break-system-packages is set by PIP_BREAK_SYSTEM_PACKAGES',
    );
  });

  it('leaves a config value pip cannot read to pip', () => {
    const parsed = parsePipArgs(['install', 'demo']);
    expect(effectiveSettings(parsed, envItems({ PIP_BREAK_SYSTEM_PACKAGES: 'maybe' }))).toEqual({
      problem: 'PIP_BREAK_SYSTEM_PACKAGES: maybe is not a yes/no value for break-system-packages',
    });
  });
});
