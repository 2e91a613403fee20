// Signals pip-guard receives while it carries out a plan. Node's default would end pip-guard at
// once and leave its child (pip, pipx, `python -m venv`) running and a half-made venv behind;
// instead each is passed on to the running child, remembered, and the plan stops at the next
// step, cleans up what this call made, and ends as the child did (see main.ts).
import { procStat } from './files.js';
import { isTerminal } from './terminal.js';

const WATCHED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

interface Killable {
  kill(signal: NodeJS.Signals): unknown;
}

const children = new Set<Killable>();
let received: NodeJS.Signals | undefined;

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

function onSignal(signal: NodeJS.Signals): void {
  received ??= signal;
  const fromTerminal = (signal === 'SIGINT' || signal === 'SIGQUIT') && inForegroundGroup();
  if (fromTerminal) return;
  for (const child of children) child.kill(signal);
}

let watching = false;

// From the first child on, pip-guard outlives the signals it passes on.
function watch(): void {
  if (watching) return;
  watching = true;
  for (const signal of WATCHED) process.on(signal, onSignal);
}

// Keeps pip-guard alive through the watched signals with no child to pass them to: a step that
// must finish once started (repair's) runs apart from the terminal's Ctrl-C, and pip-guard stops
// after it (`interruption()`).
export const holdSignals = (): void => watch();

// Passes the watched signals on to `child` until `release` is called.
export function passSignalsTo(child: Killable): () => void {
  watch();
  children.add(child);
  return () => children.delete(child);
}

// The first signal pip-guard received, if any: the plan stops at the next step.
export const interruption = (): NodeJS.Signals | undefined => received;

// Hands the signals back to Node's defaults (before pip-guard ends itself with one).
export function unwatchSignals(): void {
  for (const signal of WATCHED) process.off(signal, onSignal);
  watching = false;
}
