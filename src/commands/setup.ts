// pip-guard setup [--dir DIR]: write the pip shims, idempotently, and say how to put them on PATH.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { dataDir, type Env, homeOf } from '../env.js';
import { UserError } from '../errors.js';
import { pathDirs } from '../path-search.js';
import { isShim, manifestPath, readManifest, renderShim, selfCommand, shimNames } from '../shims.js';
import { VERSION } from '../version.js';

export const command = 'setup';
export const describe = 'Write the pip, pip3 and pip3.N shims (default dir: $XDG_DATA_HOME/pip-guard/bin)';

export const builder = (y: Argv) =>
  y.option('dir', { type: 'string', describe: 'Directory to write the shims into' });

export const defaultShimDir = (env: Env) => join(dataDir(env), 'bin');

// The line for the shell's rc file, unless DIR already comes before every other pip on PATH.
function pathAdvice(dir: string, env: Env): string | undefined {
  const dirs = pathDirs(env).map((d) => resolve(d));
  const at = dirs.indexOf(dir);
  const firstPip = dirs.findIndex((d) => d !== dir && existsSync(join(d, 'pip')));
  if (at !== -1 && (firstPip === -1 || at < firstPip)) return undefined;
  const home = homeOf(env);
  const shown = dir.startsWith(`${home}/`) ? `$HOME${dir.slice(home.length)}` : dir;
  const shell = (env.SHELL ?? '').split('/').pop();
  if (shell === 'fish') return `fish_add_path --prepend ${shown}   # in ~/.config/fish/config.fish`;
  const rc = shell === 'zsh' ? '~/.zshrc' : shell === 'bash' ? '~/.bashrc' : '~/.profile';
  return `export PATH="${shown}:$PATH"   # add this line to ${rc}, then open a new shell`;
}

export async function handler(args: { dir?: string }): Promise<number> {
  const env = process.env;
  const dir = resolve(args.dir ?? defaultShimDir(env));
  const names = shimNames(env);
  const before = readManifest(dir);
  // Check everything before writing anything: a file of somebody else's stops setup untouched.
  for (const name of names) {
    const file = join(dir, name);
    if (existsSync(file) && !isShim(file)) {
      throw new UserError(
        `${file} exists and is not a pip-guard shim: move it away, or choose another directory with --dir.`,
      );
    }
  }
  const createdDir = before?.createdDir ?? !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  const text = renderShim(VERSION, selfCommand());
  const written: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    writeFileSync(file, text, { mode: 0o755 });
    chmodSync(file, 0o755);
    written.push(name);
  }
  // Shims an earlier setup wrote for a pip3.N that is gone now.
  for (const stale of (before?.names ?? []).filter((name) => !names.includes(name))) {
    if (isShim(join(dir, stale))) rmSync(join(dir, stale));
  }
  writeFileSync(manifestPath(dir), `${JSON.stringify({ version: VERSION, names, createdDir }, null, 2)}\n`);
  console.log(
    written.length > 0
      ? `pip-guard: wrote ${written.join(', ')} to ${dir}`
      : `pip-guard: the shims in ${dir} are up to date (${names.join(', ')})`,
  );
  const advice = pathAdvice(dir, env);
  if (advice) console.log(`pip-guard: ${dir} is not ahead of pip on PATH yet; to finish:\n  ${advice}`);
  return 0;
}
