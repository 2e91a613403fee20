// What a pip run changed in a venv, as seen on disk: its .dist-info directories before and after
// (each with the identity of its RECORD, which pip writes anew for every install of it), so that
// the notice says what happened (installed, already there, nothing) rather than what was planned;
// and the command-line apps the install put there, read from their entry_points.txt (as pipx
// reads them).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statOf } from '../base/files.js';
import { scriptEntries } from '../pip-cli/entry-points.js';
import { normalizeName } from '../pip-cli/requirement.js';

function sitePackages(venv: string): string[] {
  try {
    const lib = join(venv, 'lib');
    return readdirSync(lib)
      .map((dir) => join(lib, dir, 'site-packages'))
      .filter((dir) => existsSync(dir));
  } catch {
    return [];
  }
}

// Every .dist-info directory in the venv, by path, with its RECORD's identity. A site-packages
// pip-guard cannot read has none it can tell (pip says what is wrong).
export type Dists = ReadonlyMap<string, string>;

export function distsIn(venv: string): Dists {
  const inside = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const dists = new Map<string, string>();
  for (const dir of sitePackages(venv)) {
    for (const name of inside(dir).filter((entry) => entry.endsWith('.dist-info'))) {
      const record = statOf(join(dir, name, 'RECORD'));
      dists.set(join(dir, name), record ? `${record.ino}:${record.mtimeMs}:${record.size}` : '-');
    }
  }
  return dists;
}

// A .dist-info directory's distribution: its normalised name and its version.
export function distOf(path: string): { name: string; version: string } {
  const stem = /([^/]+)\.dist-info$/.exec(path)?.[1] ?? '';
  const at = stem.lastIndexOf('-');
  return { name: normalizeName(stem.slice(0, at)), version: stem.slice(at + 1) };
}

// What a run changed: distributions added, removed, or installed anew in place ("demo 1.1").
export interface DistChanges {
  added: string[];
  removed: string[];
  reinstalled: string[];
}

const shown = (path: string) => {
  const { name, version } = distOf(path);
  return `${name} ${version}`;
};

export function changesBetween(before: Dists, after: Dists): DistChanges {
  const added = [...after.keys()].filter((path) => !before.has(path));
  const removed = [...before.keys()].filter((path) => !after.has(path));
  const reinstalled = [...after].filter(([path, stamp]) => before.has(path) && before.get(path) !== stamp);
  return {
    added: added.map(shown),
    removed: removed.map(shown),
    reinstalled: reinstalled.map(([path]) => shown(path)),
  };
}

// Of `packages` (normalised names), those the venv has, as "name version".
export function present(dists: Dists, packages: readonly string[]): string[] {
  return [...dists.keys()].filter((path) => packages.includes(distOf(path).name)).map(shown);
}

// [console_scripts] and [gui_scripts] names in an entry_points.txt.
const scripts = (text: string) => scriptEntries(text, true).map((entry) => entry.name);

// The apps among `packages` (normalised names) whose .dist-info is new or installed anew since
// `before`.
export function appsAdded(before: Dists, after: Dists, packages: readonly string[]) {
  const apps: { name: string; commands: string[] }[] = [];
  for (const [info, stamp] of after) {
    if (before.get(info) === stamp) continue;
    const { name } = distOf(info);
    if (!packages.includes(name)) continue;
    let commands: string[] = [];
    try {
      commands = scripts(readFileSync(join(info, 'entry_points.txt'), 'utf8'));
    } catch {}
    if (commands.length > 0) apps.push({ name, commands });
  }
  return apps;
}
