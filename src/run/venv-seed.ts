// Seeding a new venv with pip the way virtualenv's app-data seeder does, instead of ensurepip
// (which runs pip to install pip, about 2 s): each wheel ensurepip would install is unpacked
// and compiled once per wheel and Python version into pip-guard's cache, then hard-linked into
// each new venv (copied across file systems), with the console scripts and a RECORD of the venv's
// own, so that its pip upgrades and uninstalls itself like one ensurepip installed. Hard links,
// not symlinks (virtualenv's --symlink-app-data): the venv holds the files themselves, so that it
// outlives the cache, and pip's uninstall (req_uninstall.py: StashedUninstallPathSet renames each
// file or directory away, then deletes it) removes the venv's links and never follows one into
// the cache. The venv's own files (INSTALLER, REQUESTED, RECORD) are written as new files.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Env } from '../base/env.js';
import { statOf } from '../base/files.js';
import { DIR_MODE, isOwn, ownCacheDir } from '../base/own-files.js';
import { capture } from '../base/process.js';
import { venvSitePackages } from '../facts/pip-version.js';
import { scriptHead } from '../facts/shebang.js';
import { scriptEntries } from '../pip-cli/entry-points.js';

// Unpacks the wheel and compiles it with the venv's Python (pyc names carry its version), and
// lists every file as pip's RECORD does: path,sha256=…,size (.pyc files without a hash). An
// installed pip's .dist-info instead (seed-wheels.ts) gives the files its RECORD lists beside it,
// less the scripts, the bytecode and what the installer wrote of its own. Its files are never
// writable by group or others, whatever the umask (own-files.ts).
const UNPACK = [
  'import base64, compileall, csv, hashlib, os, shutil, sys, zipfile',
  'os.umask(os.umask(0) | 0o022)',
  'wheel, site, record = sys.argv[1:4]',
  'if os.path.isdir(wheel):',
  '    top, name = os.path.split(wheel)',
  '    own = [name + "/" + n for n in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")]',
  '    for row in csv.reader(open(os.path.join(wheel, "RECORD"), newline="")):',
  '        rel = row[0] if row else ""',
  '        if not rel or rel.startswith("..") or os.path.isabs(rel) or rel.endswith(".pyc") or rel in own: continue',
  '        os.makedirs(os.path.dirname(os.path.join(site, rel)), exist_ok=True)',
  '        shutil.copyfile(os.path.join(top, rel), os.path.join(site, rel))',
  'else:',
  '    zipfile.ZipFile(wheel).extractall(site)',
  'compileall.compile_dir(site, quiet=2)',
  'lines = []',
  'for root, dirs, files in os.walk(site):',
  '    for name in files:',
  '        path = os.path.join(root, name)',
  '        rel = os.path.relpath(path, site).replace(os.sep, "/")',
  '        if rel.endswith(".pyc"):',
  '            lines.append(rel + ",,")',
  '        elif not rel.endswith(".dist-info/RECORD"):',
  '            data = open(path, "rb").read()',
  '            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()',
  '            lines.append("%s,sha256=%s,%d" % (rel, digest, len(data)))',
  'open(record, "w").write("\\n".join(sorted(lines)) + "\\n")',
].join('\n');

interface Unpacked {
  site: string;
  // The cache entry it is, if it is one.
  cache?: string;
  // Every directory under site (relative, parents first) and every file (RECORD's lines).
  dirs: string[];
  record: string[];
}

// Unpacks the wheel (or .dist-info) into DIR (which must not exist), with the venv's Python.
async function unpackInto(dir: string, wheel: string, python: string): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const result = await capture(
    python,
    ['-I', '-c', UNPACK, wheel, join(dir, 'site'), join(dir, 'record')],
    undefined,
    true,
  );
  if (result.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not unpack ${wheel}: ${result.stderr.trim()}`);
  }
}

// The directories under DIR (relative to TOP, parents first) if DIR and every one of them are this
// user's and nobody else may write them: the tree is linked into the venv, and a file of somebody
// else's in it (a .pth in site/) would run as this user. Its files can only be there by this
// user's hand then (checked by directory: a stat of each of the thousand files would cost a new
// venv tens of milliseconds).
function ownDirs(top: string, rel = ''): string[] | undefined {
  const dir = join(top, rel);
  const stat = statOf(dir, true);
  if (!isOwn(stat) || ((stat?.mode ?? 0) & 0o022) !== 0) return undefined;
  const dirs = [rel];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const under = ownDirs(top, rel ? `${rel}/${entry.name}` : entry.name);
    if (!under) return undefined;
    dirs.push(...under);
  }
  return dirs;
}

// The tree unpacked at DIR, if it is all this user's (see ownDirs) and complete.
function unpacked(dir: string): Unpacked | undefined {
  const all = ownDirs(dir);
  if (!all?.includes('site')) return undefined;
  const dirs = all.filter((d) => d === 'site' || d.startsWith('site/')).map((d) => d.slice('site/'.length));
  try {
    const record = readFileSync(join(dir, 'record'), 'utf8').split('\n').filter(Boolean);
    return { site: join(dir, 'site'), dirs, record };
  } catch {
    return undefined;
  }
}

// The wheel (or installed .dist-info), unpacked once into the cache (made in a temporary directory and renamed into place,
// so that a concurrent or interrupted unpacking never leaves a half one). Where the cache is not
// this user's, or that unpacked tree is not all theirs, it is unpacked for this venv alone into a
// private temporary directory, which `done` removes.
async function unpack(
  wheel: string,
  python: string,
  version: string,
  env: Env,
  done: Set<string>,
): Promise<Unpacked> {
  const stat = statSync(wheel);
  const stamp = createHash('sha256')
    .update(`${wheel}\0${stat.size}\0${stat.mtimeMs}`)
    .digest('hex')
    .slice(0, 12);
  const dir = ownCacheDir(env, 'seed', `python${version}`, `${basename(wheel, '.whl')}-${stamp}`);
  if (dir && !existsSync(join(dir, 'record'))) {
    const temp = `${dir}.${process.pid}.tmp`;
    rmSync(temp, { recursive: true, force: true });
    await unpackInto(temp, wheel, python);
    try {
      renameSync(temp, dir);
    } catch {
      // Another pip-guard unpacked it meanwhile.
      rmSync(temp, { recursive: true, force: true });
    }
  }
  const cached = dir ? unpacked(dir) : undefined;
  if (cached) return { ...cached, cache: dir };
  const own = mkdtempSync(join(tmpdir(), 'pip-guard-seed-'));
  done.add(own);
  await unpackInto(join(own, 'wheel'), wheel, python);
  return unpacked(join(own, 'wheel')) as Unpacked;
}

// The path in a RECORD line (path,hash,size; none of pip's or setuptools' paths has a comma).
const recordPath = (line: string) => line.slice(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1));

// Hard-links the unpacked tree into `to` (site-packages): its directories, then every file its
// RECORD lists; copies instead, keeping the mtime .pyc files are checked against, where a link
// cannot be made (another file system: from the first such file on; a file's link count at its
// maximum). The dist-info's RECORD is the venv's own, written apart (finishDist).
function linkTree(from: Unpacked, to: string): void {
  for (const dir of from.dirs) if (dir) mkdirSync(join(to, dir));
  let linking = true;
  for (const line of from.record) {
    const path = recordPath(line);
    const source = join(from.site, path);
    const target = join(to, path);
    try {
      if (!linking) throw new Error('copying');
      linkSync(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EXDEV') linking = false;
      copyFileSync(source, target);
      const { atime, mtime } = statSync(source);
      utimesSync(target, atime, mtime);
    }
  }
}

// [console_scripts] of an entry_points.txt: name → module:function (extras left off).
const consoleScripts = (text: string): [string, string][] =>
  scriptEntries(text).flatMap(({ name, value }) => {
    const m = /^([\w.]+)\s*:\s*([\w.]+)/.exec(value);
    return m ? [[name, `${m[1]}:${m[2]}`] as [string, string]] : [];
  });

// A console script as pip writes it (pip/_internal/operations/install/wheel.py, via distlib):
// the venv's python on its #! line, or sh re-executing it where the path has a space or that
// line would be too long (shebang.ts).
function script(python: string, entry: string): string {
  const [module, func] = entry.split(':') as [string, string];
  return (
    `${scriptHead(python)}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom ${module} import ${func.split('.')[0]}\n` +
    `if __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n` +
    `    sys.exit(${func}())\n`
  );
}

const recordLine = (path: string, text: string) => {
  const digest = createHash('sha256').update(text).digest('base64url');
  return `${path},sha256=${digest},${Buffer.byteLength(text)}`;
};

// pip's own scripts follow the venv's Python (pip, pip3, pip3.N), as pip's installer rewrites them.
function scriptsOf(distInfo: string, version: string): [string, string][] {
  const file = join(distInfo, 'entry_points.txt');
  const scripts = existsSync(file) ? consoleScripts(readFileSync(file, 'utf8')) : [];
  if (!basename(distInfo).startsWith('pip-')) return scripts;
  const main = scripts.find(([name]) => name === 'pip')?.[1] ?? 'pip._internal.cli.main:main';
  return ['pip', 'pip3', `pip${version}`].map((name) => [name, main]);
}

// Writes a file of the venv's own as a new file: were it a link into the cache, writing into it
// would change every venv's.
function writeApart(path: string, text: string): void {
  rmSync(path, { force: true });
  writeFileSync(path, text);
}

// The dist-info's files that are the venv's own: scripts, INSTALLER, REQUESTED, and RECORD.
function finishDist(
  venv: string,
  site: string,
  distInfo: string,
  record: string[],
  python: string,
  version: string,
): void {
  const name = basename(distInfo);
  const lines = record.filter(
    (line) => !line.startsWith(`${name}/INSTALLER,`) && !line.startsWith(`${name}/REQUESTED,`),
  );
  for (const [command, entry] of scriptsOf(join(site, name), version)) {
    const text = script(python, entry);
    writeFileSync(join(venv, 'bin', command), text, { mode: 0o755 });
    lines.push(recordLine(`../../../bin/${command}`, text));
  }
  writeApart(join(site, name, 'INSTALLER'), 'pip\n');
  writeApart(join(site, name, 'REQUESTED'), '');
  lines.push(
    recordLine(`${name}/INSTALLER`, 'pip\n'),
    recordLine(`${name}/REQUESTED`, ''),
    `${name}/RECORD,,`,
  );
  // pip writes RECORD with csv's line ends.
  writeApart(join(site, name, 'RECORD'), `${lines.join('\r\n')}\r\n`);
}

// The directories seeding writes into, made before `python -m venv` runs (which then finds them
// there), so that the seeding can overlap it: venv writes neither into site-packages nor pip's
// scripts.
export function makeSeedDirs(venv: string, version: string): void {
  mkdirSync(venvSitePackages(venv, version), { recursive: true });
  mkdirSync(join(venv, 'bin'), { recursive: true });
}

// Seeds the venv at `venv` (made with --without-pip by `python`, of `version`, or being made:
// makeSeedDirs) from `wheels`. A cached tree that cannot be linked from (a file of it deleted) is
// dropped, to be unpacked afresh next time.
export async function seedVenv(
  venv: string,
  python: string,
  version: string,
  wheels: readonly string[],
  env: Env,
) {
  const site = venvSitePackages(venv, version);
  const venvPython = join(venv, 'bin', basename(python));
  const temporary = new Set<string>();
  try {
    for (const wheel of wheels) {
      const from = await unpack(wheel, python, version, env, temporary);
      try {
        linkTree(from, site);
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        if (missing && from.cache) rmSync(from.cache, { recursive: true, force: true });
        throw error;
      }
      for (const dir of from.dirs.filter((name) => name.endsWith('.dist-info') && !name.includes('/')))
        finishDist(venv, site, join(site, dir), from.record, venvPython, version);
    }
  } finally {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  }
}

// The pip ensurepip put into a new venv, replaced by the real pip's own installed files (its
// .dist-info), where the seeding would have used them: that pip is newer than ensurepip's wheel
// (seed-wheels.ts). Its package and .dist-info go; its scripts are written again.
export async function replacePip(venv: string, python: string, version: string, distInfo: string, env: Env) {
  const site = join(venv, 'lib', `python${version}`, 'site-packages');
  for (const entry of readdirSync(site)) {
    if (entry === 'pip' || /^pip-[^-]+\.dist-info$/.test(entry))
      rmSync(join(site, entry), { recursive: true, force: true });
  }
  await seedVenv(venv, python, version, [distInfo], env);
}
