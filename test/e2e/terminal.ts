// An interactive shell on a real pseudo-terminal (util-linux `script`), driven one command line at
// a time as a person types them: each line runs after the previous one has finished and the shell
// has shown its next prompt (so a prompt hook has run in between).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Sandbox } from './harness.js';

export const SHELLS = {
  bash: {
    command: 'bash --norc --noprofile -i',
    rc: 'bash -i',
    init: 'eval "$(pip-guard init bash --activate)"',
  },
  zsh: { command: 'zsh -f -i', rc: 'zsh -i', init: 'eval "$(pip-guard init zsh --activate)"' },
  fish: { command: 'fish --no-config -i', rc: 'fish -i', init: 'pip-guard init fish --activate | source' },
} as const;
export type ShellName = keyof typeof SHELLS;
export const SHELL_NAMES = Object.keys(SHELLS) as ShellName[];

export interface Terminal {
  // Types LINE and Enter, and resolves with what the terminal showed until the line was done.
  type(line: string): Promise<string>;
  // `VAR`'s value in the shell, as the next command line sees it.
  value(expression: string): Promise<string>;
  // Whether `COMMAND` exits 0, as typed at the prompt.
  succeeds(command: string): Promise<boolean>;
  // Everything shown so far.
  transcript(): string;
  close(): Promise<void>;
}

export interface TerminalOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  // Run the shell under `strace -f` into this file (every process it starts).
  strace?: string;
  // Type `pip-guard init SHELL --activate` first (the default), as an rc file would have it.
  init?: boolean;
  // Start the shell as it starts for a person, reading its rc files under HOME (and type nothing).
  rc?: boolean;
}

// The words printed after a line, split so that the terminal's echo of the typed line never
// matches them.
const done = (n: number) => `@@done-${n}@@`;
const typedDone = (n: number) => `printf '%s%s\\n' '@@done' '-${n}@@'`;

export async function openTerminal(box: Sandbox, shell: ShellName, options: TerminalOptions = {}) {
  const env: Record<string, string> = { ...box.env, TERM: 'dumb', SHELL: `/bin/${shell}` };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const program = options.rc ? SHELLS[shell].rc : SHELLS[shell].command;
  const command = options.strace
    ? `strace -f -e trace=execve,clone,clone3,fork,vfork,chdir -o '${options.strace}' ${program}`
    : program;
  // A pty made from a pipe has no size: give it one, or long lines wrap at every character.
  const child: ChildProcessWithoutNullStreams = spawn(
    'script',
    ['-qfec', `stty cols 500 rows 50; exec ${command}`, '/dev/null'],
    { cwd: options.cwd ?? box.project, env },
  );
  let output = '';
  const waiters: { marker: string; resolve: () => void; reject: (error: Error) => void }[] = [];
  // A shell that ended shows no more prompts: every line still waiting fails at once.
  let ended: string | undefined;
  child.on('close', (code, signal) => {
    ended = signal ?? `exit code ${code}`;
    for (const waiter of waiters.splice(0))
      waiter.reject(new Error(`${shell} ended (${ended}) before its next prompt:\n${output}`));
  });
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      if (output.includes(`${waiter.marker}\r\n`) || output.includes(`${waiter.marker}\n`)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  let count = 0;
  const type = async (line: string) => {
    const n = ++count;
    const from = output.length;
    const marker = done(n);
    const finished = new Promise<void>((resolve, reject) => {
      if (ended) reject(new Error(`${shell} ended (${ended}) before \`${line}\`:\n${output}`));
      waiters.push({ marker, resolve, reject });
      setTimeout(
        () => reject(new Error(`no prompt after \`${line}\` in ${shell}:\n${output}`)),
        90_000,
      ).unref();
    });
    child.stdin.write(`${line}; ${typedDone(n)}\n`);
    await finished;
    // Without the colours and cursor moves that shells and pipx write to a terminal.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape sequences
    return output.slice(from, output.indexOf(marker, from)).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  };
  const terminal: Terminal = {
    type,
    async value(expression) {
      const shown = await type(`printf '%s%s]]\\n' '[[v=' "${expression}"`);
      return /\[\[v=([^\r\n]*?)\]\]/.exec(shown)?.[1] ?? `(not shown: ${shown})`;
    },
    async succeeds(command) {
      const status = shell === 'fish' ? '$status' : '$?';
      const shown = await type(`${command}; printf '%s%s]]\\n' '[[s=' "${status}"`);
      return /\[\[s=(\d+)\]\]/.exec(shown)?.[1] === '0';
    },
    transcript: () => output,
    close: () =>
      new Promise((resolve) => {
        if (ended) return resolve();
        child.on('close', () => resolve());
        child.stdin.write('exit\n');
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
  if (options.init !== false && !options.rc) await type(SHELLS[shell].init);
  return terminal;
}
