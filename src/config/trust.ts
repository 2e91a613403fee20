// Trust for JavaScript config files, which run code when loaded: `pip-guard trust FILE` records
// sha256(absolute path + content) under ${XDG_STATE_HOME:-~/.local/state}/pip-guard/trust/, so
// that the same file with the same content loads, and any edit revokes the trust.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Env, stateDir } from '../base/env.js';
import { UserError, unwritableDir } from '../base/errors.js';
import { statOf, whyNot } from '../base/files.js';
import { isOwn, keeperOf, ownStateDir, readOwnJson, writeOwnFile } from '../base/own-files.js';

interface TrustRecord {
  path: string;
  sha256: string;
  trustedAt: string;
}

// Undefined when the state directory is somebody else's (own-files.ts): then nothing is trusted.
const trustDir = (env: Env) => ownStateDir(env, 'trust');

export function fingerprint(file: string, content: string | Buffer): string {
  return createHash('sha256').update(resolve(file)).update('\0').update(content).digest('hex');
}

export function isTrusted(env: Env, file: string, content: string | Buffer): boolean {
  const dir = trustDir(env);
  return dir !== undefined && isOwn(statOf(join(dir, fingerprint(file, content)), true));
}

// Trust kept in somebody else's directory would be theirs to give: one paragraph instead.
function foreignState(env: Env, path: string, outcome: string, command: string): UserError {
  const dir = stateDir(env);
  return new UserError(
    `pip-guard keeps its trust records in ${dir}, which belongs to another user (uid ${keeperOf(dir)}), not to you, so ${path} ${outcome}. ` +
      `Run \`pip-guard ${command}\` as that user, or set XDG_STATE_HOME to a directory of yours (under sudo: leave out -E).`,
  );
}

export function trust(env: Env, file: string): TrustRecord {
  const path = resolve(file);
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (error) {
    throw new UserError(
      `${path} cannot be read (${whyNot(error, path)}): name a config file you may read.`,
      2,
    );
  }
  const sha256 = fingerprint(path, content);
  const record = { path, sha256, trustedAt: new Date().toISOString() };
  const dir = trustDir(env);
  if (!dir) throw foreignState(env, path, 'is not trusted', 'trust');
  try {
    writeOwnFile(join(dir, sha256), `${JSON.stringify(record)}\n`);
  } catch (error) {
    throw unwritableTrust(dir, error, `${path} is not trusted`, 'trust');
  }
  return record;
}

// The trust directory could not be changed: what stays as it was, and the command to run again.
const unwritableTrust = (dir: string, error: unknown, stays: string, command: string) =>
  unwritableDir(
    dir,
    'its trust records',
    'XDG_STATE_HOME',
    error,
    stays,
    `run \`pip-guard ${command}\` again`,
  );

// The trust records (none where the directory cannot be read: then nothing is trusted either).
export function listTrusted(env: Env): TrustRecord[] {
  const dir = trustDir(env);
  let names: string[];
  try {
    names = dir ? readdirSync(dir) : [];
  } catch {
    return [];
  }
  return names.flatMap((name) => readOwnJson<TrustRecord>(join(dir as string, name)) ?? []);
}

// Removes every record for the file, whatever content it was trusted with; says how many.
export function untrust(env: Env, file: string): number {
  const path = resolve(file);
  const records = listTrusted(env).filter((record) => record.path === path);
  const dir = trustDir(env) as string;
  try {
    for (const record of records) rmSync(join(dir, record.sha256), { force: true });
  } catch (error) {
    throw unwritableTrust(dir, error, `${path} is still trusted`, 'untrust');
  }
  return records.length;
}
