// npm run bench: what pip-guard costs, as ratios to the real pip measured side by side in one
// run (interleaved, median of N), so a noisy shared machine moves both sides alike.
// Usage: node scripts/bench.mjs [--runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'pip-guard.cjs');
const dir = mkdtempSync(join(tmpdir(), 'pip-guard-bench-'));
const home = join(dir, 'home');
const shims = join(dir, 'shims');
const project = join(dir, 'project');
mkdirSync(home);
mkdirSync(project);
writeFileSync(join(project, 'pyproject.toml'), '');
const systemPath = '/usr/local/bin:/usr/bin:/bin';
const env = {
  HOME: home,
  PATH: `${shims}:${systemPath}`,
  LANG: 'C.UTF-8',
  PIP_CONFIG_FILE: '/dev/null',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
};
execFileSync(process.execPath, [cli, 'setup', '--dir', shims], { env: { ...env, PATH: systemPath } });
const wheels = join(dir, 'wheels');
execFileSync('/usr/bin/python3', [join(root, 'test', 'fixtures', 'make_wheel.py'), wheels, 'demo', '1.0']);

const time = (file, args) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { env, cwd: project, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// [what, the command through the shim, the same command on the real pip]
const cases = [
  ['pip --version (shim fast path, no Node)', ['pip', ['--version']], ['/usr/bin/pip', ['--version']]],
  ['pip help (shim fast path, no Node)', ['pip', ['help']], ['/usr/bin/pip', ['help']]],
  ['pip list (through pip-guard, forwarded)', ['pip', ['list']], ['/usr/bin/pip', ['list']]],
  [
    'pip install --target (through pip-guard, forwarded)',
    ['pip', ['install', '-q', '--no-index', '-f', wheels, '--target', join(dir, 't'), '--upgrade', 'demo']],
    [
      '/usr/bin/pip',
      ['install', '-q', '--no-index', '-f', wheels, '--target', join(dir, 't'), '--upgrade', 'demo'],
    ],
  ],
  [
    'the shim alone (PIP_GUARD_REAL_PIP=/bin/true)',
    ['sh', ['-c', `PIP_GUARD_REAL_PIP=/bin/true exec ${shims}/pip --version`]],
    ['/bin/true', []],
  ],
  [
    'pip-guard alone (Node start, parse, decide)',
    ['sh', ['-c', `PIP_GUARD_REAL_PIP=/bin/true exec ${shims}/pip list`]],
    ['/bin/true', []],
  ],
  // The same against a Node that starts and does nothing: what pip-guard's own code costs.
  [
    'pip-guard over a bare `node -e 0`',
    ['sh', ['-c', `PIP_GUARD_REAL_PIP=/bin/true exec ${shims}/pip list`]],
    [process.execPath, ['-e', '0']],
  ],
];

console.log(`pip-guard bench: median of ${runs} interleaved runs each, on Node ${process.version}\n`);
console.log(`${'case'.padEnd(54)} ${'shim'.padStart(9)} ${'real'.padStart(9)}  ratio`);
for (const [label, shimmed, direct] of cases) {
  time(...shimmed);
  time(...direct);
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(time(...shimmed));
    b.push(time(...direct));
  }
  const [ma, mb] = [median(a), median(b)];
  const ratio =
    label.includes('alone') || label.includes('bare')
      ? `+${(ma - mb).toFixed(1)} ms`
      : `${(ma / mb).toFixed(2)}×`;
  console.log(`${label.padEnd(54)} ${ma.toFixed(1).padStart(7)}ms ${mb.toFixed(1).padStart(7)}ms  ${ratio}`);
}
rmSync(dir, { recursive: true, force: true });
