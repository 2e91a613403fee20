// npm run bench: issues 10's, 16's, 20's and 24's figures, each a ratio of pip-guard to its yardstick
// measured side by side in one run (interleaved, medians with the middle half's spread), so that
// a noisy shared machine moves both sides alike. Hermetic like the tests: its own HOME, pip
// config, wheels, pipx home, and Debian's externally-managed /usr/bin/pip as the real pip.
// The shims run the single executable (dist/pip-guard, Bun-compiled), as users' do. A (pip-guard
// alone) and M are measured for the bundle (dist/pip-guard.cjs, the npm package's) too, on the
// tests' Node 24 and on this Node when it can run the bundle (>= 20.19).
// Usage: node scripts/bench.mjs [--runs N] [--out FILE]   (writes FILE, default dist/bench.json)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hookFigures } from './bench-hook.mjs';
import { BUN_VERSION } from './bun.mjs';
import { embeddedNode } from './embedded-node.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
};
const runs = Number(option('--runs', 15));
// The slow figures (a venv made, a pipx install) run fewer times.
const slowRuns = Math.max(1, Math.ceil(runs / 3));
const root = fileURLToPath(new URL('..', import.meta.url));
const out = option('--out', join(root, 'dist', 'bench.json'));
const binary = join(root, 'dist', 'pip-guard');
const bundle = join(root, 'dist', 'pip-guard.cjs');
const node24 = await embeddedNode((message) => console.error(`bench: ${message}`));
const dir = mkdtempSync(join(tmpdir(), 'pip-guard-bench-'));
const home = join(dir, 'home');
const systemPath = '/usr/local/bin:/usr/bin:/bin';
const wheels = join(dir, 'wheels');

const baseEnv = {
  HOME: home,
  PATH: systemPath,
  LANG: 'C.UTF-8',
  PIP_CONFIG_FILE: '/dev/null',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PIPX_HOME: join(dir, 'pipx'),
  PIPX_BIN_DIR: join(dir, 'pipx-bin'),
  PIPX_SHARED_LIBS: join(dir, 'pipx-shared'),
};

// --- the sandbox: shims for the binary and the bundle, wheels, projects, pipx's shared venv
const run = (file, args, env = baseEnv, cwd = dir) => execFileSync(file, args, { env, cwd, stdio: 'pipe' });
mkdirSync(home);
const make = (...args) =>
  run('/usr/bin/python3', [join(root, 'test', 'fixtures', 'make_wheel.py'), wheels, ...args]);
make('demo', '1.0');
make('demo-app', '1.0', '--app');
make('wheel', '0.0.1');
run('/usr/bin/python3', ['-m', 'venv', baseEnv.PIPX_SHARED_LIBS]);
run(join(baseEnv.PIPX_SHARED_LIBS, 'bin', 'python'), [
  '-m',
  'pip',
  'install',
  '-q',
  '--no-index',
  '-f',
  wheels,
  'wheel',
]);

const shims = { binary: join(dir, 'shims') };
run(binary, ['setup', '--dir', shims.binary]);
const [major, minor] = process.versions.node.split('.').map(Number);
const bundleNodes = [['bundle on Node 24', node24]];
if (major > 20 || (major === 20 && minor >= 19))
  bundleNodes.push([`bundle on Node ${major}`, process.execPath]);
for (const [label, node] of bundleNodes) {
  shims[label] = join(dir, `shims-${label.replaceAll(' ', '-')}`);
  run(node, [bundle, 'setup', '--dir', shims[label]]);
}
const envFor = (variant, extra = {}) => ({ ...baseEnv, PATH: `${shims[variant]}:${systemPath}`, ...extra });

const project = join(dir, 'project');
mkdirSync(project);
writeFileSync(join(project, 'pyproject.toml'), '');
run(
  join(shims.binary, 'pip'),
  ['install', '-q', '--no-index', '-f', wheels, 'demo'],
  envFor('binary'),
  project,
);
const venv = join(project, '.venv');
const outside = join(dir, 'nowhere');
mkdirSync(outside);
const active = join(dir, 'active-venv');
run('/usr/bin/python3', ['-m', 'venv', active]);
run(join(active, 'bin', 'pip'), ['install', '-q', '--no-index', '-f', wheels, 'demo']);
const caCerts = '/etc/ssl/certs/ca-certificates.crt';

// --- measuring
const clock = (file, args, env, cwd, before) => {
  before?.();
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${file} ${args.join(' ')} exited ${result.status} (in ${cwd}):\n${result.stderr}`);
  return ms;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const summary = (xs) => ({ median: quantile(xs, 0.5), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75) });

// A and B interleaved, `n` times each after one warm-up of each.
function pair(a, b, n) {
  clock(...a);
  clock(...b);
  const [as, bs] = [[], []];
  for (let i = 0; i < n; i++) {
    as.push(clock(...a));
    bs.push(clock(...b));
  }
  return { pipGuard: summary(as), yardstick: summary(bs) };
}

const figures = [];
function figure(id, measures, goal, result) {
  const ratio = result.pipGuard.median / result.yardstick.median;
  figures.push({ id, measures, goal, ratio, met: goal === undefined ? undefined : ratio <= goal, ...result });
}

// P1: the shim's fast path, no Node.
for (const args of [['--version'], ['help']]) {
  figure(
    'P1',
    `pip ${args.join(' ')}: the shim vs the real pip`,
    1.02,
    pair(['pip', args, envFor('binary'), project], ['/usr/bin/pip', args, baseEnv, project], runs),
  );
}

// P6: `python3 -c pass` through pip-guard's python shim (issue 20), inside a project (the shim
// runs its venv's Python) and outside any (the next python3 on PATH), vs the interpreter it ends
// in. Python starts in a few ms, so these run four times as often.
for (const [where, cwd, python] of [
  ['inside a project, vs its .venv/bin/python3', project, join(venv, 'bin', 'python3')],
  ['outside any project, vs /usr/bin/python3', outside, '/usr/bin/python3'],
]) {
  figure(
    'P6',
    `python3 -c pass through the python shim ${where}`,
    1.05,
    pair(
      ['python3', ['-c', 'pass'], envFor('binary'), cwd],
      [python, ['-c', 'pass'], baseEnv, cwd],
      runs * 4,
    ),
  );
}

// P6's floor on this machine: a one-line sh script that execs the venv's python3, the least any
// shim that is a program of its own can cost (one more exec, of sh), beside the same yardstick.
const floorShim = join(dir, 'floor-shim');
writeFileSync(floorShim, `#!/bin/sh\nexec ${join(venv, 'bin', 'python3')} "$@"\n`, { mode: 0o755 });
figure(
  'P6',
  'the floor of any shim: a one-line sh script that execs .venv/bin/python3, -c pass, vs .venv/bin/python3',
  undefined,
  pair(
    [floorShim, ['-c', 'pass'], baseEnv, project],
    [join(venv, 'bin', 'python3'), ['-c', 'pass'], baseEnv, project],
    runs * 4,
  ),
);

// A: pip-guard alone on a guarded path, the real pip being /bin/true (no Python), against a
// trivial program (`console.log(1)`) compiled by the same Bun the same way, measured beside it:
// the runtime's own start is the floor on any machine. The bundles' figures, in ms beside
// /bin/true, are there for comparison.
const trivialSource = join(dir, 'trivial.cjs');
const trivial = join(dir, 'trivial');
writeFileSync(trivialSource, 'console.log(1);\n');
run(process.execPath, [
  join(root, 'scripts', 'build-binary.mjs'),
  '--bundle',
  trivialSource,
  '--out',
  trivial,
  // What build-binary checks the program prints for --version: the trivial one prints 1 for anything.
  '--version',
  '1',
]);
const alone = (variant) => ['pip', ['list'], envFor(variant, { PIP_GUARD_REAL_PIP: '/bin/true' }), outside];
for (const variant of Object.keys(shims)) {
  if (variant === 'binary') {
    figure(
      'A',
      'pip-guard alone: pip list through the shim, the real pip /bin/true, vs a console.log(1) compiled by the same Bun',
      1.5,
      pair(alone(variant), [trivial, [], baseEnv, outside], runs),
    );
    continue;
  }
  const result = pair(alone(variant), ['/bin/true', ['list'], baseEnv, outside], runs);
  figures.push({
    id: 'A',
    measures: `pip-guard alone, the ${variant}, vs /bin/true, in ms`,
    unit: 'ms',
    ratio: result.pipGuard.median / result.yardstick.median,
    ...result,
  });
}

// Whether a command started pip-guard (strace: an execve of a file named pip-guard): the shim
// answers the read-only commands it has a record for without it.
const straceLog = join(dir, 'trace.strace');
const traced = [
  '-f',
  '-q',
  '-ttt',
  '--seccomp-bpf',
  '-e',
  'trace=execve',
  '-e',
  'signal=none',
  '-o',
  straceLog,
];
function startsPipGuard(file, args, env, cwd) {
  clock('strace', [...traced, file, ...args], env, cwd);
  return /execve\("[^"]*\/pip-guard", .* = 0$/m.test(readFileSync(straceLog, 'utf8'));
}

// P1b, P2, P3: through pip-guard.
const install = ['install', '--no-index', '-f', wheels, 'demo'];
{
  const variant = 'binary';
  const env = envFor(variant);
  const suffix = '';
  // The read-only commands the shim answers from pip-guard's records, in a project (to its
  // .venv's pip) and outside any (to the real pip as typed).
  for (const args of [['list'], ['show', 'pip'], ['freeze']]) {
    const command = `pip ${args.join(' ')}`;
    for (const [where, cwd, yardstick] of [
      [`in a project, routed to its .venv, vs .venv/bin/${command}`, project, join(venv, 'bin', 'pip')],
      [`outside any project vs the real ${command}`, outside, '/usr/bin/pip'],
    ]) {
      // After the pair's warm-up, which leaves the records a first call writes.
      const result = pair(['pip', args, env, cwd], [yardstick, args, baseEnv, cwd], runs);
      const ran = startsPipGuard('pip', args, env, cwd);
      figure('P1b', `${command} ${where}${ran ? ' (pip-guard ran)' : ' (no pip-guard process)'}`, 1.02, {
        ...result,
        pipGuardRan: ran,
      });
    }
  }
  const certs = envFor(variant, { NODE_EXTRA_CA_CERTS: caCerts });
  const withCerts = pair(
    ['pip', ['list'], certs, project],
    [join(venv, 'bin', 'pip'), ['list'], { ...baseEnv, NODE_EXTRA_CA_CERTS: caCerts }, project],
    runs,
  );
  const ranWithCerts = startsPipGuard('pip', ['list'], certs, project);
  figure(
    'P1b',
    `pip list in a project with NODE_EXTRA_CA_CERTS set${ranWithCerts ? ' (pip-guard ran)' : ' (no pip-guard process)'}`,
    1.02,
    { ...withCerts, pipGuardRan: ranWithCerts },
  );
  const inActive = {
    ...env,
    PATH: `${shims[variant]}:${join(active, 'bin')}:${systemPath}`,
    VIRTUAL_ENV: active,
  };
  figure(
    'P2',
    `pip install of a satisfied requirement with an active venv's pip behind the shim vs that pip${suffix}`,
    1.05,
    pair(['pip', install, inActive, outside], [join(active, 'bin', 'pip'), install, baseEnv, outside], runs),
  );
  figure(
    'P3',
    `a refused install redirected into the existing .venv vs .venv/bin/pip install${suffix}`,
    1.05,
    pair(['pip', install, env, project], [join(venv, 'bin', 'pip'), install, baseEnv, project], runs),
  );
}

// P4: the first redirect in a fresh project vs the seed article's recipe; and its two parts,
// making the venv and the install, from runs of each side under strace (execve only, filtered in
// the kernel by seccomp, so both sides pay it alike): a run is split where `.venv/bin/pip` starts.
let fresh = 0;
const freshProject = () => {
  const path = join(dir, `fresh-${fresh++}`);
  mkdirSync(path);
  writeFileSync(join(path, 'pyproject.toml'), '');
  return path;
};
function parts(file, args, env) {
  clock('strace', [...traced, file, ...args], env, freshProject());
  const lines = readFileSync(straceLog, 'utf8').trim().split('\n');
  const at = (line) => Number(line?.split(/\s+/)[1]) * 1000;
  const first = lines[0]?.split(/\s+/)[0];
  const pip = lines.find((line) => /execve\("[^"]*\.venv\/bin\/pip", .* = 0$/.test(line));
  const end = lines.find((line) => line.startsWith(`${first} `) && line.includes('+++ exited with 0 +++'));
  if (!pip || !end)
    throw new Error(`P4: no .venv/bin/pip or no exit in the strace of ${file} ${args.join(' ')}`);
  return { make: at(pip) - at(lines[0]), install: at(end) - at(pip) };
}
const p4 = { pipGuard: [], yardstick: [] };
const p4Parts = { make: { pipGuard: [], yardstick: [] }, install: { pipGuard: [], yardstick: [] } };
const recipe = `/usr/bin/python3 -m venv .venv && .venv/bin/pip install --no-index -f ${wheels} demo`;
for (let i = 0; i <= slowRuns; i++) {
  const a = clock('pip', install, envFor('binary'), freshProject());
  const b = clock('sh', ['-c', recipe], baseEnv, freshProject());
  const c = parts(join(shims.binary, 'pip'), install, envFor('binary'));
  const d = parts('/bin/sh', ['-c', recipe], baseEnv);
  if (i === 0) continue;
  p4.pipGuard.push(a);
  p4.yardstick.push(b);
  for (const part of ['make', 'install']) {
    p4Parts[part].pipGuard.push(c[part]);
    p4Parts[part].yardstick.push(d[part]);
  }
}
figure(
  'P4',
  'the first redirect in a fresh project (make the venv, install one wheel) vs `python3 -m venv .venv && .venv/bin/pip install`',
  0.15,
  { pipGuard: summary(p4.pipGuard), yardstick: summary(p4.yardstick) },
);
const partFigure = (part, measures) =>
  figures.push({
    id: 'P4',
    measures,
    ratio: summary(p4Parts[part].pipGuard).median / summary(p4Parts[part].yardstick).median,
    pipGuard: summary(p4Parts[part].pipGuard),
    yardstick: summary(p4Parts[part].yardstick),
  });
partFigure(
  'make',
  'P4 part 1, making the venv: the first redirect until .venv/bin/pip starts vs `python3 -m venv .venv` (under strace)',
);
partFigure(
  'install',
  "P4 part 2, the install: from .venv/bin/pip's start to the end vs `.venv/bin/pip install` (under strace)",
);

// P5: a pipx redirect vs pipx install by hand (each from an empty pipx home).
const pipxEnv = { ...baseEnv, PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels };
const emptyPipx = () => rmSync(baseEnv.PIPX_HOME, { recursive: true, force: true });
const p5 = { pipGuard: [], yardstick: [] };
for (let i = 0; i <= slowRuns; i++) {
  const a = clock(
    'pip',
    ['install', 'demo-app'],
    {
      ...pipxEnv,
      ...envFor('binary', { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels, PIP_GUARD_POLICY: 'pipx' }),
    },
    outside,
    emptyPipx,
  );
  const b = clock('pipx', ['install', 'demo-app'], pipxEnv, outside, emptyPipx);
  if (i === 0) continue;
  p5.pipGuard.push(a);
  p5.yardstick.push(b);
}
figure('P5', 'pip install of an app, redirected to pipx, vs `pipx install` by hand', 1.05, {
  pipGuard: summary(p5.pipGuard),
  yardstick: summary(p5.yardstick),
});

// M: pip-guard's own peak RSS on a guarded call (the real pip is /bin/true, so no Python's
// memory counts), read by Python from the children's rusage.
const rss = (variant) =>
  Number(
    execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import resource, subprocess, sys; subprocess.run(sys.argv[1:]); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)',
        'sh',
        '-c',
        `PIP_GUARD_REAL_PIP=/bin/true exec ${shims[variant]}/pip list`,
      ],
      { env: baseEnv, cwd: project, encoding: 'utf8' },
    ).trim(),
  ) / 1024;
const memory = Object.keys(shims).map((variant) => ({
  variant,
  mib: summary(Array.from({ length: slowRuns }, () => rss(variant))).median,
}));

// L: the next install after pip-guard was killed (-9) while it made a venv: how long it waits
// beyond a plain first install. Creation is held up by a python that sleeps on `-m venv`.
function lockRecovery() {
  const slow = join(dir, 'slow-python');
  mkdirSync(slow, { recursive: true });
  writeFileSync(
    join(slow, 'python3'),
    '#!/bin/sh\n[ "$1 $2" = "-m venv" ] && sleep 60\nexec /usr/bin/python3 "$@"\n',
    { mode: 0o755 },
  );
  writeFileSync(
    join(slow, 'pip'),
    `#!${join(slow, 'python3')}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n`,
    { mode: 0o755 },
  );
  const waits = [];
  for (let i = 0; i < slowRuns; i++) {
    const where = freshProject();
    const killed = spawn(join(shims.binary, 'pip'), install, {
      env: { ...envFor('binary'), PIP_GUARD_REAL_PIP: join(slow, 'pip') },
      cwd: where,
      stdio: 'ignore',
      detached: true,
    });
    const lockDir = join(home, '.cache', 'pip-guard', 'locks');
    const deadline = Date.now() + 20_000;
    while (!(existsSync(lockDir) && execFileSync('ls', [lockDir]).toString().includes('.lock'))) {
      if (Date.now() > deadline) throw new Error('pip-guard never took the lock');
      spawnSync('sleep', ['0.05']);
    }
    spawnSync('sleep', ['0.3']);
    process.kill(-killed.pid, 'SIGKILL');
    const after = clock('pip', install, envFor('binary'), where);
    const clean = clock('pip', install, envFor('binary'), freshProject());
    waits.push(Math.max(0, after - clean));
  }
  return summary(waits);
}
const lock = lockRecovery();

// H: the prompt hook's cost per prompt (scripts/bench-hook.mjs).
const hook = hookFigures({
  pipGuard: join(shims.binary, 'pip-guard'),
  env: envFor('binary'),
  dir,
  places: { 'inside a project': project, 'outside any project': outside },
  runs: slowRuns,
});

// --- the report
const fmt = (ms) => `${ms.toFixed(0)} ms`;
console.log(
  `pip-guard bench, ${new Date().toISOString().slice(0, 10)}: medians (p25–p75) of ${runs} interleaved runs (${slowRuns} for P4, P5, M and L)`,
);
console.log(
  `binary: dist/pip-guard (Bun ${BUN_VERSION}); bundle on Node ${execFileSync(node24, ['--version']).toString().trim()}; this Node: ${process.version}\n`,
);
console.log(
  `${'fig'.padEnd(5)}${'ratio'.padStart(7)} ${'goal'.padStart(6)}  ${'pip-guard'.padEnd(22)}${'yardstick'.padEnd(22)}measures`,
);
for (const f of figures) {
  const span = (s) => `${fmt(s.median)} (${s.p25.toFixed(0)}–${s.p75.toFixed(0)})`.padEnd(22);
  const value = f.unit === 'ms' ? fmt(f.pipGuard.median) : `${f.ratio.toFixed(2)}×`;
  const goal = f.goal === undefined ? '' : f.unit === 'ms' ? `≤${f.goal} ms` : `≤${f.goal}`;
  console.log(
    `${f.id.padEnd(5)}${value.padStart(7)} ${goal.padStart(6)}${f.met === false ? '!' : ' '} ${span(f.pipGuard)}${span(f.yardstick)}${f.measures}`,
  );
}
for (const m of memory)
  console.log(
    `M    ${`${m.mib.toFixed(0)} MiB`.padStart(7)} ≤48 MiB${m.mib <= 48 ? ' ' : '!'} peak RSS of pip-guard on a guarded call (${m.variant})`,
  );
console.log(
  `L    ${fmt(lock.median).padStart(7)} ≤2 s${lock.median <= 2000 ? '   ' : '!  '} waiting, after kill -9 of pip-guard mid-creation, beyond a clean first install`,
);

for (const h of hook)
  console.log(
    `H    ${`${h.perPrompt.toFixed(3)} ms`.padStart(9)} ≤1 ms${h.met ? ' ' : '!'} the prompt hook, ${h.shell}, ${h.place}: ${h.prompts} prompts in ${fmt(h.withHook)} vs ${fmt(h.without)} without it; processes started per prompt: ${h.processesPerPrompt}`,
  );

mkdirSync(dirname(out), { recursive: true });
const results = {
  date: new Date().toISOString(),
  node: process.version,
  runs,
  slowRuns,
  figures,
  memory,
  lock,
  hook,
};
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${out}`);
rmSync(dir, { recursive: true, force: true });
