// Paths and the hermetic environment, shared by the harness and the global setup
// (which must not import vitest itself).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'pip-guard.cjs');
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
