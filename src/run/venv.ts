// Making a venv, for the install that needs it: once, under a lock (two `pip install`s at once
// must not race `python -m venv`), recorded in pip-guard's state (venv-registry.ts) from the
// moment pip-guard makes the directory, so that an interrupted creation is recognisably
// pip-guard's own: the only kind of directory pip-guard ever removes. The first install runs
// under the same lock, so that when it fails or is interrupted the venv this call made goes
// again without pulling it from under another pip-guard's install.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../base/env.js';
import { Interrupted, say, UserError } from '../base/errors.js';
import { fileInTheWay, whyNot } from '../base/files.js';
import { capture, type Outcome, startCapture, succeeded } from '../base/process.js';
import { interruption } from '../base/signals.js';
import { isTerminal } from '../base/terminal.js';
import { venvState } from '../facts/project.js';
import { provenanceOf } from '../facts/venv-registry.js';
import { lockFor } from './lock.js';
import { forget, remember } from './venv-records.js';
import { makeSeedDirs, replacePip, seedVenv } from './venv-seed.js';
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

function venvFailure(path: string, python: string, output: string, left: string | undefined): UserError {
  const fix = /ensurepip|python3-venv/.test(output)
    ? `install the venv module (Debian/Ubuntu: \`apt install python3-venv\`) and run pip again`
    : 'fix the problem above and run pip again';
  const removed = left
    ? `pip-guard could not remove the partial venv (${left}; the next install makes it again)`
    : 'pip-guard removed the partial venv';
  return new UserError(
    `\`${python} -m venv ${path}\` failed, so nothing was installed and ${removed}: ${fix}.` +
      (output ? `\n${output}` : ''),
  );
}

// Removes a venv this call made, and pip-guard's record of it; or says why it could not (then
// the record stays, and the next install removes it and makes it again).
function removeVenv(path: string, env: Env): string | undefined {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (error) {
    // Node names the file that would not go; Bun the venv.
    const at = (error as NodeJS.ErrnoException).path ?? path;
    return at === path ? whyNot(error, at) : `${at}: ${whyNot(error, at)}`;
  }
  forget(env, path);
  return undefined;
}

// What the venv this call made and could not remove means for the user, as one paragraph.
const leftBehind = (path: string, why: string) =>
  `pip-guard could not remove the venv ${path} it had made for this install (${why}): the next install makes it again, or remove it yourself.`;

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
// the slow way, ensurepip's, with the same pip in the end.
async function runVenv(path: string, maker: VenvMaker, env: Env) {
  const { python, version, seedWheels } = maker;
  if (version && seedWheels) {
    const made = await seededVenv(path, { python, version, seedWheels }, env);
    if (made) return made;
    emptyDirectory(path);
  }
  const made = await capture(python, ['-m', 'venv', path], undefined, true);
  // ensurepip installed its wheel's pip: where the seeding would have used the real pip's own
  // files instead (that pip is newer, seed-wheels.ts: the one source that is no wheel), so does this.
  const newer = seedWheels?.find((source) => !source.endsWith('.whl'));
  if (made.code === 0 && !interruption() && version && newer)
    await replacePip(path, python, version, newer, env);
  return made;
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
  const stuck = state.kind === 'incomplete' ? removeVenv(path, env) : undefined;
  if (stuck) {
    throw new UserError(
      `pip-guard cannot remove ${path}, its own unfinished venv, to make it again (${stuck}), so nothing was installed: remove it yourself, and run pip again.`,
    );
  }
  makeDirectory(path, env);
  const result = await runVenv(path, maker, env).catch((error: Error) => ({
    code: undefined,
    stdout: '',
    stderr: error.message,
  }));
  const signal = interruption();
  // Judged by what is there (pip-guard's own record still says `creating`).
  if (signal || result.code !== 0 || venvState(path).kind !== 'valid') {
    const left = removeVenv(path, env);
    if (signal)
      throw new Interrupted(
        `interrupted while making the venv ${path}: ${left ? `pip-guard could not remove it (${left}; the next install makes it again)` : 'pip-guard removed it'}, and nothing was installed`,
        signal,
      );
    throw venvFailure(path, python, `${result.stdout}\n${result.stderr}`.trim(), left);
  }
  ignoreInGit(path, env);
  return true;
}

// As uv and Python 3.13's venv do: a venv inside a repository is never committed by accident.
// A venv without it is none pip-guard hands over: it goes again.
function ignoreInGit(path: string, env: Env): void {
  const file = join(path, '.gitignore');
  try {
    writeFileSync(file, '# Created by pip-guard: a venv is not for version control\n*\n', { mode: 0o644 });
  } catch (error) {
    const left = removeVenv(path, env);
    throw new UserError(
      `pip-guard cannot write ${file} (${whyNot(error, file)}), which keeps the new venv out of version control, so ` +
        (left
          ? `nothing was installed. ${leftBehind(path, left)}`
          : `it removed the venv ${path} it had made, and nothing was installed: remove what is in the way, and run pip again.`),
    );
  }
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
      const left = removeVenv(path, env);
      if (!(error instanceof UserError) || error instanceof Interrupted) throw error;
      const removed = left ? leftBehind(path, left) : `pip-guard removed the venv ${path} it had made.`;
      throw new UserError(`${error.message} Nothing was installed, and ${removed}`, error.exitCode);
    });
    if (succeeded(outcome)) {
      remember(env, path, 'created');
      return { outcome, created, removed: false };
    }
    // Said before the notice, whose last words are then true: the venv was not removed.
    const left = removeVenv(path, env);
    if (left) say(leftBehind(path, left));
    return { outcome, created, removed: !left };
  } finally {
    await release();
  }
}
