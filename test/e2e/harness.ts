// The end-to-end harness: each test gets its own HOME, XDG dirs and project, a clean
// environment (no PIP_* from the machine, PIP_CONFIG_FILE=/dev/null), and a PATH of
// [pip-guard's shims, /usr/local/bin, /usr/bin, /bin] with Debian's real pip behind the shims.
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, inject } from 'vitest';
import { CLI, hermeticEnv, SYSTEM_PATH } from './env.js';

export { BUNDLE, CLI, FIXTURES, hermeticEnv, NODE24, ROOT, SYSTEM_PATH } from './env.js';

export interface Result {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  raw: { stdout: Buffer; stderr: Buffer };
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

export async function runIn(
  env: Record<string, string>,
  file: string,
  args: string[],
  options: RunOptions = {},
) {
  const merged: Record<string, string> = { ...env };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  const result = await execa(file, args, {
    env: merged,
    extendEnv: false,
    cwd: options.cwd,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    timeout: 110_000,
  });
  const stdout = Buffer.from(result.stdout as Uint8Array);
  const stderr = Buffer.from(result.stderr as Uint8Array);
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: stdout.toString('utf8'),
    stderr: stderr.toString('utf8'),
    raw: { stdout, stderr },
  } satisfies Result;
}

// A PATH of pip-guard's shims, then `dirs` (where the real pip is found first), then the system's.
export const pathBehindShims = (box: Sandbox, ...dirs: string[]) =>
  [box.shims, ...dirs, SYSTEM_PATH].join(':');

// The lines pip-guard itself printed.
export const notices = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('pip-guard:'));

export interface Sandbox {
  dir: string;
  home: string;
  project: string;
  wheels: string;
  shims: string;
  env: Record<string, string>;
  // `pip ARGS` through the shims, as a user types it (cwd: the project unless told).
  pip(args: string[], options?: RunOptions): Promise<Result>;
  run(file: string, args: string[], options?: RunOptions): Promise<Result>;
  // `pip-guard ARGS`: the built CLI, as pip-guard's own command line (cwd: the project unless told).
  pipGuard(args: string[], options?: RunOptions): Promise<Result>;
  // `--no-index --find-links WHEELS`: installs from the test wheels only.
  offline: string[];
  // The same as PIP_* variables, which reach pipx's pip too.
  offlineEnv: Record<string, string>;
  pipxHome: string;
  pipxBin: string;
  // With `pipConfig`: the sandbox's /etc (pip reads etc/pip.conf as /etc/pip.conf) and the one
  // directory in XDG_CONFIG_DIRS.
  etc: string;
  xdgConfigDirs: string;
}

export interface SandboxOptions {
  // pip reads its config files as it does for a user (PIP_CONFIG_FILE unset), every one of them
  // the test's own: XDG_CONFIG_DIRS is a directory of the sandbox, and every command runs in a
  // private mount namespace whose /etc is the real one with the sandbox's etc/ laid over it
  // (etc/pip.conf starts empty), so the machine's /etc/pip.conf is neither read nor written.
  pipConfig?: boolean;
}

// `sh -c` script: lay the directory $1 over /etc (read-only), then run the rest.
const OVERLAY_ETC = 'mount -t overlay overlay -o "lowerdir=$1:/etc" /etc && shift && exec "$@"';

// `file args` in a mount namespace of its own (as root of a user namespace, so that it needs no
// privileges) whose /etc shows the files of `etc` over the real ones.
const inPrivateEtc = (etc: string, file: string, args: string[]): [string, string[]] => [
  '/usr/bin/unshare',
  ['--mount', '--map-root-user', '--', '/bin/sh', '-c', OVERLAY_ETC, 'sh', etc, file, ...args],
];

// The test's own shim directory, where pip-guard writes the shims of a project venv's commands:
// a copy of the shims setup wrote once for the suite (they start the suite's pip-guard, which
// is linked, not copied).
function ownShims(shared: string, dir: string): string {
  mkdirSync(dir);
  for (const name of readdirSync(shared)) {
    if (name === 'pip-guard') symlinkSync(join(shared, name), join(dir, name));
    else copyFileSync(join(shared, name), join(dir, name));
  }
  return dir;
}

// A fresh HOME and a project (with pyproject.toml and a src/ subdirectory) for one test.
export function sandbox({ pipConfig = false }: SandboxOptions = {}): Sandbox {
  const { root, wheels, shims: sharedShims, pipxShared } = inject('e2e');
  const dir = mkdtempSync(join(root, 'case-'));
  const shims = ownShims(sharedShims, join(dir, 'suite-shims'));
  const home = join(dir, 'home');
  const project = join(dir, 'project');
  mkdirSync(home);
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'pyproject.toml'), '[project]\nname = "example"\nversion = "0"\n');
  const pipxHome = join(dir, 'pipx');
  const pipxBin = join(dir, 'pipx-bin');
  const env = hermeticEnv(home, shims, {
    PIPX_HOME: pipxHome,
    PIPX_BIN_DIR: pipxBin,
    PIPX_SHARED_LIBS: pipxShared,
    // pip-guard's system config (/etc/pip-guard) is the sandbox's too: none unless a test writes one.
    PIP_GUARD_SYSTEM_CONFIG_DIR: join(dir, 'system-config'),
  });
  const etc = join(dir, 'etc');
  const xdgConfigDirs = join(dir, 'xdg-config-dirs');
  if (pipConfig) {
    for (const made of [etc, xdgConfigDirs]) mkdirSync(made);
    writeFileSync(join(etc, 'pip.conf'), '');
    delete env.PIP_CONFIG_FILE;
    env.XDG_CONFIG_DIRS = xdgConfigDirs;
  }
  const run = (file: string, args: string[], options: RunOptions = {}) => {
    const [program, argv] = pipConfig ? inPrivateEtc(etc, file, args) : [file, args];
    return runIn(env, program, argv, { cwd: project, ...options });
  };
  return {
    dir,
    home,
    project,
    wheels,
    shims,
    env,
    run,
    pip: (args, options) => run('pip', args, options),
    pipGuard: (args, options) => run(CLI, args, options),
    offline: ['--no-index', '--find-links', wheels],
    offlineEnv: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels },
    pipxHome,
    pipxBin,
    etc,
    xdgConfigDirs,
  };
}

// A copy of the shim whose pip-guard command only leaves a trace: if a command reaches it,
// Node would have started.
export function tracingShims(box: Sandbox): { dir: string; trace: string } {
  const dir = join(box.dir, 'tracing-shims');
  const trace = join(box.dir, 'node-started');
  const recorder = join(box.dir, 'recorder');
  mkdirSync(dir);
  writeFileSync(recorder, `#!/bin/sh\necho "$@" >> '${trace}'\nexit 99\n`, { mode: 0o755 });
  // The line that starts pip-guard (its words quoted only where they need it).
  const shim = readFileSync(join(box.shims, 'pip'), 'utf8').replace(
    /^ {4}exec [^\n]* --pip-guard-shim/m,
    `    exec '${recorder}' --pip-guard-shim`,
  );
  if (!shim.includes(recorder)) throw new Error('the shim has no line that starts pip-guard');
  writeFileSync(join(dir, 'pip'), shim, { mode: 0o755 });
  writeFileSync(join(dir, '.pip-guard-shims'), '{}');
  return { dir, trace };
}

// Resolves once `check` holds, looking every `every` ms; fails the test, naming `what`, after
// `within` ms (a poll that never ends would only show as the test's own timeout).
export async function waitUntil(
  check: () => boolean,
  what: string,
  within = 60_000,
  every = 20,
): Promise<void> {
  const deadline = Date.now() + within;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${within} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

// Directories outside the sandbox (whose temporary root only root may enter), for user nobody;
// removed after each test.
const opened: string[] = [];
afterEach(() => {
  for (const dir of opened.splice(0)) rmSync(dir, { recursive: true, force: true });
});
export function openDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pip-guard-open-'));
  chmodSync(dir, 0o755);
  opened.push(dir);
  return dir;
}
