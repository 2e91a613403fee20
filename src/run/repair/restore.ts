// `pip-guard repair --restore BUNDLE`: every package the repair took off the system put back
// exactly as it was (restore.py, as the owner of its site directory), then what the repair
// installed into homes taken back out. The bundle is checked whole first (every file there, with
// the sha256 its manifest gives it): a damaged one changes nothing.
import { createHash } from 'node:crypto';
import { chownSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Env } from '../../base/env.js';
import { UserError } from '../../base/errors.js';
import { which } from '../../facts/path-search.js';
import type { Bundle, BundledPackage } from '../../facts/repair-bundles.js';
import { siteOwner } from '../../facts/repair-facts.js';
import { type RemovalAs, removalAs } from '../../policy/repair.js';
import { captureAsOwner, consentToSudo } from './as-owner.js';
import { journal } from './bundle.js';
import { waitForStopped } from './carry.js';
import { type HomeContext, undoHome } from './homes.js';
import RESTORE from './restore.py';

export interface Restored {
  restored: string[];
  inPlace: string[];
  // Apps and libraries taken back out of their homes ("name version"), and what could not be.
  undone: string[];
  problems: string[];
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

// Every file the manifest names is there, as it was written.
export function checkBundle(bundle: Bundle): void {
  for (const p of bundle.manifest.packages) {
    for (const [file, sum] of [
      [p.wheel, p.wheelSha256],
      [p.saved, p.savedSha256],
    ] as const) {
      let same = false;
      try {
        same = sha256(join(bundle.dir, file)) === sum;
      } catch {}
      if (!same)
        throw new UserError(
          `${bundle.dir} is damaged: ${file} is missing or differs from the sha256 its bundle.json gives it, so nothing was restored. ` +
            'A bundle is only as good as its files: if you have a copy of that directory, restore from it.',
        );
    }
  }
}

// How to write into SITE (or where it would be made again): as its owner.
function writerOf(site: string): RemovalAs {
  return removalAs(siteOwner(site), process.geteuid?.() ?? 0, Boolean(which('sudo', process.env)));
}

// The files restore.py reads: the bundle's own, or (as root for another user, whom root's bundle
// is closed to) copies in a private temporary directory handed to that user.
function stage(packages: BundledPackage[], bundle: Bundle, as: RemovalAs): { dir: string; staging?: string } {
  if (as.as !== 'owner' || as.via !== 'setpriv') return { dir: bundle.dir };
  const staging = mkdtempSync(join(tmpdir(), 'pip-guard-restore-'));
  for (const p of packages)
    for (const file of [p.wheel, p.saved])
      copyFileSync(join(bundle.dir, file), join(staging, basename(file)));
  for (const name of ['', ...packages.flatMap((p) => [p.wheel, p.saved].map((f) => basename(f)))])
    chownSync(join(staging, name), as.uid, as.gid);
  return { dir: staging, staging };
}

async function restoreSite(
  site: string,
  packages: BundledPackage[],
  bundle: Bundle,
  as: RemovalAs,
  env: Env,
) {
  const { dir, staging } = stage(packages, bundle, as);
  const file = (f: string) => (staging ? join(dir, basename(f)) : join(dir, f));
  const jobs = packages.map((p) => ({ site, distInfo: p.id, wheel: file(p.wheel), saved: file(p.saved) }));
  try {
    const python = packages[0]?.python as string;
    const args = ['-I', '-S', '-B', '-c', RESTORE, JSON.stringify({ packages: jobs })];
    const result = await captureAsOwner(as, python, args, env);
    let answer: { problem?: string; packages?: { distInfo: string; state: string }[] } = {};
    try {
      answer = JSON.parse(result.stdout.trim().split('\n').pop() ?? '');
    } catch {}
    if (!answer.packages) {
      const why = answer.problem ?? (result.stderr.trim() || `exit code ${result.code}`);
      throw new UserError(
        `pip-guard could not put the packages back into ${site}: ${why}. Nothing was written there.`,
      );
    }
    return answer.packages;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

export async function restoreBundle(bundle: Bundle, ctx: HomeContext, sudo: boolean): Promise<Restored> {
  if (bundle.state === 'building')
    throw new UserError(
      `${bundle.dir} was cut short while pip-guard wrote it, before anything was moved: there is nothing to restore from it.`,
    );
  checkBundle(bundle);
  await waitForStopped(bundle.journal);
  const { manifest } = bundle;
  const ids = new Set(manifest.units.flatMap((u) => u.remove));
  const packages = manifest.packages.filter((p) => ids.has(p.id));
  const sites = [...new Set(packages.map((p) => p.siteDir))];
  const writers = new Map(sites.map((site) => [site, writerOf(site)]));
  for (const [site, as] of writers)
    if (as.as === 'none')
      throw new UserError(`pip-guard cannot write into ${site}: ${as.why}. Nothing was restored.`);
  const viaSudo = sites.filter((site) => {
    const as = writers.get(site) as RemovalAs;
    return as.as === 'owner' && as.via === 'sudo';
  });
  await consentToSudo(viaSudo, sudo, 'put packages back');
  const done: Restored = { restored: [], inPlace: [], undone: [], problems: [] };
  for (const site of sites) {
    const here = packages.filter((p) => p.siteDir === site);
    for (const r of await restoreSite(site, here, bundle, writers.get(site) as RemovalAs, ctx.env))
      (r.state === 'restored' ? done.restored : done.inPlace).push(r.distInfo);
  }
  // Then the homes, newest first: what this repair installed there, and only that.
  for (const unit of [...manifest.units].reverse()) {
    // Every run that started this home says what it installed there.
    const installed = bundle.journal.flatMap((e) =>
      e.event === 'home' && e.lead === unit.lead ? e.installing : [],
    );
    if (installed.length === 0) continue;
    const undone = await undoHome(unit, [...new Set(installed)], ctx);
    if (typeof undone === 'string') done.problems.push(undone);
    else done.undone.push(...undone);
  }
  journal(bundle.dir, { event: 'restored' });
  return done;
}
