// Signals pip-guard receives while it carries out a plan. Node's default would end pip-guard at
// once and leave its child (pip, pipx, `python -m venv`) running and a half-made venv behind;
// instead each is passed on to the running child, and one that would have ended pip-guard is
// remembered: the plan stops at the next step, cleans up what this call made, and ends as the
// child did (see main.ts).
import { bun } from './bun.js';
import { procStat } from './files.js';
import { isTerminal } from './terminal.js';

// Every signal a shell's `kill` can send that the runtime lets a program catch, but: SIGKILL and
// SIGSTOP (nobody can); SIGCHLD (news of pip-guard's own children); what the kernel sends for a
// fault of pip-guard's own (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGEMT), which a
// handler would turn from a crash into a hang (Bun loops on a real SIGSEGV then), as tini leaves
// them too; and on Bun SIGPWR (Bun keeps it for itself: a listener never hears it, seen with Bun
// 1.4.5) and SIGSTKFLT (a listener does not keep it from ending Bun). Real-time signals
// (SIGRTMIN+n) neither runtime lets a program catch.
const NOT_PASSED = new Set([
  'SIGKILL',
  'SIGSTOP',
  'SIGCHLD',
  'SIGSEGV',
  'SIGBUS',
  'SIGFPE',
  'SIGILL',
  'SIGTRAP',
  'SIGSYS',
  'SIGEMT',
  ...(bun ? ['SIGPWR', 'SIGSTKFLT'] : []),
]);

// Every signal of Linux and macOS, one name for each (SIGIOT is SIGABRT, SIGPOLL SIGIO: a listener
// on both would hear it twice). Named here, not read from node:os, which costs Bun half a
// millisecond at each start; a name the platform lacks (SIGINFO on Linux) is never sent.
const SIGNALS = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGCHLD',
  'SIGSTKFLT',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
  'SIGEMT',
  'SIGINFO',
] as const;
const PASSED = SIGNALS.filter((name) => !NOT_PASSED.has(name)) as NodeJS.Signals[];

// What a terminal sends its whole foreground process group, pip-guard's child included: Ctrl-C,
// Ctrl-\, Ctrl-Z, a resize, Ctrl-T (BSD, macOS).
const FROM_TERMINAL = new Set(['SIGINT', 'SIGQUIT', 'SIGTSTP', 'SIGWINCH', 'SIGINFO']);

// Job control: the child stops, and so does pip-guard then, as its default would have it (the
// shell sees the job stopped); SIGCONT, which the shell sends the group, goes on to the child.
const STOPPING = new Set(['SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

// What does not stop the plan: what ends neither pip-guard nor the child by default (SIGCONT,
// SIGURG, SIGWINCH, SIGINFO, the stops), and what Python ignores (SIGPIPE, SIGXFSZ), so that pip
// or pipx goes on after it; a SIGPIPE is also the kernel's answer to a write of pip-guard's own.
const NOT_ENDING = new Set(['SIGCONT', 'SIGURG', 'SIGWINCH', 'SIGINFO', 'SIGPIPE', 'SIGXFSZ', ...STOPPING]);

interface Killable {
  kill(signal: NodeJS.Signals): unknown;
}

// Each child, and whether it runs in a session of its own (process.ts).
const children = new Map<Killable, boolean>();
let received: NodeJS.Signals | undefined;
// Every signal to pass on, in order, since pip-guard took them: a child that has just been
// started gets those that came while it started (passSignalsTo).
const passed: NodeJS.Signals[] = [];

// Whether pip-guard is in its terminal's foreground process group: then the terminal sent
// Ctrl-C (SIGINT) and Ctrl-\ (SIGQUIT) to the whole group, its child included, and passing
// them on would double them. A signal sent to pip-guard alone (`kill -INT`, an IDE's stop
// button, Python's send_signal) reaches the child only through pip-guard.
// Linux: /proc/self/stat's pgrp and tpgid (the terminal's foreground group, -1 without one).
function inForegroundGroup(): boolean {
  const fields = procStat('self');
  if (!fields) return isTerminal(0);
  return fields[5] !== '-1' && fields[2] === fields[5];
}

// Whether pip-guard has no controlling terminal (Linux: /proc/self/stat's tty_nr is 0), as under
// CI runners, `timeout` and `setsid`: then a signal for its whole process group would reach its
// child twice, from the sender and from pip-guard, so the child runs in a session of its own
// (process.ts), and pip-guard passes each signal on once.
export function withoutTerminal(): boolean {
  return procStat('self')?.[4] === '0';
}

function onSignal(signal: NodeJS.Signals): void {
  if (!NOT_ENDING.has(signal)) received ??= signal;
  const fromTerminal = FROM_TERMINAL.has(signal) && inForegroundGroup();
  if (!fromTerminal) {
    passed.push(signal);
    for (const [child, apart] of children) child.kill(asPassed(signal, apart));
  }
  // The child was stopped (by pip-guard, or with it by the terminal): pip-guard stops too, until
  // SIGCONT.
  if (STOPPING.has(signal)) process.kill(process.pid, 'SIGSTOP');
}

let watching = false;

// From the first child on, pip-guard outlives the signals it passes on. Called before the child
// starts: a signal that comes while it starts would otherwise end pip-guard and leave it behind.
// Returns where the child's share of the signals starts, for passSignalsTo.
export function watchSignals(): number {
  if (!watching) {
    watching = true;
    for (const signal of PASSED) process.on(signal, onSignal);
  }
  return passed.length;
}

// Keeps pip-guard alive through the signals with no child to pass them to: a step that must
// finish once started (repair's) runs apart from the terminal's Ctrl-C, and pip-guard stops
// after it (`interruption()`).
export const holdSignals = (): void => {
  watchSignals();
};

// A stop for a child in a session of its own is SIGSTOP: the kernel drops SIGTSTP, SIGTTIN and
// SIGTTOU for a process group that no parent in its session looks after (POSIX's orphaned group).
const asPassed = (signal: NodeJS.Signals, apart: boolean) =>
  apart && STOPPING.has(signal) ? 'SIGSTOP' : signal;

// Passes the signals on to `child` (`apart`: in a session of its own), those that came since
// `since` (watchSignals, before it started) first, until `release` is called.
export function passSignalsTo(child: Killable, since: number, apart = false): () => void {
  for (const signal of passed.slice(since)) child.kill(asPassed(signal, apart));
  children.set(child, apart);
  return () => children.delete(child);
}

// The first signal pip-guard received that ends a program by default, if any: the plan stops at
// the next step.
export const interruption = (): NodeJS.Signals | undefined => received;

// Hands the signals back to Node's defaults (before pip-guard ends itself with one).
export function unwatchSignals(): void {
  for (const signal of PASSED) process.off(signal, onSignal);
  watching = false;
}
