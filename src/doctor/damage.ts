// The damage already done: packages that pip, not the distribution, put into an externally
// managed Python's site directories (`sudo pip install`, `--break-system-packages`). pip
// writes `pip` into each .dist-info/INSTALLER; Debian's own packages have none, or `debian`.
// Each comes with the command that gives it a proper home and the one that removes it.
import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { capture } from '../base/process.js';
import { shellQuote } from '../base/shell.js';
import type { PipReport } from '../facts/real-pips.js';
import { scriptEntries } from '../pip-cli/entry-points.js';
import { dpkgOwner } from '../run/system-packages.js';
import { type Finding, note, ok, problem } from './finding.js';

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

// The pip-installed distributions in one site directory (its top level: vendored copies inside
// packages are not installs).
function pipInstalled(siteDir: string): { distInfo: string; name: string; version: string; app: boolean }[] {
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
    if (readText(join(distInfo, 'INSTALLER'))?.trim() !== 'pip') return [];
    // The METADATA headers end at the first blank line.
    const headers = (readText(join(distInfo, 'METADATA')) ?? '').split(/\r?\n\r?\n/)[0] ?? '';
    const header = (key: string) => new RegExp(`^${key}:\\s*(.+?)\\s*$`, 'mi').exec(headers)?.[1];
    const [stem, suffix] = entry.slice(0, -'.dist-info'.length).split('-');
    const app = scriptEntries(readText(join(distInfo, 'entry_points.txt')) ?? '').length > 0;
    return [
      { distInfo, name: header('Name') ?? stem ?? entry, version: header('Version') ?? suffix ?? '?', app },
    ];
  });
}

const writable = (dir: string) => {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

// The externally-managed Pythons among the reports, each with the first pip on PATH that runs it.
function managedPythons(reports: readonly PipReport[]): { python: string; pip: string }[] {
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
      remove: `${sudo}${shellQuote(scan.pip)} uninstall --break-system-packages ${shellQuote(name)}`,
      ...(isPip && owner ? { owner } : {}),
    };
  });
}

// Scans every externally-managed Python's site directories (each directory once).
export async function findDamage(
  reports: readonly PipReport[],
): Promise<{ scans: SiteScan[]; damage: Damage[] }> {
  const scans: SiteScan[] = [];
  const damage: Damage[] = [];
  const seen = new Set<string>();
  for (const { python, pip } of managedPythons(reports)) {
    const dirs = await siteDirsOf(python);
    if ('problem' in dirs) {
      scans.push({ python, pip, siteDirs: [], problem: dirs.problem });
      continue;
    }
    const fresh = dirs.filter((dir) => !seen.has(realpathSync(dir)));
    for (const dir of fresh) seen.add(realpathSync(dir));
    const scan = { python, pip, siteDirs: fresh };
    scans.push(scan);
    for (const dir of fresh) damage.push(...(await damageIn(scan, dir)));
  }
  return { scans, damage };
}

// pip's own pip over the distribution's (`sudo pip install --upgrade pip`): pipx is no home for
// it; the distribution's package is, once this one is gone.
function replacedPip(d: Damage): Finding {
  const restore = d.owner
    ? `\`${d.home}\` (the Debian package that owns it)`
    : `reinstall the package of your distribution that provides pip for ${d.python} (Debian and Ubuntu: \`${d.home}\`)`;
  return problem(
    `pip ${d.version} in ${d.siteDir} was installed by pip (\`sudo pip install --upgrade pip\` or --break-system-packages), not by the distribution: ` +
      `it replaced the distribution's own pip for ${d.python}`,
    `remove it: \`${d.remove}\`; then restore the distribution's pip: ${restore}`,
  );
}

export function damageFindings({ scans, damage }: { scans: SiteScan[]; damage: Damage[] }): Finding[] {
  if (scans.length === 0)
    return [note('no externally-managed Python among the pips on PATH: nothing to check')];
  const clean = scans
    .filter((scan) => scan.problem || !damage.some((d) => d.python === scan.python))
    .map((scan) =>
      scan.problem
        ? note(`could not check ${scan.python}: ${scan.problem}`)
        : ok(
            `nothing that pip installed in ${scan.python}'s site directories (${scan.siteDirs.join(', ') || 'none'})`,
          ),
    );
  const found = damage.map((d) => {
    if (d.kind === 'pip') return replacedPip(d);
    const home =
      d.kind === 'app'
        ? `\`${d.home}\` (it is a command-line app)`
        : `\`${d.home}\` in the project that needs it (pip-guard puts it in the project's venv)`;
    return problem(
      `${d.name} ${d.version} in ${d.siteDir} was installed by pip (\`sudo pip install\` or --break-system-packages), not by the distribution`,
      `give it a home of its own: ${home}; then remove it from the system: \`${d.remove}\``,
    );
  });
  return [...clean, ...found];
}
