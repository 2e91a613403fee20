// Bun's own API, where pip-guard runs on Bun (the single executable; `bun dist/pip-guard.cjs`),
// else undefined: what pip-guard uses of it, typed here once (https://bun.sh/docs/api/spawn).
import type { Env } from './env.js';

export interface BunChild {
  readonly pid: number;
  readonly exited: Promise<number>;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  readonly stdout?: ReadableStream<Uint8Array> | number;
  readonly stderr?: ReadableStream<Uint8Array> | number;
  kill(signal: NodeJS.Signals): void;
}

export interface BunApi {
  // True in a program `bun build --compile` made.
  readonly isStandaloneExecutable?: boolean;
  spawn(options: {
    cmd: string[];
    env?: Env;
    cwd?: string;
    stdio: ['inherit' | 'ignore', 'inherit' | 'pipe', 'inherit' | 'pipe'];
    // setsid(2) in the child.
    detached?: boolean;
  }): BunChild;
}

export const bun = (globalThis as { Bun?: BunApi }).Bun;
