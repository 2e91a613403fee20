// npm run bench keeps working: one run with the smallest repeat count, its JSON complete.
// The run is awaited, not synchronous: a worker blocked for a minute misses vitest's own RPC
// deadline ("Timeout calling onTaskUpdate") and fails the run with every test green.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { readJson } from '../../src/base/files.js';
import { ROOT, sandbox } from './harness.js';

interface Hook {
  shell: string;
  place: string;
  perPrompt: number;
  processesPerPrompt: number;
}

interface Figure {
  id: string;
  measures: string;
  ratio: number;
  goal: number;
  pipGuardRan?: boolean;
  pipGuard: { median: number };
  yardstick: { median: number };
}

it('measures every figure of issues 10, 14, 16, 20 and 24 and writes them as JSON', {
  timeout: 600_000,
}, async () => {
  const box = sandbox();
  const out = join(box.dir, 'bench.json');
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'scripts', 'bench.mjs'), '--runs', '1', '--out', out],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const results = readJson<{
    figures: Figure[];
    memory: { mib: number }[];
    lock: { median: number };
    hook: Hook[];
  }>(out);
  expect(results).toBeDefined();
  const ids = new Set(results?.figures.map((f) => f.id));
  expect([...ids].sort()).toEqual(['A', 'P1', 'P1b', 'P2', 'P3', 'P4', 'P5', 'P6']);
  // P4 and its two parts, making the venv and the install.
  const p4 = results?.figures.filter((f) => f.id === 'P4').map((f) => f.measures) ?? [];
  expect(p4).toEqual([
    expect.stringContaining('the first redirect in a fresh project'),
    expect.stringContaining('making the venv'),
    expect.stringContaining('the install'),
  ]);
  // The shim answers the routed read-only commands: no pip-guard process (strace).
  const routed = results?.figures.filter((f) => f.id === 'P1b') ?? [];
  expect(routed.length).toBe(7);
  for (const f of routed) expect([f.measures, f.pipGuardRan]).toEqual([f.measures, false]);
  for (const f of results?.figures ?? []) {
    expect(f.pipGuard.median).toBeGreaterThan(0);
    expect(f.yardstick.median).toBeGreaterThan(0);
    expect(f.ratio).toBeCloseTo(f.pipGuard.median / f.yardstick.median);
  }
  expect(results?.memory.length).toBeGreaterThan(0);
  expect(results?.memory.every((m) => m.mib > 10)).toBe(true);
  expect(results?.lock.median).toBeGreaterThanOrEqual(0);
  const places = ['inside a project', 'outside any project'];
  expect(results?.hook.map((h) => `${h.shell}, ${h.place}`).sort()).toEqual(
    ['bash', 'fish', 'zsh'].flatMap((shell) => places.map((place) => `${shell}, ${place}`)),
  );
  for (const h of results?.hook ?? []) {
    expect(Number.isFinite(h.perPrompt)).toBe(true);
    expect(h.processesPerPrompt).toBe(0);
  }
});
