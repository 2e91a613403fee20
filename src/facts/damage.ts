// The damage already done: packages that pip, not the distribution, put into an externally
// managed Python's site directories (`sudo pip install`, `--break-system-packages`). pip
// writes `pip` into each .dist-info/INSTALLER; Debian's own packages have none, or `debian`.
// Each comes with the command that gives it a proper home and the one that removes it, by hand
// (doctor shows them; `pip-guard repair` does both). Read-only.
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { capture } from '../base/process.js';
import { shellQuote } from '../base/shell.js';
import { scriptEntries } from '../pip-cli/entry-points.js';
import { dpkgOwner } from './package-owners.js';
import type { PipReport } from './real-pips.js';

export interface Damage {
  name: string;
  version: string;
  // app: it has console scripts (pipx's business); library: a project's; pip: pip itself, in
  // place of the distribution's.
  kind: 'app' | 'library' | 'pip';
  python: string;
  // The real pip that runs on that Python, which can remove it.
  pip: string;
  siteDir: string;
  distInfo: string;
  // The command that gives it a proper home, and the one that takes it off the system.
  home: string;
  remove: string;
  // For pip itself: the OS package of the distribution's pip that it replaced, when dpkg knows it.
  owner?: string;
}

export interface SiteScan {
  python: string;
  pip: string;
  // How to run that pip: [pip], or [python, '-m', 'pip'] where no pip on PATH runs that Python.
  pipCommand: string[];
  siteDirs: string[];
  // Why the Python could not be asked, if it could not.
  problem?: string;
}

// -S: site's own lists, without running the .pth files in them; -B: write no bytecode.
const SITE_PROBE =
  'import json, site; print(json.dumps(site.getsitepackages() + [site.getusersitepackages()]))';

async function siteDirsOf(python: string): Promise<string[] | { problem: string }> {
  const result = await capture(python, ['-I', '-S', '-B', '-c', SITE_PROBE]).catch(() => undefined);
  try {
    const dirs = JSON.parse(result?.stdout.trim().split('\n').pop() ?? '') as string[];
    return dirs.filter((dir) => existsSync(dir));
  } catch {
    return { problem: `${python} did not say where its site directories are` };
  }
}

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

export interface InstalledDist {
  distInfo: string;
  name: string;
  version: string;
  // What its INSTALLER says (pip for pip's), if it has one.
  installer?: string;
  app: boolean;
}

// The distributions installed in one site directory, by their .dist-info (its top level:
// vendored copies inside packages are not installs).
export function installedDists(siteDir: string): InstalledDist[] {
  let entries: string[];
  try {
    entries = readdirSync(siteDir)
      .filter((entry) => entry.endsWith('.dist-info'))
      .sort();
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const distInfo = join(siteDir, entry);
    const installer = readText(join(distInfo, 'INSTALLER'))?.trim();
    // The METADATA headers end at the first blank line.
    const headers = (readText(join(distInfo, 'METADATA')) ?? '').split(/\r?\n\r?\n/)[0] ?? '';
    const header = (key: string) => new RegExp(`^${key}:\\s*(.+?)\\s*$`, 'mi').exec(headers)?.[1];
    const [stem, suffix] = entry.slice(0, -'.dist-info'.length).split('-');
    const app = scriptEntries(readText(join(distInfo, 'entry_points.txt')) ?? '').length > 0;
    const name = header('Name') ?? stem ?? entry;
    return [{ distInfo, name, version: header('Version') ?? suffix ?? '?', installer, app }];
  });
}

// The ones pip installed.
const pipInstalled = (siteDir: string) => installedDists(siteDir).filter((d) => d.installer === 'pip');

const writable = (dir: string) => {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

// The externally-managed Pythons among the reports, each with the first pip on PATH that runs it.
export function managedPythons(reports: readonly PipReport[]): { python: string; pip: string }[] {
  const found = new Map<string, string>();
  for (const report of reports) {
    const i = report.interpreter;
    if (i?.externallyManaged && !i.venv && !found.has(i.python)) found.set(i.python, report.path);
  }
  return [...found].map(([python, pip]) => ({ python, pip }));
}

// The Debian package of the distribution's own pip for that Python: the pip package in another of
// its site directories, which pip did not install (dpkg knows it by its real path).
async function distributionPip(scan: SiteScan, siteDir: string): Promise<string | undefined> {
  for (const dir of scan.siteDirs.filter((d) => d !== siteDir)) {
    const pip = join(dir, 'pip');
    if (!existsSync(pip) || pipInstalled(dir).some((d) => d.name.toLowerCase() === 'pip')) continue;
    const owner = await dpkgOwner(realpathSync(pip));
    if (owner) return owner;
  }
  return undefined;
}

async function damageIn(scan: SiteScan, siteDir: string): Promise<Damage[]> {
  const sudo = writable(siteDir) ? '' : 'sudo ';
  const found = pipInstalled(siteDir);
  const owner = found.some((d) => d.name.toLowerCase() === 'pip')
    ? await distributionPip(scan, siteDir)
    : undefined;
  return found.map(({ distInfo, name, version, app }) => {
    const isPip = name.toLowerCase() === 'pip';
    return {
      name,
      version,
      kind: isPip ? 'pip' : app ? 'app' : 'library',
      python: scan.python,
      pip: scan.pip,
      siteDir,
      distInfo,
      home: isPip
        ? `sudo apt install --reinstall ${owner ?? 'python3-pip'}`
        : app
          ? `pipx install ${shellQuote(name)}`
          : `pip install ${shellQuote(name)}`,
      remove: `${sudo}${scan.pipCommand.map(shellQuote).join(' ')} uninstall --break-system-packages ${shellQuote(name)}`,
      ...(isPip && owner ? { owner } : {}),
    };
  });
}

export interface Scanned {
  scans: SiteScan[];
  damage: Damage[];
}

// Scans the site directories of each Python (each directory once), with the pip that runs it
// (`-m pip` where pip is the Python itself).
export async function scanPythons(pythons: readonly { python: string; pip: string }[]): Promise<Scanned> {
  const scans: SiteScan[] = [];
  const damage: Damage[] = [];
  const seen = new Set<string>();
  for (const { python, pip } of pythons) {
    const pipCommand = pip === python ? [python, '-m', 'pip'] : [pip];
    const dirs = await siteDirsOf(python);
    if ('problem' in dirs) {
      scans.push({ python, pip, pipCommand, siteDirs: [], problem: dirs.problem });
      continue;
    }
    const fresh = dirs.filter((dir) => !seen.has(realpathSync(dir)));
    for (const dir of fresh) seen.add(realpathSync(dir));
    const scan = { python, pip, pipCommand, siteDirs: fresh };
    scans.push(scan);
    for (const dir of fresh) damage.push(...(await damageIn(scan, dir)));
  }
  return { scans, damage };
}

// Scans every externally-managed Python among the pips on PATH.
export const findDamage = (reports: readonly PipReport[]) => scanPythons(managedPythons(reports));
