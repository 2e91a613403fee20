import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/facts/repair-bundles.js';
import { bundlePlan, ending } from '../../../src/policy/repair-outcome.js';

const S = '/usr/local/lib/python3.11/dist-packages';
const pkg = (name: string, kind: 'app' | 'library' | 'pip' = 'library') => ({
  id: `${S}/${name}-1.0.dist-info`,
  name,
  version: '1.0',
  kind,
  python: '/usr/bin/python3',
  siteDir: S,
  wheel: `wheels/${name}-1.0-py3-none-any.whl`,
  wheelSha256: 'a',
  saved: `saved/${name}-1.0.zip`,
  savedSha256: 'b',
});
const unit = (lead: string, to: 'pipx' | 'venv' | 'distribution', install: string[], remove: string[]) => ({
  lead: `${S}/${lead}-1.0.dist-info`,
  python: '/usr/bin/python3',
  to,
  install: install.map((n) => `${S}/${n}-1.0.dist-info`),
  systemSite: false,
  remove: remove.map((n) => `${S}/${n}-1.0.dist-info`),
});
const manifest: Manifest = {
  format: 1,
  created: '2026-12-06T00:00:00Z',
  // keep: installed with tool, but something staying needs it, so it is not removed
  packages: [pkg('tool', 'app'), pkg('lib'), pkg('keep'), pkg('pip', 'pip')],
  units: [
    unit('tool', 'pipx', ['tool', 'lib', 'keep'], ['tool', 'lib']),
    unit('pip', 'distribution', [], ['pip']),
  ],
  pips: {},
  makers: {},
};

describe("a stopped repair's plan, from its bundle", () => {
  it('has what the repair takes off the system, each with where it goes', () => {
    const plan = bundlePlan(manifest);
    expect(plan.packages.map((p) => [p.name, p.action, p.along])).toEqual([
      ['tool', 'pipx', []],
      ['lib', 'along', ['tool']],
      ['pip', 'distribution', []],
    ]);
    expect(plan.units).toBe(manifest.units);
  });
});

describe('what a repair came to', () => {
  const plan = bundlePlan(manifest);
  it('exit 0 when every step ran, 1 when one failed; moved is what left the system', () => {
    expect(ending(plan, { removed: plan.packages.map((p) => p.id) }, '/b').code).toBe(0);
    const failed = ending(plan, { removed: [`${S}/tool-1.0.dist-info`], failed: { problem: 'x' } }, '/b');
    expect(failed.code).toBe(1);
    expect(failed.outcome.moved.map((p) => p.name)).toEqual(['tool']);
    expect(failed.outcome.notMoved.map((p) => p.name)).toEqual(['lib', 'pip']);
    expect(failed.line).toMatch(/^pip-guard repair stopped, because a step failed/);
  });
});
