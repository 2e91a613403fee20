// pip-guard's entry. Route first: a shim hands over a pip command as
// `--pip-guard-shim NAME REAL-PIP ARGS…`, or `python3 -m pip ARGS…` (from the python shims or the
// shell functions of `pip-guard init`) as `--pip-guard-python NAME PYTHON K WORDS…`, whose first K
// words are the interpreter's (`-I -m pip`) and the rest pip's; anything else is pip-guard's own
// command line.
// The guarded path loads nothing it does not need (yargs only for pip-guard's own commands).
import { debugProblem, isDebug } from './base/env.js';
import { Interrupted, say, UserError, writeOut } from './base/errors.js';
import { statOf } from './base/files.js';
import type { Outcome } from './base/process.js';
import { unwatchSignals } from './base/signals.js';
import { isTerminal } from './base/terminal.js';
import { VERSION } from './base/version.js';

// The child's exit code, once, at the top; a child killed by a signal ends pip-guard the same way.
function finish(outcome: Outcome): void {
  unwatchSignals();
  if ('signal' in outcome) {
    // The shell's code for it, in case the signal does not end pip-guard (one whose default is
    // to go on; and Node ignores SIGPIPE and opens its debugger at SIGUSR1 unless a listener was
    // ever there, as pip-guard's was since it started the child: signals.ts).
    process.exitCode = 128 + (process.getBuiltinModule('node:os').constants.signals[outcome.signal] ?? 0);
    // Libraries' exit hooks (signal-exit) listen too; with them gone the default action ends us.
    process.removeAllListeners(outcome.signal);
    process.kill(process.pid, outcome.signal);
    return;
  }
  process.exitCode = outcome.code;
}

// The working directory, unless it was deleted meanwhile (then there is none to work in).
function workingDirectory(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

// A JavaScript string holds no bytes that are not UTF-8: the path of a directory named with some
// comes back with U+FFFD in their place, and leads nowhere (or elsewhere). pip-guard then cannot
// name a file there, and says so rather than act on another directory's facts.
function unnameable(cwd: string): UserError | undefined {
  if (!cwd.includes('\uFFFD')) return undefined;
  const [here, there] = [statOf('.'), statOf(cwd)];
  if (!here || (there?.dev === here.dev && there.ino === here.ino)) return undefined;
  return new UserError(
    `the working directory's path has bytes that are not UTF-8 (pip-guard reads it as ${cwd}), so pip-guard cannot ` +
      'name the files there and did nothing: rename the directory, or work in one whose path is UTF-8 ' +
      '(PIP_GUARD_DISABLE=1 runs the real pip without pip-guard).',
    1,
  );
}

// pip-guard's own commands that look at the working directory (its project, config and venv).
const IN_CWD = new Set(['explain', 'config', 'doctor', 'activate', 'trust', 'untrust']);

async function main(argv: string[]): Promise<Outcome> {
  // A yes or no pip-guard cannot read stops it before it does anything, as its other switches do.
  const debug = debugProblem(process.env);
  if (debug) throw new UserError(debug.problem, 2);
  if (argv[0] === '--pip-guard-shim' || argv[0] === '--pip-guard-python') {
    const [flag, name, realPip, ...words] = argv;
    const python = flag === '--pip-guard-python';
    const count = python ? Number(words.shift()) : 0;
    if (!name || !realPip || !Number.isInteger(count) || count < 0 || count > words.length)
      throw new UserError(`${flag} needs NAME, REAL-PIP${python ? ' and K' : ''}: it is for shims only.`, 2);
    const realPipArgs = words.slice(0, count);
    const rest = words.slice(count);
    const cwd = workingDirectory();
    // pip itself says what is wrong with a deleted working directory, before it does anything.
    if (!cwd) return (await import('./base/process.js')).run(realPip, words);
    const lost = unnameable(cwd);
    if (lost) throw lost;
    const { guard } = await import('./guard.js');
    const interactive = isTerminal(0) && isTerminal(2);
    return guard({ name, realPip, realPipArgs, argv: rest, env: process.env, cwd, interactive });
  }
  // `eval "$(pip-guard init bash)"` runs at every shell start: that form skips loading yargs.
  const activate = argv.length === 3 && argv[2] === '--activate';
  if (argv[0] === 'init' && (argv.length === 2 || activate)) {
    const { initScript, isFunctionShell } = await import('./commands/init.js');
    if (isFunctionShell(argv[1])) {
      writeOut(1, await initScript(argv[1], undefined, activate, process.env));
      return { code: 0 };
    }
  }
  const cwd = workingDirectory();
  const lost = cwd && (argv[0] === 'run' || IN_CWD.has(argv[0] ?? '')) ? unnameable(cwd) : undefined;
  if (lost) throw lost;
  // `pip-guard run CMD …`: every word after run is CMD's (yargs would read its options as ours).
  if (cwd && argv[0] === 'run' && !['-h', '--help'].includes(argv[1] ?? ''))
    return (await import('./commands/run.js')).runCommand(argv.slice(1), process.env, cwd);
  if (!cwd) {
    throw new UserError(
      'the directory you are running pip-guard from no longer exists: `cd` to one that does, and run it again.',
      1,
    );
  }
  const { cli } = await import('./cli.js');
  return cli(argv, VERSION);
}

// A bundle's shim started Node without NODE_EXTRA_CA_CERTS (see shims.ts): pip and everything
// pip-guard runs get it back as it was.
function restoreCaCerts(env: NodeJS.ProcessEnv): void {
  const saved = env._PIP_GUARD_NODE_EXTRA_CA_CERTS;
  if (saved === undefined) return;
  env.NODE_EXTRA_CA_CERTS = saved;
  delete env._PIP_GUARD_NODE_EXTRA_CA_CERTS;
}

restoreCaCerts(process.env);
main(process.argv.slice(2)).then(finish, (error: unknown) => {
  if (error instanceof Interrupted) {
    say(error.message);
    finish({ signal: error.signal });
    return;
  }
  if (error instanceof UserError) {
    say(error.message);
    if (isDebug(process.env)) console.error(error.stack);
    process.exitCode = error.exitCode;
    return;
  }
  const detail = isDebug(process.env) ? (error as Error).stack : 'run with PIP_GUARD_DEBUG=1 for details';
  say(`internal error: ${(error as Error)?.message ?? error} (${detail})`);
  process.exitCode = 70;
});
