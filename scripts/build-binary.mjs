// npm run build:binary [-- PLATFORM] [--out FILE] [--bundle FILE] [--version V]: dist/pip-guard,
// one file that runs with no Node or Bun installed: the bundle (dist/pip-guard.cjs, built first;
// --bundle another) compiled by Bun (`bun build --compile --bytecode`) into a copy of the pinned
// Bun runtime (scripts/bun.mjs). Bun compiles for every platform from any: another PLATFORM than
// this machine's is written to dist/pip-guard-PLATFORM. A binary for this machine must answer
// --version with package.json's version (--version: the one the bundle was built as).
// https://bun.com/docs/bundler/executables
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUN_VERSION, bunFor, hostPlatform, patchRuntime, platformPackage } from './bun.mjs';
import { signAdHoc } from './macho.mjs';
import { CACHE, ROOT } from './npm-program.mjs';

const { values: options, positionals } = parseArgs({
  options: { out: { type: 'string' }, bundle: { type: 'string' }, version: { type: 'string' } },
  allowPositionals: true,
});
const host = hostPlatform();
const platform = positionals[0] ?? host;
const bundle = resolve(options.bundle ?? join(ROOT, 'dist', 'pip-guard.cjs'));
const output = resolve(
  options.out ?? join(ROOT, 'dist', platform === host ? 'pip-guard' : `pip-guard-${platform}`),
);
const version = options.version ?? JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const log = (message) => console.error(`build-binary: ${message}`);

// Every --compile-autoload-* switch of Bun 1.4.5, off. By default a compiled program reads
// .env (and .env.local, .env.production…) and bunfig.toml from the directory it runs in: a
// cloned repository's .env could then set PIP_GUARD_POLICY, or PIP_INDEX_URL for every pip
// pip-guard runs, and its bunfig.toml could preload code into it. tsconfig.json and
// package.json are off by default; off here too, so a later Bun's default cannot turn them on.
const AUTOLOAD_OFF = [
  '--no-compile-autoload-dotenv',
  '--no-compile-autoload-bunfig',
  '--no-compile-autoload-tsconfig',
  '--no-compile-autoload-package-json',
];

// The builder's own BUN_* variables (BUN_OPTIONS above all) stay out of the build.
const buildEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BUN_')));

function run(file, args, cwd) {
  try {
    return execFileSync(file, args, {
      cwd,
      env: buildEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(
      `${file} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
    );
  }
}

async function main() {
  const { target } = platformPackage(platform);
  const started = Date.now();
  const compiler = await bunFor(host, log);
  const runtime = await bunFor(platform, log);
  // The work directory is the compiler's working directory too: no bunfig.toml or tsconfig.json
  // of the checkout's takes part in the build.
  const work = mkdtempSync(join(CACHE, 'build-'));
  try {
    const patched = join(work, 'bun-runtime');
    patchRuntime(runtime, patched);
    const binary = join(work, 'pip-guard');
    run(
      compiler,
      [
        'build',
        bundle,
        '--compile',
        '--bytecode',
        `--target=${target}`,
        `--compile-executable-path=${patched}`,
        ...AUTOLOAD_OFF,
        // cosmiconfig's loader for .ts configs, which pip-guard does not read (as in build.mjs).
        '--external',
        'typescript',
        '--outfile',
        binary,
      ],
      work,
    );
    // Bun signs what it writes for darwin-arm64 ad hoc, but leaves darwin-x64 with the runtime's
    // own signature over bytes it has since changed: a signature macOS refuses.
    if (platform === 'darwin-x64') signAdHoc(binary, 'pip-guard');
    if (platform === host) {
      const answer = run(binary, ['--version'], work).trim();
      if (answer !== version) throw new Error(`${binary} --version printed ${answer}, not ${version}`);
    }
    // Into place in one step, from beside it (the work directory may be on another file system).
    const beside = join(dirname(output), `.pip-guard-${process.pid}`);
    copyFileSync(binary, beside);
    renameSync(beside, output);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`wrote ${output} (${platform}, Bun ${BUN_VERSION}) in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(`build-binary: ${error.message}`);
  process.exit(1);
});
