// Creating a venv: once, under a lock (two `pip install`s at once must not race `python -m venv`),
// with a marker inside until it is complete, so that an interrupted creation is recognisably
// pip-guard's own and is the only kind of directory pip-guard ever removes.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, type Env } from './env.js';
import { UserError } from './errors.js';
import { capture } from './process.js';
import { INCOMPLETE_MARKER, venvState } from './project.js';

async function withLock<T>(env: Env, key: string, work: () => Promise<T>): Promise<T> {
  const dir = join(cacheDir(env), 'locks');
  mkdirSync(dir, { recursive: true });
  const name = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const target = join(dir, `${name}.target`);
  writeFileSync(target, key);
  // Loaded here: only a call that creates a venv needs it.
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(target, {
    realpath: false,
    stale: 20_000,
    retries: { retries: 600, factor: 1, minTimeout: 100, maxTimeout: 200 },
  });
  try {
    return await work();
  } finally {
    await release().catch(() => {});
  }
}

// Makes `path` a venv of `python` unless another pip-guard finished it meanwhile;
// says whether this call made it.
export async function createVenv(path: string, python: string, env: Env): Promise<boolean> {
  return withLock(env, path, async () => {
    const state = venvState(path);
    if (state.kind === 'valid') return false;
    if (state.kind === 'broken') throw new UserError(`${path} is not a usable venv: ${state.why}.`);
    // 'incomplete' is pip-guard's own interrupted attempt: start it over.
    if (state.kind === 'incomplete') rmSync(path, { recursive: true, force: true });
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, INCOMPLETE_MARKER), `${process.pid}\n`);
    const result = await capture(python, ['-m', 'venv', path]).catch((error: Error) => ({
      code: undefined,
      stdout: '',
      stderr: error.message,
    }));
    if (result.code === 0) rmSync(join(path, INCOMPLETE_MARKER));
    if (result.code !== 0 || venvState(path).kind !== 'valid') {
      rmSync(path, { recursive: true, force: true });
      throw venvFailure(path, python, `${result.stdout}\n${result.stderr}`.trim());
    }
    return true;
  });
}

function venvFailure(path: string, python: string, output: string): UserError {
  const fix = /ensurepip|python3-venv/.test(output)
    ? `install the venv module (Debian/Ubuntu: \`apt install python3-venv\`) and run pip again`
    : 'fix the problem above and run pip again';
  return new UserError(
    `\`${python} -m venv ${path}\` failed, so nothing was installed and pip-guard removed the partial venv: ${fix}.` +
      (output ? `\n${output}` : ''),
  );
}
