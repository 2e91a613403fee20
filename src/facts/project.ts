// Where pip-guard installs: the active venv, else the project's, else a user-level default.
// Read-only: creating a venv is venv.ts's job.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { statOf, whyNot } from '../base/files.js';
import { mayConfigure, SEARCH_PLACES } from '../config/candidates.js';
import type { Provenance } from './venv-registry.js';

export type VenvState =
  | { kind: 'missing' }
  | { kind: 'incomplete' }
  // fix: the way out, where it is not to recreate the venv (policy/venv.ts's brokenVenvMessage).
  | { kind: 'broken'; problem: string; fix?: string }
  // version: the venv's Python (major.minor), as its pyvenv.cfg says.
  | { kind: 'valid'; provenance?: Provenance; version?: string };

export interface VenvTarget {
  path: string;
  origin: 'active' | 'project' | 'default';
  // The project root, for 'project'.
  root?: string;
  state: VenvState;
  // The path itself is a symlink (to a venv elsewhere, say).
  symlink?: boolean;
  // Who owns the venv, or the directory it would be made in.
  owner?: number;
  // An active conda environment rather than a venv.
  conda?: boolean;
}

const isDir = (path: string) => statOf(path)?.isDirectory() ?? false;

// What pip-guard's own records say of a venv path (venv-registry.ts).
type Known = (path: string) => Provenance | undefined;

export function venvState(dir: string, known: Known = () => undefined): VenvState {
  if (!statOf(dir, true)) return { kind: 'missing' };
  if (!existsSync(dir))
    return { kind: 'broken', problem: 'it is a symlink to something that does not exist' };
  if (!isDir(dir)) return { kind: 'broken', problem: 'it is a file, not a directory' };
  const provenance = known(dir);
  // Only pip-guard's own record makes a directory an interrupted creation it may remove.
  if (provenance === 'creating') return { kind: 'incomplete' };
  const cfg = join(dir, 'pyvenv.cfg');
  if (!existsSync(cfg)) return { kind: 'broken', problem: 'it has no pyvenv.cfg' };
  // existsSync follows the symlink: a bin/python whose Python was removed counts as missing.
  if (!existsSync(join(dir, 'bin', 'python')))
    return { kind: 'broken', problem: 'its bin/python is missing or dangling' };
  let text: string;
  try {
    text = readFileSync(cfg, 'utf8');
  } catch (error) {
    return { kind: 'broken', problem: `its pyvenv.cfg cannot be read, ${whyNot(error, cfg)}` };
  }
  const home = /^\s*home\s*=\s*(.+?)\s*$/m.exec(text)?.[1];
  if (home && !existsSync(home))
    return { kind: 'broken', problem: `the Python it was made from (home = ${home}) is gone` };
  // venv writes `version`, virtualenv and uv `version_info`.
  const version = /^\s*version(?:_info)?\s*=\s*(\d+\.\d+)/m.exec(text)?.[1];
  return { kind: 'valid', provenance, version };
}

const ROOT_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

// pip-guard's own config files, which make a directory a project wherever they are (package.json
// and pyproject.toml only where they mention pip-guard), for the shell code's copy of the rule.
export const CONFIG_FILE_NAMES = SEARCH_PLACES.filter(
  (name) => !['package.json', 'pyproject.toml'].includes(name),
);

// A project's files, a venv of its own, or a pip-guard config file (the team's choice for the
// directory); but HOME is no project for a .git (dotfile repositories) or a config file.
function isProjectRoot(dir: string, home: string): boolean {
  const markers = dir === home ? ROOT_FILES.filter((name) => name !== '.git') : ROOT_FILES;
  if (markers.some((name) => existsSync(join(dir, name)))) return true;
  if (dir !== home && SEARCH_PLACES.some((name) => mayConfigure(join(dir, name)))) return true;
  if (['.venv', 'venv'].some((name) => existsSync(join(dir, name, 'pyvenv.cfg')))) return true;
  try {
    return readdirSync(dir).some((name) => name.startsWith('requirements') && name.endsWith('.txt'));
  } catch {
    return false;
  }
}

// Whether `dir` is `parent` or inside it, by their paths.
export const isWithin = (dir: string, parent: string) => {
  const rel = relative(parent, dir);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

// The nearest directory at or above cwd that looks like a project; never above HOME,
// and never the filesystem root.
export function findProjectRoot(cwd: string, home: string): string | undefined {
  const ceiling = isWithin(cwd, home) ? home : undefined;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (dir === dirname(dir)) return undefined;
    if (isProjectRoot(dir, home)) return dir;
    if (dir === ceiling) return undefined;
  }
}

interface LocateInput {
  // The project root (findProjectRoot), if there is one.
  root: string | undefined;
  virtualEnv: string | undefined;
  condaPrefix?: string | undefined;
  defaultVenv: string;
  // Names tried at the project root, in order; the first is created when none exists.
  names: readonly string[];
  known?: Known;
}

const isLink = (path: string) => statOf(path, true)?.isSymbolicLink() ?? false;

// An active conda environment (CONDA_PREFIX) is the user's chosen environment, as an active
// venv is: it has conda-meta/ and bin/python instead of pyvenv.cfg.
function condaEnv(prefix: string | undefined): VenvTarget | undefined {
  if (!prefix || !isDir(join(prefix, 'conda-meta')) || !existsSync(join(prefix, 'bin', 'python')))
    return undefined;
  return { path: prefix, origin: 'active', state: { kind: 'valid' }, conda: true };
}

// The owner of `path`, or of its nearest existing parent.
function ownerOf(path: string): number | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    const stat = statOf(dir);
    if (stat) return stat.uid;
    if (dir === dirname(dir)) return undefined;
  }
}

export function locateVenv(input: LocateInput): VenvTarget {
  const found = findVenv(input);
  return { ...found, owner: ownerOf(found.path) };
}

function findVenv(input: LocateInput): VenvTarget {
  if (input.virtualEnv) {
    const state = venvState(input.virtualEnv, input.known);
    if (state.kind === 'valid') return { path: input.virtualEnv, origin: 'active', state };
  }
  const conda = condaEnv(input.condaPrefix);
  if (conda) return conda;
  const root = input.root;
  if (!root)
    return { path: input.defaultVenv, origin: 'default', state: venvState(input.defaultVenv, input.known) };
  for (const [i, name] of input.names.entries()) {
    const path = resolve(root, name);
    const state = venvState(path, input.known);
    // A plain folder called venv is somebody's code, not a venv: only the first name must be one.
    if (state.kind === 'missing' || (i > 0 && !existsSync(join(path, 'pyvenv.cfg')))) continue;
    return { path, origin: 'project', root, state, symlink: isLink(path) };
  }
  const path = resolve(root, input.names[0] as string);
  return { path, origin: 'project', root, state: { kind: 'missing' } };
}
