// The shim files `pip-guard setup` writes and `pip-guard teardown` removes, and the manifest
// (.pip-guard-shims) that marks a shim directory and lists what setup did for it.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import checksCode from '../../shims/checks.sh';
import commandTemplate from '../../shims/command.sh';
import common from '../../shims/common.sh';
import template from '../../shims/pip.sh';
import projectCode from '../../shims/project.sh';
import pythonTemplate from '../../shims/python.sh';
import recordsCode from '../../shims/records.sh';
import { dataDir, type Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { isExecutableFile, readJson, replaceFile } from '../base/files.js';
import { shellQuote } from '../base/shell.js';
import { NO, YES } from '../base/yes-no.js';
import { isShim, isShimDir, namesOnPath, pathDirs, SHIM_DIR_MARKER, which } from '../facts/path-search.js';
import { CONFIG_FILE_NAMES } from '../facts/project.js';
import {
  READ_ONLY_COMMANDS,
  RECORD_HEADER,
  RECORD_NAME,
  ROUTE_RECORD,
  SNAPSHOT_SH,
} from '../facts/records.js';
import { isCommandShim } from '../facts/script-shims.js';
import { GLOBAL_OPTIONS, GUARDED_COMMANDS } from '../pip-cli/options.js';
import type { RcRecord } from './rc-file.js';
import type { SelfRecord } from './self-install.js';
import { pythonNames } from './shell-functions.js';

export { isShim } from '../facts/path-search.js';

export interface Manifest {
  version: string;
  names: string[];
  // pip-guard itself in the directory (a copy of the binary, or a launcher for the bundle).
  self?: SelfRecord;
  // The directories setup made for it, parents included, outermost first (teardown removes
  // them again while empty).
  createdDirs?: string[];
  // Manifests from before createdDirs: whether setup made the directory itself.
  createdDir?: boolean;
  // The rc files `setup --modify-path` added the PATH line to.
  rcFiles?: RcRecord[];
  // false: setup --no-python (no python shims, and no shims for the commands of project venvs).
  python?: boolean;
}

// Where `pip-guard setup` writes the shims and pip-guard itself unless told otherwise.
export const defaultShimDir = (env: Env) => join(dataDir(env), 'bin');

// The pip shim that shell code hands `python3 -m pip` to and keeps ahead of an activated venv:
// in DIR, else in the first shim directory on PATH (a relative one would move with the shell),
// else in setup's default directory; undefined where there is none.
export function shimPip(dir: string | undefined, env: Env): string | undefined {
  const candidates = dir
    ? [resolve(dir)]
    : [...pathDirs(env).filter((d) => isAbsolute(d)), defaultShimDir(env)];
  const found = candidates.find((d) => isShimDir(d) && isShim(join(d, 'pip')));
  return found && join(found, 'pip');
}

export const manifestPath = (dir: string) => join(dir, SHIM_DIR_MARKER);

export const readManifest = (dir: string) => readJson<Manifest>(manifestPath(dir));

// Readable by every user: under --system their shims find the real pip past it.
export function writeManifest(dir: string, manifest: Manifest): void {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  replaceFile(manifestPath(dir), (temporary) => writeFileSync(temporary, text), 0o644);
}

export const createdDirsOf = (manifest: Manifest | undefined, dir: string) =>
  manifest?.createdDirs ?? (manifest?.createdDir ? [dir] : []);

// pip's general options as the shim skips them to find the command (sh `case` patterns).
const longOptions = (takesValue: boolean) =>
  Object.entries(GLOBAL_OPTIONS)
    .filter(([name, row]) => name.startsWith('--') && row[2] === takesValue)
    .map(([name]) => name)
    .join('|');

// Node 20 reads NODE_EXTRA_CA_CERTS at every start (30 ms or more for a system's bundle of
// certificates); pip-guard makes no TLS connection, so a bundle's Node starts without it, and
// pip-guard hands it back to everything it runs (main.ts). The Bun-compiled binary does not
// read it at start.
const WITHOUT_CA_CERTS = `
    if [ "\${NODE_EXTRA_CA_CERTS+set}" = set ]; then
      _PIP_GUARD_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
      export _PIP_GUARD_NODE_EXTRA_CA_CERTS
      unset NODE_EXTRA_CA_CERTS
    fi`;

// strtobool's words as sh `case` patterns that take them in any case (`[Tt][Rr][Uu][Ee]`).
const anyCase = (words: readonly string[]) =>
  words.map((word) => word.replace(/[a-z]/g, (c) => `[${c.toUpperCase()}${c}]`)).join('|');

// What every shim shares (shims/common.sh), and what the python and command shims share: the
// project around PWD and pip-guard's record of its venv (shims/project.sh).
const withParts = (text: string) =>
  text
    .replace('@COMMON@', () => common.trimEnd())
    .replace('@RECORDS@', () => recordsCode.trimEnd())
    .replace('@CHECKS@', () => checksCode.trimEnd())
    .replace('@PROJECT@', () => projectCode.trimEnd())
    .replace('@ENV_SNAPSHOT@', () => SNAPSHOT_SH)
    .replace('@READ_ONLY@', READ_ONLY_COMMANDS.join(' | '))
    .replaceAll('@ROUTE@', ROUTE_RECORD)
    .replace('@CONFIG_FILES@', CONFIG_FILE_NAMES.join(' '))
    .replaceAll('@RECORD@', RECORD_NAME)
    .replaceAll('@HEADER@', RECORD_HEADER)
    .replace('@YES@', anyCase(YES))
    .replace('@NO@', anyCase(NO));

// `command`: what starts pip-guard, a Node with the bundle when `viaNode`.
export function renderShim(version: string, command: readonly string[], viaNode = false): string {
  return withParts(template)
    .replaceAll('@VERSION@', version)
    .replace('@BEFORE_RUN@', viaNode ? WITHOUT_CA_CERTS : '')
    .replaceAll('@RUN@', command.map(shellQuote).join(' '))
    .replace('@VALUE_OPTIONS@', longOptions(true))
    .replace('@FLAG_OPTIONS@', longOptions(false))
    .replaceAll('@GUARDED_COMMANDS@', GUARDED_COMMANDS.join('|'));
}

// The functions by which the pip shim reads and checks pip-guard's records, alone (for tests).
export const renderChecks = () => withParts('@RECORDS@\n@CHECKS@\n');

// The python, python3 and python3.N shims (shims/python.sh): no runtime starts in them.
export const renderPythonShim = (version: string) =>
  withParts(pythonTemplate).replaceAll('@VERSION@', version);

// The shim of a command that pip installed into a project's venv (shims/command.sh).
export const renderCommandShim = (version: string) =>
  withParts(commandTemplate).replaceAll('@VERSION@', version);

// pip, pip3, and pip3.N for each python3.N that has a pip3.N on PATH (shims aside).
export function shimNames(env: Env): string[] {
  const minors = new Set<string>();
  const dirs = pathDirs(env);
  const isPip = (file: string) => isExecutableFile(file) && !(isShimDir(dirname(file)) && isShim(file));
  for (const [dir, entry] of namesOnPath(env)) {
    const minor = /^pip3\.(\d+)$/.exec(entry)?.[1];
    if (!minor || !isPip(join(dir, entry))) continue;
    if (dirs.some((d) => isExecutableFile(join(d, `python3.${minor}`)))) minors.add(minor);
  }
  const sorted = [...minors].sort((a, b) => Number(a) - Number(b));
  return ['pip', 'pip3', ...sorted.map((minor) => `pip3.${minor}`)];
}

// The shims pip-guard wrote in DIR for the commands of project venvs (run/command-shims.ts).
export function commandShimsIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => isCommandShim(join(dir, name)))
      .sort();
  } catch {
    return [];
  }
}

// python, python3 and python3.N, each where PATH has one besides pip-guard's shims, so that
// `command -v python` keeps the answer scripts rely on.
export const pythonShimNames = (env: Env) =>
  pythonNames(env).filter((name) => which(name, env) !== undefined);

// --dir as given, or the default; an empty --dir would quietly mean the working directory.
export function shimDirArg(dir: string | undefined, fallback: string, what: string): string {
  if (dir === '') {
    throw new UserError(
      `--dir is empty: name the directory ${what}, or leave --dir out for the default (${fallback}).`,
      2,
    );
  }
  return resolve(dir ?? fallback);
}
