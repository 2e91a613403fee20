// pip's own configuration: which files pip reads, in its override order, and configparser's
// INI syntax (pip/_internal/configuration.py). Reading them lets pip-guard see a
// `break-system-packages = true` or a `target = …` that argv alone does not show.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configHome, type Env, homeOf } from '../base/env.js';
import { envItems, type PipConfigItem } from './settings.js';

// Files in pip's OVERRIDE_ORDER (global, user, site, PIP_CONFIG_FILE); later ones win.
// `prefix` is sys.prefix of the interpreter pip runs on (its site config).
export function pipConfigFiles(env: Env, prefix: string | undefined, isolated: boolean): string[] {
  const configFile = env.PIP_CONFIG_FILE;
  // pip skips every file when PIP_CONFIG_FILE is os.devnull.
  if (configFile === '/dev/null') return [];
  const xdgDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean);
  const global = [...xdgDirs.map((dir) => join(dir, 'pip', 'pip.conf')), '/etc/pip.conf'];
  const user = [join(homeOf(env), '.pip', 'pip.conf'), join(configHome(env), 'pip', 'pip.conf')];
  // A PIP_CONFIG_FILE that exists replaces the user files (iter_config_files).
  const skipUser = isolated || (configFile !== undefined && configFile !== '' && existsSync(configFile));
  return [
    ...global,
    ...(skipUser ? [] : user),
    ...(prefix ? [join(prefix, 'pip.conf')] : []),
    ...(configFile ? [configFile] : []),
  ];
}

// configparser.RawConfigParser, as far as pip's files need it: [sections], `key = value` or
// `key: value`, `#`/`;` comment lines, indented continuation lines; keys lower-cased, and pip
// normalises `_` to `-`. A line it cannot read makes the file unreadable, as it does for pip.
export function parseIni(text: string, source: string): PipConfigItem[] | { problem: string } {
  const items: PipConfigItem[] = [];
  let section: string | undefined;
  let last: PipConfigItem | undefined;
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (last && /^\s/.test(line)) {
      last.value += `\n${trimmed}`;
      continue;
    }
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      section = header[1];
      last = undefined;
      continue;
    }
    const delimiter = /[=:]/.exec(line);
    if (!section || !delimiter) return { problem: `${source} line ${n + 1} is not an INI line pip can read` };
    const key = line.slice(0, delimiter.index).trim().toLowerCase().replaceAll('_', '-');
    last = { section, key, value: line.slice(delimiter.index + 1).trim(), source };
    items.push(last);
  }
  return items;
}

// Every config item pip would see, in override order: files, then PIP_* variables.
export function readPipConfig(
  env: Env,
  prefix: string | undefined,
  isolated: boolean,
): PipConfigItem[] | { problem: string } {
  const items: PipConfigItem[] = [];
  for (const file of pipConfigFiles(env, prefix, isolated)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const parsed = parseIni(text, file);
    if ('problem' in parsed) return parsed;
    items.push(...parsed);
  }
  return isolated ? items : [...items, ...envItems(env)];
}
