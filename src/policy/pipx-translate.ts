// pip install/uninstall arguments → pipx calls, or why pipx cannot express them. Pure.
// Written against the pipx that Debian ships (1.1.0): one package per `install`, `upgrade` and
// `uninstall`; extra pip options only through `--pip-args=…`.
import type { Problem } from '../base/errors.js';
import { shellQuote } from '../base/shell.js';
import type { ParsedOption, PipCommandLine } from '../pip-cli/parse.js';
import { parseRequirement, type Requirement } from '../pip-cli/requirement.js';

export interface PipxCall {
  requirement: Requirement;
  // The requirement's position in pip's argv, so the rest can run without it.
  argIndex: number;
  argv: string[];
}

// pip options that mean the same inside pipx's venv: they travel in --pip-args.
const PIP_ARGS = new Set([
  'pre',
  'index_url',
  'extra_index_urls',
  'find_links',
  'no_index',
  'trusted_hosts',
  'cert',
  'client_cert',
  'proxy',
  'format_control',
  'prefer_binary',
  'timeout',
  'retries',
  'cache_dir',
  'keyring_provider',
  'use_pep517',
  'build_isolation',
  'config_settings',
]);

// pip options that say nothing pipx needs (output, the system environment pip-guard avoids).
const NOT_NEEDED = new Set([
  'use_user_site',
  'override_externally_managed',
  'python',
  'quiet',
  'verbose',
  'log',
  'no_color',
  'disable_pip_version_check',
  'no_input',
  'isolated_mode',
  'debug_mode',
  'root_user_action',
  'warn_script_location',
  'warn_about_conflicts',
  'progress_bar',
  'no_python_version_warning',
  'upgrade_strategy',
  'exists_action',
  'compile',
  'yes',
]);

// Handled by choosing the pipx command itself.
const PIPX_LEVEL = new Set(['upgrade', 'force_reinstall']);

function pipArgs(options: readonly ParsedOption[]): string[] {
  const words = options.flatMap((o) => (o.value === undefined ? [o.name] : [o.name, o.value]));
  return words.length > 0 ? [`--pip-args=${words.map(shellQuote).join(' ')}`] : [];
}

// Why pipx cannot do this install, if it cannot.
function inexpressible(line: PipCommandLine, what: 'install' | 'uninstall'): string | undefined {
  if (line.problem) return `pip-guard cannot translate this command line for pipx (${line.problem})`;
  for (const option of line.options) {
    if (!PIP_ARGS.has(option.dest) && !NOT_NEEDED.has(option.dest) && !PIPX_LEVEL.has(option.dest)) {
      return `pipx cannot express ${option.name}`;
    }
  }
  return line.args.length === 0 ? `pipx ${what}s packages by name and none was given` : undefined;
}

// One pipx call per requested package. `installed`: the normalised names pipx already has.
export function pipxInstallCalls(
  line: PipCommandLine,
  python: string,
  installed: ReadonlySet<string>,
): PipxCall[] | Problem {
  const why = inexpressible(line, 'install');
  if (why) return { problem: why };
  const has = (dest: string) => line.options.some((o) => o.dest === dest);
  const upgrade = has('upgrade');
  const forceReinstall = has('force_reinstall');
  return line.args.map((raw, i) => {
    const requirement = parseRequirement(raw);
    const known = requirement.name !== undefined && installed.has(requirement.name);
    if (known && upgrade && requirement.bare && !forceReinstall) {
      const extra = pipArgs(line.options.filter((o) => PIP_ARGS.has(o.dest)));
      return {
        requirement,
        argIndex: line.argIndexes[i] as number,
        argv: ['upgrade', ...extra, requirement.name as string],
      };
    }
    // A version, extras or a path for an app pipx has: reinstall into its venv (pip then moves
    // to that version); pip's own --upgrade / --force-reinstall keep their meaning there.
    const force = known && (upgrade || forceReinstall || !requirement.bare);
    const pipOnly = line.options.filter((o) => PIP_ARGS.has(o.dest) || (force && PIPX_LEVEL.has(o.dest)));
    return {
      requirement,
      argIndex: line.argIndexes[i] as number,
      argv: ['install', ...(force ? ['--force'] : []), '--python', python, ...pipArgs(pipOnly), raw],
    };
  });
}

// The packages of a `pip uninstall` that pipx manages, one `pipx uninstall` each; the others
// stay with pip. undefined when pipx has none of them (or pip reads names from -r files).
export function pipxUninstallCalls(
  line: PipCommandLine,
  installed: ReadonlySet<string>,
): PipxCall[] | undefined {
  if (inexpressible(line, 'uninstall')) return undefined;
  const calls = line.args.flatMap((raw, i) => {
    const requirement = parseRequirement(raw);
    if (!requirement.name || !installed.has(requirement.name)) return [];
    return [{ requirement, argIndex: line.argIndexes[i] as number, argv: ['uninstall', requirement.name] }];
  });
  return calls.length > 0 ? calls : undefined;
}
