// Trust for JavaScript config files, which run code when loaded: `pip-guard trust FILE` records
// sha256(absolute path + content) under ${XDG_STATE_HOME:-~/.local/state}/pip-guard/trust/, so
// that the same file with the same content loads, and any edit revokes the trust.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Env, stateDir } from '../env.js';
import { UserError, unwritableDir } from '../errors.js';
import { readJson, whyNot } from '../files.js';

interface TrustRecord {
  path: string;
  sha256: string;
  trustedAt: string;
}

const trustDir = (env: Env) => join(stateDir(env), 'trust');

export function fingerprint(file: string, content: string | Buffer): string {
  return createHash('sha256').update(resolve(file)).update('\0').update(content).digest('hex');
}

export function isTrusted(env: Env, file: string, content: string | Buffer): boolean {
  return existsSync(join(trustDir(env), fingerprint(file, content)));
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
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, sha256), `${JSON.stringify(record)}\n`);
  } catch (error) {
    throw unwritableDir(
      dir,
      'its trust records',
      'XDG_STATE_HOME',
      error,
      `${path} is not trusted`,
      'run `pip-guard trust` again',
    );
  }
  return record;
}

// The trust records (none where the directory cannot be read: then nothing is trusted either).
export function listTrusted(env: Env): TrustRecord[] {
  const dir = trustDir(env);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => readJson<TrustRecord>(join(dir, name)) ?? []);
}

// Removes every record for the file, whatever content it was trusted with; says how many.
export function untrust(env: Env, file: string): number {
  const path = resolve(file);
  const records = listTrusted(env).filter((record) => record.path === path);
  try {
    for (const record of records) rmSync(join(trustDir(env), record.sha256), { force: true });
  } catch (error) {
    throw unwritableDir(
      trustDir(env),
      'its trust records',
      'XDG_STATE_HOME',
      error,
      `${path} is still trusted`,
      'run `pip-guard untrust` again',
    );
  }
  return records.length;
}
