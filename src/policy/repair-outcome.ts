// What a repair came to, from what happened (pure): the last line and the exit code, and the
// plan of a stopped repair as its bundle keeps it.
import type { Manifest } from '../facts/repair-bundles.js';
import type { PackagePlan, RepairPlan } from './repair.js';
import { type Outcome, outcomeLine } from './repair-text.js';

// What a run of the repair did (run/repair/carry.ts): the packages it took off the system, and
// the step that failed or the signal that stopped it.
export interface Happened {
  removed: readonly string[];
  failed?: { problem: string };
  interrupted?: string;
}

export function ending(
  plan: RepairPlan,
  carried: Happened,
  bundle: string,
): { line: string; code: number; outcome: Outcome } {
  const moving = plan.packages.filter((p) => p.action !== 'stay');
  const outcome: Outcome = {
    bundle,
    moved: moving.filter((p) => carried.removed.includes(p.id)),
    stayed: plan.packages.filter((p) => p.action === 'stay'),
    notMoved: moving.filter((p) => !carried.removed.includes(p.id)),
    failed: carried.failed?.problem,
    interrupted: carried.interrupted,
  };
  return { line: outcomeLine(outcome), code: carried.failed ? 1 : 0, outcome };
}

// The plan of a stopped repair, as its bundle has it: what it takes off the system, and where to.
export function bundlePlan(manifest: Manifest): RepairPlan {
  const leaving = new Set(manifest.units.flatMap((u) => u.remove));
  const packages = manifest.packages
    .filter((p) => leaving.has(p.id))
    .map((p): PackagePlan => {
      const own = manifest.units.find((u) => u.lead === p.id);
      const along = manifest.units.filter((u) => u !== own && u.install.includes(p.id));
      const names = along.map((u) => manifest.packages.find((x) => x.id === u.lead)?.name ?? u.lead);
      const action = own ? (own.to === 'distribution' ? 'distribution' : own.to) : 'along';
      return { ...p, action, with: [], along: names, removes: [] };
    });
  return { packages, units: manifest.units };
}
