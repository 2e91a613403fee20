// Everything `pip-guard repair` decides from (policy/repair.ts), gathered once, read-only: the
// externally-managed Pythons (those of the pips on PATH, or --python), doctor's scan of their
// site directories, each damaged package's facts (site-probe.ts), which files the distribution
// owns, who owns each site directory, where libraries go (the default venv, or --to-venv), pipx.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { isExecutableFile, statOf } from '../base/files.js';
import { passwdEntry } from '../base/users.js';
import { normalizeName } from '../pip-cli/requirement.js';
import { type Damage, installedDists, managedPythons, type SiteScan, scanPythons } from './damage.js';
import { defaultVenv } from './gather.js';
import { probeInterpreter } from './interpreter.js';
import { distributionOwners, type Owners } from './package-owners.js';
import { which } from './path-search.js';
import { venvSitePackages } from './pip-version.js';
import { pipxFacts } from './pipx-installed.js';
import { venvState } from './project.js';
import { inspectPips, pipsOnPath } from './real-pips.js';
import { seedsOf } from './seed-wheels.js';
import { probeSites, type SiteFacts } from './site-probe.js';
import { shippedBy, vettingProblem } from './venv-registry.js';

export interface SiteOwner {
  uid: number;
  gid: number;
  user: string;
}

export interface RepairPython {
  python: string;
  // major.minor
  version: string;
  pipCommand: string[];
  damage: readonly Damage[];
  site: SiteFacts | { problem: string };
  // Where its libraries go; `has`: what that venv has already (normalised name → version).
  venv: { path: string; given: boolean; systemSite: boolean; has: Readonly<Record<string, string>> };
  // How its default venv is made when it is not there yet (run/venv.ts).
  maker: { python: string; version: string; seedWheels?: string[] };
  siteOwners: Readonly<Record<string, SiteOwner>>;
}

export interface RepairFacts {
  pythons: RepairPython[];
  scans: SiteScan[];
  owners: Owners;
  pipx: { path?: string; apps: ReadonlyMap<string, { version?: string }>; binDir: string };
  // The user pip-guard runs as, and whether there is a sudo to become root with.
  me: number;
  sudo: boolean;
}

export interface RepairOptions {
  python?: string;
  toVenv?: string;
}

// What a venv (of Python `version`) has: normalised name → version.
export const venvDists = (venv: string, version: string) =>
  Object.fromEntries(
    installedDists(venvSitePackages(venv, version)).map((d) => [normalizeName(d.name), d.version]),
  );

const same = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
};

// The one Python --python names, with the pip on PATH that runs it (else `python -m pip`).
async function namedPython(arg: string, env: Env, cwd: string) {
  const python = resolve(cwd, arg);
  const interpreter = isExecutableFile(python) ? await probeInterpreter(python, env) : undefined;
  if (!interpreter || 'problem' in interpreter)
    throw new UserError(
      `--python ${arg} is not a Python interpreter pip-guard can run${interpreter ? ` (${interpreter.problem})` : ''}: ` +
        'name the interpreter whose packages to repair, such as /usr/bin/python3. Nothing was changed.',
      2,
    );
  if (interpreter.venv || !interpreter.externallyManaged)
    throw new UserError(
      `--python ${arg} is ${interpreter.venv ? 'a virtual environment' : 'not externally managed (it has no EXTERNALLY-MANAGED file)'}: ` +
        'pip never refuses to install there, so nothing pip put into it is damage to repair. Name an externally-managed Python, such as /usr/bin/python3. Nothing was changed.',
      2,
    );
  const reports = await inspectPips(pipsOnPath(env), env);
  const pip = reports.find((r) => r.interpreter && same(r.interpreter.python, python))?.path ?? python;
  return [{ python, pip }];
}

// --to-venv: a venv, not committed to a repository.
async function givenVenv(arg: string, cwd: string) {
  const path = resolve(cwd, arg);
  const state = venvState(path);
  if (state.kind !== 'valid')
    throw new UserError(
      `--to-venv ${arg} is not a venv (${state.kind === 'broken' ? state.problem : 'there is nothing there'}): ` +
        "name an existing venv, such as a project's .venv (`python3 -m venv .venv` makes one). Nothing was changed.",
      2,
    );
  const shipped = await shippedBy(path);
  if (shipped !== 'no') {
    const { problem } = vettingProblem(path, shipped);
    throw new UserError(
      `--to-venv ${arg} is not a venv pip-guard will use: ${problem}. Name another venv. Nothing was changed.`,
      2,
    );
  }
  const cfg = (() => {
    try {
      return readFileSync(resolve(path, 'pyvenv.cfg'), 'utf8');
    } catch {
      return '';
    }
  })();
  return {
    path,
    version: state.version,
    systemSite: /^\s*include-system-site-packages\s*=\s*true\s*$/im.test(cfg),
  };
}

// --to-venv takes the libraries of Pythons of its own version only.
function checkVersions(arg: string, own: string | undefined, pythons: readonly RepairPython[]): void {
  const other = pythons.find((py) => py.version !== own);
  if (other)
    throw new UserError(
      `--to-venv ${arg} is a venv of Python ${own ?? '(unknown version)'}, and pip put the packages to move into ${other.python} (Python ${other.version}): ` +
        'name a venv of that version, or choose the Python with --python. Nothing was changed.',
      2,
    );
}

// Who owns a site directory, or where it would be made again (the nearest directory above it).
export function siteOwner(dir: string): SiteOwner {
  let at = dir;
  while (!statOf(at, true) && dirname(at) !== at) at = dirname(at);
  const stat = statOf(at, true);
  const uid = stat?.uid ?? 0;
  return { uid, gid: stat?.gid ?? 0, user: passwdEntry(uid)?.name ?? `uid ${uid}` };
}

export async function gatherRepairFacts(env: Env, cwd: string, options: RepairOptions): Promise<RepairFacts> {
  const pythons = options.python
    ? await namedPython(options.python, env, cwd)
    : managedPythons(await inspectPips(pipsOnPath(env), env));
  const { scans, damage } = await scanPythons(pythons);
  const found: RepairPython[] = [];
  const venv = options.toVenv ? await givenVenv(options.toVenv, cwd) : undefined;
  for (const scan of scans.filter((s) => !s.problem)) {
    const mine = damage.filter((d) => d.python === scan.python);
    if (mine.length === 0) continue;
    const interpreter = await probeInterpreter(scan.python, env);
    // A Python that cannot be asked: its packages stay, with why.
    const known = 'problem' in interpreter ? undefined : interpreter;
    const version = known?.version ?? '';
    const site = known
      ? await probeSites(
          scan.python,
          known.pipPath ?? [],
          mine.map((d) => d.distInfo),
          scan.siteDirs,
          env,
        )
      : { problem: (interpreter as { problem: string }).problem };
    const path = venv?.path ?? defaultVenv(env, known?.version);
    found.push({
      python: scan.python,
      version,
      pipCommand: scan.pipCommand,
      damage: mine,
      site,
      venv: {
        path,
        given: Boolean(venv),
        systemSite: venv?.systemSite ?? false,
        has: venvDists(path, version),
      },
      maker: { python: scan.python, version, seedWheels: seedsOf(known, undefined)?.sources },
      siteOwners: Object.fromEntries(scan.siteDirs.map((dir) => [dir, siteOwner(dir)])),
    });
  }
  if (options.toVenv && venv) checkVersions(options.toVenv, venv.version, found);
  const files = found.flatMap((py) =>
    'problem' in py.site ? [] : py.site.dists.flatMap((d) => (d.problem ? [] : d.files)),
  );
  const owners: Owners =
    files.length > 0 ? await distributionOwners(files, env) : { manager: 'none', owners: new Map() };
  const pipx = pipxFacts(env);
  return {
    pythons: found,
    scans,
    owners,
    pipx: { path: pipx.path, apps: pipx.apps, binDir: pipx.binDir },
    me: process.geteuid?.() ?? 0,
    sudo: Boolean(which('sudo', env)),
  };
}
