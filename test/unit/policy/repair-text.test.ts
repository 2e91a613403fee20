import { describe, expect, it } from 'vitest';
import type { PackagePlan } from '../../../src/policy/repair.js';
import {
  filesInWords,
  outcomeLine,
  packageWords,
  restoreWords,
  standingWords,
} from '../../../src/policy/repair-text.js';

const SITE = '/usr/local/lib/python3.11/dist-packages';
const FILES = [
  '/usr/local/bin/tool',
  `${SITE}/tool/__init__.py`,
  `${SITE}/tool/__pycache__/__init__.cpython-311.pyc`,
  `${SITE}/tool-1.0.dist-info/RECORD`,
  `${SITE}/six.py`,
];
const plan = (over: Partial<PackagePlan>): PackagePlan => ({
  id: `${SITE}/tool-1.0.dist-info`,
  name: 'tool',
  version: '1.0',
  kind: 'app',
  python: '/usr/bin/python3',
  siteDir: SITE,
  action: 'pipx',
  with: [],
  along: [],
  removes: FILES,
  ...over,
});
const REMOVED = `/usr/local/bin/tool, tool/ (2 files), tool-1.0.dist-info/ (1 file), six.py (the files its RECORD lists, none of them the distribution's)`;

describe('the plan in words', () => {
  it('counts the files by their top-level entry, and names those outside the site directory', () => {
    expect(filesInWords(FILES, SITE)).toBe(
      '/usr/local/bin/tool, tool/ (2 files), tool-1.0.dist-info/ (1 file), six.py',
    );
  });

  it.each([
    [
      'an app to pipx, with what it needs',
      plan({ with: ['lib 1.0'] }),
      ['goes to pipx, from a wheel rebuilt from its files, with lib 1.0', `removed: ${REMOVED}`],
    ],
    [
      'an app whose venv sees the distribution’s packages, removed as root with sudo',
      plan({ systemSite: true, removal: { as: 'owner', uid: 0, gid: 0, user: 'root', via: 'sudo' } }),
      [
        "goes to pipx, from a wheel rebuilt from its files; its venv sees the distribution's packages, for what only they provide",
        `removed as root, with sudo (pip-guard asks first): ${REMOVED}`,
      ],
    ],
    [
      'a library to a venv that has it already',
      plan({ kind: 'library', action: 'venv', venv: '/v', had: '2.0' }),
      [
        "goes to the venv /v, from a wheel rebuilt from its files (it has tool 2.0 already: nothing is installed, and the system's copy is removed)",
        `removed: ${REMOVED}`,
      ],
    ],
    [
      'a library that goes with two apps',
      plan({ kind: 'library', action: 'along', along: ['a', 'b'] }),
      ['goes with a and b, which need it', `removed: ${REMOVED}`],
    ],
    [
      'pip itself',
      plan({ name: 'pip', kind: 'pip', action: 'distribution' }),
      ["gives way: once it is gone, the distribution's own pip is the one that runs", `removed: ${REMOVED}`],
    ],
    [
      'what stays',
      plan({ action: 'stay', reason: 'x does not match its RECORD', removes: [] }),
      ['stays: x does not match its RECORD'],
    ],
  ])('%s', (_, p, expected) => {
    const [head, ...rest] = packageWords(p, p.kind === 'app' ? ['tool'] : []);
    expect(head).toBe(
      `${p.name} 1.0, ${p.kind === 'app' ? 'an app (tool)' : p.kind === 'pip' ? 'pip itself' : 'a library'}, in ${SITE}`,
    );
    expect(rest).toEqual(expected.map((line) => `  ${line}`));
  });
});

describe('the last line', () => {
  const moved = [plan({}), plan({ name: 'lib', kind: 'library', action: 'along' })];
  const stayed = [plan({ name: 'edited', action: 'stay' })];
  it('says what moved, what stayed, and how to undo it', () => {
    expect(outcomeLine({ bundle: '/b', moved, stayed, notMoved: [] })).toBe(
      'pip-guard repair moved tool 1.0, lib 1.0 to their homes and off the system; edited 1.0 stays in place, as said above; ' +
        '`pip-guard repair --restore /b` undoes it',
    );
  });

  it('says where it stopped, and both ways on', () => {
    expect(outcomeLine({ bundle: '/b', moved: [], stayed: [], notMoved: moved, interrupted: 'SIGINT' })).toBe(
      'pip-guard repair was interrupted (SIGINT): it moved nothing, and tool 1.0, lib 1.0 are still in place; ' +
        '`pip-guard repair --yes` picks up from the bundle /b, and `pip-guard repair --restore /b` undoes it',
    );
    expect(
      outcomeLine({
        bundle: '/b',
        moved: [plan({})],
        stayed: [],
        notMoved: [moved[1] as PackagePlan],
        failed: 'x',
      }),
    ).toMatch(
      /^pip-guard repair stopped, because a step failed \(above\): it moved tool 1\.0 to its home and off the system, and lib 1\.0 is still in place;/,
    );
  });
});

describe('a stopped repair, and a restore, in words', () => {
  it('says where each package stands', () => {
    const at = (inPlace: boolean, home: boolean, leaves = true) => ({
      name: 'p',
      version: '1',
      inPlace,
      home,
      leaves,
      to: 'pipx',
    });
    expect(
      standingWords('/b', [
        at(false, true),
        at(true, true),
        at(true, true, false),
        at(true, false),
        at(false, false),
      ]),
    ).toEqual([
      'A repair was stopped before it finished; its bundle is /b:',
      '  p 1: in its home (pipx), and off the system',
      '  p 1: in its home (pipx); still on the system, to be removed',
      '  p 1: in its home (pipx), and it stays on the system',
      '  p 1: still in place; goes to pipx',
      '  p 1: neither in place nor in its home: `pip-guard repair --restore /b` puts it back',
    ]);
  });

  it('says what went back, and what could not be undone', () => {
    expect(
      restoreWords({
        dir: '/b',
        restored: ['a 1'],
        inPlace: ['b 1'],
        undone: ['a 1 (pipx)'],
        problems: ['`pipx uninstall a` failed'],
      }),
    ).toEqual([
      'put back where pip had installed them: a 1',
      'in place already: b 1',
      'taken back out of the homes the repair gave them: a 1 (pipx)',
      'could not take back: `pipx uninstall a` failed',
      'pip-guard repair --restore put back 1 package from /b, and some homes could not be undone (above)',
    ]);
  });
});
