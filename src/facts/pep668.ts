// Would the real pip refuse with `error: externally-managed-environment`? pip's own rule,
// from check_externally_managed (pip/_internal/utils/misc.py) and its callers in
// commands/install.py and commands/uninstall.py.
import type { PipCommandLine } from '../pip-cli/parse.js';
import { isSet, type Settings } from '../pip-cli/settings.js';

// What the interpreter that pip runs on says about itself (see interpreter.ts).
export interface Interpreter {
  python: string;
  version: string;
  prefix: string;
  stdlib: string;
  venv: boolean;
  externallyManaged: boolean;
  // The wheels ensurepip would install into a new venv, by name (null where none was found).
  seedWheels?: Record<string, string | null>;
  // Where a pip script on it imports pip from, and its user site among them (see interpreter.ts).
  pipPath?: string[];
  userSite?: string | null;
}

export type Verdict = { refuses: boolean | 'unknown'; reason: string };

const source = (settings: Settings, dest: string) => {
  const from = settings.get(dest)?.source ?? 'the command line';
  return from === 'the command line' ? 'on the command line' : `by ${from}`;
};

export function pep668Verdict(
  line: PipCommandLine,
  settings: Settings,
  interpreter: Interpreter | { problem: string },
): Verdict {
  const set = (dest: string) => isSet(settings, dest);
  const command = line.command;
  if (command !== 'install' && command !== 'uninstall') {
    return { refuses: false, reason: `pip ${command ?? '(no command)'} never checks PEP 668` };
  }
  // Command._main exits 3 outside a virtualenv before any command runs.
  if (set('require_venv')) {
    return { refuses: false, reason: `--require-virtualenv is set ${source(settings, 'require_venv')}` };
  }
  if (set('override_externally_managed')) {
    const how = source(settings, 'override_externally_managed');
    return { refuses: false, reason: `--break-system-packages is set ${how}` };
  }
  // uninstall stops with a usage error before its check when nothing is named.
  if (command === 'uninstall' && line.args.length === 0 && !set('requirements')) {
    return {
      refuses: false,
      reason: 'pip uninstall with nothing to uninstall stops before checking PEP 668',
    };
  }
  if (command === 'install') {
    // "Specifying --root, --target, or --prefix disables the check" (commands/install.py).
    for (const [dest, flag] of [
      ['target_dir', '--target'],
      ['prefix_path', '--prefix'],
      ['root_path', '--root'],
    ]) {
      if (settings.has(dest as string)) {
        const how = source(settings, dest as string);
        return {
          refuses: false,
          reason: `${flag} is set ${how}: pip does not check PEP 668 outside the environment`,
        };
      }
    }
    if (set('dry_run') && settings.has('json_report_file')) {
      return { refuses: false, reason: '--dry-run with --report only reports: pip does not check PEP 668' };
    }
  }
  if ('problem' in interpreter) return { refuses: 'unknown', reason: interpreter.problem };
  if (interpreter.venv) {
    return { refuses: false, reason: `${interpreter.python} runs in a virtual environment` };
  }
  if (!interpreter.externallyManaged) {
    return {
      refuses: false,
      reason: `${interpreter.python} is not externally managed (no EXTERNALLY-MANAGED file)`,
    };
  }
  return { refuses: true, reason: `${interpreter.python} is externally managed (PEP 668)` };
}
