// Creating a venv: once, under a lock (two `pip install`s at once must not race `python -m venv`),
// recorded in pip-guard's state (venv-registry.ts) from the moment pip-guard makes the directory,
// so that an interrupted creation is recognisably pip-guard's own: the only kind of directory
// pip-guard ever removes.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir, type Env } from './env.js';
import { UserError } from './errors.js';
import { capture } from './process.js';
import { venvState } from './project.js';
import { forget, provenanceOf, remember } from './venv-registry.js';

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
  const known = (dir: string) => provenanceOf(env, dir);
  return withLock(env, path, async () => {
    const state = venvState(path, known);
    if (state.kind === 'valid') return false;
    if (state.kind === 'broken') throw new UserError(`${path} is not a usable venv: ${state.problem}.`);
    // pip-guard's own interrupted attempt (by its record, not by anything inside): start over.
    if (state.kind === 'incomplete') rmSync(path, { recursive: true, force: true });
    mkdirSync(dirname(path), { recursive: true });
    // Recorded before and after the mkdir, so no moment leaves a directory of pip-guard's
    // that it would not know as its own. Not recursive: if anything else appeared at `path`,
    // this fails and nothing is touched.
    remember(env, path, 'creating');
    try {
      mkdirSync(path);
    } catch (error) {
      forget(env, path);
      throw error;
    }
    remember(env, path, 'creating');
    const result = await capture(python, ['-m', 'venv', path]).catch((error: Error) => ({
      code: undefined,
      stdout: '',
      stderr: error.message,
    }));
    if (result.code === 0) remember(env, path, 'created');
    if (result.code !== 0 || venvState(path, known).kind !== 'valid') {
      rmSync(path, { recursive: true, force: true });
      forget(env, path);
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
