import { describe, expect, it } from 'vitest';
import { parsePipArgs } from '../../../src/pip-cli/parse.js';
import { normalizeName, parseRequirement } from '../../../src/pip-cli/requirement.js';
import { pipxInstallCalls, pipxUninstallCalls } from '../../../src/policy/pipx-translate.js';

const PY = '/usr/bin/python3';
const installed = new Set(['demo-app', 'black']);

function pipx(line: string): string[][] | string {
  const calls = pipxInstallCalls(parsePipArgs(line.split(' ')), PY, installed);
  return 'problem' in calls ? calls.problem : calls.map((call) => call.argv);
}

const install = (...rest: string[]) => ['install', '--python', PY, ...rest];

// [pip command line, the pipx calls it becomes, or why pipx cannot express it]
const rows: [string, string[][] | string][] = [
  ['install httpie', [install('httpie')]],
  ['install httpie==3.2.1', [install('httpie==3.2.1')]],
  ['install httpie>=3', [install('httpie>=3')]],
  ['install httpie[socks]', [install('httpie[socks]')]],
  ['install ./dist/tool-1.0-py3-none-any.whl', [install('./dist/tool-1.0-py3-none-any.whl')]],
  ['install ./src/tool', [install('./src/tool')]],
  ['install https://example.org/tool-1.0.tar.gz', [install('https://example.org/tool-1.0.tar.gz')]],
  ['install httpie yt-dlp', [install('httpie'), install('yt-dlp')]],
  ['install -U httpie', [install('httpie')]],
  ['install -U demo-app', [['upgrade', 'demo-app']]],
  ['install --upgrade Demo_App', [['upgrade', 'demo-app']]],
  ['install demo-app', [install('demo-app')]],
  ['install demo-app==1.0', [['install', '--force', '--python', PY, 'demo-app==1.0']]],
  ['install -U demo-app>=1.1', [['install', '--force', '--python', PY, '--pip-args=-U', 'demo-app>=1.1']]],
  [
    'install --force-reinstall demo-app',
    [['install', '--force', '--python', PY, '--pip-args=--force-reinstall', 'demo-app']],
  ],
  ['install --force-reinstall httpie', [install('httpie')]],
  ['install --pre httpie', [install('--pip-args=--pre', 'httpie')]],
  ['install -i https://mirror/simple httpie', [install('--pip-args=-i https://mirror/simple', 'httpie')]],
  [
    'install --index-url=https://mirror/simple httpie',
    [install('--pip-args=--index-url https://mirror/simple', 'httpie')],
  ],
  [
    'install --extra-index-url https://x/simple httpie',
    [install('--pip-args=--extra-index-url https://x/simple', 'httpie')],
  ],
  ['install --no-index -f /w httpie', [install('--pip-args=--no-index -f /w', 'httpie')]],
  [
    'install --find-links /my wheels httpie',
    [install('--pip-args=--find-links /my', 'wheels'), install('--pip-args=--find-links /my', 'httpie')],
  ],
  [
    'install --trusted-host mirror --cert /c.pem httpie',
    [install('--pip-args=--trusted-host mirror --cert /c.pem', 'httpie')],
  ],
  ['--proxy http://p:3128 install httpie', [install('--pip-args=--proxy http://p:3128', 'httpie')]],
  ['install --only-binary :all: httpie', [install('--pip-args=--only-binary :all:', 'httpie')]],
  ['install --no-binary pyyaml httpie', [install('--pip-args=--no-binary pyyaml', 'httpie')]],
  ['install -U --pre demo-app', [['upgrade', '--pip-args=--pre', 'demo-app']]],
  ['install --user -q httpie', [install('httpie')]],
  ['install --break-system-packages httpie', [install('httpie')]],
  ['install -r requirements.txt', 'pipx cannot express -r'],
  ['install -c constraints.txt httpie', 'pipx cannot express -c'],
  ['install -e ./src/tool', 'pipx cannot express -e'],
  ['install --no-deps httpie', 'pipx cannot express --no-deps'],
  ['install --dry-run httpie', 'pipx cannot express --dry-run'],
  ['install', 'pipx installs packages by name and none was given'],
];

describe('pipxInstallCalls', () => {
  it.each(rows)('pip %s', (line, expected) => {
    expect(pipx(line)).toEqual(expected);
  });

  it('quotes --pip-args values for pipx’s shlex.split', () => {
    expect(pipx('install -f /my wheels/dir httpie')).toEqual([
      install('--pip-args=-f /my', 'wheels/dir'),
      install('--pip-args=-f /my', 'httpie'),
    ]);
    expect(pipx("install -f /path with'quote httpie")[0]).toEqual(
      install('--pip-args=-f /path', "with'quote"),
    );
    const spaced = pipxInstallCalls(parsePipArgs(['install', '-f', '/my wheels', 'httpie']), PY, installed);
    expect(!('problem' in spaced) && spaced[0]?.argv).toEqual(
      install("--pip-args=-f '/my wheels'", 'httpie'),
    );
  });
});

describe('pipxUninstallCalls', () => {
  it.each([
    ['uninstall -y demo-app', [['uninstall', 'demo-app']]],
    [
      'uninstall -y Demo_App black',
      [
        ['uninstall', 'demo-app'],
        ['uninstall', 'black'],
      ],
    ],
    ['uninstall -y demo-app requests', [['uninstall', 'demo-app']]],
    ['uninstall -y requests', undefined],
    ['uninstall -r req.txt', undefined],
  ])('pip %s', (line, expected) => {
    expect(pipxUninstallCalls(parsePipArgs(line.split(' ')), installed)?.map((c) => c.argv)).toEqual(
      expected,
    );
  });
});

describe('parseRequirement', () => {
  it.each([
    ['Demo_App', { name: 'demo-app', bare: true }],
    ['demo.app==1.0', { name: 'demo-app', bare: false }],
    ['demo-app[x]', { name: 'demo-app', bare: false }],
    ['demo-app ; python_version > "3"', { name: 'demo-app', bare: false }],
    ['demo-app @ https://x/demo.zip', { name: 'demo-app', bare: false }],
    ['./w/demo_app-1.0-py3-none-any.whl', { name: 'demo-app', bare: false }],
    ['./src/demo', { name: undefined, bare: false }],
    ['git+https://github.com/x/y', { name: undefined, bare: false }],
  ])('%s', (raw, expected) => {
    expect(parseRequirement(raw)).toEqual({ raw, ...expected });
  });

  it('normalises names as PEP 503 does', () => {
    expect(normalizeName('Foo.Bar__baz--Qux')).toBe('foo-bar-baz-qux');
  });
});
