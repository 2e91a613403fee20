// Making a venv, for the install that needs it: once, under a lock (two `pip install`s at once
// must not race `python -m venv`), recorded in pip-guard's state (venv-registry.ts) from the
// moment pip-guard makes the directory, so that an interrupted creation is recognisably
// pip-guard's own: the only kind of directory pip-guard ever removes. The first install runs
// under the same lock, so that when it fails or is interrupted the venv this call made goes
// again without pulling it from under another pip-guard's install.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../base/env.js';
import { Interrupted, UserError } from '../base/errors.js';
import { fileInTheWay } from '../base/files.js';
import { capture, type Outcome, startCapture, succeeded } from '../base/process.js';
import { interruption } from '../base/signals.js';
import { isTerminal } from '../base/terminal.js';
import { venvState } from '../facts/project.js';
import { forget, provenanceOf, remember } from '../facts/venv-registry.js';
import { lockFor } from './lock.js';
import { makeSeedDirs, seedVenv } from './venv-seed.js';
import { makeTemplate, writeFromTemplate } from './venv-template.js';

// What mkdir says of a path the user chose (venv.path), as a paragraph with the fix.
// `mkdir -p` says EEXIST, not ENOTDIR, when the parent itself is a file.
function mkdirProblem(path: string, error: NodeJS.ErrnoException): UserError {
  const why: Record<string, string> = {
    ENOTDIR: 'a part of that path is a file, not a directory',
    EEXIST: 'something that is not a venv appeared there',
    EACCES: 'pip-guard may not write there',
    EROFS: 'it is on a read-only file system',
  };
  const file = error.code === 'ENOTDIR' || error.code === 'EEXIST' ? fileInTheWay(path) : undefined;
  const reason = file ? `${file} is a file, not a directory` : (why[error.code ?? ''] ?? error.message);
  return new UserError(
    `pip-guard cannot make the venv ${path}: ${reason}. Nothing was installed. ` +
      'Choose another place with venv.path in the project\'s config (for example ".venv"), or fix the path, and run pip again.',
  );
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

// Removes a venv this call made, and pip-guard's record of it.
function removeVenv(path: string, env: Env): void {
  rmSync(path, { recursive: true, force: true });
  forget(env, path);
}

// The directory, recorded as pip-guard's before and after the mkdir, so no moment leaves a
// directory of pip-guard's that it would not know as its own. Not recursive: if anything else
// appeared at `path`, this fails and nothing is touched.
function makeDirectory(path: string, env: Env): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw mkdirProblem(path, error as NodeJS.ErrnoException);
  }
  remember(env, path, 'creating');
  try {
    mkdirSync(path);
  } catch (error) {
    forget(env, path);
    throw mkdirProblem(path, error as NodeJS.ErrnoException);
  }
  remember(env, path, 'creating');
}

// How to make the venv: its Python, and the wheels to seed pip from (venv-seed.ts); without
// them, `python -m venv` has ensurepip install pip, as it does by hand.
export interface VenvMaker {
  python: string;
  version?: string;
  seedWheels?: readonly string[];
}

// Emptied, not removed: the directory stays the one pip-guard's record names.
function emptyDirectory(path: string): void {
  for (const entry of readdirSync(path)) rmSync(join(path, entry), { recursive: true, force: true });
}

// A venv without pip, from its template where there is one (no Python to start: venv-template.ts),
// else by `python -m venv --without-pip` (making the template for the next), then seeded; the
// seeding runs while venv does (most of its 30 ms are Python's start and imports), into
// directories made before it starts (venv-seed.ts). Undefined where the seeding failed.
async function seededVenv(path: string, maker: Required<VenvMaker>, env: Env) {
  const { python, version, seedWheels } = maker;
  const seed = () =>
    seedVenv(path, python, version, seedWheels, env).then(
      () => true,
      () => false,
    );
  let templated = false;
  try {
    templated = writeFromTemplate(env, python, path);
  } catch {
    emptyDirectory(path);
  }
  if (templated) return (await seed()) ? { code: 0, stdout: '', stderr: '' } : undefined;
  makeSeedDirs(path, version);
  const venv = await startCapture(python, ['-m', 'venv', '--without-pip', path], undefined, true);
  const template = makeTemplate(env, python, path).catch(() => {});
  const seeded = await seed();
  const made = await venv.result;
  await template;
  return made.code !== 0 || interruption() || seeded ? made : undefined;
}

// `python -m venv`, quickly seeded where the wheels are at hand; a seeding that fails leaves
// the slow way.
async function runVenv(path: string, maker: VenvMaker, env: Env) {
  const { python, version, seedWheels } = maker;
  if (version && seedWheels) {
    const made = await seededVenv(path, { python, version, seedWheels }, env);
    if (made) return made;
    emptyDirectory(path);
  }
  return capture(python, ['-m', 'venv', path], undefined, true);
}

// Makes `path` a venv of `python` unless another pip-guard finished it meanwhile; says whether
// this call made it. Call with the lock held.
async function makeVenv(path: string, maker: VenvMaker, env: Env): Promise<boolean> {
  const { python } = maker;
  const known = (dir: string) => provenanceOf(env, dir);
  const state = venvState(path, known);
  if (state.kind === 'valid') return false;
  if (state.kind === 'broken') throw new UserError(`${path} is not a usable venv: ${state.problem}.`);
  // pip-guard's own interrupted attempt (by its record, not by anything inside): start over.
  if (state.kind === 'incomplete') removeVenv(path, env);
  makeDirectory(path, env);
  const result = await runVenv(path, maker, env).catch((error: Error) => ({
    code: undefined,
    stdout: '',
    stderr: error.message,
  }));
  const signal = interruption();
  // Judged by what is there (pip-guard's own record still says `creating`).
  if (signal || result.code !== 0 || venvState(path).kind !== 'valid') {
    removeVenv(path, env);
    if (signal)
      throw new Interrupted(
        `interrupted while making the venv ${path}: pip-guard removed it, and nothing was installed`,
        signal,
      );
    throw venvFailure(path, python, `${result.stdout}\n${result.stderr}`.trim());
  }
  // As uv and Python 3.13's venv do: a venv inside a repository is never committed by accident.
  writeFileSync(join(path, '.gitignore'), '# Created by pip-guard: a venv is not for version control\n*\n', {
    mode: 0o644,
  });
  return true;
}

export interface VenvUse {
  outcome: Outcome;
  created: boolean;
  removed: boolean;
}

// The status line, within one row of the terminal: \r and ESC [K erase only the row the cursor
// is on, and the start of a longer line would stay above pip's output. A long path keeps its end.
export function statusLine(path: string, columns: number): string {
  const head = 'pip-guard: making the venv ';
  const room = columns - 1 - head.length - 1;
  const chars = [...path];
  if (chars.length <= room) return `${head}${path}…`;
  if (room < 12) return 'pip-guard: making a venv…';
  return `${head}…${chars.slice(1 - room).join('')}…`;
}

// On a terminal, one status line while the venv is made (none elsewhere: a script reads
// pip-guard's one notice, and nothing else); returns what clears it, before pip prints anything.
function showStatus(path: string): () => void {
  if (!isTerminal(2)) return () => {};
  process.stderr.write(statusLine(path, process.stderr.columns || 80));
  return () => process.stderr.write('\r\x1b[K');
}

// Runs `use` (the install) in the venv at `path`, made first if it is not there yet. A venv this
// call made stays `creating` in pip-guard's records until that first install succeeded, and the
// install is tied to pip-guard's life (`use(true)`): after a `kill -9` of pip-guard, pip dies too,
// and the next install makes the venv again instead of using one with half an install in it.
export async function inNewVenv(
  path: string,
  maker: VenvMaker,
  env: Env,
  use: (tied: boolean) => Promise<Outcome>,
): Promise<VenvUse> {
  const release = await lockFor(env, path, `making the venv ${path} and installing into it`);
  let created: boolean;
  const clear = showStatus(path);
  try {
    created = await makeVenv(path, maker, env);
  } catch (error) {
    await release();
    throw error;
  } finally {
    clear();
  }
  if (!created) {
    await release();
    return { outcome: await use(false), created, removed: false };
  }
  try {
    // pip that cannot even start (its script's interpreter missing, say) installed nothing either.
    const outcome = await use(true).catch((error: unknown) => {
      removeVenv(path, env);
      if (!(error instanceof UserError) || error instanceof Interrupted) throw error;
      throw new UserError(
        `${error.message} Nothing was installed, and pip-guard removed the venv ${path} it had made.`,
        error.exitCode,
      );
    });
    const removed = !succeeded(outcome);
    if (removed) removeVenv(path, env);
    else remember(env, path, 'created');
    return { outcome, created, removed };
  } finally {
    await release();
  }
}
