// The one place pip-guard starts other programs. A child run for the user owns the terminal:
// it gets pip-guard's stdin, stdout and stderr, Ctrl-C reaches it (pip-guard waits instead of
// dying first), a signal sent to pip-guard is passed on, and its exit code or signal is
// what pip-guard ends with (see main.ts).
// That path is on every guarded call, so it uses the runtime's own spawn as it is: Bun.spawn in
// the single executable (Bun's node:child_process wraps it in Node streams, 2-3 ms more to load
// and start), node:child_process under Node; execa, which takes longer to load than the rest of
// pip-guard's start-up, runs the helpers whose output pip-guard reads (an interpreter probe,
// `python -m venv`), and is loaded only for them.
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

// Runs a program for the user and returns how it ended.
// Every program this process started, as it was started (pip-guard explain says what it ran).
const started: string[][] = [];
export const programsStarted = (): readonly string[][] => started;

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
  let child: BunChild;
  const since = watchSignals();
  try {
    child = bun.spawn({
      cmd: [command, ...args],
      env: options.env,
      cwd: options.cwd,
      stdio: ['inherit', 'inherit', options.onStderr ? 'pipe' : 'inherit'],
      detached: options.detached,
    });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw spawnError(file, code, message);
  }
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
  const { execa } = await import('execa');
  const shielded = options.shielded === true;
  const detached = shielded || apart();
  const since = shielded ? 0 : watchSignals();
  const child = execa(...tiedCommand(file, args, !shielded && (tied || detached)), {
    env: env as NodeJS.ProcessEnv | undefined,
    extendEnv: env === undefined,
    stdin: 'ignore',
    reject: false,
    timeout: options.timeout ?? 5 * 60_000,
    detached,
  });
  if (child.pid !== undefined) options.onStart?.(child.pid);
  if (shielded) holdSignals();
  const release = shielded ? () => {} : passSignalsTo(child, since, detached);
  const result = child.finally(release).then((done) => {
    if (done.exitCode === undefined && !done.signal && done.code)
      throw spawnError(file, done.code, done.message ?? '');
    return { code: done.exitCode, stdout: String(done.stdout ?? ''), stderr: String(done.stderr ?? '') };
  });
  // Awaited later, maybe after other work: not an unhandled rejection meanwhile.
  result.catch(() => {});
  return { result };
}

function spawnError(file: string, code: string | undefined, message: string): UserError {
  if (code === 'ENOENT')
    return new UserError(`${file} does not exist (or its interpreter does not): check the path.`, 127);
  if (code === 'EACCES') return new UserError(`${file} is not executable: check its permissions.`, 126);
  return new UserError(`could not run ${file}: ${message}`, 126);
}
