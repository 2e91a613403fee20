// Gathers, once, everything policy/ needs to decide about one pip command: the parsed
// command line, pip's effective options, the interpreter and its PEP 668 answer, the venv.
import { join } from 'node:path';
import { hasConfigFiles } from './config/candidates.js';
import { mergeConfig } from './config/merge.js';
import { dataDir, type Env, homeOf } from './env.js';
import { UserError } from './errors.js';
import { probeInterpreter, pythonOption, scriptInterpreter, type Unknown } from './interpreter.js';
import { which } from './locate.js';
import { type Interpreter, pep668Verdict } from './pep668.js';
import { readPipConfig } from './pip-cli/config-files.js';
import { parsePipArgs } from './pip-cli/parse.js';
import { effectiveSettings } from './pip-cli/settings.js';
import { pipxFacts } from './pipx/locate.js';
import type { Facts } from './plan.js';
import { escapesRoot, findProjectRoot, locateVenv, type VenvTarget } from './project.js';
import { isCommitted, provenanceOf, remember } from './venv-registry.js';

export interface Invocation {
  name: string;
  realPip: string;
  argv: readonly string[];
  env: Env;
  cwd: string;
  // Whether a person can be asked (policy prompt): stdin and stderr are terminals.
  interactive: boolean;
  // For pip-guard explain: look, and write nothing (not even the interpreter cache).
  readOnly?: boolean;
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
const defaultVenv = (env: Env, version: string | undefined) =>
  join(dataDir(env), 'venvs', version ? `python${version}` : 'python3');

async function interpreterFor(inv: Invocation, python: string | Unknown): Promise<Interpreter | Unknown> {
  return typeof python === 'string' ? probeInterpreter(python, inv.env, !inv.readOnly) : python;
}

// A project venv pip-guard did not make: fine once, unless the repository ships it.
async function vetted(venv: VenvTarget, inv: Invocation): Promise<VenvTarget> {
  if (venv.origin !== 'project' || venv.state.kind !== 'valid' || venv.state.provenance || !venv.root)
    return venv;
  if (await isCommitted(venv.path, venv.root)) {
    const why = "it is committed to this repository, so running its pip would run somebody else's code";
    return { ...venv, state: { kind: 'broken', why } };
  }
  if (!inv.readOnly) remember(inv.env, venv.path, 'accepted');
  return venv;
}

// What pip makes of the command: its parse, its effective options, and whether it would refuse.
async function pipFacts(inv: Invocation, known: Interpreter | undefined) {
  const line = parsePipArgs(inv.argv);
  const whichOnPath = (name: string) => which(name, inv.env);
  let interpreter = known ?? (await interpreterFor(inv, scriptInterpreter(inv.realPip, whichOnPath)));
  const isolated = line.argv.includes('--isolated');
  const prefixOf = (i: Interpreter | Unknown) => ('unknown' in i ? undefined : i.prefix);
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
  return { line, settings, verdict, interpreter: 'unknown' in interpreter ? undefined : interpreter };
}

// Where pip-guard would act: the project, its config, and the venv.
async function placeFacts(inv: Invocation, version: string | undefined) {
  const root = findProjectRoot(inv.cwd, homeOf(inv.env));
  const files = hasConfigFiles(inv.env, inv.cwd, root)
    ? await (await import('./config/load.js')).loadConfigFiles(inv.env, inv.cwd, root)
    : [];
  const config = mergeConfig(files, inv.env, root);
  if ('problem' in config) throw new UserError(config.problem, 2);
  const projectFile = config.files.find((f) => f.kind === 'project')?.file;
  const venvPath = config.venvPath.value;
  if (
    root &&
    venvPath &&
    projectFile &&
    config.venvPath.from.startsWith(projectFile) &&
    escapesRoot(root, venvPath)
  ) {
    throw new UserError(
      `${projectFile}: venv.path is "${venvPath}", which leads out of the project (${root}) through a symlink: ` +
        'use a path inside the project, such as ".venv".',
      2,
    );
  }
  const located = locateVenv({
    root,
    virtualEnv: inv.env.VIRTUAL_ENV,
    defaultVenv: defaultVenv(inv.env, version),
    names: venvPath ? [venvPath] : ['.venv', 'venv'],
    known: (path) => provenanceOf(inv.env, path),
  });
  return { config, venv: await vetted(located, inv) };
}

export async function gatherFacts(inv: Invocation, known?: Interpreter): Promise<Facts> {
  const pip = await pipFacts(inv, known);
  const { config, venv } = await placeFacts(inv, pip.interpreter?.version);
  return {
    name: inv.name,
    realPip: inv.realPip,
    ...pip,
    venv,
    pipx: pipxFacts(inv.env),
    config,
    interactive: inv.interactive,
    pipxMissing: pipxMissingFrom(inv.env),
  };
}
