// The block `pip-guard setup --modify-path` adds to the user's shell rc file, and teardown takes
// out again byte for byte. Between marker lines (as conda's `# >>> conda initialize >>>`), once.
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { configHome, type Env, homeOf } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { pathDirs } from '../facts/path-search.js';
import { makeDirs, removeMadeDirs } from './install-dir.js';

export const BLOCK_START = '# >>> pip-guard >>>';
export const BLOCK_END = '# <<< pip-guard <<<';

export type Shell = 'bash' | 'zsh' | 'fish' | 'sh';

export interface RcRecord {
  file: string;
  // The exact text setup appended (a separator before the block included): teardown takes out
  // just that, so the file is byte for byte what it was.
  inserted: string;
  // Whether setup made the file (teardown removes it again once nothing else is in it), and the
  // directories it made for it.
  created: boolean;
  createdDirs: string[];
}

// The rc file an interactive shell of the user's ($SHELL) reads. For fish, a file of pip-guard's
// own in conf.d (what rustup and uv's installers write), so config.fish is never edited.
export function rcTarget(env: Env): { shell: Shell; file: string } {
  const name = basename(env.SHELL ?? '');
  const home = homeOf(env);
  if (name === 'bash') return { shell: name, file: join(home, '.bashrc') };
  if (name === 'zsh') return { shell: name, file: join(env.ZDOTDIR || home, '.zshrc') };
  if (name === 'fish')
    return { shell: name, file: join(configHome(env), 'fish', 'conf.d', 'pip-guard.fish') };
  return { shell: 'sh', file: join(home, '.profile') };
}

// DIR inside double quotes in SHELL's syntax, with $HOME kept symbolic.
function quotedDir(shell: Shell, dir: string, env: Env): string {
  const home = homeOf(env);
  const underHome = dir.startsWith(`${home}/`);
  const rest = underHome ? dir.slice(home.length) : dir;
  // Inside double quotes: fish takes \ " $ as special, POSIX shells ` too.
  const escaped = rest.replace(shell === 'fish' ? /[\\"$]/g : /[\\"$`]/g, '\\$&');
  return `"${underHome ? '$HOME' : ''}${escaped}"`;
}

// The line that puts DIR first on PATH in SHELL's syntax. fish's --path changes PATH itself, not
// the universal fish_user_paths that would outlive teardown.
export function pathLine(shell: Shell, dir: string, env: Env): string {
  const quoted = quotedDir(shell, dir, env);
  if (shell === 'fish') return `fish_add_path --path --move ${quoted}`;
  return `export PATH=${quoted.slice(0, -1)}:$PATH"`;
}

// The line that puts pipx's bin directory last on PATH where it is not on PATH yet, as `pipx
// ensurepath` does (Debian's ~/.profile adds ~/.local/bin only at a login, and only once it exists).
export function pipxPathLine(shell: Shell, dir: string, env: Env): string {
  const quoted = quotedDir(shell, dir, env);
  if (shell === 'fish') return `fish_add_path --path --append ${quoted}`;
  return `case ":$PATH:" in *:${quoted}:*) ;; *) export PATH="$PATH:${quoted.slice(1)} ;; esac`;
}

const hasPipxPathLine = (text: string) =>
  /^(?:case ":\$PATH:" in|fish_add_path --path --append) /m.test(text);

// What the functions of `pip-guard init` add to a shell: `python3 -m pip` through pip-guard, and
// with the prompt hook (--activate) each project's venv active while you are in it.
export type InitKind = 'functions' | 'hook';

// The line that defines the functions of `pip-guard init` in SHELL; sh has none (its functions
// cannot be named python3.11, and ~/.profile is read by login shells only).
// fish reads conf.d in every fish process, scripts too: the functions are for interactive ones.
export function initLine(shell: Shell, kind: InitKind = 'functions'): string | undefined {
  const flag = kind === 'hook' ? ' --activate' : '';
  if (shell === 'fish') return `status is-interactive; and pip-guard init fish${flag} | source`;
  return shell === 'sh' ? undefined : `eval "$(pip-guard init ${shell}${flag})"`;
}

export const hasInitLine = (text: string) => /pip-guard init (?:bash|zsh|fish)\b/.test(text);
export const hasHookLine = (text: string) => /pip-guard init (?:bash|zsh|fish) --activate\b/.test(text);

// What goes into the block besides the shims' PATH line.
export interface BlockContent {
  init?: InitKind;
  // pipx's bin directory, when it is to be put on PATH.
  pipxBin?: string;
}

// The block's lines: the PATH line, pipx's bin directory, and the init line after them (which
// finds pip-guard through that PATH).
const blockLines = (shell: Shell, dir: string, env: Env, content: BlockContent) => [
  pathLine(shell, dir, env),
  ...(content.pipxBin ? [pipxPathLine(shell, content.pipxBin, env)] : []),
  ...(content.init ? [initLine(shell, content.init) ?? ''] : []),
];

export const renderBlock = (lines: readonly string[]) =>
  [
    BLOCK_START,
    '# Added by `pip-guard setup --modify-path`; `pip-guard teardown` takes it out again.',
    ...lines,
    BLOCK_END,
  ]
    .map((line) => `${line}\n`)
    .join('');

// What to append to a file holding CONTENT (undefined: no file) so that BLOCK ends it, after a
// blank line.
export function insertionFor(content: string | undefined, block: string): string {
  if (!content) return block;
  return `${content.endsWith('\n') ? '' : '\n'}\n${block}`;
}

// Where a pip-guard block (marker line to marker line) sits in CONTENT.
export function findBlock(content: string): { start: number; end: number } | undefined {
  const match = /^# >>> pip-guard >>>\n[\s\S]*?^# <<< pip-guard <<<(?:\n|$)/m.exec(content);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

// CONTENT without what setup INSERTED; when that was edited since, without the marker lines and
// all between them. Undefined when no block is left to take out.
export function withoutBlock(content: string, inserted: string): string | undefined {
  const at = content.lastIndexOf(inserted);
  if (at !== -1) return content.slice(0, at) + content.slice(at + inserted.length);
  const block = findBlock(content);
  return block && content.slice(0, block.start) + content.slice(block.end);
}

// The rc file's text, or undefined when there is none yet.
function readRc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`cannot read ${file} (${code}): fix its permissions, or leave out --modify-path.`);
  }
}

// What --modify-path does to the rc file, decided before setup writes anything: keep the block
// that is there (this setup's, or an identical one it did not write and will not remove), or
// write it (replacing this setup's own when its lines changed).
export type RcEdit =
  | { kind: 'keep'; file: string; record: RcRecord | undefined }
  | { kind: 'write'; file: string; content: string | undefined; block: string; replacing?: RcRecord };

export function planRcEdit(
  env: Env,
  dir: string,
  records: readonly RcRecord[],
  lines: BlockContent = {},
): RcEdit {
  if (dir.includes(':')) {
    throw new UserError(
      `${dir} has a ":" in its name, which PATH cannot hold: choose another directory with --dir.`,
    );
  }
  const { shell, file } = rcTarget(env);
  const content = readRc(file);
  if (lines.init && !initLine(shell)) {
    const flag = lines.init === 'hook' ? '--activate' : '--python-m-pip';
    throw new UserError(
      `${flag} defines shell functions for bash, zsh or fish, and $SHELL (${env.SHELL || 'unset'}) is none of them: set SHELL to the shell you use, or leave out ${flag}.`,
    );
  }
  const block = renderBlock(blockLines(shell, dir, env, lines));
  const recorded = records.find((record) => record.file === file && content?.includes(record.inserted));
  if (recorded) {
    if (recorded.inserted.endsWith(block)) return { kind: 'keep', file, record: recorded };
    return { kind: 'write', file, content, block, replacing: recorded };
  }
  const found = content === undefined ? undefined : findBlock(content);
  if (!found) return { kind: 'write', file, content, block };
  if (content?.slice(found.start, found.end) === block) return { kind: 'keep', file, record: undefined };
  throw new UserError(
    `${file} already has a pip-guard block (the lines from "${BLOCK_START}" to "${BLOCK_END}") that this setup did not write: run \`pip-guard teardown\` with the --dir of the setup that wrote it, or delete those lines yourself, then run setup --modify-path again.`,
  );
}

// Carries out the edit; returns what teardown needs to undo it (nothing for a block it did not write).
export function applyRcEdit(edit: RcEdit): RcRecord | undefined {
  if (edit.kind === 'keep') return edit.record;
  try {
    return writeBlock(edit);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot write ${edit.file} (${code}): fix its permissions, or leave out --modify-path.`,
    );
  }
}

function writeBlock(edit: Extract<RcEdit, { kind: 'write' }>): RcRecord {
  const { file, content, block, replacing } = edit;
  if (replacing && content !== undefined) {
    const rest = withoutBlock(content, replacing.inserted) ?? content;
    const inserted = insertionFor(rest, block);
    writeFileSync(file, rest + inserted);
    return { ...replacing, inserted };
  }
  const createdDirs = makeDirs(dirname(file));
  const inserted = insertionFor(content, block);
  // A new rc file is the user's, never writable by others whatever the umask.
  appendFileSync(file, inserted, { mode: 0o644 });
  return { file, inserted, created: content === undefined, createdDirs };
}

// Takes out of a recorded rc file what setup put in (the file, and its directories, when setup
// made them and nothing else is in them); says what it did.
export function undoRcEdit(record: RcRecord): string {
  const content = readRc(record.file);
  const rest = content === undefined ? undefined : withoutBlock(content, record.inserted);
  if (rest === undefined) return `${record.file} has no pip-guard block any more; left it as it is`;
  if (rest === '' && record.created) {
    rmSync(record.file);
    removeMadeDirs(record.createdDirs);
    return `removed ${record.file}, which setup had made`;
  }
  writeFileSync(record.file, rest);
  const lines = hasPipxPathLine(record.inserted) ? 'PATH lines' : 'PATH line';
  return `took the ${lines}${hasInitLine(record.inserted) ? ' and the init line' : ''} out of ${record.file}`;
}

// ~/… for a path under HOME, as people write it.
export const shown = (path: string, env: Env) => {
  const home = homeOf(env);
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
};

// Whether DIR comes before every other pip on PATH.
export function isAheadOnPath(dir: string, env: Env): boolean {
  const dirs = pathDirs(env).map((d) => resolve(d));
  const at = dirs.indexOf(dir);
  const firstPip = dirs.findIndex((d) => d !== dir && existsSync(join(d, 'pip')));
  return at !== -1 && (firstPip === -1 || at < firstPip);
}

// The line for the shell's rc file, unless DIR already comes before every other pip on PATH.
export function pathAdvice(dir: string, env: Env): string | undefined {
  return isAheadOnPath(dir, env) ? undefined : rcLineAdvice(dir, env);
}

// The line that puts DIR first on PATH, and the rc file it goes into.
export function rcLineAdvice(dir: string, env: Env): string {
  const { shell, file } = rcTarget(env);
  return `${pathLine(shell, dir, env)}   # add this line to ${shown(file, env)}, then open a new shell`;
}
