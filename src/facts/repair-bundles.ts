// pip-guard repair's restore bundles, read: each is a directory under the data directory
// (`repair/ID/`) with `bundle.json` (the packages, their rebuilt wheels and saved files with
// sha256, and the plan's homes in order) and `journal` (one JSON event a line, appended as the
// repair goes: what it started and finished). A bundle is used only when it, its manifest and its
// journal are this user's (own-files.ts): another user's could name what to put into the system.
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { dataDir, type Env } from '../base/env.js';
import { statOf } from '../base/files.js';
import { isOwn } from '../base/own-files.js';
import type { Damage } from './damage.js';

export const bundlesDir = (env: Env) => join(dataDir(env), 'repair');

// A package pip put into a Python, as repair names it.
export interface PackageRef {
  // Its .dist-info where pip had installed it.
  id: string;
  name: string;
  version: string;
  kind: Damage['kind'];
  python: string;
  siteDir: string;
}

export interface BundledPackage extends PackageRef {
  // In the bundle: the rebuilt wheel and the saved files (rewheel.py), with their sha256.
  wheel: string;
  wheelSha256: string;
  saved: string;
  savedSha256: string;
}

// One home of the plan (policy/repair.ts): installed (unless the home `had` it already), then
// `remove` taken off the system.
export interface BundledUnit {
  lead: string;
  python: string;
  to: 'pipx' | 'venv' | 'distribution';
  venv?: string;
  install: string[];
  had?: string;
  systemSite: boolean;
  remove: string[];
}

export interface Manifest {
  format: 1;
  created: string;
  packages: BundledPackage[];
  units: BundledUnit[];
  // Python → how its pip is run (the removals), and how its default venv is made.
  pips: Record<string, string[]>;
  makers: Record<string, { python: string; version: string; seedWheels?: string[] }>;
}

export type JournalEvent = { at: string } & (
  | { event: 'bundled' }
  | { event: 'home'; lead: string; state: 'start' | 'done'; installing: string[]; pid?: number }
  | { event: 'remove'; ids: string[]; state: 'start' | 'done'; pid?: number }
  | { event: 'done' }
  | { event: 'restored' }
);

export interface Bundle {
  dir: string;
  manifest: Manifest;
  journal: JournalEvent[];
  // building: stopped before every wheel was in it (nothing was moved); done: every home made
  // and every removal run; restored: put back by --restore.
  state: 'building' | 'unfinished' | 'done' | 'restored';
}

const isString = (v: unknown) => typeof v === 'string' && v !== '';
const PACKAGE_KEYS = [
  'id',
  'name',
  'version',
  'kind',
  'python',
  'siteDir',
  'wheel',
  'wheelSha256',
  'saved',
  'savedSha256',
];

// The manifest, if it has the shape pip-guard writes (a file named in it stays inside the bundle).
function manifestOf(value: unknown): Manifest | undefined {
  const m = value as Manifest;
  if (m?.format !== 1 || !Array.isArray(m.packages) || !Array.isArray(m.units) || typeof m.pips !== 'object')
    return undefined;
  const fine = m.packages.every(
    (p) =>
      PACKAGE_KEYS.every((key) => isString((p as unknown as Record<string, unknown>)[key])) &&
      isAbsolute(p.id) &&
      !`${p.wheel}/${p.saved}`.split('/').includes('..') &&
      !isAbsolute(p.wheel) &&
      !isAbsolute(p.saved),
  );
  const units = m.units.every((u) => isString(u.lead) && Array.isArray(u.install) && Array.isArray(u.remove));
  return fine && units ? m : undefined;
}

function journalOf(text: string): JournalEvent[] {
  return text
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        const event = JSON.parse(line) as JournalEvent;
        return typeof event?.event === 'string' ? [event] : [];
      } catch {
        // A line cut short by a kill: the events before it stand.
        return [];
      }
    });
}

const readOwn = (file: string) => (isOwn(statOf(file, true)) ? readFileSync(file, 'utf8') : undefined);

// The bundle at DIR, or why it is not one pip-guard can use.
export function readBundle(dir: string): Bundle | { problem: string } {
  const stat = statOf(dir, true);
  if (!stat) return { problem: 'there is no such directory' };
  if (!stat.isDirectory()) return { problem: 'it is not a directory' };
  if (!isOwn(stat)) return { problem: 'it belongs to another user, and only its owner may restore from it' };
  let text: string | undefined;
  try {
    text = readOwn(join(dir, 'bundle.json'));
  } catch {
    text = undefined;
  }
  if (text === undefined) return { problem: 'it has no bundle.json of yours: it is not a restore bundle' };
  let manifest: Manifest | undefined;
  try {
    manifest = manifestOf(JSON.parse(text));
  } catch {
    manifest = undefined;
  }
  if (!manifest)
    return { problem: 'its bundle.json is not one pip-guard wrote (it was cut short or edited)' };
  let journal: JournalEvent[] = [];
  try {
    journal = journalOf(readOwn(join(dir, 'journal')) ?? '');
  } catch {}
  const final = [...journal].reverse().find((e) => e.event === 'restored' || e.event === 'done')?.event;
  const bundled = journal.some((e) => e.event === 'bundled');
  const state = !bundled
    ? 'building'
    : final === 'restored'
      ? 'restored'
      : final === 'done'
        ? 'done'
        : 'unfinished';
  return { dir, manifest, journal, state };
}

// The bundles of repairs that were stopped before they finished (newest first).
export function unfinishedBundles(env: Env): Bundle[] {
  const top = bundlesDir(env);
  let names: string[];
  try {
    names = readdirSync(top).sort().reverse();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const bundle = readBundle(join(top, name));
    return 'manifest' in bundle && bundle.state === 'unfinished' ? [bundle] : [];
  });
}

// --restore's argument: a path, or a bundle's name under the data directory.
export function bundlePath(arg: string, env: Env, cwd: string): string {
  return arg.includes('/') || arg === '.' || arg === '..' ? resolve(cwd, arg) : join(bundlesDir(env), arg);
}
