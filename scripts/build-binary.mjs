// npm run build:binary [-- PLATFORM]: dist/pip-guard, one file that runs with no Node installed.
// A Node single-executable application (SEA): the bundle (dist/pip-guard.cjs, built first) is
// injected into a copy of a pinned Node 24 (scripts/embedded-node.mjs). The preparation blob
// must come from that same Node (its V8 code cache is only valid there), so a platform builds
// on that platform: linux-x64 here; darwin-* on a Mac (postject's Mach-O segment, codesign).
// https://nodejs.org/api/single-executable-applications.html
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CACHE, DEFAULT_PLATFORM, embeddedNode, platformPackage, ROOT } from './embedded-node.mjs';

const platform = process.argv[2] ?? DEFAULT_PLATFORM;
const bundle = join(ROOT, 'dist', 'pip-guard.cjs');
const output = join(ROOT, 'dist', 'pip-guard');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const log = (message) => console.error(`build-binary: ${message}`);

// The SEA configuration. execArgvExtension "none": the user's NODE_OPTIONS is for their Node
// programs, not for a pip shim; honouring it would let a `--require` there run code inside
// pip-guard, and a flag Node 24 no longer takes would stop every guarded pip command.
const seaConfig = (blob) => ({
  main: bundle,
  output: blob,
  disableExperimentalSEAWarning: true,
  useCodeCache: true,
  execArgvExtension: 'none',
});

// The sentinel postject flips to tell Node a blob is present, as `grep -ao` would find it.
function findFuse(binary) {
  const found = new Set(
    readFileSync(binary)
      .toString('latin1')
      .match(/NODE_SEA_FUSE_[0-9a-f]+/g),
  );
  if (found.size !== 1) {
    throw new Error(
      `${binary} holds ${found.size} NODE_SEA_FUSE_ sentinels, not one: is it a Node ≥ 20 binary?`,
    );
  }
  return [...found][0];
}

function run(file, args) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(
      `${file} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`,
    );
  }
}

// A copy of the embedded Node with the blob injected, in the work directory.
function inject(node, blob, work) {
  const binary = join(work, 'pip-guard');
  copyFileSync(node, binary);
  chmodSync(binary, 0o755);
  const macos = platform.startsWith('darwin-');
  // macOS: the copied signature would no longer match; sign again (ad hoc) after injecting.
  if (macos) run('codesign', ['--remove-signature', binary]);
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  run(process.execPath, [
    postject,
    binary,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    findFuse(node),
    ...(macos ? ['--macho-segment-name', 'NODE_SEA'] : []),
  ]);
  if (macos) run('codesign', ['--sign', '-', binary]);
  return binary;
}

async function main() {
  platformPackage(platform);
  const host = `${process.platform}-${process.arch}`;
  if (platform !== host) {
    throw new Error(
      `cannot build ${platform} on ${host}: the embedded Node writes the blob itself, so build on a ${platform} machine.`,
    );
  }
  const started = Date.now();
  const node = await embeddedNode(platform, log);
  const work = mkdtempSync(join(CACHE, 'build-'));
  try {
    const config = join(work, 'sea-config.json');
    const blob = join(work, 'pip-guard.blob');
    writeFileSync(config, JSON.stringify(seaConfig(blob)));
    run(node, ['--experimental-sea-config', config]);
    const binary = inject(node, blob, work);
    const answer = run(binary, ['--version']).trim();
    if (answer !== version) throw new Error(`${binary} --version printed ${answer}, not ${version}`);
    renameSync(binary, output);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`wrote ${output} (${platform}, Node ${run(node, ['--version']).trim()}) in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(`build-binary: ${error.message}`);
  process.exit(1);
});
