// The command-line apps an install put into a venv: the console scripts of the .dist-info
// directories it added, read from their entry_points.txt (as pipx reads them).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

// Every .dist-info directory in the venv, by path: what an install adds shows up as new ones.
// A site-packages pip-guard cannot read has none it can tell apps by (pip says what is wrong).
export function distInfos(venv: string): Set<string> {
  const inside = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return new Set(
    sitePackages(venv).flatMap((dir) =>
      inside(dir)
        .filter((name) => name.endsWith('.dist-info'))
        .map((name) => join(dir, name)),
    ),
  );
}

// [console_scripts] and [gui_scripts] names in an entry_points.txt.
const scripts = (text: string) => scriptEntries(text, true).map((entry) => entry.name);

// The apps among `packages` (normalised names) whose .dist-info is new since `before`.
export function appsAdded(venv: string, before: ReadonlySet<string>, packages: readonly string[]) {
  const apps: { name: string; commands: string[] }[] = [];
  for (const info of distInfos(venv)) {
    if (before.has(info)) continue;
    const name = normalizeName(/([^/]+?)-[^-/]*\.dist-info$/.exec(info)?.[1] ?? '');
    if (!packages.includes(name)) continue;
    let commands: string[] = [];
    try {
      commands = scripts(readFileSync(join(info, 'entry_points.txt'), 'utf8'));
    } catch {}
    if (commands.length > 0) apps.push({ name, commands });
  }
  return apps;
}
