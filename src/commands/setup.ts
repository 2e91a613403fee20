// pip-guard setup [--dir DIR] [--modify-path] [--system]: write the pip shims and pip-guard itself,
// idempotently, and put them on PATH (or say how).
import { existsSync, lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { fileWriteProblem, replaceFile, writeProblem } from '../base/files.js';
import { VERSION } from '../base/version.js';
import { pathDirs } from '../facts/path-search.js';
import { pipxFacts } from '../facts/pipx-installed.js';
import { applyCiPath, ciPathProblem, planCiPath } from '../install/ci-path.js';
import { makeDirs } from '../install/install-dir.js';
import {
  applyRcEdit,
  BLOCK_END,
  BLOCK_START,
  type BlockContent,
  hasHookLine,
  hasInitLine,
  type InitKind,
  initLine,
  isAheadOnPath,
  pathAdvice,
  pathLine,
  pipxPathLine,
  planRcEdit,
  type RcEdit,
  rcTarget,
  shown,
} from '../install/rc-file.js';
import {
  installSelf,
  isFromNpm,
  isNpmLink,
  isOwnSelf,
  type Running,
  runningAs,
  SELF_NAME,
  shimCommand,
} from '../install/self-install.js';
import {
  commandShimsIn,
  createdDirsOf,
  defaultShimDir,
  isShim,
  type Manifest,
  pythonShimNames,
  readManifest,
  renderCommandShim,
  renderPythonShim,
  renderShim,
  shimDirArg,
  shimNames,
  writeManifest,
} from '../install/shims.js';
import { checkUsableByAll, requireRoot, SYSTEM_DIR } from '../install/system-install.js';

export const command = 'setup';
export const describe =
  'Write the pip, pip3 and pip3.N shims and pip-guard itself (default dir: $XDG_DATA_HOME/pip-guard/bin)';

export const builder = (y: Argv) =>
  y
    .option('dir', { type: 'string', describe: 'Directory to write the shims and pip-guard into' })
    .option('modify-path', {
      type: 'boolean',
      describe: "Add the line that puts DIR on PATH to your shell's rc file (once, between marker comments)",
    })
    .option('python-m-pip', {
      type: 'boolean',
      describe:
        'With --modify-path, also add `eval "$(pip-guard init SHELL)"`, so that `python3 -m pip` is guarded too (kept by later setups until --no-python-m-pip)',
    })
    .option('activate', {
      type: 'boolean',
      describe:
        'With --modify-path, add `eval "$(pip-guard init SHELL --activate)"`: those functions and a prompt hook that keeps each project\'s venv active while you are in it (kept by later setups until --no-activate)',
    })
    .option('python', {
      type: 'boolean',
      describe:
        "Also write python, python3 and python3.N shims (the default): inside a project, scripts, Makefiles and CI run the project's venv (--no-python removes them, kept by later setups until --python)",
    })
    .option('system', {
      type: 'boolean',
      describe: `For every user and for sudo: write into ${SYSTEM_DIR} (root only)`,
    })
    .example('$0 setup', 'shims and pip-guard in ~/.local/share/pip-guard/bin; prints the PATH line')
    .example(
      '$0 setup --modify-path',
      "the same, and adds the PATH line to ~/.bashrc (or your shell's rc file)",
    )
    .example(
      '$0 setup --modify-path --python-m-pip',
      'and the line that guards `python3 -m pip` (pip-guard init)',
    )
    .example('$0 setup --modify-path --activate', "and the line that makes each project's venv active in it")
    .example(`sudo $0 setup --system`, `shims and pip-guard in ${SYSTEM_DIR}, for every user and sudo`);

interface SetupArgs {
  dir?: string;
  modifyPath?: boolean;
  pythonMPip?: boolean;
  activate?: boolean;
  python?: boolean;
  system?: boolean;
}

// Everything that would stop setup, before it writes anything: a file of somebody else's where a
// shim or pip-guard goes, or an rc file it cannot edit.
function checkBeforeWriting(dir: string, names: string[], before: Manifest | undefined, running: Running) {
  for (const name of names) {
    const file = join(dir, name);
    if (existsSync(file) && !isShim(file)) {
      throw new UserError(
        `${file} exists and is not a pip-guard shim: move it away, or choose another directory with --dir.`,
      );
    }
  }
  const self = join(dir, SELF_NAME);
  const ours = () => isOwnSelf(self, before?.self, running) || (isFromNpm(running) && isNpmLink(self));
  if (lstatSync(self, { throwIfNoEntry: false }) && !ours()) {
    throw new UserError(
      `${self} exists and is not pip-guard's own copy or launcher: move it away, or choose another directory with --dir.`,
    );
  }
}

// Writes the shims whose text changed, and removes those an earlier setup wrote for a pip3.N
// that is gone now (or python shims, --no-python). Returns the names written and removed.
function writeShims(dir: string, shims: Map<string, string>, before: Manifest | undefined) {
  const written: string[] = [];
  for (const [name, text] of shims) {
    const file = join(dir, name);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    replaceFile(file, (temporary) => writeFileSync(temporary, text), 0o755);
    written.push(name);
  }
  const removed = (before?.names ?? []).filter((name) => !shims.has(name) && isShim(join(dir, name)));
  for (const stale of removed) rmSync(join(dir, stale));
  return { written, removed };
}

// The python shims to write: python, python3 and python3.N where PATH has them besides pip-guard's
// shims, unless --no-python (or an earlier setup's, until --python); a name whose file in DIR is
// somebody else's (a Python of its own in /usr/local/bin) is left to it.
function pythonShims(dir: string, args: SetupArgs, before: Manifest | undefined, env: Env) {
  const wanted = args.python ?? before?.python ?? true;
  const names = wanted ? pythonShimNames(env) : [];
  const theirs = names.filter((name) => existsSync(join(dir, name)) && !isShim(join(dir, name)));
  return { wanted, names: names.filter((name) => !theirs.includes(name)), theirs };
}

export async function handler(args: SetupArgs): Promise<number> {
  const env = process.env;
  const running = runningAs();
  const dir = shimDirArg(args.dir, args.system ? SYSTEM_DIR : defaultShimDir(env), 'to write the shims into');
  if (args.system) {
    requireRoot('setup', dir, running);
    if (args.modifyPath) {
      throw new UserError(
        `--modify-path edits your own shell's rc file, and --system writes ${dir} for every user: leave out one of them.`,
      );
    }
    checkUsableByAll(dir, running);
  }
  const unwritable = writeProblem(dir);
  if (unwritable) {
    throw new UserError(
      `pip-guard cannot write ${dir} (${unwritable}), where setup puts the shims and pip-guard, so it wrote nothing. ` +
        'Choose a directory you may write with --dir, or make this one writable, and run setup again.',
    );
  }
  const names = shimNames(env);
  const before = readManifest(dir);
  checkBeforeWriting(dir, names, before, running);
  const python = pythonShims(dir, args, before, env);
  const content = args.modifyPath ? blockContent(args, before, env) : {};
  const rcEdit = args.modifyPath ? planRcEdit(env, dir, before?.rcFiles ?? [], content) : undefined;
  const rcUnwritable = rcEdit?.kind === 'write' ? fileWriteProblem(rcEdit.file) : undefined;
  if (rcEdit && rcUnwritable) {
    throw new UserError(
      `pip-guard cannot add the PATH line to ${rcEdit.file} (${rcUnwritable}), so setup wrote nothing: ` +
        'make it writable, or leave out --modify-path and add the line yourself, and run setup again.',
    );
  }

  const ci = planCiPath(env, dir, pipxFacts(env).binDir);
  const ciUnwritable = ci && ciPathProblem(ci);
  if (ci && ciUnwritable) {
    throw new UserError(
      `pip-guard cannot add its directory to ${ci.file} (GITHUB_PATH: ${ciUnwritable}), so setup wrote nothing: ` +
        'later steps would not find the shims. Run setup in a step of the job itself, or unset GITHUB_ACTIONS, and run it again.',
    );
  }

  const createdDirs = [...createdDirsOf(before, dir), ...makeDirs(dir, args.system ? 0o755 : undefined)];
  const self = installSelf(dir, running, VERSION, before?.self);
  const pipShim = renderShim(VERSION, shimCommand(running, dir), running.kind === 'bundle');
  const shims = new Map([
    ...names.map((name) => [name, pipShim] as const),
    ...python.names.map((name) => [name, renderPythonShim(VERSION)] as const),
  ]);
  const { written, removed } = writeShims(dir, shims, before);
  // The commands' shims of an earlier pip-guard are brought up to this one (--no-python: removed).
  for (const name of commandShimsIn(dir)) {
    const text = renderCommandShim(VERSION);
    if (python.wanted && readFileSync(join(dir, name), 'utf8') !== text)
      replaceFile(join(dir, name), (temporary) => writeFileSync(temporary, text), 0o755);
    else if (!python.wanted) {
      rmSync(join(dir, name));
      removed.push(name);
    }
  }
  const rcRecord = rcEdit && applyRcEdit(rcEdit);
  const rcFiles = (before?.rcFiles ?? []).filter((record) => record.file !== rcEdit?.file);
  if (rcRecord) rcFiles.push(rcRecord);
  const all = [...shims.keys()];
  const manifest = { version: VERSION, names: all, self: self.record, createdDirs, rcFiles };
  writeManifest(dir, python.wanted ? manifest : { ...manifest, python: false });

  const changed = [...(self.written ? [SELF_NAME] : []), ...written];
  console.log(
    changed.length > 0
      ? `pip-guard: wrote ${changed.join(', ')} to ${dir}`
      : `pip-guard: ${dir} is up to date (${[SELF_NAME, ...all].join(', ')})`,
  );
  if (removed.length > 0) console.log(`pip-guard: removed ${removed.join(', ')} from ${dir}`);
  for (const name of python.theirs) {
    console.log(`pip-guard: left out the ${name} shim: ${join(dir, name)} is not pip-guard's`);
  }
  if (ci) {
    applyCiPath(ci);
    const what = `${dir} and pipx's ${ci.add[0] ?? pipxFacts(env).binDir}`;
    console.log(
      ci.add.length > 0
        ? `pip-guard: added ${what} to GITHUB_PATH (${ci.file}): every later step of this job has them first on PATH`
        : `pip-guard: GITHUB_PATH (${ci.file}) already puts ${what} first on PATH for the later steps of this job`,
    );
  }
  if (rcEdit) reportRcEdit(dir, env, rcEdit, content);
  else if (!ci) reportPath(dir, env, Boolean(args.system));
  if ((args.pythonMPip || args.activate) && !rcEdit) reportInit(env, args.activate ? 'hook' : 'functions');
  return 0;
}

// What the block holds besides the PATH line. --python-m-pip and --activate stay as the last
// --modify-path left them unless given (--no-… takes them out); pipx's bin directory goes in
// where it is not on PATH, and stays once it is in (this block is what puts it on PATH then).
function blockContent(args: SetupArgs, before: Manifest | undefined, env: Env): BlockContent {
  const records = (before?.rcFiles ?? []).filter((record) => record.file === rcTarget(env).file);
  const had = (test: (text: string) => boolean) =>
    records.some((record) => test(record.inserted)) && initLine(rcTarget(env).shell) !== undefined;
  if (args.activate && args.pythonMPip === false) {
    throw new UserError(
      '--activate adds the functions of --python-m-pip and a prompt hook to them: leave out --no-python-m-pip, or --activate.',
    );
  }
  const hook = args.activate ?? (args.pythonMPip === false ? false : had(hasHookLine));
  // --no-activate takes the whole init line out, unless the functions alone were asked for.
  const plain = had((text) => hasInitLine(text) && !hasHookLine(text));
  const functions = hook || (args.pythonMPip ?? (args.activate === false ? plain : had(hasInitLine)));
  const { shell } = rcTarget(env);
  const pipxBin = pipxFacts(env).binDir;
  const recordedPipx = records.some((record) => record.inserted.includes(pipxPathLine(shell, pipxBin, env)));
  const onPath = pathDirs(env).some((d) => resolve(d) === pipxBin);
  return {
    init: hook ? 'hook' : functions ? 'functions' : undefined,
    pipxBin: recordedPipx || !onPath ? pipxBin : undefined,
  };
}

// What --modify-path did to the rc file, and what to run in this shell for the same effect.
function reportRcEdit(dir: string, env: Env, rcEdit: RcEdit, content: BlockContent): void {
  const file = shown(rcEdit.file, env);
  const { shell } = rcTarget(env);
  const onPath = (d: string) => pathDirs(env).some((entry) => resolve(entry) === d);
  const dirs = [dir, ...(content.pipxBin ? [`pipx's ${shown(content.pipxBin, env)}`] : [])].join(' and ');
  const functions =
    content.init === 'hook'
      ? "the functions that guard `python3 -m pip` and keep each project's venv active (pip-guard init --activate)"
      : 'the functions that guard `python3 -m pip` (pip-guard init)';
  const now = [
    ...(isAheadOnPath(dir, env) ? [] : [pathLine(shell, dir, env)]),
    ...(content.pipxBin && !onPath(content.pipxBin) ? [pipxPathLine(shell, content.pipxBin, env)] : []),
    ...(content.init ? [initLine(shell, content.init)] : []),
  ];
  const inThisShell = now.length > 0 ? `; in this shell, run: ${now.join('; ')}` : '';
  const defines = content.init ? ` and defines ${functions}` : '';
  if (rcEdit.kind === 'keep') {
    console.log(`pip-guard: ${file} already puts ${dirs} on PATH${defines}${inThisShell}`);
  } else if (rcEdit.replacing) {
    // What this shell already has of the old block stays until it ends.
    console.log(
      `pip-guard: the pip-guard block in ${file} now puts ${dirs} on PATH${defines}, for new shells (open one for the change to take effect)`,
    );
  } else {
    console.log(
      `pip-guard: added ${dirs} to PATH${content.init ? `, and ${functions},` : ''} in ${file}, between "${BLOCK_START}" and "${BLOCK_END}", for new shells${inThisShell}`,
    );
  }
}

// --python-m-pip or --activate without --modify-path: the line to add by hand.
function reportInit(env: Env, kind: InitKind): void {
  const { shell, file } = rcTarget(env);
  const line = initLine(shell, kind) ?? (initLine('bash', kind) as string);
  const where = initLine(shell)
    ? shown(file, env)
    : 'the rc file of bash, zsh or fish (`pip-guard init zsh`, `init fish`)';
  const what =
    kind === 'hook'
      ? "to guard `python3 -m pip` too, and have each project's venv active while you are in it"
      : 'to guard `python3 -m pip` too';
  console.log(`pip-guard: ${what}, add this line to ${where}, after the PATH line:\n  ${line}`);
}

// Where DIR stands on PATH, without --modify-path: what is left to do.
function reportPath(dir: string, env: Env, system: boolean): void {
  const ahead = isAheadOnPath(dir, env);
  if (ahead) return;
  if (system) {
    console.log(
      `pip-guard: ${dir} is not ahead of pip on this PATH: every user needs it there, and sudo too`,
    );
    return;
  }
  const advice = pathAdvice(dir, env);
  const again = `${join(dir, SELF_NAME)} setup --modify-path`;
  console.log(
    `pip-guard: ${dir} is not ahead of pip on PATH yet; to finish:\n  ${advice}\n  (or let \`${again}\` add it)`,
  );
}
