// Who a uid is, as /etc/passwd says: for messages about somebody else's directory, and for
// running a step as the owner of a site directory (their name for their groups, their HOME).
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export function passwdEntry(uid: number): PasswdEntry | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.split(':')[2] === String(uid));
    const [name, , , gid, , home] = line?.split(':') ?? [];
    return name ? { name, uid, gid: Number(gid), home: home ?? '/' } : undefined;
  } catch {
    return undefined;
  }
}

// The name /etc/passwd gives a uid.
export const userName = (uid: number) => passwdEntry(uid)?.name;
