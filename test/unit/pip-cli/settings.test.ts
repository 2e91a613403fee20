import { describe, expect, it } from 'vitest';
import { parseIni } from '../../../src/pip-cli/config-files.js';
import { parsePipArgs } from '../../../src/pip-cli/parse.js';
import { effectiveSettings, envItems, isSet } from '../../../src/pip-cli/settings.js';

const settingsOf = (argv: string, env: Record<string, string>, ini = '') => {
  const items = parseIni(ini, '/etc/pip.conf');
  if ('problem' in items) throw new Error(items.problem);
  return effectiveSettings(parsePipArgs(argv.split(' ')), [...items, ...envItems(env)]);
};

describe('parseIni', () => {
  it('reads sections, both delimiters, comments and continuation lines, as configparser does', () => {
    const text = '# top\n[global]\nindex_url = https://i\n  https://j\n[install]\nno-deps: true\n; end\n';
    expect(parseIni(text, 'f')).toEqual([
      { section: 'global', key: 'index-url', value: 'https://i\nhttps://j', source: 'f' },
      { section: 'install', key: 'no-deps', value: 'true', source: 'f' },
    ]);
  });

  it('says which line it cannot read', () => {
    expect(parseIni('[global]\njust words\n', 'f')).toEqual({
      problem: 'f line 2 is not an INI line pip can read',
    });
    expect(parseIni('key = before any section\n', 'f')).toEqual({
      problem: 'f line 1 is not an INI line pip can read',
    });
  });
});

describe('effectiveSettings', () => {
  it('layers the command line over PIP_* over the command’s section over [global]', () => {
    const ini = '[global]\ntimeout = 10\nuser = yes\n[install]\ntimeout = 20\n';
    const settings = settingsOf('install demo', { PIP_TIMEOUT: '30' }, ini);
    if ('problem' in settings) throw new Error(settings.problem);
    expect(settings.get('timeout')).toEqual({ value: '30', source: 'PIP_TIMEOUT' });
    expect(settings.get('use_user_site')).toEqual({ value: true, source: '/etc/pip.conf' });
    const typed = settingsOf('install --timeout 40 demo', { PIP_TIMEOUT: '30' }, ini);
    if ('problem' in typed) throw new Error(typed.problem);
    expect(typed.get('timeout')).toEqual({ value: '40', source: 'the command line' });
  });

  it('reads yes and no as strtobool does, and says what it cannot read', () => {
    const off = settingsOf('install demo', { PIP_BREAK_SYSTEM_PACKAGES: 'Off' });
    expect(!('problem' in off) && isSet(off, 'override_externally_managed')).toBe(false);
    const on = settingsOf('install demo', { PIP_BREAK_SYSTEM_PACKAGES: 'YES' });
    expect(!('problem' in on) && isSet(on, 'override_externally_managed')).toBe(true);
    expect(settingsOf('install demo', { PIP_BREAK_SYSTEM_PACKAGES: 'maybe' })).toEqual({
      problem: 'PIP_BREAK_SYSTEM_PACKAGES: maybe is not a yes/no value for break-system-packages',
    });
  });

  it('appends to what the config files started, and passes over keys pip does not know', () => {
    const settings = settingsOf('install -f /b demo', { PIP_FIND_LINKS: '/a', PIP_NO_SUCH_THING: '1' });
    if ('problem' in settings) throw new Error(settings.problem);
    expect(settings.get('find_links')?.value).toEqual(['/a', '/b']);
    expect([...settings.keys()]).not.toContain('no_such_thing');
  });
});
