// A fingerprint of what pip-guard must never touch: the system's site-packages and /usr/local/bin.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export const GUARDED = ['/usr/lib/python3/dist-packages', '/usr/local/lib/python3.11', '/usr/local/bin'];

function walk(path: string, hash: ReturnType<typeof createHash>): number {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    hash.update(`${path}\0absent\n`);
    return 0;
  }
  if (stat.isSymbolicLink()) {
    hash.update(`${path}\0link\0${readlinkSync(path)}\n`);
    return 1;
  }
  if (stat.isDirectory()) {
    hash.update(`${path}\0dir\0${stat.mode}\n`);
    let count = 1;
    for (const entry of readdirSync(path).sort()) count += walk(join(path, entry), hash);
    return count;
  }
  hash.update(`${path}\0file\0${stat.mode}\0`);
  hash.update(readFileSync(path));
  hash.update('\n');
  return 1;
}

// sha256 over every path, mode, link target and file content under the guarded directories.
export function fingerprint(): { digest: string; entries: number } {
  const hash = createHash('sha256');
  let entries = 0;
  for (const dir of GUARDED) entries += walk(dir, hash);
  return { digest: hash.digest('hex'), entries };
}
