// The effective config: defaults < system < user < project < environment, key by key, with
// where every value came from. The safety rules live here too: a project file (a stranger's,
// in a cloned repository) cannot allow breaking system packages or put the venv elsewhere.
import { resolve } from 'node:path';
import { type Env, switchOf } from '../base/env.js';
import { normalizeName } from '../pip-cli/requirement.js';
import type { LoadedFile } from './load.js';
import { type ConfigPolicy, type NON_INTERACTIVE, type PackagePolicy, POLICIES } from './policies.js';
import { venvPathOutside } from './venv-path.js';

export interface Sourced<T> {
  value: T;
  // 'the default', 'PIP_GUARD_POLICY', or '<file> (<key>)'.
  from: string;
}

export interface EffectiveConfig {
  policy: Sourced<ConfigPolicy>;
  venvPath: Sourced<string | undefined>;
  venvRoute: Sourced<boolean>;
  // The default venv active outside projects in shells with pip-guard's prompt hook.
  activateDefault: Sourced<boolean>;
  // Normalised names `auto` sends to pipx: the built-in list and every file's pipx.apps.
  pipxApps: { value: ReadonlySet<string>; from: string[] };
  packages: ReadonlyMap<string, Sourced<PackagePolicy>>;
  nonInteractive: Sourced<(typeof NON_INTERACTIVE)[number]>;
  notice: Sourced<boolean>;
  allowBreak: Sourced<boolean>;
  files: { kind: LoadedFile['kind']; file: string }[];
}

// Well-known command-line applications, which `auto` sends to pipx.
export const BUILTIN_APPS = [
  'ansible',
  'ansible-core',
  'awscli',
  'black',
  'bump-my-version',
  'cookiecutter',
  'copier',
  'cruft',
  'datasette',
  'flake8',
  'hatch',
  'httpie',
  'isort',
  'mkdocs',
  'mycli',
  'mypy',
  'nox',
  'pdm',
  'pgcli',
  'pipenv',
  'pipdeptree',
  'pip-tools',
  'poetry',
  'pre-commit',
  'pylint',
  'ruff',
  'sqlfluff',
  'tox',
  'twine',
  'uv',
  'virtualenv',
  'yt-dlp',
];

const DEFAULTS = { policy: 'auto', venvRoute: true, nonInteractive: 'auto', notice: true } as const;

const where = (file: LoadedFile, key: string) => `${file.file} (${key})`;

function projectProblem(file: LoadedFile, root: string | undefined): string | undefined {
  if (file.config.allowBreakSystemPackages !== undefined) {
    return (
      `${file.file}: allowBreakSystemPackages can only be set in your own config ` +
      "(~/.config/pip-guard/config.json), the system's (/etc/pip-guard/) or with PIP_GUARD_ALLOW_BREAK=1: " +
      "a project file must not weaken the system's protection. Remove the key."
    );
  }
  if (file.config.venv?.activateDefault !== undefined) {
    return (
      `${file.file}: venv.activateDefault is about your shells outside any project, so it belongs in your own ` +
      "config (~/.config/pip-guard/config.json) or the system's (/etc/pip-guard/), not in a project file. Remove the key."
    );
  }
  const path = file.config.venv?.path;
  return path === undefined ? undefined : venvPathOutside(file.file, path, root ?? resolve(file.file, '..'));
}

// The value of one key from the highest-precedence file that sets it.
function pick<T>(
  files: readonly LoadedFile[],
  key: string,
  get: (file: LoadedFile) => T | undefined,
  fallback: T,
): Sourced<T> {
  for (const file of [...files].reverse()) {
    const value = get(file);
    if (value !== undefined) return { value, from: where(file, key) };
  }
  return { value: fallback, from: 'the default' };
}

// PIP_GUARD_POLICY over every file.
function policyOf(files: readonly LoadedFile[], env: Env): Sourced<ConfigPolicy> | { problem: string } {
  const envPolicy = env.PIP_GUARD_POLICY;
  if (!envPolicy) return pick<ConfigPolicy>(files, 'policy', (f) => f.config.policy, DEFAULTS.policy);
  if (!(POLICIES as readonly string[]).includes(envPolicy)) {
    return {
      problem: `PIP_GUARD_POLICY=${envPolicy} is not a policy pip-guard knows: use one of ${POLICIES.join(', ')}, or unset it.`,
    };
  }
  return { value: envPolicy as ConfigPolicy, from: 'PIP_GUARD_POLICY' };
}

// Only the user's and the system's own word (or the environment) allow break; the environment's
// yes or no is over every file's (PIP_GUARD_ALLOW_BREAK=0 forbids it whatever they say).
function allowBreakOf(files: readonly LoadedFile[], env: Env): Sourced<boolean> | { problem: string } {
  const allowed = switchOf(env, 'PIP_GUARD_ALLOW_BREAK', 'policy break may install into the system');
  if (typeof allowed !== 'boolean') return allowed;
  if (env.PIP_GUARD_ALLOW_BREAK) return { value: allowed, from: 'PIP_GUARD_ALLOW_BREAK' };
  return pick(
    files,
    'allowBreakSystemPackages',
    (f) => (f.kind === 'project' ? undefined : f.config.allowBreakSystemPackages),
    false,
  );
}

// Per-package policies, by normalised name; a later file overrides an earlier one's entry.
function packagesOf(files: readonly LoadedFile[]): Map<string, Sourced<PackagePolicy>> {
  const packages = new Map<string, Sourced<PackagePolicy>>();
  for (const file of files) {
    for (const [name, value] of Object.entries(file.config.packages ?? {})) {
      packages.set(normalizeName(name), { value, from: where(file, `packages.${name}`) });
    }
  }
  return packages;
}

// The built-in apps and every file's pipx.apps together.
function pipxAppsOf(files: readonly LoadedFile[]): EffectiveConfig['pipxApps'] {
  const apps = new Set(BUILTIN_APPS);
  const from = ['the built-in list'];
  for (const file of files) {
    if (!file.config.pipx?.apps) continue;
    for (const app of file.config.pipx.apps) apps.add(normalizeName(app));
    from.push(where(file, 'pipx.apps'));
  }
  return { value: apps, from };
}

export function mergeConfig(
  files: readonly LoadedFile[],
  env: Env,
  root: string | undefined,
): EffectiveConfig | { problem: string } {
  for (const file of files) {
    const problem = file.kind === 'project' ? projectProblem(file, root) : undefined;
    if (problem) return { problem };
  }
  const policy = policyOf(files, env);
  if ('problem' in policy) return policy;
  const allowBreak = allowBreakOf(files, env);
  if ('problem' in allowBreak) return allowBreak;
  return {
    policy,
    venvPath: pick<string | undefined>(files, 'venv.path', (f) => f.config.venv?.path, undefined),
    venvRoute: pick(files, 'venv.route', (f) => f.config.venv?.route, DEFAULTS.venvRoute),
    activateDefault: pick(files, 'venv.activateDefault', (f) => f.config.venv?.activateDefault, false),
    pipxApps: pipxAppsOf(files),
    packages: packagesOf(files),
    nonInteractive: pick(files, 'nonInteractive', (f) => f.config.nonInteractive, DEFAULTS.nonInteractive),
    notice: pick(files, 'notice', (f) => f.config.notice, DEFAULTS.notice),
    allowBreak,
    files: files.map(({ kind, file }) => ({ kind, file })),
  };
}
