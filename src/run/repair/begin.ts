// The start of `pip-guard repair --yes`, before anything is moved: the bundle made, every package
// that goes anywhere rebuilt into it (a package whose files changed meanwhile stays, and the plan
// is made again without it), the manifest written and the journal's first event. Stopped here,
// nothing has changed: the unfinished bundle is pip-guard's own, and goes.
import type { Env } from '../../base/env.js';
import { Interrupted } from '../../base/errors.js';
import { interruption } from '../../base/signals.js';
import type { BundledPackage, Manifest } from '../../facts/repair-bundles.js';
import { planRepair, type RepairInput, type RepairPlan } from '../../policy/repair.js';
import { createBundle, dropBundle, journal, type Rebuilt, rebuild, writeManifest } from './bundle.js';

export interface Begun {
  dir: string;
  manifest: Manifest;
  plan: RepairPlan;
  // The packages that could not be rebuilt after all, and why (they stay).
  changed: Map<string, string>;
}

const needed = (plan: RepairPlan) => [...new Set(plan.units.flatMap((u) => [...u.install, ...u.remove]))];

// The input with these packages' files found changed.
function withChanged(input: RepairInput, changed: ReadonlyMap<string, string>): RepairInput {
  const pythons = input.pythons.map((py) =>
    'problem' in py.site
      ? py
      : {
          ...py,
          site: {
            ...py.site,
            dists: py.site.dists.map((d) =>
              changed.has(d.distInfo) ? { ...d, problem: changed.get(d.distInfo) as string } : d,
            ),
          },
        },
  );
  return { ...input, pythons };
}

async function rebuildAll(
  dir: string,
  ids: readonly string[],
  input: RepairInput,
  env: Env,
): Promise<Rebuilt[]> {
  const results: Rebuilt[] = [];
  for (const py of input.pythons) {
    if ('problem' in py.site) continue;
    const site = py.site;
    const jobs = site.dists
      .filter((d) => ids.includes(d.distInfo))
      .map((d) => {
        const siteDir = py.damage.find((x) => x.distInfo === d.distInfo)?.siteDir ?? '';
        return { distInfo: d.distInfo, scheme: site.schemes[siteDir] ?? null, scripts: d.scripts };
      });
    results.push(...(await rebuild(dir, py.python, jobs, env)));
  }
  return results;
}

export async function beginRepair(
  input: RepairInput,
  plan: RepairPlan,
  env: Env,
  onBundle: (dir: string) => void,
): Promise<Begun> {
  const dir = createBundle(env);
  onBundle(dir);
  const built = new Map<string, Rebuilt & { wheel: string }>();
  const changed = new Map<string, string>();
  let current = plan;
  let facts = input;
  for (;;) {
    const todo = needed(current).filter((id) => !built.has(id) && !changed.has(id));
    if (todo.length === 0) break;
    for (const result of await rebuildAll(dir, todo, facts, env)) {
      if ('problem' in result) changed.set(result.distInfo, result.problem);
      else built.set(result.distInfo, result);
    }
    const signal = interruption();
    if (signal) {
      dropBundle(dir);
      throw new Interrupted(
        'interrupted while rebuilding the packages into the bundle: nothing was changed',
        signal,
      );
    }
    facts = withChanged(input, changed);
    current = planRepair(facts);
  }
  const packages = needed(current).map((id): BundledPackage => {
    const p =
      current.packages.find((x) => x.id === id) ??
      input.pythons.flatMap((py) => py.damage).find((d) => d.distInfo === id);
    const r = built.get(id) as Rebuilt & {
      wheel: string;
      wheelSha256: string;
      saved: string;
      savedSha256: string;
    };
    const { name, version, kind, python, siteDir } = p as Pick<
      BundledPackage,
      'name' | 'version' | 'kind' | 'python' | 'siteDir'
    >;
    return {
      id,
      name,
      version,
      kind,
      python,
      siteDir,
      wheel: r.wheel,
      wheelSha256: r.wheelSha256,
      saved: r.saved,
      savedSha256: r.savedSha256,
    };
  });
  const manifest: Manifest = {
    format: 1,
    created: new Date().toISOString(),
    packages,
    units: current.units,
    pips: Object.fromEntries(input.pythons.map((py) => [py.python, py.pipCommand])),
    makers: Object.fromEntries(input.pythons.map((py) => [py.python, py.maker])),
  };
  writeManifest(dir, manifest);
  journal(dir, { event: 'bundled' });
  return { dir, manifest, plan: current, changed };
}
