// Issue 21: a test that waits for what a process prints fails as soon as that process has ended
// without printing it, naming what it did print, rather than waiting for the test's own timeout.
import { describe, expect, it } from 'vitest';
import { sandbox } from './harness.js';
import { start } from './stall.js';
import { openTerminal } from './terminal.js';

// Far below the suite's 120 s: a waiter that does not give up in time fails the test.
const SOON = 15_000;

describe('waiting for a process to print something', () => {
  it(
    'fails at once when the process ends without printing it',
    async () => {
      const box = sandbox();
      const child = start(box, '/bin/sh', ['-c', 'echo started; echo oops >&2; exit 3']);
      await child.printed('stdout', 'started');
      await expect(child.printed('stdout', 'never printed')).rejects.toThrow(
        /ended \(exit code 3\) without printing "never printed" on stdout:\nstdout: started\n\nstderr: oops/,
      );
      expect((await child.done).exitCode).toBe(3);
      // Asked again after the end: it fails at once too.
      await expect(child.printed('stderr', 'later')).rejects.toThrow(/ended \(exit code 3\)/);
    },
    SOON,
  );

  it(
    'fails soon after the process ended even where something it started keeps its output open',
    async () => {
      const box = sandbox();
      const child = start(box, '/bin/sh', ['-c', 'sleep 60 & echo $!; exit 0']);
      await child.printed('stdout', '\n');
      const left = Number(child.output().stdout.trim());
      try {
        await expect(child.printed('stdout', 'never printed')).rejects.toThrow(/ended \(exit code 0\)/);
      } finally {
        process.kill(left, 'SIGKILL');
      }
    },
    SOON,
  );

  it(
    'fails at once, in a terminal, when the shell ends before its next prompt',
    async () => {
      const box = sandbox();
      const terminal = await openTerminal(box, 'bash', { init: false });
      await expect(terminal.type('exit 4')).rejects.toThrow(
        /bash ended \(exit code 4\) before its next prompt/,
      );
      await expect(terminal.type('echo again')).rejects.toThrow(/bash ended/);
      await terminal.close();
    },
    SOON,
  );
});
