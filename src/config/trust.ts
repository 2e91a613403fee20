// Trust for JavaScript config files, which run code when loaded: `pip-guard trust FILE` records
// sha256(absolute path + content) under ${XDG_STATE_HOME:-~/.local/state}/pip-guard/trust/, so
// that the same file with the same content loads, and any edit revokes the trust.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Env, stateDir } from '../env.js';
import { readJson } from '../files.js';

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
  const sha256 = fingerprint(path, readFileSync(path));
  const record = { path, sha256, trustedAt: new Date().toISOString() };
  mkdirSync(trustDir(env), { recursive: true });
  writeFileSync(join(trustDir(env), sha256), `${JSON.stringify(record)}\n`);
  return record;
}

export function listTrusted(env: Env): TrustRecord[] {
  const dir = trustDir(env);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => readJson<TrustRecord>(join(dir, name)) ?? []);
}

// Removes every record for the file, whatever content it was trusted with; says how many.
export function untrust(env: Env, file: string): number {
  const path = resolve(file);
  const records = listTrusted(env).filter((record) => record.path === path);
  for (const record of records) rmSync(join(trustDir(env), record.sha256), { force: true });
  return records.length;
}
