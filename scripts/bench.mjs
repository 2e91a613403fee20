// npm run bench: what pip-guard costs, as ratios to the real pip measured side by side in one
// run (interleaved, median of N), so a noisy shared machine moves both sides alike.
// The shims run the single executable (dist/pip-guard), as users' do; the last rows put the
// bundle (dist/pip-guard.cjs, the npm package) beside it, on the Node that runs this script
// when it can run the bundle (>= 20.19), and on the Node 24 the binary embeds.
// Usage: node scripts/bench.mjs [--runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedNodePath } from './embedded-node.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const root = fileURLToPath(new URL('..', import.meta.url));
const binary = join(root, 'dist', 'pip-guard');
const bundle = join(root, 'dist', 'pip-guard.cjs');
const node24 = cachedNodePath();
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
execFileSync(binary, ['setup', '--dir', shims], { env: { ...env, PATH: systemPath } });
// The bundle's shims, one directory per Node that runs it.
const [major, minor] = process.versions.node.split('.').map(Number);
const bundleNodes = [
  [`Node ${process.versions.node}`, process.execPath],
  ['Node 24, the embedded one', node24],
];
if (major < 20 || (major === 20 && minor < 19)) bundleNodes.shift();
const bundleShims = bundleNodes.map(([label, node], i) => {
  const shimDir = join(dir, `bundle-shims-${i}`);
  execFileSync(node, [bundle, 'setup', '--dir', shimDir], { env: { ...env, PATH: systemPath } });
  return [label, shimDir];
});
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
    'pip-guard alone (the binary: start, parse, decide)',
    ['sh', ['-c', `PIP_GUARD_REAL_PIP=/bin/true exec ${shims}/pip list`]],
    ['/bin/true', []],
  ],
  // The same against a Node that starts and does nothing: what pip-guard's own code costs.
  [
    'pip-guard over a bare `node -e 0` (Node 24)',
    ['sh', ['-c', `PIP_GUARD_REAL_PIP=/bin/true exec ${shims}/pip list`]],
    [node24, ['-e', '0']],
  ],
  ...bundleShims.map(([label, shimDir]) => [
    `the bundle alone on ${label}`,
    ['sh', ['-c', `PIP_GUARD_REAL_PIP=/bin/true exec ${shimDir}/pip list`]],
    ['/bin/true', []],
  ]),
];

const embedded = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
console.log(
  `pip-guard bench: median of ${runs} interleaved runs each; the shims run dist/pip-guard (Node ${embedded})\n`,
);
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
