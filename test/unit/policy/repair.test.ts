import { describe, expect, it } from 'vitest';
import type { Damage } from '../../../src/facts/damage.js';
import type { RepairPython } from '../../../src/facts/repair-facts.js';
import type { DistFacts, RequirementFact } from '../../../src/facts/site-probe.js';
import { planRepair, type RepairInput, removalAs, unknownNames } from '../../../src/policy/repair.js';

const PY = '/usr/bin/python3';
const SITE = '/usr/local/lib/python3.11/dist-packages';
const VENV = '/home/me/.local/share/pip-guard/venvs/python3.11';
const id = (name: string) => `${SITE}/${name}-1.0.dist-info`;

interface Given {
  kind?: Damage['kind'];
  requires?: (string | RequirementFact)[];
  requested?: boolean;
  problem?: string;
  owner?: string;
  shadowedBy?: string;
}

// A requirement met by the damaged package of that name (a string), or as given.
const need = (r: string | RequirementFact): RequirementFact =>
  typeof r === 'string'
    ? { name: r, spec: r, met: { distInfo: id(r), version: '1.0', damaged: true, ok: true } }
    : r;
const system = (name: string): RequirementFact => ({
  name,
  spec: name,
  met: {
    distInfo: `/usr/lib/python3/dist-packages/${name}-2.0.dist-info`,
    version: '2.0',
    damaged: false,
    ok: true,
  },
});

interface Options {
  only?: string[];
  systemDependents?: Record<string, string[]>;
  copies?: Record<string, string[]>;
  owned?: Record<string, string>;
  pipx?: boolean;
  pipxHas?: Record<string, string>;
  venvHas?: Record<string, string>;
  venvSystemSite?: boolean;
  siteOwner?: number;
  me?: number;
  sudo?: boolean;
}

function input(packages: Record<string, Given>, o: Options = {}): RepairInput {
  const names = Object.keys(packages);
  const damage: Damage[] = names.map((name) => {
    const g = packages[name] as Given;
    const kind = g.kind ?? 'library';
    return {
      name,
      version: '1.0',
      kind,
      python: PY,
      pip: '/usr/bin/pip',
      siteDir: SITE,
      distInfo: id(name),
      home: '',
      remove: '',
      ...(g.owner ? { owner: g.owner } : {}),
    };
  });
  const dists: DistFacts[] = names.map((name) => {
    const g = packages[name] as Given;
    return {
      distInfo: id(name),
      name,
      version: '1.0',
      requested: g.requested ?? true,
      shadowedBy: g.shadowedBy ?? null,
      scripts: g.kind === 'app' ? [name] : [],
      files: [`${SITE}/${name}/__init__.py`, `${id(name)}/RECORD`],
      problem: g.problem ?? null,
      requires: (g.requires ?? []).map(need),
    };
  });
  const py: RepairPython = {
    python: PY,
    version: '3.11',
    pipCommand: ['/usr/bin/pip'],
    damage,
    site: { dists, systemDependents: o.systemDependents ?? {}, copies: o.copies ?? {}, schemes: {} },
    venv: { path: VENV, given: false, systemSite: o.venvSystemSite ?? false, has: o.venvHas ?? {} },
    maker: { python: PY, version: '3.11' },
    siteOwners: { [SITE]: { uid: o.siteOwner ?? 0, gid: 0, user: o.siteOwner ? 'alice' : 'root' } },
  };
  const owned = new Map(
    Object.entries(o.owned ?? {}).map(([name, pkg]) => [`${SITE}/${name}/__init__.py`, pkg]),
  );
  return {
    pythons: [py],
    scans: [],
    owners: { manager: 'dpkg', owners: owned },
    pipx: {
      path: o.pipx === false ? undefined : '/usr/bin/pipx',
      apps: new Map(Object.entries(o.pipxHas ?? {}).map(([name, version]) => [name, { version }])),
      binDir: '/home/me/.local/bin',
    },
    me: o.me ?? 0,
    sudo: o.sudo ?? false,
    ...(o.only ? { only: o.only } : {}),
  };
}

// Each package as "name: action (detail)", in scan order.
function decisions(given: RepairInput): string[] {
  return planRepair(given).packages.map((p) => {
    const detail =
      p.action === 'stay'
        ? p.reason
        : p.action === 'along'
          ? p.along.join(', ')
          : [p.venv, p.with.join(', '), p.systemSite ? 'system site' : '', p.had ? `had ${p.had}` : '']
              .filter(Boolean)
              .join('; ');
    return `${p.name}: ${p.action}${detail ? ` (${detail})` : ''}`;
  });
}

// The homes in order: "to lead +others -removed".
const units = (given: RepairInput) =>
  planRepair(given).units.map(
    (u) =>
      `${u.to} ${[u.lead, ...u.install.slice(1)].map((x) => x.slice(SITE.length + 1, -'-1.0.dist-info'.length)).join('+')}` +
      ` -${u.remove.map((x) => x.slice(SITE.length + 1, -'-1.0.dist-info'.length)).join(',')}`,
  );

describe('planRepair: where each package goes', () => {
  it.each([
    [
      'an app goes to pipx with what it needs, which goes along; a library of its own to the default venv',
      input({ tool: { kind: 'app', requires: ['lib'] }, lib: { requested: false }, solo: {} }),
      ['tool: pipx (lib 1.0)', 'lib: along (tool)', `solo: venv (${VENV})`],
      ['pipx tool+lib -tool,lib', 'venv solo -solo'],
    ],
    [
      'a library a user asked for is also a home of its own, and leaves with the last home that takes it',
      input({ tool: { kind: 'app', requires: ['lib'] }, lib: {} }),
      ['tool: pipx (lib 1.0)', `lib: venv (${VENV})`],
      ['pipx tool+lib -tool', 'venv lib -lib'],
    ],
    [
      'a library nothing needs any more (its app gone) has a home of its own even if nobody asked for it',
      input({ orphan: { requested: false } }),
      [`orphan: venv (${VENV})`],
      ['venv orphan -orphan'],
    ],
    [
      'what a library needs goes into the venv with it',
      input({ web: { requires: ['core'] }, core: { requested: false } }),
      [`web: venv (${VENV}; core 1.0)`, 'core: along (web)'],
      ['venv web+core -web,core'],
    ],
    [
      'pip itself gives way to the distribution’s, last, with nothing installed',
      input({ pip: { kind: 'pip', owner: 'python3-pip' }, solo: {} }),
      [`pip: distribution`, `solo: venv (${VENV})`],
      ['venv solo -solo', 'distribution pip -pip'],
    ],
    [
      'an app whose venv needs what only the distribution provides sees the system site packages',
      input({ tool: { kind: 'app', requires: [system('requests')] } }),
      ['tool: pipx (system site)'],
      ['pipx tool -tool'],
    ],
    [
      'a home that has it already installs nothing; the system’s copy still leaves',
      input({ tool: { kind: 'app' }, solo: {} }, { pipxHas: { tool: '2.0' }, venvHas: { solo: '1.0' } }),
      ['tool: pipx (had 2.0)', `solo: venv (${VENV}; had 1.0)`],
      ['pipx tool -tool', 'venv solo -solo'],
    ],
  ])('%s', (_, given, expected, homes) => {
    expect(decisions(given)).toEqual(expected);
    expect(units(given)).toEqual(homes);
  });
});

describe('planRepair: what stays, and why', () => {
  it.each([
    [
      'files that no longer match their RECORD',
      input({ edited: { problem: 'edited/__init__.py does not match its RECORD' } }),
      ['edited: stay (edited/__init__.py does not match its RECORD)'],
    ],
    [
      'a file the distribution owns',
      input({ owned: {} }, { owned: { owned: 'python3-owned' } }),
      [
        `owned: stay (its RECORD lists ${SITE}/owned/__init__.py, which the distribution's package python3-owned owns)`,
      ],
    ],
    [
      'what something staying needs, and the package that needs it',
      input({ edited: { requires: ['lib'], problem: 'changed' }, lib: { requested: false } }),
      ['edited: stay (changed)', 'lib: stay (edited 1.0, which stays in place, needs it)'],
    ],
    [
      "what a package of the distribution's needs, unless the distribution has a copy of its own",
      input({ six: {} }, { systemDependents: { six: ['python3-dateutil 2.8'] } }),
      ["six: stay (the distribution's python3-dateutil 2.8 needs it)"],
    ],
    [
      'an app whose library cannot be rebuilt',
      input({
        tool: { kind: 'app', requires: ['lib'] },
        lib: { requested: false, problem: 'lib/x.py is missing' },
      }),
      [
        'tool: stay (it needs lib 1.0, which pip-guard cannot rebuild: lib/x.py is missing)',
        'lib: stay (lib/x.py is missing)',
      ],
    ],
    [
      'a requirement nothing meets',
      input({ tool: { kind: 'app', requires: [{ name: 'gone', spec: 'gone>=1', met: null }] } }),
      ['tool: stay (it needs gone>=1, which is not installed, and pip-guard cannot fetch it offline)'],
    ],
    [
      'a library that needs what only the distribution provides, for a venv that cannot see it',
      input({ web: { requires: [system('requests')] } }),
      [
        `web: stay (it needs requests, which only the distribution provides here, and ${VENV} cannot have it offline)`,
      ],
    ],
    [
      'an app without pipx',
      input({ tool: { kind: 'app' } }, { pipx: false }),
      [
        'tool: stay (pipx is not on PATH: install it (Debian and Ubuntu: `sudo apt install pipx`), then run pip-guard repair again)',
      ],
    ],
    [
      'pip, where the distribution has none to take its place',
      input({ pip: { kind: 'pip' } }),
      [
        `pip: stay (it is the only pip for ${PY}: install the distribution's (Debian and Ubuntu: \`sudo apt install python3-pip\`), then run pip-guard repair again)`,
      ],
    ],
    [
      'a copy that another one hides (pip uninstall would remove that one)',
      input({ dup: { shadowedBy: '/home/me/.local/lib/python3.11/site-packages/dup-2.0.dist-info (2.0)' } }),
      [
        `dup: stay (another copy of it, /home/me/.local/lib/python3.11/site-packages/dup-2.0.dist-info (2.0), comes first on ${PY}'s path, and pip uninstall would remove that one)`,
      ],
    ],
    [
      "root's directory, as a user without sudo",
      input({ solo: {} }, { me: 1000 }),
      [`solo: stay (${SITE} belongs to root, and there is no sudo: run pip-guard repair as root)`],
    ],
  ])('%s', (_, given, expected) => {
    expect(decisions(given)).toEqual(expected);
    expect(
      planRepair(given).units.filter((u) => u.remove.some((r) => expected.some((e) => e.startsWith(r)))),
    ).toEqual([]);
  });

  it('moves what the distribution’s packages need when it has a copy of its own that is hidden', () => {
    const given = input(
      { six: {} },
      {
        systemDependents: { six: ['python3-dateutil 2.8'] },
        copies: { six: ['/usr/lib/python3/dist-packages/six-1.16.egg-info (1.16)'] },
      },
    );
    expect(decisions(given)).toEqual([`six: venv (${VENV})`]);
  });

  it('checks nothing it cannot ask the package manager about', () => {
    const given = {
      ...input({ solo: {} }),
      owners: { problem: 'no package manager to ask (dpkg, rpm, pacman) is on PATH' },
    };
    expect(decisions(given)).toEqual([
      "solo: stay (pip-guard cannot check which of its files are the distribution's: no package manager to ask (dpkg, rpm, pacman) is on PATH)",
    ]);
  });
});

describe('planRepair --only', () => {
  const given = (only: string[]) =>
    input({ tool: { kind: 'app', requires: ['lib'] }, lib: { requested: false }, solo: {} }, { only });

  it('takes the named packages and what they need', () => {
    expect(decisions(given(['tool']))).toEqual(['tool: pipx (lib 1.0)', 'lib: along (tool)']);
    expect(units(given(['tool']))).toEqual(['pipx tool+lib -tool,lib']);
  });

  it('leaves a library that a package not named needs, and says so', () => {
    expect(decisions(given(['lib']))).toEqual(['lib: stay (tool 1.0, which is not among --only, needs it)']);
    expect(planRepair(given(['lib'])).units).toEqual([]);
  });

  it('names what pip did not install', () => {
    expect(unknownNames(['solo', 'nope'], given([]).pythons)).toEqual(['nope']);
  });
});

describe('removalAs', () => {
  const root = { uid: 0, gid: 0, user: 'root' };
  const alice = { uid: 1000, gid: 1000, user: 'alice' };
  it.each([
    ['its owner: as such', alice, 1000, false, { as: 'self' }],
    ['root, for another user: setpriv', alice, 0, false, { as: 'owner', ...alice, via: 'setpriv' }],
    ['a user, for root: sudo', root, 1000, true, { as: 'owner', ...root, via: 'sudo' }],
    [
      'a user, for root, without sudo: not at all',
      root,
      1000,
      false,
      { as: 'none', why: 'it belongs to root, and there is no sudo: run pip-guard repair as root' },
    ],
    [
      'a user, for another user: not at all',
      alice,
      1001,
      true,
      { as: 'none', why: 'it belongs to alice: run pip-guard repair as alice' },
    ],
  ] as const)('%s', (_, owner, me, sudo, expected) => {
    expect(removalAs(owner, me, sudo)).toEqual(expected);
  });
});
