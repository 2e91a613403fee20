// What the interruption tests need: a pip that is still busy when the signal comes (an index
// that accepts and never answers, a Python whose `-m venv` waits), a process the test can signal
// while it runs, a real terminal to type Ctrl-C into, and a stand-in pip that counts its SIGINTs.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { type Sandbox, waitUntil } from './harness.js';

// What a test started and must not leave behind if it fails half-way.
const leftovers = new Set<() => void>();

// Ends what the test started that is still there (for afterEach).
export function stopAll(): void {
  for (const end of leftovers) end();
  leftovers.clear();
}

// Ends a process the test started, if it is still there.
export function stop(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {}
}

// An index at `url` that takes every connection and never answers: pip waits on it until it is
// stopped. `connected` resolves at the first connection, when pip is waiting.
export async function hangingIndex() {
  const sockets = new Set<Socket>();
  let connected: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    connected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  leftovers.add(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${port}/simple`, connected: first };
}

// pip's options for that index: no retries, and a time-out far beyond any test's own.
export const waitingOn = (url: string) => ['-i', url, '--retries', '0', '--timeout', '100'];

export interface Ended {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// A program started in the sandbox's environment (a `pip` through the shim execs pip-guard, so
// `pid` is pip-guard's), with what it printed so far, and how it ended.
export function start(box: Sandbox, file: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(file, args, { cwd: box.project, env: { ...box.env, ...env } });
  const pid = child.pid as number;
  leftovers.add(() => {
    if (child.exitCode === null && child.signalCode === null) stop(pid);
  });
  const seen = { stdout: '', stderr: '' };
  // Each waiter looks again at every chunk, and once more when the process has ended.
  const waiters = new Set<() => void>();
  const heard = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    seen[stream] += chunk.toString('utf8');
    for (const check of waiters) check();
  };
  child.stdout.on('data', heard('stdout'));
  child.stderr.on('data', heard('stderr'));
  // How the process ended, once what it printed has been read: at 'close' (its pipes read to
  // their end), or a moment after it exited where something it started holds them open.
  let ended: string | undefined;
  const end = (exitCode: number | null, signal: NodeJS.Signals | null) => {
    ended ??= signal ?? `exit code ${exitCode}`;
    for (const check of waiters) check();
  };
  const done = new Promise<Ended>((resolve) => {
    child.on('close', (exitCode, signal) => {
      end(exitCode, signal);
      resolve({ exitCode, signal, ...seen });
    });
  });
  child.on('exit', (exitCode, signal) => setTimeout(() => end(exitCode, signal), 1000).unref());
  // Resolves once `text` (a string, or a pattern) has been printed on `stream`; fails as soon as
  // the process has ended without printing it (it never will then), with what it did print.
  const printed = (stream: 'stdout' | 'stderr', text: string | RegExp) =>
    new Promise<void>((resolve, reject) => {
      const found = () => (typeof text === 'string' ? seen[stream].includes(text) : text.test(seen[stream]));
      const check = () => {
        if (!found() && !ended) return;
        waiters.delete(check);
        if (found()) resolve();
        else
          reject(
            new Error(
              `${file} ended (${ended}) without printing ${typeof text === 'string' ? JSON.stringify(text) : text} on ${stream}:\n` +
                `stdout: ${seen.stdout}\nstderr: ${seen.stderr}`,
            ),
          );
      };
      waiters.add(check);
      check();
    });
  return { pid, stdin: child.stdin, printed, done, output: () => ({ ...seen }) };
}

// A shell command line under a real terminal (util-linux `script`): what is written to `stdin`
// is typed at it, so "\x03" is Ctrl-C, which the terminal sends to its whole foreground group.
// The command's stdout and stderr come back together, as `stdout`, with \r\n.
export function inTerminal(box: Sandbox, command: string, env: Record<string, string> = {}) {
  return start(box, 'script', ['-qfec', command, '/dev/null'], { SHELL: '/bin/sh', ...env });
}

export const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

// A stand-in for the real pip (PIP_GUARD_REAL_PIP) that counts the SIGINTs it gets until a
// SIGTERM: it says "ready", then "SIGINT seen by PID" (pip-guard's pid, its parent's) at the
// first, and at the SIGTERM how many it had. pip-guard handles the signals it gets in order,
// so a SIGINT it passed on (once, or twice) reaches pip before a SIGTERM sent to pip-guard after
// its SIGINT (pending signals go out lowest number first): the count is final, with no time
// window to wait out. It writes with os.write, never print: a handler that prints while the main
// code is inside print's flush (a SIGINT sent as soon as "ready" arrives) fails with "reentrant
// call inside BufferedWriter", and that crash was what made the signal tests flaky under load.
export function countingPip(box: Sandbox): string {
  const file = join(box.dir, 'counting-pip');
  const lines = [
    '#!/usr/bin/python3',
    'import os, signal, sys',
    'count = 0',
    'def say(text): os.write(1, (text + "\\n").encode())',
    'def interrupted(signum, frame):',
    '    global count',
    '    count += 1',
    '    if count == 1: say(f"SIGINT seen by {os.getppid()}")',
    'def ended(signum, frame):',
    '    say(f"SIGINT received {count} time(s)")',
    '    sys.exit(0)',
    'signal.signal(signal.SIGINT, interrupted)',
    'signal.signal(signal.SIGTERM, ended)',
    'say("counting-pip ready")',
    'signal.alarm(60)',
    'while True: signal.pause()',
  ];
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o755 });
  return file;
}

// A real pip (PIP_GUARD_REAL_PIP) whose #! names a `python3` wrapper that makes `-m venv` slow:
// it writes its pid to a file, sleeps a minute, then runs the real `python3 -m venv`.
// Everything else is /usr/bin/python3 at once.
export function slowVenvPip(box: Sandbox) {
  const bin = join(box.dir, 'slow');
  mkdirSync(bin);
  const mark = join(box.dir, 'making-venv.pid');
  const python = join(bin, 'python3');
  const wait =
    'import os, sys, time; open(sys.argv[1] + ".tmp", "w").write(str(os.getpid())); ' +
    'os.replace(sys.argv[1] + ".tmp", sys.argv[1]); time.sleep(60); ' +
    'os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv[2:]])';
  writeFileSync(
    python,
    `#!/bin/sh\nif [ "$1" = -m ] && [ "$2" = venv ]; then\n  exec /usr/bin/python3 -c '${wait}' ${quote(mark)} "$@"\nfi\nexec /usr/bin/python3 "$@"\n`,
    { mode: 0o755 },
  );
  const pip = join(bin, 'pip');
  writeFileSync(
    pip,
    `#!${python}\nimport re\nimport sys\nfrom pip._internal.cli.main import main\n` +
      `if __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n`,
    { mode: 0o755 },
  );
  // Resolves with the pid of `python3 -m venv` once it waits.
  const making = async () => {
    await waitUntil(() => existsSync(mark), '`python3 -m venv` to start', 60_000, 50);
    const pid = Number(readFileSync(mark, 'utf8'));
    // Only while it is still this wrapper (it is no child of the test's, to know it ended).
    leftovers.add(() => {
      if (existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mark))
        stop(pid);
    });
    return pid;
  };
  return { pip, making };
}

// pip-guard's records of the venvs it made (XDG_STATE_HOME/pip-guard/venvs).
export function venvRecords(box: Sandbox): string[] {
  const dir = join(box.home, '.local', 'state', 'pip-guard', 'venvs');
  return existsSync(dir) ? readdirSync(dir) : [];
}

export const WAITING = 'pip-guard: waiting for another pip-guard';

// Two installs making one new venv at once (each `pip install` through `wrap`, with `env`): the
// first, whose `python3 -m venv` waits (slowVenvPip), holds the lock; the second says that it
// waits, and goes on once the first is stopped (SIGTERM). What each printed, and how it ended.
export async function takingTurns(
  box: Sandbox,
  env: Record<string, string> = {},
  wrap = (file: string, args: string[]): [string, string[]] => [file, args],
) {
  const slow = slowVenvPip(box);
  const first = start(box, ...wrap('pip', ['install', ...box.offline, 'demo']), {
    ...env,
    PIP_GUARD_REAL_PIP: slow.pip,
  });
  await slow.making();
  const second = start(box, ...wrap('pip', ['install', ...box.offline, 'demo==1.0']), env);
  await second.printed('stderr', WAITING);
  process.kill(first.pid, 'SIGTERM');
  const [a, b] = await Promise.all([first.done, second.done]);
  return { firstPid: first.pid, first: a, second: b };
}
