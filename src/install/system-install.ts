// setup --system and teardown --system: the shims and pip-guard in /usr/local/bin, for every
// user. It comes before /usr/bin on Debian's PATH (/etc/profile, login.defs) and in sudo's
// secure_path (Debian's /etc/sudoers), so `sudo pip` meets the shim too.
import { statSync } from 'node:fs';
import { UserError } from '../base/errors.js';
import { keepsOthersOut, nearestExisting } from './install-dir.js';
import { invocation, isFromNpm, type Running } from './self-install.js';

export const SYSTEM_DIR = '/usr/local/bin';

const modeOf = (path: string) => (statSync(path, { throwIfNoEntry: false })?.mode ?? 0).toString(8).slice(-3);

// Only root can write there, and a shim that every user runs must be root's.
export function requireRoot(command: 'setup' | 'teardown', dir: string, running: Running): void {
  if (process.getuid?.() === 0) return;
  const alone =
    command === 'setup'
      ? 'leave out --system to set pip-guard up for yourself alone (in ~/.local/share/pip-guard/bin)'
      : 'leave out --system to remove your own setup';
  throw new UserError(
    `${command} --system works on ${dir} for every user, which only root may change: run \`sudo ${invocation(running)} ${command} --system\`, or ${alone}.`,
  );
}

// Every user must be able to run what the shims run: DIR, and what runs where it is (this Node
// and this bundle, or npm's binary: a checkout or a prefix in root's home is out of their
// reach). The binary from a release is copied into DIR.
export function checkUsableByAll(dir: string, running: Running): void {
  const parent = nearestExisting(dir);
  const blocker = keepsOthersOut(parent, 0o001);
  if (blocker) {
    throw new UserError(
      `setup --system installs for every user, but other users cannot reach ${dir}: ${blocker} is mode ${modeOf(blocker)}. Choose a directory they can reach with --dir, or make ${blocker} searchable by them (chmod o+x).`,
    );
  }
  const files: (readonly [string, number])[] =
    running.kind === 'bundle'
      ? [
          [running.node, 0o005],
          [running.bundle, 0o004],
        ]
      : isFromNpm(running)
        ? [[running.binary, 0o005]]
        : [];
  for (const [file, bits] of files) {
    const out = keepsOthersOut(file, bits);
    if (!out) continue;
    const fix =
      running.kind === 'bundle'
        ? `Run setup --system from the single executable (npm run build:binary), which copies itself into ${dir}, or put Node and pip-guard where every user can read them.`
        : `Install pip-guard with npm where every user can read it (\`sudo npm install -g pip-guard\`), or with the installer's --system, which copies it into ${dir}.`;
    throw new UserError(
      `setup --system from ${running.kind === 'bundle' ? 'the bundle' : "npm's binary"} would make every user's pip run ${file}, but other users cannot reach it: ${out} is mode ${modeOf(out)}. ${fix}`,
    );
  }
}
