// The one place pip-guard starts other programs. A child run for the user owns the terminal:
// it gets pip-guard's stdin, stdout and stderr, Ctrl-C reaches it (pip-guard waits instead of
// dying first), a signal sent to pip-guard is passed on, and its exit code or signal is
// what pip-guard ends with (see main.ts).
// That path is on every guarded call, so it uses the runtime's own spawn as it is: Bun.spawn in
// the single executable (Bun's node:child_process wraps it in Node streams, 2-3 ms more to load
// and start), node:child_process under Node. The helpers whose output pip-guard reads (an
// interpreter probe, `python -m venv`) run by Bun.spawn too in the executable (see captureOnBun),
// and by execa under Node, loaded only for them (it takes longer to load than the rest of
// pip-guard's start-up).
import { isAbsolute } from 'node:path';
import { type BunApi, type BunChild, bun } from './bun.js';
import type { Env } from './env.js';
import { UserError } from './errors.js';
import { isExecutableFile } from './files.js';
import { holdSignals, passSignalsTo, watchSignals, withoutTerminal } from './signals.js';

export type Outcome = { code: number } | { signal: NodeJS.Signals };

export const succeeded = (outcome: Outcome) => 'code' in outcome && outcome.code === 0;

// Set on the real pip's environment by shims and by pip-guard: `PID:ARGC|PATH|PATH|…|`, the
// programs already taken for the real pip in this call, so that a wrapper leading back to a shim
// (pyenv's `system` pip) is skipped instead of looping (see shims/pip.sh). The shim that started
// pip-guard exec'd it, so its marker names pip-guard's own pid. Not PIP_*: pip reads every PIP_*
// variable as an option.
export function execMarker(env: Env, realPip: string, argv: readonly string[]): Record<string, string> {
  const inherited = env._PIP_GUARD_EXEC ?? '';
  const chain = inherited.startsWith(`${process.pid}:`) ? inherited.slice(inherited.indexOf('|') + 1) : '';
  return { _PIP_GUARD_EXEC: `${process.pid}:${argv.length}|${chain}${realPip}|` };
}

// Ties a child to pip-guard's life (Linux): util-linux's setpriv, which Debian always has, sets
// PR_SET_PDEATHSIG and execs the program in its place, so that a `kill -9` of pip-guard alone kills
// it too instead of leaving it to finish unseen. Only for a program that is there to be run (else
// it runs untied, and the error is pip-guard's own paragraph, not setpriv's).
const SETPRIV = '/usr/bin/setpriv';
function tiedCommand(file: string, args: readonly string[], tied = false): [string, readonly string[]] {
  const can = tied && process.platform === 'linux' && isAbsolute(file) && isExecutableFile(file);
  return can && isExecutableFile(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', file, ...args]]
    : [file, args];
}

interface RunOptions {
  env?: Env;
  cwd?: string;
  // Called with each chunk of the child's stderr instead of letting it write to the terminal.
  onStderr?: (chunk: Buffer) => void;
  // Killed when pip-guard is (see tiedCommand).
  tied?: boolean;
  // In a session of its own (see apart).
  detached?: boolean;
}

// Without a terminal, a child runs in a session of its own, so that a signal sent to pip-guard's
// whole process group (CI, `timeout`) reaches it once, through pip-guard, not twice (signals.ts:
// pip, interrupted twice, prints a traceback from its cleanup and exits 130 instead of its own 1);
// tied to pip-guard's life, so that a SIGKILL to the group still takes it along.
const apart = () => process.platform === 'linux' && withoutTerminal();

// Every program this process started, as it was started (pip-guard explain says what it ran).
const started: string[][] = [];
export const programsStarted = (): readonly string[][] => started;

// What the runtime ignores for itself (Bun and Node: SIGPIPE; Bun: SIGXFSZ too).
const RUNTIME_IGNORED = ['SIGPIPE', 'SIGXFSZ'] as const;
const ignore = () => {};

// Becomes FILE ARGS (execve, where the runtime has it: Bun, Node 22.15 and later) when pip-guard
// has nothing left to do after it: the program gets pip-guard's process itself, its terminal,
// its signals and its exit, with nothing in between and no wait. Elsewhere, or where the file
// cannot be run so, it runs as run() runs it, and how it ended is returned.
export function become(file: string, args: readonly string[], env: Env): Promise<Outcome> {
  const execve = (process as { execve?: (file: string, args: string[], env: Env) => never }).execve;
  if (typeof execve === 'function' && isAbsolute(file) && isExecutableFile(file)) {
    started.push([file, ...args]);
    // An ignored signal stays ignored across execve, and the runtime ignores SIGPIPE and SIGXFSZ
    // for itself: with a listener there, the program gets their defaults, as from a shell. What
    // pip-guard's parent ignored (nohup's SIGHUP) it still ignores, unless pip-guard had listened
    // for it (to pass it on to a probe), as a program run() starts gets every default.
    for (const signal of RUNTIME_IGNORED) process.on(signal, ignore);
    try {
      execve(file, [file, ...args], env);
    } catch {
      // Not run: run() says why, as for any program.
      started.pop();
      for (const signal of RUNTIME_IGNORED) process.off(signal, ignore);
    }
  }
  return run(file, args, { env });
}

// Runs a program for the user and returns how it ended.
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<Outcome> {
  started.push([file, ...args]);
  const detached = apart();
  const [command, argv] = tiedCommand(file, args, options.tied || detached);
  // By path only: Bun.spawn looks a bare name up on pip-guard's own PATH, not the child's.
  return bun && isAbsolute(command)
    ? runOnBun(bun, file, command, argv, { ...options, detached })
    : runOnNode(file, command, argv, { ...options, detached });
}

async function runOnBun(
  bun: BunApi,
  file: string,
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<Outcome> {
  const since = watchSignals();
  const child = spawnOnBun(bun, file, {
    cmd: [command, ...args],
    env: options.env,
    cwd: options.cwd,
    stdio: ['inherit', 'inherit', options.onStderr ? 'pipe' : 'inherit'],
    detached: options.detached,
  });
  const release = passSignalsTo(child, since, options.detached);
  try {
    if (options.onStderr && typeof child.stderr === 'object')
      for await (const chunk of child.stderr) options.onStderr(Buffer.from(chunk));
    await child.exited;
  } finally {
    release();
  }
  return child.signalCode ? { signal: child.signalCode } : { code: child.exitCode ?? 1 };
}

async function runOnNode(
  file: string,
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<Outcome> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const since = watchSignals();
    const child = spawn(command, args, {
      env: options.env as NodeJS.ProcessEnv | undefined,
      cwd: options.cwd,
      stdio: ['inherit', 'inherit', options.onStderr ? 'pipe' : 'inherit'],
      detached: options.detached,
    });
    const release = passSignalsTo(child, since, options.detached);
    if (options.onStderr) child.stderr?.on('data', options.onStderr);
    child.on('error', (error: NodeJS.ErrnoException) => {
      release();
      reject(spawnError(file, error.code, error.message));
    });
    // 'close' waits for the piped stderr to be read to its end.
    child.on('close', (code, signal) => {
      release();
      resolve(signal ? { signal } : { code: code ?? 1 });
    });
  });
}

interface Captured {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

export interface CaptureOptions {
  // Finishes once started: in a session of its own, which neither the terminal's Ctrl-C nor a
  // signal sent to pip-guard reaches (pip-guard waits, then stops: signals.ts), and not tied.
  shielded?: boolean;
  // Called with its pid once it runs (a journal names what is still running after a kill -9).
  onStart?: (pid: number) => void;
  timeout?: number;
}

// Runs a helper quietly (an interpreter probe, `python -m venv`) and returns what it printed;
// `tied`: killed when pip-guard is.
export async function capture(
  file: string,
  args: readonly string[],
  env?: Env,
  tied = false,
  options: CaptureOptions = {},
): Promise<Captured> {
  return (await startCapture(file, args, env, tied, options)).result;
}

// The same in two steps: resolves once the helper has started, with what it will have printed,
// so that pip-guard's own work can overlap it (a new venv's seeding, run/venv.ts).
export async function startCapture(
  file: string,
  args: readonly string[],
  env?: Env,
  tied = false,
  options: CaptureOptions = {},
): Promise<{ result: Promise<Captured> }> {
  started.push([file, ...args]);
  const shielded = options.shielded === true;
  const detached = shielded || apart();
  const since = shielded ? 0 : watchSignals();
  const [command, argv] = tiedCommand(file, args, !shielded && (tied || detached));
  const timeout = options.timeout ?? 5 * 60_000;
  const begun =
    bun && isAbsolute(command)
      ? captureOnBun(bun, file, command, argv, { env, detached, timeout })
      : await captureOnNode(file, command, argv, { env, detached, timeout });
  if (begun.pid !== undefined) options.onStart?.(begun.pid);
  if (shielded) holdSignals();
  const release = shielded || !begun.child ? () => {} : passSignalsTo(begun.child, since, detached);
  const result = begun.result.finally(release);
  // Awaited later, maybe after other work: not an unhandled rejection meanwhile.
  result.catch(() => {});
  return { result };
}

interface CaptureStart {
  pid?: number;
  child?: { kill(signal: NodeJS.Signals): unknown };
  result: Promise<Captured>;
}

interface HelperOptions {
  env?: Env;
  detached: boolean;
  timeout: number;
}

// execa's way with the output: without the one newline that ends it.
const withoutFinalNewline = (text: string) => text.replace(/\r?\n$/, '');

// On Bun, Bun.spawn: execa would have Bun build process.stdout and process.stderr, whose streams
// set pip-guard's stdout and stderr non-blocking, and with them the pipe or socket they share with
// pip-guard's parent and whatever it runs next (a CI step's next command then fails with EAGAIN).
function captureOnBun(
  bun: BunApi,
  file: string,
  command: string,
  args: readonly string[],
  options: HelperOptions,
): CaptureStart {
  let child: BunChild;
  try {
    child = spawnOnBun(bun, file, {
      cmd: [command, ...args],
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached,
    });
  } catch (error) {
    return { result: Promise.reject(error) };
  }
  const timer = setTimeout(() => child.kill('SIGTERM'), options.timeout);
  const text = (stream: BunChild['stdout']) =>
    typeof stream === 'object' ? new Response(stream).text() : Promise.resolve('');
  const result = Promise.all([text(child.stdout), text(child.stderr), child.exited]).then(
    ([stdout, stderr]) => {
      clearTimeout(timer);
      return {
        code: child.signalCode ? undefined : (child.exitCode ?? undefined),
        stdout: withoutFinalNewline(stdout),
        stderr: withoutFinalNewline(stderr),
      };
    },
  );
  return { pid: child.pid, child, result };
}

async function captureOnNode(
  file: string,
  command: string,
  args: readonly string[],
  options: HelperOptions,
): Promise<CaptureStart> {
  const { execa } = await import('execa');
  const child = execa(command, args, {
    env: options.env as NodeJS.ProcessEnv | undefined,
    extendEnv: options.env === undefined,
    stdin: 'ignore',
    reject: false,
    timeout: options.timeout,
    detached: options.detached,
  });
  const result = child.then((done) => {
    if (done.exitCode === undefined && !done.signal && done.code)
      throw spawnError(file, done.code, done.message ?? '');
    return { code: done.exitCode, stdout: String(done.stdout ?? ''), stderr: String(done.stderr ?? '') };
  });
  return { pid: child.pid, child, result };
}

// Bun.spawn, whose failure to start FILE (missing, not executable) is spawnError's paragraph.
function spawnOnBun(bun: BunApi, file: string, spec: Parameters<BunApi['spawn']>[0]): BunChild {
  try {
    return bun.spawn(spec);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw spawnError(file, code, message);
  }
}

function spawnError(file: string, code: string | undefined, message: string): UserError {
  if (code === 'ENOENT')
    return new UserError(`${file} does not exist (or its interpreter does not): check the path.`, 127);
  if (code === 'EACCES') return new UserError(`${file} is not executable: check its permissions.`, 126);
  return new UserError(`could not run ${file}: ${message}`, 126);
}
