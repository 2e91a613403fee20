// doctor's shim checks: installed, first on PATH, current (they run a pip-guard that still
// exists, of the version that wrote them), and pip-guard itself on PATH.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Env, homeOf, switchOf } from '../base/env.js';
import { isExecutableFile } from '../base/files.js';
import { capture } from '../base/process.js';
import { shellQuote } from '../base/shell.js';
import { VERSION } from '../base/version.js';
import { isShimDir, pathDirs } from '../facts/path-search.js';
import type { PipOnPath } from '../facts/real-pips.js';
import { firstOnPath, isPythonShim } from '../facts/script-shims.js';
import { rcLineAdvice } from '../install/rc-file.js';
import { commandOf, runningAs, shimCommand } from '../install/self-install.js';
import {
  defaultShimDir,
  isShim,
  type Manifest,
  pythonShimNames,
  readManifest,
  shimNames,
} from '../install/shims.js';
import { type Finding, note, ok, problem } from './finding.js';
import { shimWords } from './shim-words.js';

const setupFix = (dir: string) => `run \`pip-guard setup --dir ${shellQuote(dir)}\` again`;

// The shim directories on PATH, first one first (each once).
function shimDirsOnPath(env: Env): { dir: string; at: number }[] {
  const dirs = pathDirs(env).map((dir, at) => ({ dir: resolve(dir), at }));
  return dirs.filter(({ dir }, i) => isShimDir(dir) && dirs.findIndex((d) => d.dir === dir) === i);
}

// Shims that are installed somewhere but not on PATH, or nowhere at all.
function notOnPath(env: Env): Finding {
  const dir = defaultShimDir(env);
  if (isShimDir(dir)) {
    return problem(
      `the shims are installed in ${dir}, but that directory is not on PATH`,
      rcLineAdvice(dir, env),
    );
  }
  return problem(
    'no pip-guard shims are installed on PATH, so pip runs unguarded',
    'run `pip-guard setup`, and add the line it prints to your shell',
  );
}

// Shim files the manifest lists that are gone, and pip3.N on PATH that have no shim.
function missingShims(dir: string, manifest: Manifest, env: Env): Finding[] {
  const gone = manifest.names.filter((name) => !isShim(join(dir, name)));
  const unshimmed = shimNames(env).filter((name) => !manifest.names.includes(name));
  return [
    ...(gone.length > 0
      ? [problem(`${gone.join(', ')} ${gone.length > 1 ? 'are' : 'is'} missing from ${dir}`, setupFix(dir))]
      : []),
    ...(unshimmed.length > 0
      ? [
          problem(
            `${unshimmed.join(', ')} on PATH ${unshimmed.length > 1 ? 'have' : 'has'} no shim`,
            setupFix(dir),
          ),
        ]
      : []),
  ];
}

// The python shims (setup's default): written for each python on PATH, and the python3 a script
// gets is theirs, so that inside a project it runs the project's venv.
function pythonShimFindings(dir: string, manifest: Manifest, env: Env): Finding[] {
  if (manifest.python === false) {
    return [
      note(
        'no python shims (setup --no-python): scripts and Makefiles run python3 without the project\'s venv; `pip-guard run python3 …` or `eval "$(pip-guard activate)"` gives it to them',
      ),
    ];
  }
  const unshimmed = pythonShimNames(env).filter((name) => !manifest.names.includes(name));
  const missing =
    unshimmed.length > 0
      ? [
          problem(
            `${unshimmed.join(', ')} on PATH ${unshimmed.length > 1 ? 'have' : 'has'} no python shim`,
            setupFix(dir),
          ),
        ]
      : [];
  const python3 = firstOnPath('python3', env);
  if (!python3 || !manifest.names.includes('python3')) return missing;
  if (isPythonShim(python3) && resolve(dirname(python3)) === dir)
    return [
      ok(`python3 on PATH is pip-guard's shim: inside a project, scripts run its venv's Python`),
      ...missing,
    ];
  if (existsSync(join(dirname(python3), '..', 'pyvenv.cfg')))
    return [
      note(`python3 in ${dirname(python3)} comes first on PATH: a venv's own, which scripts run`),
      ...missing,
    ];
  return [
    problem(
      `python3 on PATH is ${python3}, before the python shim in ${dir}, so scripts inside a project do not run its venv`,
      `put ${dir} first on PATH, after whatever adds ${dirname(python3)}: ${rcLineAdvice(dir, env)}`,
    ),
    ...missing,
  ];
}

// Real pips that a shell finds before the shims, grouped by directory. A venv's own pip coming
// first is fine: it installs into its venv, which needs no guard.
function shadowFindings(
  dir: string,
  at: number,
  names: readonly string[],
  pips: readonly PipOnPath[],
  env: Env,
) {
  const ahead = pips.filter((pip) => names.includes(pip.name) && pip.at < at);
  const blockers = [...new Set(ahead.map((pip) => dirname(pip.path)))];
  if (blockers.length === 0) return [ok(`${dir} comes before every real pip on PATH`)];
  return blockers.map((blocker) => {
    const shadowed = ahead.filter((pip) => dirname(pip.path) === blocker).map((pip) => pip.name);
    const what = `${shadowed.join(', ')} in ${blocker} ${shadowed.length > 1 ? 'come' : 'comes'}`;
    if (existsSync(join(blocker, '..', 'pyvenv.cfg')))
      return note(`${what} first on PATH: a venv's own pip, which installs into that venv`);
    return problem(
      `${what} before the shims on PATH, so \`${shadowed[0]}\` runs ${join(blocker, shadowed[0] as string)} unguarded`,
      `put ${dir} first on PATH, after whatever adds ${blocker} (pyenv init, conda, another PATH line): ${rcLineAdvice(dir, env)}`,
    );
  });
}

// A copy of this binary (setup copies itself into the shim directory); told by its size, as
// reading 100 MB twice would cost doctor more than the rest of its checks together.
function isCopyOf(copy: string | undefined, binary: string): boolean {
  try {
    return copy !== undefined && statSync(copy).size === statSync(binary).size;
  } catch {
    return false;
  }
}

const canonical = (words: readonly string[]) =>
  words.map((word) => (existsSync(word) ? realpathSync(word) : word)).join('\0');

// Whether the shims still run a pip-guard, this one or one of the version that wrote them.
async function currentFinding(dir: string, manifest: Manifest): Promise<Finding> {
  const shim = manifest.names.map((name) => join(dir, name)).find(isShim);
  const words = shim ? shimWords(readFileSync(shim, 'utf8')) : undefined;
  if (!shim || !words) return problem(`cannot read the command the shims in ${dir} run`, setupFix(dir));
  const shown = words.map(shellQuote).join(' ');
  const gone = words.filter((word) => word.startsWith('/') && !existsSync(word));
  if (gone.length > 0) {
    return problem(
      `the shims are stale: they run \`${shown}\`, but ${gone.join(' and ')} no longer exists (pip-guard was moved or deleted), so every guarded pip command fails`,
      `${setupFix(dir)} with the pip-guard you use now`,
    );
  }
  // This pip-guard: as it runs now, or its copy in the shim directory (setup from the binary).
  const running = runningAs();
  const self = commandOf(running);
  const ours = [self, shimCommand(running, dir)].map(canonical);
  if (ours.includes(canonical(words)) && (running.kind === 'bundle' || isCopyOf(words[0], running.binary))) {
    if (manifest.version === VERSION)
      return ok(`the shims are current: they run this pip-guard (${VERSION})`);
    return problem(
      `the shims were written by pip-guard ${manifest.version}; this one is ${VERSION}`,
      setupFix(dir),
    );
  }
  const answer = await capture(words[0] as string, [...words.slice(1), '--version']).catch(() => undefined);
  const version = answer?.code === 0 ? answer.stdout.trim() : undefined;
  if (version === undefined)
    return problem(`the shims run \`${shown}\`, which does not answer --version`, setupFix(dir));
  if (version !== manifest.version) {
    return problem(
      `the shims run \`${shown}\`, now pip-guard ${version}, but pip-guard ${manifest.version} wrote them`,
      setupFix(dir),
    );
  }
  return note(
    `the shims run another pip-guard ${version} (\`${shown}\`), not this one (${self.map(shellQuote).join(' ')})`,
  );
}

// pip-guard on PATH (any directory): every message of pip-guard's tells people to run it.
function selfOnPath(env: Env, shimDir: string | undefined): Finding {
  const found = pathDirs(env)
    .map((dir) => join(dir, 'pip-guard'))
    .find(isExecutableFile);
  if (found) return ok(`pip-guard itself is on PATH: ${found}`);
  const self = commandOf(runningAs()).at(-1) as string;
  const into = shimDir ?? join(homeOf(env), '.local', 'bin');
  return problem(
    'pip-guard itself is not on PATH, so the commands its messages suggest (`pip-guard trust`, `pip-guard explain`) are not found',
    `run \`pip-guard setup\` (it puts pip-guard beside the shims), or link it into a directory on PATH: \`ln -s ${shellQuote(self)} ${shellQuote(join(into, 'pip-guard'))}\``,
  );
}

// The switches that make the shims step aside, which a forgotten export leaves on.
function switchedOff(env: Env): Finding[] {
  const disable = switchOf(env, 'PIP_GUARD_DISABLE', 'the shims run the real pip untouched');
  if (typeof disable === 'object') {
    const problemText = `${disable.problem.split(': use')[0]}, so the shims stop every guarded pip command (exit 2)`;
    return [problem(problemText, 'set it to 1 (the shims run the real pip untouched) or 0, or unset it')];
  }
  const disabled = disable ? ['PIP_GUARD_DISABLE'] : [];
  const off = env.PIP_GUARD_POLICY === 'off' ? ['PIP_GUARD_POLICY=off'] : [];
  return [...disabled, ...off].map((name) =>
    note(`${name} is set in this environment: the shims run the real pip untouched while it is`),
  );
}

export async function shimFindings(env: Env, pips: readonly PipOnPath[]): Promise<Finding[]> {
  return [...switchedOff(env), ...(await installedShims(env, pips))];
}

async function installedShims(env: Env, pips: readonly PipOnPath[]): Promise<Finding[]> {
  const [first, ...others] = shimDirsOnPath(env);
  if (!first) return [notOnPath(env), selfOnPath(env, undefined)];
  const manifest = readManifest(first.dir);
  if (!manifest)
    return [
      problem(`${first.dir}/.pip-guard-shims cannot be read`, setupFix(first.dir)),
      selfOnPath(env, first.dir),
    ];
  return [
    ok(`the shims are installed in ${first.dir}: ${manifest.names.join(', ')}`),
    ...others.map(({ dir }) => note(`${dir} holds pip-guard shims too; ${first.dir} comes first on PATH`)),
    ...missingShims(first.dir, manifest, env),
    ...shadowFindings(first.dir, first.at, manifest.names, pips, env),
    ...pythonShimFindings(first.dir, manifest, env),
    await currentFinding(first.dir, manifest),
    selfOnPath(env, first.dir),
  ];
}
