// npm run bench keeps working: one run with the smallest repeat count, its JSON complete.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readJson } from '../../src/base/files.js';
import { ROOT, sandbox } from './harness.js';

interface Figure {
  id: string;
  ratio: number;
  goal: number;
  pipGuard: { median: number };
  yardstick: { median: number };
}

it('measures every figure of issues 10 and 16 and writes them as JSON', { timeout: 600_000 }, () => {
  const box = sandbox();
  const out = join(box.dir, 'bench.json');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bench.mjs'), '--runs', '1', '--out', out], {
    stdio: 'pipe',
  });
  const results = readJson<{ figures: Figure[]; memory: { mib: number }[]; lock: { median: number } }>(out);
  expect(results).toBeDefined();
  const ids = new Set(results?.figures.map((f) => f.id));
  expect([...ids].sort()).toEqual(['A', 'P1', 'P1b', 'P2', 'P3', 'P4', 'P5']);
  for (const f of results?.figures ?? []) {
    expect(f.pipGuard.median).toBeGreaterThan(0);
    expect(f.yardstick.median).toBeGreaterThan(0);
    expect(f.ratio).toBeCloseTo(f.pipGuard.median / f.yardstick.median);
  }
  expect(results?.memory.length).toBeGreaterThan(0);
  expect(results?.memory.every((m) => m.mib > 10)).toBe(true);
  expect(results?.lock.median).toBeGreaterThanOrEqual(0);
});
