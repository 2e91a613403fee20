// The value pip ends up with for each option: config files, then PIP_* variables, then argv,
// as pip's ConfigOptionParser._update_defaults layers them (pip/_internal/cli/parser.py).
import { strtobool } from '../base/yes-no.js';
import { COMMAND_OPTIONS, GLOBAL_OPTIONS, type OptionRow } from './options.js';
import type { ParsedOption, PipCommandLine } from './parse.js';

// One key=value from a pip config file or a PIP_* variable, already in pip's override order.
export interface PipConfigItem {
  section: string;
  key: string;
  value: string;
  source: string;
}

type SettingValue = string | boolean | string[];

interface Setting {
  value: SettingValue;
  // Where it came from: 'the command line', 'PIP_TARGET', or a config file's path.
  source: string;
}

export type Settings = ReadonlyMap<string, Setting>;

// PIP_FOO_BAR=x → the item ':env:.foo-bar' (pip ignores PIP_VERSION and PIP_HELP).
export function envItems(env: Readonly<Record<string, string | undefined>>): PipConfigItem[] {
  return Object.entries(env)
    .filter(([name, value]) => name.startsWith('PIP_') && value !== undefined)
    .filter(([name]) => !['version', 'help'].includes(name.slice(4).toLowerCase()))
    .map(([name, value]) => ({
      section: ':env:',
      key: name.slice(4).toLowerCase().replaceAll('_', '-'),
      value: value as string,
      source: name,
    }));
}

function fromConfig(row: OptionRow, item: PipConfigItem): SettingValue | { problem: string } {
  const [, action] = row;
  if (action === 'store_true' || action === 'store_false') {
    const bool = strtobool(item.value);
    if (bool === undefined)
      return { problem: `${item.source}: ${item.value} is not a yes/no value for ${item.key}` };
    return bool;
  }
  return action === 'append' ? item.value.split(/\s+/).filter(Boolean) : item.value;
}

function fromArgv(option: ParsedOption, before: Setting | undefined): SettingValue {
  if (option.action === 'store_true') return true;
  if (option.action === 'store_false') return false;
  if (option.action === 'append') {
    // optparse appends to the list the config files started (Values.ensure_value).
    const earlier = Array.isArray(before?.value) ? before.value : [];
    return [...earlier, option.value ?? ''];
  }
  return option.value ?? true;
}

// Layers config items (sections 'global', the command's, ':env:') under the parsed options.
// `leading` reads the main parser's view (general options before the command, for --python).
export function effectiveSettings(
  line: PipCommandLine,
  items: readonly PipConfigItem[],
  view: 'command' | 'leading' = 'command',
): Settings | { problem: string } {
  const section = view === 'command' ? line.command : 'global';
  const table = {
    ...GLOBAL_OPTIONS,
    ...(view === 'command' && line.command ? COMMAND_OPTIONS[line.command] : {}),
  };
  const settings = new Map<string, Setting>();
  for (const wanted of ['global', section, ':env:']) {
    for (const item of items) {
      // pip ignores empty values and keys that are not an exact long option of this parser.
      const row = table[`--${item.key}`];
      if (item.section !== wanted || !item.value || !row) continue;
      const value = fromConfig(row, item);
      if (typeof value === 'object' && !Array.isArray(value)) return value;
      settings.set(row[0], { value, source: item.source });
    }
  }
  for (const option of view === 'command' ? line.options : line.leading) {
    settings.set(option.dest, {
      value: fromArgv(option, settings.get(option.dest)),
      source: 'the command line',
    });
  }
  return settings;
}

// A setting that is on: a true flag, or any value given (pip checks `is not None`).
export function isSet(settings: Settings, dest: string): boolean {
  const setting = settings.get(dest);
  return setting !== undefined && setting.value !== false;
}
