// A new venv's own files (pyvenv.cfg, bin/python*, the activate scripts, the empty lib/…/
// site-packages) written from a template instead of by `python -m venv --without-pip`, whose
// 30 ms are mostly Python's start and the venv module's imports. The template is what that
// command wrote at a path in pip-guard's cache, kept only once it is proved to be venv's output
// for any path alike: a second venv, made at a path of another length, must be equal to the first
// with the one path replaced by the other (venv writes it into pyvenv.cfg and the activate
// scripts). It is used only where that replacement is all venv would do: a path of characters no
// shell quotes (venv quotes the others, python/cpython#124651), of the template's last name (the
// prompt), with the umask it was made under, while the interpreter and the venv module are the
// files they were. Anything else, or any doubt, and `python -m venv` runs as before.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Env } from '../base/env.js';
import { DIR_MODE, ownCacheDir, readOwnJson, writeOwnFile } from '../base/own-files.js';
import { capture } from '../base/process.js';

interface Entry {
  path: string;
  // d: a directory, f: a file (its bytes in base64), l: a symlink (to `data`).
  kind: 'd' | 'f' | 'l';
  mode: number;
  data?: string;
}

interface Template {
  // Where it was made, which each venv's own path replaces.
  root: string;
  // The interpreter's and the venv module's files, as they were (stampOf).
  stamp: string;
  entries: Entry[];
}

// shlex.quote's characters that need no quoting: venv writes such a path as it is (absolute and
// normal, as venv's os.path.abspath makes it).
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const plain = (path: string) => SAFE.test(path) && resolve(path) === path;

// The umask, read by setting it (Node has no other way that is not deprecated).
function umask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}

// Where the template of `python`'s venvs named NAME, under this umask, is kept; undefined where the
// cache is not this user's or its path is not plain.
function templateFile(env: Env, python: string, name: string): string | undefined {
  const dir = ownCacheDir(env, 'venv-templates');
  const key = createHash('sha256').update(`${python}\0${name}\0${umask()}`).digest('hex').slice(0, 16);
  return dir && plain(dir) ? join(dir, `${key}.json`) : undefined;
}

// A file's identity and state, for a stamp.
const stampLine = (file: string) => {
  const stat = statSync(file);
  return `${file}\0${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
};

// The files whose change may change what venv writes: the interpreter, and the venv module of its
// standard library (PREFIX/lib/pythonX.Y/venv for a `home` of PREFIX/bin, as the pyvenv.cfg of
// the venv MADE says; its bytecode left out); undefined where that module is not there.
function stampOf(python: string, made: string): string | undefined {
  try {
    const config = readFileSync(join(made, 'pyvenv.cfg'), 'utf8');
    const home = /^home = (.+)$/m.exec(config)?.[1];
    const version = /^version = (\d+\.\d+)/m.exec(config)?.[1];
    if (!home || !version) return undefined;
    const module = join(dirname(home), 'lib', `python${version}`, 'venv');
    const files = readdirSync(module, { recursive: true, encoding: 'utf8' })
      .filter((file) => !file.includes('__pycache__'))
      .sort()
      .map((file) => join(module, file));
    return files.length > 0 ? [python, ...files].map(stampLine).join('\n') : undefined;
  } catch {
    return undefined;
  }
}

// The same files' stamp as they are now.
function stampNow(stamp: string): string | undefined {
  try {
    return stamp
      .split('\n')
      .map((line) => stampLine(line.slice(0, line.indexOf('\0'))))
      .join('\n');
  } catch {
    return undefined;
  }
}

// Every entry under ROOT, parents first, in the order of their names.
function entriesOf(root: string, rel = ''): Entry[] {
  return readdirSync(join(root, rel))
    .sort()
    .flatMap((name) => {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(root, path);
      const stat = lstatSync(full);
      const mode = stat.mode & 0o7777;
      if (stat.isSymbolicLink()) return [{ path, kind: 'l', mode, data: readlinkSync(full) } as Entry];
      if (stat.isDirectory()) return [{ path, kind: 'd', mode } as Entry, ...entriesOf(root, path)];
      return [{ path, kind: 'f', mode, data: readFileSync(full).toString('base64') } as Entry];
    });
}

// The entries with the path FROM replaced by TO, wherever it appears.
const moved = (entries: Entry[], from: string, to: string): Entry[] =>
  entries.map((entry) => {
    if (entry.kind === 'd' || entry.data === undefined) return entry;
    const text = entry.kind === 'l' ? entry.data : Buffer.from(entry.data, 'base64').toString('latin1');
    const data = text.split(from).join(to);
    return { ...entry, data: entry.kind === 'l' ? data : Buffer.from(data, 'latin1').toString('base64') };
  });

// The valid template for a venv of `python` at PATH, if there is one.
function templateFor(env: Env, python: string, path: string): Template | undefined {
  const file = plain(path) ? templateFile(env, python, basename(path)) : undefined;
  const template = file ? readOwnJson<Partial<Template>>(file) : undefined;
  const { root, stamp, entries } = template ?? {};
  if (typeof root !== 'string' || typeof stamp !== 'string' || !Array.isArray(entries)) return undefined;
  // Only paths inside the venv (the file is this user's own, but is read as data).
  if (
    !entries.every(
      (entry) =>
        typeof entry?.path === 'string' &&
        !entry.path.split('/').some((part) => ['', '.', '..'].includes(part)),
    )
  )
    return undefined;
  const current = stamp.startsWith(`${python}\0`) && stampNow(stamp) === stamp;
  return current ? { root, stamp, entries } : undefined;
}

// Writes the venv at PATH (an empty directory pip-guard made) from its template, if it has a
// valid one; says whether it did.
export function writeFromTemplate(env: Env, python: string, path: string): boolean {
  const template = templateFor(env, python, path);
  if (!template) return false;
  for (const entry of moved(template.entries, template.root, path)) {
    const target = join(path, entry.path);
    if (entry.kind === 'd') mkdirSync(target, { mode: entry.mode });
    else if (entry.kind === 'l') symlinkSync(entry.data as string, target);
    else writeFileSync(target, Buffer.from(entry.data as string, 'base64'), { mode: entry.mode });
    if (entry.kind !== 'l') chmodSync(target, entry.mode);
  }
  return true;
}

// Makes the template for `python`'s venvs named like PATH, where a venv there could use one and
// there is none yet: two venvs in the cache, kept as the template only if they agree.
export async function makeTemplate(env: Env, python: string, path: string): Promise<void> {
  const file = plain(path) ? templateFile(env, python, basename(path)) : undefined;
  if (!file || templateFor(env, python, path)) return;
  const work = `${file}.${process.pid}.tmp`;
  const [a, b] = [join(work, 'a', basename(path)), join(work, 'bb', basename(path))];
  try {
    // Private while venv writes there under the user's umask (which may let others write).
    mkdirSync(dirname(file), { recursive: true, mode: DIR_MODE });
    mkdirSync(work, { mode: 0o700 });
    chmodSync(work, 0o700);
    mkdirSync(dirname(a));
    mkdirSync(dirname(b));
    // Tied to pip-guard's life, as the venv it is made beside (a kill -9 leaves no venv running).
    const venv = (at: string) => capture(python, ['-m', 'venv', '--without-pip', at], undefined, true);
    const made = await Promise.all([a, b].map(venv));
    const stamp = stampOf(python, a);
    if (made.some((result) => result.code !== 0) || !stamp) return;
    const entries = entriesOf(a);
    if (JSON.stringify(moved(entries, a, b)) !== JSON.stringify(entriesOf(b))) return;
    writeOwnFile(file, JSON.stringify({ root: a, stamp, entries } satisfies Template));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
