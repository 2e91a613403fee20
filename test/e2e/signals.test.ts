// Issue 9, items 1 and 5: a signal during an install reaches pip once, on every path; the
// install stops, the notice says it was interrupted, and a venv made for it is gone again.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, notices, sandbox, waitUntil } from './harness.js';
import {
  countingPip,
  hangingIndex,
  inTerminal,
  quote,
  start,
  stopAll,
  venvRecords,
  waitingOn,
} from './stall.js';

afterEach(stopAll);

const MANAGED = 'pip-guard: /usr/bin/python3 is externally managed (PEP 668)';
const REMOVED = 'pip-guard removed the venv it had made for this install, which held nothing of yours';
// What a terminal showed, as lines, without pip's colours and the echoed ^C, and without
// pip-guard's status line while the venv is made (erased with \r and ESC [K before pip prints).
const terminalLines = (output: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what the terminal was sent
  stripVTControlCharacters(output.replace(/[^\n]*\r\x1b\[K/g, ''))
    .replaceAll('\r\n', '\n')
    .replaceAll('^C', '')
    .split('\n');

describe('an install in a venv pip-guard makes for it, interrupted while pip waits on the index', () => {
  it('Ctrl-C at a terminal: pip stops, the notice says interrupted, and the new venv is gone', async () => {
    const box = sandbox();
    const index = await hangingIndex();
    const venv = join(box.project, '.venv');
    const pip = inTerminal(
      box,
      ['exec', 'pip', 'install', ...waitingOn(index.url), 'demo'].map(quote).join(' '),
    );
    await index.connected;
    pip.stdin.write('\x03');
    const ended = await pip.done;
    expect(ended.exitCode).toBe(1);
    const lines = terminalLines(ended.stdout);
    expect(lines).toContain('ERROR: Operation cancelled by user');
    expect(notices(lines.join('\n'))).toEqual([
      `${MANAGED}, so pip ran in a new venv, ${venv}, and was interrupted (SIGINT); ${REMOVED}`,
    ]);
    expect(existsSync(venv)).toBe(false);
    expect(venvRecords(box)).toEqual([]);
  });

  it('SIGTERM to pip-guard: pip gets it, the new venv is gone, and pip-guard ends by SIGTERM (143)', async () => {
    const box = sandbox();
    const index = await hangingIndex();
    const venv = join(box.project, '.venv');
    const pip = start(box, 'pip', ['install', ...waitingOn(index.url), 'demo']);
    await index.connected;
    process.kill(pip.pid, 'SIGTERM');
    const ended = await pip.done;
    expect(ended.signal).toBe('SIGTERM');
    expect(notices(ended.stderr)).toEqual([
      `${MANAGED}, so pip ran in a new venv, ${venv}, and was interrupted (SIGTERM); ${REMOVED}`,
    ]);
    expect(existsSync(venv)).toBe(false);
    expect(venvRecords(box)).toEqual([]);
  });
});

describe('`kill -INT` sent to pip-guard alone (a supervisor, an IDE, send_signal) reaches pip', () => {
  it('in the project venv: pip stops, and the notice says it was interrupted', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    const index = await hangingIndex();
    const pip = start(box, 'pip', ['install', ...waitingOn(index.url), 'demo']);
    await index.connected;
    process.kill(pip.pid, 'SIGINT');
    const ended = await pip.done;
    expect(ended.exitCode).toBe(1);
    expect(ended.stderr).toContain('ERROR: Operation cancelled by user');
    expect(notices(ended.stderr)).toEqual([
      `${MANAGED}, so pip ran in ${venv}, and was interrupted (SIGINT)`,
    ]);
    expect(existsSync(join(venv, 'bin', 'python'))).toBe(true);
  });

  it('on the forward path (install --target): the real pip stops', async () => {
    const box = sandbox();
    const target = join(box.dir, 'target');
    const index = await hangingIndex();
    const pip = start(box, 'pip', ['install', '--target', target, ...waitingOn(index.url), 'demo']);
    await index.connected;
    process.kill(pip.pid, 'SIGINT');
    const ended = await pip.done;
    expect(ended.exitCode).toBe(1);
    expect(ended.stderr).toContain('ERROR: Operation cancelled by user');
    expect(existsSync(join(target, 'demo'))).toBe(false);
  });

  it('on the pipx path: pipx stops, and the notice says `pipx install` was interrupted', async () => {
    const box = sandbox();
    const index = await hangingIndex();
    const pip = start(box, 'pip', ['install', ...waitingOn(index.url), 'demo-app'], {
      PIP_GUARD_POLICY: 'pipx',
    });
    await index.connected;
    process.kill(pip.pid, 'SIGINT');
    const ended = await pip.done;
    expect(ended.exitCode).toBe(1);
    expect(notices(ended.stderr)).toEqual([
      `${MANAGED}, so pip-guard ran \`pipx install demo-app\`, which was interrupted (SIGINT)`,
    ]);
    expect(existsSync(join(box.pipxBin, 'demo-app'))).toBe(false);
    expect(readdirSync(join(box.pipxHome, 'venvs'))).toEqual([]);
  });
});

// The break policy, allowed: pip-guard runs the real pip as its child and says what it did after
// it, so the signals reach pip through pip-guard or past it.
const BREAK = { PIP_GUARD_POLICY: 'break', PIP_GUARD_ALLOW_BREAK: '1' };

describe('SIGINT reaches pip exactly once', () => {
  it('Ctrl-C at a terminal, which the terminal sends to pip-guard and pip alike, is not passed on again', async () => {
    const box = sandbox();
    const env = { ...BREAK, PIP_GUARD_REAL_PIP: countingPip(box) };
    const command = ['exec', 'pip', 'install', 'demo'].map(quote).join(' ');
    const pip = inTerminal(box, command, env);
    await pip.printed('stdout', 'counting-pip ready');
    pip.stdin.write('\x03');
    // The whole line: a terminal may hand it over in pieces.
    await pip.printed('stdout', /SIGINT seen by \d+\r?\n/);
    const pipGuard = Number(/SIGINT seen by (\d+)/.exec(pip.output().stdout)?.[1]);
    process.kill(pipGuard, 'SIGTERM');
    const ended = await pip.done;
    expect(terminalLines(ended.stdout)).toContain('SIGINT received 1 time(s)');
  });

  it('`kill -INT` of pip-guard alone is passed on once', async () => {
    const box = sandbox();
    const env = { ...BREAK, PIP_GUARD_REAL_PIP: countingPip(box) };
    const pip = start(box, 'pip', ['install', 'demo'], env);
    await pip.printed('stdout', 'counting-pip ready');
    process.kill(pip.pid, 'SIGINT');
    await pip.printed('stdout', /SIGINT seen by \d+\n/);
    process.kill(pip.pid, 'SIGTERM');
    const ended = await pip.done;
    expect(ended.stdout).toBe(`counting-pip ready\nSIGINT seen by ${pip.pid}\nSIGINT received 1 time(s)\n`);
    expect(ended.exitCode).toBe(0);
  });
});

// With nothing left to do after pip (a forward without a notice), pip-guard becomes the real pip
// (execve): the same process, so every signal and the exit are pip's own, with nobody between.
describe('a forward pip-guard has nothing to add to', () => {
  it('is the real pip itself: its pid, a signal sent to it once, its exit', async () => {
    const box = sandbox();
    const env = { PIP_GUARD_REAL_PIP: countingPip(box) };
    const pip = start(box, 'pip', ['install', '--target', join(box.dir, 't'), 'demo'], env);
    await pip.printed('stdout', 'counting-pip ready');
    process.kill(pip.pid, 'SIGINT');
    await pip.printed('stdout', /SIGINT seen by \d+\n/);
    process.kill(pip.pid, 'SIGTERM');
    const ended = await pip.done;
    // Its parent is the test's, not a pip-guard in between.
    expect(ended.stdout).toBe(
      `counting-pip ready\nSIGINT seen by ${process.pid}\nSIGINT received 1 time(s)\n`,
    );
    expect(ended.exitCode).toBe(0);
  });

  it("gets the signals' defaults a shell gives, and keeps what its parent ignored", async () => {
    const box = sandbox();
    const pip = join(box.dir, 'signal-pip');
    writeFileSync(pip, '#!/bin/sh\ngrep ^SigIgn /proc/self/status\n', { mode: 0o755 });
    const shell = `trap '' HUP; grep ^SigIgn /proc/self/status; exec pip list`;
    const { execa } = await import('execa');
    const result = await execa('sh', ['-c', shell], {
      env: { ...box.env, PIP_GUARD_REAL_PIP: pip },
      extendEnv: false,
      cwd: box.project,
    });
    const [outside, inside] = result.stdout.split('\n');
    // SIGHUP ignored, as the shell had it, and no more: not the runtime's SIGPIPE and SIGXFSZ.
    expect(inside).toBe(outside);
    expect(BigInt(`0x${inside?.split('\t')[1]}`) & 1n).toBe(1n);
  });
});

// A command for `pip-guard run` that says "ready", then, at any of the signals it is named, "got
// SIGNAME" and exit 40; unnamed signals keep Python's defaults (most end it). Unstopped, it says
// "slept" after 15 s and ends.
function signalledCommand(box: ReturnType<typeof sandbox>): string {
  const file = join(box.dir, 'signalled.py');
  const lines = [
    'import os, signal, sys, time',
    'def say(text): os.write(1, (text + "\\n").encode())',
    'def got(signum, frame):',
    '    say("got " + signal.Signals(signum).name)',
    '    os._exit(40)',
    'for name in sys.argv[1:]: signal.signal(getattr(signal, name), got)',
    'say("ready")',
    'for _ in range(150): time.sleep(0.1)',
    'say("slept")',
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// The one child of process PID (by /proc/*/stat's ppid).
function childOf(pid: number): number {
  const children = readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(pid);
    } catch {
      return false;
    }
  });
  expect(children).toHaveLength(1);
  return Number(children[0]);
}

// Every signal a shell's `kill` can send that pip-guard's runtime lets it catch (Bun), but the
// stops (below) and those left to their defaults on purpose (signals.ts).
const PASSED_ON = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGABRT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGCONT',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
] as const;

describe('pip-guard run passes on every signal a shell can send it', () => {
  it.each(PASSED_ON)('%s reaches the command, and its exit code comes back', async (signal) => {
    const box = sandbox();
    await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', join(box.project, '.venv')]);
    const run = start(box, CLI, ['run', 'python3', signalledCommand(box), signal]);
    await run.printed('stdout', 'ready\n');
    process.kill(run.pid, signal);
    const ended = await run.done;
    expect([ended.stdout, ended.exitCode, ended.signal]).toEqual([`ready\ngot ${signal}\n`, 40, null]);
  });

  it.each(['SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const)(
    '%s that ends the command ends pip-guard the same way',
    async (signal) => {
      const box = sandbox();
      await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', join(box.project, '.venv')]);
      const run = start(box, CLI, ['run', 'python3', signalledCommand(box)]);
      await run.printed('stdout', 'ready\n');
      process.kill(run.pid, signal);
      const ended = await run.done;
      expect([ended.stdout, ended.exitCode, ended.signal]).toEqual(['ready\n', null, signal]);
    },
  );

  it.each(['SIGTSTP', 'SIGTTIN', 'SIGTTOU'] as const)(
    '%s stops the command and pip-guard, and SIGCONT goes on to it',
    async (signal) => {
      const box = sandbox();
      await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', join(box.project, '.venv')]);
      const run = start(box, CLI, ['run', 'python3', signalledCommand(box)]);
      await run.printed('stdout', 'ready\n');
      const child = childOf(run.pid);
      const state = (pid: number) => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      };
      process.kill(run.pid, signal);
      await waitUntil(
        () => state(child) === 'T' && state(run.pid) === 'T',
        'the command and pip-guard to stop',
      );
      process.kill(run.pid, 'SIGCONT');
      await waitUntil(() => state(child) !== 'T' && state(run.pid) !== 'T', 'both to go on');
      process.kill(run.pid, 'SIGTERM');
      const ended = await run.done;
      expect([ended.stdout, ended.signal]).toEqual(['ready\n', 'SIGTERM']);
    },
  );
});

describe('a SIGINT to the whole process group without a terminal (CI, timeout, setsid)', () => {
  it("reaches pip once during a first install, and pip's own exit code (1) comes back", async () => {
    const box = sandbox();
    const index = await hangingIndex();
    const venv = join(box.project, '.venv');
    const trace = join(box.dir, 'strace');
    // In a session of its own, as setsid makes it; strace counts the SIGINTs each process gets
    // (it blocks them itself while it runs a command).
    const pip = start(box, 'setsid', [
      'strace',
      '-f',
      '-o',
      trace,
      '-e',
      'trace=execve',
      '-e',
      'signal=SIGINT',
      'pip',
      'install',
      ...waitingOn(index.url),
      'demo',
    ]);
    await index.connected;
    process.kill(-pip.pid, 'SIGINT');
    const ended = await pip.done;
    expect(ended.exitCode).toBe(1);
    expect(ended.stderr).toContain('ERROR: Operation cancelled by user');
    expect(ended.stderr).not.toContain('Traceback');
    expect(notices(ended.stderr)).toEqual([
      `${MANAGED}, so pip ran in a new venv, ${venv}, and was interrupted (SIGINT); ${REMOVED}`,
    ]);
    // The process that ran the venv's pip got SIGINT once.
    const lines = readFileSync(trace, 'utf8').split('\n');
    const pipPid = lines.find((line) => line.includes(`execve("${venv}/bin/pip"`))?.split(' ')[0];
    expect(pipPid).toBeDefined();
    expect(lines.filter((line) => line.startsWith(`${pipPid} `) && line.includes('--- SIGINT'))).toHaveLength(
      1,
    );
  });
});
