// The effective config: defaults < system < user < project < environment, key by key, with
// where every value came from. The safety rules live here too: a project file (a stranger's,
// in a cloned repository) cannot allow breaking system packages or put the venv elsewhere.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { type Env, isTruthy } from '../env.js';
import { normalizeName } from '../pipx/requirement.js';
import type { LoadedFile } from './load.js';
import { type ConfigPolicy, type NON_INTERACTIVE, type PackagePolicy, POLICIES } from './policies.js';

export interface Sourced<T> {
  value: T;
  // 'the default', 'PIP_GUARD_POLICY', or '<file> (<key>)'.
  from: string;
}

export interface EffectiveConfig {
  policy: Sourced<ConfigPolicy>;
  venvPath: Sourced<string | undefined>;
  venvRoute: Sourced<boolean>;
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
  const path = file.config.venv?.path;
  if (path !== undefined) {
    const base = root ?? resolve(file.file, '..');
    const rel = relative(base, resolve(base, path));
    if (isAbsolute(path) || rel === '' || rel === '..' || rel.startsWith(`..${sep}`)) {
      return `${file.file}: venv.path is "${path}", which is not inside the project (${base}): use a path such as ".venv".`;
    }
  }
  return undefined;
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
  // The value of one key from the highest-precedence file that sets it.
  const pick = <T>(key: string, get: (file: LoadedFile) => T | undefined, fallback: T): Sourced<T> => {
    for (const file of [...files].reverse()) {
      const value = get(file);
      if (value !== undefined) return { value, from: where(file, key) };
    }
    return { value: fallback, from: 'the default' };
  };
  let policy = pick<ConfigPolicy>('policy', (f) => f.config.policy, DEFAULTS.policy);
  const envPolicy = env.PIP_GUARD_POLICY;
  if (envPolicy) {
    if (!(POLICIES as readonly string[]).includes(envPolicy)) {
      return {
        problem: `PIP_GUARD_POLICY=${envPolicy} is not a policy pip-guard knows: use one of ${POLICIES.join(', ')}, or unset it.`,
      };
    }
    policy = { value: envPolicy as ConfigPolicy, from: 'PIP_GUARD_POLICY' };
  }
  const allowBreak = isTruthy(env.PIP_GUARD_ALLOW_BREAK)
    ? { value: true, from: 'PIP_GUARD_ALLOW_BREAK' }
    : pick(
        'allowBreakSystemPackages',
        (f) => (f.kind === 'project' ? undefined : f.config.allowBreakSystemPackages),
        false,
      );
  const packages = new Map<string, Sourced<PackagePolicy>>();
  for (const file of files) {
    for (const [name, value] of Object.entries(file.config.packages ?? {})) {
      packages.set(normalizeName(name), { value, from: where(file, `packages.${name}`) });
    }
  }
  const apps = new Set(BUILTIN_APPS);
  const appSources = ['the built-in list'];
  for (const file of files) {
    if (!file.config.pipx?.apps) continue;
    for (const app of file.config.pipx.apps) apps.add(normalizeName(app));
    appSources.push(where(file, 'pipx.apps'));
  }
  return {
    policy,
    venvPath: pick<string | undefined>('venv.path', (f) => f.config.venv?.path, undefined),
    venvRoute: pick('venv.route', (f) => f.config.venv?.route, DEFAULTS.venvRoute),
    pipxApps: { value: apps, from: appSources },
    packages,
    nonInteractive: pick('nonInteractive', (f) => f.config.nonInteractive, DEFAULTS.nonInteractive),
    notice: pick('notice', (f) => f.config.notice, DEFAULTS.notice),
    allowBreak,
    files: files.map(({ kind, file }) => ({ kind, file })),
  };
}
