// Paths and the hermetic environment, shared by the harness and the global setup
// (which must not import vitest itself).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedNodePath } from '../../scripts/embedded-node.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// pip-guard as users run it: the single executable (npm run build:binary).
export const CLI = join(ROOT, 'dist', 'pip-guard');
// The npm package's pip-guard: the bundle, which needs a Node of its own (>= 20.19).
export const BUNDLE = join(ROOT, 'dist', 'pip-guard.cjs');
// The Node 24 the binary embeds, as the build cached it: it runs the bundle in the tests
// whatever Node runs them (Debian 12's is 18).
export const NODE24 = cachedNodePath();
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';

export function hermeticEnv(
  home: string,
  shims: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CONFIG_HOME: join(home, '.config'),
    PATH: `${shims}:${SYSTEM_PATH}`,
    LANG: 'C.UTF-8',
    PIP_CONFIG_FILE: '/dev/null',
    // Nothing to ask the (absent) index about.
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    ...extra,
  };
}

// Debian's pip and Python as this machine has them, read off them: what the tests expect names
// them, so that a newer Debian (pip 25, Python 3.13) changes no test.
export const PIP_VERSION = (/^__version__ = ["']([^"']+)["']/m.exec(
  readFileSync('/usr/lib/python3/dist-packages/pip/__init__.py', 'utf8'),
)?.[1] ?? '') as string;
export const PY = execFileSync(
  '/usr/bin/python3',
  ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
  {
    encoding: 'utf8',
  },
).trim();

// pip 24.2, newer than Debian's: pyenv 3.13's ensurepip wheel (read, never changed).
export const PIP_24_WHEEL = join(
  homedir(),
  '.pyenv',
  'versions',
  '3.13.0',
  'lib',
  'python3.13',
  'ensurepip',
  '_bundled',
  'pip-24.2-py3-none-any.whl',
);

// TEXT as a regular expression matches it, character for character.
export const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
