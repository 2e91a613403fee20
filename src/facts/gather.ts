// Gathers, once, everything policy/ needs to decide about one pip command: the parsed
// command line, pip's effective options, the interpreter and its PEP 668 answer, the venv.
import { existsSync, readlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { dataDir, type Env, homeOf } from '../base/env.js';
import type { Problem } from '../base/errors.js';
import { UserError } from '../base/errors.js';
import { realPath, statOf } from '../base/files.js';
import { userName } from '../base/users.js';
import { loadEffectiveConfig } from '../config/effective.js';
import type { EffectiveConfig } from '../config/merge.js';
import { PIPX_POLICIES } from '../config/policies.js';
import { readPipConfig } from '../pip-cli/config-files.js';
import { parsePipArgs } from '../pip-cli/parse.js';
import { parseRequirement } from '../pip-cli/requirement.js';
import { effectiveSettings } from '../pip-cli/settings.js';
import { type Facts, rootInOthers } from '../plan.js';
import { callingShell } from './calling-shell.js';
import {
  interpreterBehind,
  probeInterpreter,
  pythonOption,
  refusedBefore,
  scriptInterpreter,
} from './interpreter.js';
import { which } from './path-search.js';
import { type Interpreter, pep668Verdict } from './pep668.js';
import { type Pips, pipIn, realPipPath, venvSitePackages } from './pip-version.js';
import { pipxFacts } from './pipx-installed.js';
import { findProjectRoot, locateVenv, type VenvTarget } from './project.js';
import { findRealPip } from './real-pips.js';
import { scriptShims } from './script-shims.js';
import { seedsOf } from './seed-wheels.js';
import { systemOnly } from './system-only.js';
import { provenanceOf, vetted } from './venv-registry.js';

export interface Invocation {
  name: string;
  realPip: string;
  // ['-m', 'pip'] when realPip is an interpreter (`python3 -m pip`), else [] (see plan.ts).
  realPipArgs: readonly string[];
  argv: readonly string[];
  env: Env;
  cwd: string;
  // Whether a person can be asked (policy prompt): stdin and stderr are terminals.
  interactive: boolean;
}

function pipxMissingFrom(env: Env): Facts['pipxMissing'] {
  const value = env.PIP_GUARD_PIPX_MISSING;
  if (value === undefined || value === '' || value === 'venv') return 'venv';
  if (value === 'error') return 'error';
  throw new UserError(
    `PIP_GUARD_PIPX_MISSING=${value} is not a choice pip-guard knows: use venv (fall back to the project venv) or error, or unset it.`,
    2,
  );
}

// The default venv outside any project, one per Python version.
export const defaultVenv = (env: Env, version: string | undefined) =>
  join(dataDir(env), 'venvs', version ? `python${version}` : 'python3');

async function interpreterFor(inv: Invocation, python: string | Problem): Promise<Interpreter | Problem> {
  return typeof python === 'string' ? probeInterpreter(python, inv.env) : python;
}

// The Python the real pip runs on: for `python3 -m pip` that interpreter; else by the pip's #!
// line; behind a wrapper, for the commands pip-guard routes (not install or uninstall, which pip
// itself is asked about), the one that refused before.
async function pipInterpreter(
  inv: Invocation,
  command: string | undefined,
  place: string,
): Promise<string | Problem> {
  if (inv.realPipArgs.length > 0) return interpreterBehind(resolve(inv.cwd, inv.realPip), inv.env);
  const byScript = scriptInterpreter(inv.realPip, (name) => which(name, inv.env));
  if (typeof byScript === 'string' || command === 'install' || command === 'uninstall') return byScript;
  return refusedBefore(inv.env, inv.realPip, place) ?? byScript;
}

// What pip makes of the command: its parse, its effective options, and whether it would refuse.
async function pipFacts(inv: Invocation, known: Interpreter | undefined, place: string) {
  const line = parsePipArgs(inv.argv);
  let interpreter = known ?? (await interpreterFor(inv, await pipInterpreter(inv, line.command, place)));
  // The Python the real pip's own code runs on, whatever --python then names.
  const host = interpreter;
  const isolated = line.argv.includes('--isolated');
  const prefixOf = (i: Interpreter | Problem) => ('problem' in i ? undefined : i.prefix);
  let items = readPipConfig(inv.env, prefixOf(interpreter), isolated);
  // pip --python (or PIP_PYTHON) re-runs pip under that interpreter: PEP 668 is its question then.
  // pip's main parser, which reads it, is never isolated (create_main_parser).
  const main = isolated ? readPipConfig(inv.env, prefixOf(interpreter), false) : items;
  const leading = 'problem' in main ? main : effectiveSettings(line, main, 'leading');
  const python = 'problem' in leading ? undefined : leading.get('python');
  if (!known && python && typeof python.value === 'string' && !inv.env._PIP_RUNNING_IN_SUBPROCESS) {
    interpreter = await interpreterFor(inv, pythonOption(python.value, inv.cwd));
    items = readPipConfig(inv.env, prefixOf(interpreter), isolated);
  }
  const settings = line.problem
    ? { problem: line.problem }
    : 'problem' in items
      ? items
      : effectiveSettings(line, items);
  const guarded = ['install', 'uninstall'].includes(line.command ?? '');
  const verdict =
    'problem' in settings
      ? { refuses: guarded ? ('unknown' as const) : false, reason: settings.problem }
      : pep668Verdict(line, settings, interpreter);
  const pipHost = 'problem' in host ? undefined : host;
  return {
    line,
    settings,
    verdict,
    interpreter: 'problem' in interpreter ? undefined : interpreter,
    pipHost,
  };
}

// A venv that pip-guard's prompt hook activated (shims/hook.sh) is no choice of the user's: the
// project around the working directory says which venv is meant, even in `cd other && pip …`.
const chosenVenv = (env: Env) =>
  env.VIRTUAL_ENV && env.VIRTUAL_ENV === env._PIP_GUARD_AUTO ? undefined : env.VIRTUAL_ENV;

// Where pip-guard would act: the project, its config, and the venv.
async function placeFacts(
  inv: Pick<Invocation, 'env' | 'cwd'>,
  root: string | undefined,
  version: string | undefined,
) {
  const config = await loadEffectiveConfig(inv.env, inv.cwd, root);
  const venvPath = config.venvPath.value;
  const located = locateVenv({
    root,
    virtualEnv: chosenVenv(inv.env),
    condaPrefix: inv.env.CONDA_PREFIX,
    defaultVenv: defaultVenv(inv.env, version),
    names: venvPath ? [venvPath] : ['.venv', 'venv'],
    known: (path) => provenanceOf(inv.env, path),
  });
  // A project venv pip-guard has not seen, vetted: the repository must not ship it (its index,
  // read: venv-registry.ts). One it ships, or that pip-guard cannot check, is not usable.
  return { config, venv: await vetted(located) };
}

// Whether any plan for this command could hand packages to pipx (else pipx is not looked for).
function mayUsePipx(config: EffectiveConfig, command: string | undefined): boolean {
  if (command !== 'install' && command !== 'uninstall') return false;
  const policies = [
    config.policy.value,
    config.nonInteractive.value,
    ...[...config.packages.values()].map((p) => p.value),
  ];
  return policies.some((policy) => PIPX_POLICIES.includes(policy));
}

// The directory the shell that started pip-guard is in: Linux tells (/proc/PID/cwd), which a
// subshell that moved (`(cd other && pip install …)`) does not change; elsewhere, its PWD.
function shellDirectory(env: Env, parent: number): string | undefined {
  try {
    return readlinkSync(`/proc/${parent}/cwd`);
  } catch {
    return env.PWD && isAbsolute(env.PWD) ? realPath(env.PWD) : undefined;
  }
}

// The shell pip was typed in, as far as pip-guard's shell code tells (see plan.ts): the project
// root its prompt hook walks to from its PWD (spelled as PWD spells it), where PWD is that
// shell's directory.
function shellFacts(env: Env): Facts['shell'] {
  const calling = callingShell(env, process.ppid);
  if (!calling) return undefined;
  const at = shellDirectory(env, process.ppid);
  const pwd = env.PWD && at && isAbsolute(env.PWD) && realPath(env.PWD) === at ? env.PWD : undefined;
  const hookRoot = pwd ? findProjectRoot(pwd, homeOf(env)) : undefined;
  return {
    ...calling,
    inProject: pwd !== undefined && hookRoot !== undefined,
    root: hookRoot && realPath(hookRoot),
    off: env._PIP_GUARD_OFF === undefined ? undefined : env._PIP_GUARD_OFF === (hookRoot ?? '-'),
  };
}

// The venv at PATH, when pip-guard's own activation (the hook's, or `pip-guard activate`) made
// it active in the shell.
export const activatedHere = (env: Env, path: string) => {
  const own = env._PIP_GUARD_VENV;
  return own !== undefined && own === env.VIRTUAL_ENV && realPath(own) === realPath(path);
};

// The version of the Python that the real `pip` runs on, for the default venv's name; undefined
// when there is no real pip or it cannot be told.
export async function realPipVersion(env: Env): Promise<string | undefined> {
  let pip: string;
  try {
    pip = findRealPip('pip', env);
  } catch {
    return undefined;
  }
  const python = scriptInterpreter(pip, (name) => which(name, env));
  if (typeof python !== 'string') return undefined;
  const probed = await probeInterpreter(python, env);
  return 'problem' in probed ? undefined : probed.version;
}

// The venv pip-guard routes a directory to, for `pip-guard run` and `pip-guard activate`: the
// active venv or conda environment, else the project's, else the default venv of the real pip's
// Python.
export async function routedVenv(env: Env, cwd: string) {
  const root = findProjectRoot(cwd, homeOf(env));
  return placeFacts({ env, cwd }, root, await realPipVersion(env));
}

// The real pip's pip and the venv's own, to run commands with one at least as new as the first.
function pipsFor(host: Interpreter | undefined, venv: VenvTarget, inv: Invocation): Pips {
  const real = host && pipIn(realPipPath(host, inv.env, inv.cwd));
  const version = venv.state.kind === 'valid' ? venv.state.version : undefined;
  return {
    real: real && { ...real, python: host.version },
    venv: version ? pipIn([venvSitePackages(venv.path, version)]) : undefined,
  };
}

// Whether a script of a venv's bin/ runs another directory's Python: a venv copied with its
// project (cp -r) keeps scripts whose #! names the original's, which would install there. A head
// pip-guard cannot read as a path (a relocatable venv's) counts as the venv's own.
function runsElsewhere(script: string, bin: string): boolean {
  const python = scriptInterpreter(script, () => undefined);
  if (typeof python !== 'string' || !isAbsolute(python)) return false;
  const [here, there] = [statOf(bin), statOf(dirname(python))];
  return !here || !there || here.dev !== there.dev || here.ino !== there.ino;
}

// Which of NAME (as pip was typed) and `pip` an existing venv's bin/ has, to run its own pip by.
function venvPips(name: string, venv: VenvTarget): string[] {
  if (venv.state.kind !== 'valid') return [];
  const bin = join(venv.path, 'bin');
  return [name, 'pip'].filter((n) => existsSync(join(bin, n)) && !runsElsewhere(join(bin, n), bin));
}

// For an uninstall pip would refuse, with pip-guard's venv at hand: the names only the system's
// environment has (system-only.ts asks both Pythons).
async function systemOnlyNames(facts: Pick<Facts, 'line' | 'verdict' | 'interpreter' | 'venv' | 'config'>) {
  const { line, verdict, interpreter, venv, config } = facts;
  if (line.command !== 'uninstall' || verdict.refuses !== true || !interpreter || !config.venvRoute.value)
    return undefined;
  if (venv.state.kind !== 'valid' || venv.conda) return undefined;
  const named = new Map<number, string>();
  line.args.forEach((raw, i) => {
    const name = parseRequirement(raw).name;
    if (name) named.set(line.argIndexes[i] as number, name);
  });
  return systemOnly(join(venv.path, 'bin', 'python'), interpreter.python, named);
}

// Reads, and runs nothing but its probes (interpreters, and for an uninstall which names only
// the system has): what to do is decided afterwards, and what to keep is kept by run/.
export async function gatherFacts(inv: Invocation, known?: Interpreter): Promise<Facts> {
  const root = findProjectRoot(inv.cwd, homeOf(inv.env));
  const { pipHost, ...pip } = await pipFacts(inv, known, root ?? inv.cwd);
  const { config, venv } = await placeFacts(inv, root, pip.interpreter?.version);
  const pips = pipsFor(pipHost, venv, inv);
  const uid = process.getuid?.();
  const foreign = rootInOthers(uid, venv.owner);
  return {
    name: inv.name,
    realPip: inv.realPip,
    realPipArgs: inv.realPipArgs,
    cwd: inv.cwd,
    ...pip,
    venv,
    pips,
    seeds: seedsOf(pip.interpreter, pips),
    venvPips: venvPips(inv.name, venv),
    pipx: mayUsePipx(config, pip.line.command) ? pipxFacts(inv.env) : undefined,
    systemOnly: await systemOnlyNames({ ...pip, venv, config }),
    config,
    interactive: inv.interactive,
    uid,
    venvOwnerName: foreign ? (userName(venv.owner as number) ?? `uid ${venv.owner}`) : undefined,
    pipxMissing: pipxMissingFrom(inv.env),
    shell: shellFacts(inv.env),
    shellName: inv.env.SHELL ? basename(inv.env.SHELL) : undefined,
    // Only an install can put something into a project's venv for a script to use.
    scripts: pip.line.command === 'install' ? scriptShims(inv.env) : undefined,
    activated: activatedHere(inv.env, venv.path),
  };
}
