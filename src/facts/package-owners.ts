// Which of the operating system's packages owns a file: dpkg on Debian and Ubuntu, rpm on Fedora,
// pacman on Arch. Read-only queries; the parsing of their answers is pure (tested in tables).
import { existsSync } from 'node:fs';
import type { Env } from '../base/env.js';
import { capture } from '../base/process.js';
import { which } from './path-search.js';

// The Debian package that installed `path`, when dpkg can tell: dpkg-query, which `dpkg -S`
// runs through PATH, by Debian's own path (doctor's PATH may hold only the shims and a Python).
export async function dpkgOwner(path: string): Promise<string | undefined> {
  const query = existsSync('/usr/bin/dpkg-query') ? '/usr/bin/dpkg-query' : 'dpkg-query';
  const result = await capture(query, ['-S', path]).catch(() => undefined);
  if (result?.code !== 0) return undefined;
  return /^([^:\s]+)(?::[^:\s]+)?: /.exec(result.stdout)?.[1];
}

// How to ask one package manager about many files, and read its answer: path → owner.
interface Manager {
  program: string;
  args: (paths: readonly string[]) => string[];
  owners: (stdout: string, paths: readonly string[]) => Map<string, string>;
  // Its exit code when it could not answer (dpkg: 1 is "some path has no owner", 2 an error).
  failed: (code: number) => boolean;
}

// dpkg -S reads a pattern: *, ?, [ and \ are escaped to look a path up literally (dpkg(1)).
export const dpkgPattern = (path: string) => path.replace(/[*?[\\]/g, (c) => `\\${c}`);

// `pkg: /path` or `pkg1, pkg2: /path` (a file two packages share), and `pkg:arch: /path`; its
// `diversion by …` lines name no owner.
export function dpkgOwners(stdout: string, paths: readonly string[]): Map<string, string> {
  const wanted = new Set(paths);
  const found = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([^:]+(?::[a-z0-9-]+)?(?:, [^:]+(?::[a-z0-9-]+)?)*): (\/.*)$/.exec(line);
    if (!m || line.startsWith('diversion by ') || !wanted.has(m[2] as string)) continue;
    const owners = (m[1] as string).split(', ').map((owner) => owner.replace(/:[a-z0-9-]+$/, ''));
    found.set(m[2] as string, [...new Set(owners)].join(', '));
  }
  return found;
}

// `rpm -qf --queryformat '%{NAME}\n' A B`: one line per path, in order, or `file A is not owned by
// any package`.
export function rpmOwners(stdout: string, paths: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  stdout
    .split('\n')
    .slice(0, paths.length)
    .forEach((line, i) => {
      if (line && !/ is not owned by any package$|^error: /.test(line)) found.set(paths[i] as string, line);
    });
  return found;
}

// `pacman -Qo A B`: `/path is owned by pkg 1.0-1`; the others only on stderr.
export function pacmanOwners(stdout: string, paths: readonly string[]): Map<string, string> {
  const wanted = new Set(paths);
  const found = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^(\/.*) is owned by (\S+) \S+$/.exec(line);
    if (m && wanted.has(m[1] as string)) found.set(m[1] as string, m[2] as string);
  }
  return found;
}

const MANAGERS: Manager[] = [
  {
    program: 'dpkg',
    args: (paths) => ['-S', ...paths.map(dpkgPattern)],
    owners: dpkgOwners,
    failed: (c) => c > 1,
  },
  // rpm exits with the number of files it found no owner for; pacman with 1 for any.
  {
    program: 'rpm',
    args: (paths) => ['-qf', '--queryformat', '%{NAME}\\n', ...paths],
    owners: rpmOwners,
    failed: () => false,
  },
  { program: 'pacman', args: (paths) => ['-Qo', ...paths], owners: pacmanOwners, failed: () => false },
];

export type Owners = { manager: string; owners: Map<string, string> } | { problem: string };

// A few hundred paths per call: well under any limit on a command line.
const CHUNK = 400;

// The owner of each of `paths` that the distribution's package manager knows, asked of the first
// manager on PATH (so that a test can put its own `dpkg` first). Without one, nothing can be
// checked: the caller must treat every file as possibly the distribution's.
export async function distributionOwners(paths: readonly string[], env: Env): Promise<Owners> {
  const manager = MANAGERS.find((m) => which(m.program, env));
  if (!manager)
    return { problem: `no package manager to ask (${MANAGERS.map((m) => m.program).join(', ')}) is on PATH` };
  const program = which(manager.program, env) as string;
  const owners = new Map<string, string>();
  for (let at = 0; at < paths.length; at += CHUNK) {
    const chunk = paths.slice(at, at + CHUNK);
    const result = await capture(program, manager.args(chunk), env).catch((error: Error) => ({
      code: undefined,
      stdout: '',
      stderr: error.message,
    }));
    if (result.code === undefined || manager.failed(result.code))
      return { problem: `\`${manager.program}\` failed: ${result.stderr.trim() || 'no output'}` };
    for (const [path, owner] of manager.owners(result.stdout, chunk)) owners.set(path, owner);
  }
  return { manager: manager.program, owners };
}
