// The shim files `pip-guard setup` writes and `pip-guard teardown` removes, and the manifest
// (.pip-guard-shims) that marks a shim directory and lists what setup wrote into it.
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import template from '../shims/pip.sh';
import type { Env } from './env.js';
import { UserError } from './errors.js';
import { readJson } from './files.js';
import { isExecutableFile, isShimDir, pathDirs, SHIM_DIR_MARKER, which } from './path-search.js';
import { GLOBAL_OPTIONS, GUARDED_COMMANDS } from './pip-cli/options.js';
import { shellQuote } from './shell.js';

// The line every shim carries, by which pip-guard tells its own files from anybody else's.
const SHIM_SIGNATURE = '# pip-guard shim';

interface Manifest {
  version: string;
  names: string[];
  // Whether setup made the directory itself (teardown then removes it once empty).
  createdDir: boolean;
}

export const manifestPath = (dir: string) => join(dir, SHIM_DIR_MARKER);

export const readManifest = (dir: string) => readJson<Manifest>(manifestPath(dir));

export function isShim(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(SHIM_SIGNATURE);
  } catch {
    return false;
  }
}

// How a shim starts this pip-guard: the single executable itself, or this Node and this script.
export function selfCommand(): string[] {
  try {
    const sea = require('node:sea') as { isSea(): boolean };
    if (sea.isSea()) return [process.execPath];
  } catch {}
  return [process.execPath, realpathSync(process.argv[1] as string)];
}

// pip's general options as the shim skips them to find the command (sh `case` patterns).
const longOptions = (takesValue: boolean) =>
  Object.entries(GLOBAL_OPTIONS)
    .filter(([name, row]) => name.startsWith('--') && row[2] === takesValue)
    .map(([name]) => name)
    .join('|');

export function renderShim(version: string, command: readonly string[]): string {
  return template
    .replaceAll('@VERSION@', version)
    .replace('@RUN@', command.map(shellQuote).join(' '))
    .replace('@VALUE_OPTIONS@', longOptions(true))
    .replace('@FLAG_OPTIONS@', longOptions(false))
    .replace('@GUARDED_COMMANDS@', GUARDED_COMMANDS.join('|'));
}

// pip, pip3, and pip3.N for each python3.N that has a pip3.N on PATH (outside shim dirs).
export function shimNames(env: Env): string[] {
  const minors = new Set<string>();
  const dirs = pathDirs(env).filter((dir) => !isShimDir(dir));
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const minor = /^pip3\.(\d+)$/.exec(entry)?.[1];
      if (!minor || !isExecutableFile(join(dir, entry))) continue;
      if (dirs.some((d) => isExecutableFile(join(d, `python3.${minor}`)))) minors.add(minor);
    }
  }
  const sorted = [...minors].sort((a, b) => Number(a) - Number(b));
  return ['pip', 'pip3', ...sorted.map((minor) => `pip3.${minor}`)];
}

// The real pip as a shim would find it, for pip-guard's own commands (explain).
export function findRealPip(name: string, env: Env): string {
  const forced = env.PIP_GUARD_REAL_PIP;
  if (forced) {
    if (!isExecutableFile(forced)) {
      throw new UserError(
        `PIP_GUARD_REAL_PIP=${forced} is not an executable file: point it at the real pip, or unset it.`,
        127,
      );
    }
    if (isShim(forced)) {
      throw new UserError(
        `PIP_GUARD_REAL_PIP=${forced} is a pip-guard shim, which would run itself: point it at the real pip, or unset it.`,
        127,
      );
    }
    return forced;
  }
  // A stray copy of a shim outside a shim directory is no real pip either.
  const found = which(name, env, isShim);
  if (found) return found;
  throw new UserError(
    `no real ${name} on PATH besides pip-guard's shims: install pip, or set PIP_GUARD_REAL_PIP.`,
    127,
  );
}
