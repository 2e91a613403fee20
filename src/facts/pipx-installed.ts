// What this machine's pipx has: where it is, where it keeps apps and links their commands,
// and which apps it manages (read from its own metadata, without starting pipx).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dataHome, type Env, homeOf } from '../base/env.js';
import { readJson, statOf } from '../base/files.js';
import { normalizeName } from '../pip-cli/requirement.js';
import { pathDirs, which } from './path-search.js';

export interface PipxApp {
  venv: string;
  commands: readonly string[];
  // The version pipx installed, as its metadata says.
  version?: string;
  // The identity of its metadata file, which pipx writes anew at each install of the app.
  stamp?: string;
}

export interface PipxFacts {
  // The pipx program, when there is one on PATH.
  path?: string;
  binDir: string;
  binDirOnPath: boolean;
  // Normalised package name → its pipx venv and the commands pipx linked for it.
  apps: ReadonlyMap<string, PipxApp>;
}

// pipx 1.1 keeps venvs in ~/.local/pipx; newer ones in ~/.local/share/pipx unless the old one exists.
function pipxHomes(env: Env): string[] {
  if (env.PIPX_HOME) return [env.PIPX_HOME];
  return [join(homeOf(env), '.local', 'pipx'), join(dataHome(env), 'pipx')];
}

// The part of pipx's pipx_metadata.json that pip-guard reads.
interface PipxMetadata {
  main_package?: { package?: string; apps?: unknown[]; package_version?: unknown };
}

function installedApps(env: Env): Map<string, PipxApp> {
  const apps = new Map<string, PipxApp>();
  for (const home of pipxHomes(env)) {
    const venvs = join(home, 'venvs');
    let dirs: string[];
    try {
      dirs = readdirSync(venvs);
    } catch {
      // None there, or none pip-guard can read: pipx itself says what is wrong, when it runs.
      continue;
    }
    for (const dir of dirs) {
      // Not a pipx venv pip-guard can read: pipx will say what it is.
      const file = join(venvs, dir, 'pipx_metadata.json');
      const metadata = readJson<PipxMetadata>(file);
      const stat = statOf(file);
      if (!metadata) continue;
      const main = metadata.main_package ?? {};
      const commands = (main.apps ?? []).map(String);
      const version = typeof main.package_version === 'string' ? main.package_version : undefined;
      const stamp = stat && `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
      apps.set(normalizeName(String(main.package ?? dir)), {
        venv: join(venvs, dir),
        commands,
        version,
        stamp,
      });
    }
  }
  return apps;
}

export function pipxFacts(env: Env): PipxFacts {
  const binDir = resolve(env.PIPX_BIN_DIR || join(homeOf(env), '.local', 'bin'));
  return {
    path: which('pipx', env),
    binDir,
    binDirOnPath: pathDirs(env).some((dir) => resolve(dir) === binDir),
    apps: installedApps(env),
  };
}
