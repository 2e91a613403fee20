// Running a step of a repair as the user who owns the site directory it changes (the removal,
// the restore): as this user when it is theirs; as root, through util-linux's setpriv (root
// writing into another user's directory could be led through their symlinks); otherwise through
// sudo, which pip-guard asks for first, never assumes.
import type { Env } from '../../base/env.js';
import { UserError } from '../../base/errors.js';
import { type CaptureOptions, capture } from '../../base/process.js';
import { isTerminal } from '../../base/terminal.js';
import { passwdEntry } from '../../base/users.js';
import { which } from '../../facts/path-search.js';
import type { RemovalAs } from '../../policy/repair.js';

const SETPRIV = '/usr/bin/setpriv';

// The command that runs FILE ARGS as the owner `as` says, and its environment.
export function asOwner(
  as: RemovalAs,
  file: string,
  args: readonly string[],
  env: Env,
): [string, string[], Env] {
  if (as.as !== 'owner') return [file, [...args], env];
  if (as.via === 'sudo')
    return [which('sudo', env) ?? 'sudo', ['-u', `#${as.uid}`, '--', file, ...args], env];
  const entry = passwdEntry(as.uid);
  const groups = entry ? ['--init-groups'] : ['--clear-groups'];
  const home = entry?.home ?? '/';
  return [
    SETPRIV,
    [`--reuid=${as.uid}`, `--regid=${as.gid}`, ...groups, '--', file, ...args],
    { ...env, HOME: home, USER: as.user, LOGNAME: as.user },
  ];
}

// Runs it as the owner, shielded (it finishes once started).
export function captureAsOwner(
  as: RemovalAs,
  file: string,
  args: readonly string[],
  env: Env,
  options: CaptureOptions = {},
) {
  const [program, argv, environment] = asOwner(as, file, args, env);
  return capture(program, argv, environment, false, { shielded: true, ...options });
}

// The sites that need sudo, asked about once, before anything is done: yes with --sudo, else on a
// terminal (y to go on), else one paragraph and nothing done.
export async function consentToSudo(sites: readonly string[], allowed: boolean, what: string): Promise<void> {
  if (sites.length === 0 || allowed) return;
  const list = sites.join(', ');
  if (!isTerminal(0) || !isTerminal(2)) {
    throw new UserError(
      `${list} ${sites.length > 1 ? 'belong' : 'belongs'} to root, so pip-guard must ${what} there as root, with sudo, ` +
        'and it runs sudo only when you say so: there is no terminal to ask on. Nothing was changed. ' +
        'Run it again with --sudo, or as root (`sudo pip-guard repair …`).',
    );
  }
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string>((done) =>
    rl.question(
      `pip-guard: ${list} belongs to root: ${what} there with sudo (it may ask for your password)? [y/N] `,
      done,
    ),
  ).finally(() => rl.close());
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new UserError('you said no to sudo, so nothing was changed.', 1);
}
