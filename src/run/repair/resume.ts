// Picking up a repair that was stopped (a failure, Ctrl-C, kill -9) from its bundle: where each
// of its packages is now, and the rest of it carried out, from the same wheels and plan.
import { existsSync } from 'node:fs';
import type { Env } from '../../base/env.js';
import type { Bundle, BundledPackage } from '../../facts/repair-bundles.js';
import type { RemovalAs } from '../../policy/repair.js';
import { consentToSudo } from './as-owner.js';
import { type Carried, carryOut, waitForStopped } from './carry.js';
import { type HomeContext, homeDone } from './homes.js';
import { checkBundle } from './restore.js';

export interface Standing {
  package: BundledPackage;
  // In the site directory still; in its home (or in the home of what it goes with).
  inPlace: boolean;
  home: boolean;
  to: string;
}

// Where each package of the bundle stands now.
export function standing(bundle: Bundle, ctx: HomeContext): Standing[] {
  return bundle.manifest.packages.map((p) => {
    const units = bundle.manifest.units.filter((u) => u.install.includes(p.id) || u.lead === p.id);
    const to = units
      .map((u) => (u.to === 'venv' ? (u.venv ?? 'a venv') : u.to === 'pipx' ? 'pipx' : "the distribution's"))
      .join(', ');
    return { package: p, inPlace: existsSync(p.id), home: units.every((u) => homeDone(u, ctx)), to };
  });
}

export async function resumeCarry(
  bundle: Bundle,
  ctx: HomeContext,
  removals: Readonly<Record<string, RemovalAs>>,
  sudo: boolean,
  env: Env,
  report: (line: string) => void,
): Promise<Carried> {
  checkBundle(bundle);
  await waitForStopped(bundle.journal);
  const left = bundle.manifest.units.flatMap((u) => u.remove).filter((id) => existsSync(id));
  const sites = [
    ...new Set(bundle.manifest.packages.filter((p) => left.includes(p.id)).map((p) => p.siteDir)),
  ];
  const viaSudo = sites.filter((site) => {
    const as = removals[site];
    return as?.as === 'owner' && as.via === 'sudo';
  });
  await consentToSudo(viaSudo, sudo, 'remove packages');
  return carryOut({
    dir: bundle.dir,
    manifest: bundle.manifest,
    journal: bundle.journal,
    ctx,
    removals,
    env,
    report,
  });
}
