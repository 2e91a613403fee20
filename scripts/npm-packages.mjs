// The npm packages of a release, as esbuild, biome and bun ship theirs: `pip-guard` holds a
// launcher (shims/npm-bin.sh), the bundle and its licenses, and names one package per platform
// in optionalDependencies; `@pip-guard/PLATFORM` holds that platform's binary, with `os` and
// `cpu` (and `libc` on Linux) so that npm installs only the one that runs here. Their manifests
// are made from the checkout's package.json, which has no optionalDependencies itself: `npm ci`
// would fetch the published binaries into every checkout.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORMS } from './bun.mjs';
import { ROOT } from './npm-program.mjs';

export const SCOPE = '@pip-guard';

// What the published manifests take from the checkout's package.json as they are.
const SHARED = ['description', 'keywords', 'homepage', 'bugs', 'repository', 'license'];

// A release's platform names are npm's os and cpu names: linux-x64 → { os: 'linux', cpu: 'x64' }.
function osAndCpu(platform) {
  const [os, cpu] = platform.split('-');
  return { os, cpu };
}

const pick = (manifest, fields) =>
  Object.fromEntries(fields.filter((field) => manifest[field] !== undefined).map((f) => [f, manifest[f]]));

// Every platform's package, whichever this release built: it is what npm installs from.
export function mainManifest(root, version) {
  const platforms = Object.keys(PLATFORMS);
  return {
    name: root.name,
    version,
    ...pick(root, SHARED),
    bin: { 'pip-guard': 'bin/pip-guard' },
    files: ['bin/pip-guard', 'dist/pip-guard.cjs', 'dist/THIRD-PARTY-LICENSES.txt'],
    // The bundle's Node (the launcher needs none when a platform's binary is installed).
    engines: root.engines,
    optionalDependencies: Object.fromEntries(platforms.map((platform) => [`${SCOPE}/${platform}`, version])),
  };
}

// No `engines`: the package holds no JavaScript, and the binary runs without Node.
export function platformManifest(root, version, platform) {
  const { os, cpu } = osAndCpu(platform);
  return {
    name: `${SCOPE}/${platform}`,
    version,
    ...pick(root, SHARED),
    description: `pip-guard's single executable for ${platform}; install it with \`npm install -g pip-guard\`, which depends on it.`,
    files: ['pip-guard', 'LICENSE.bun', 'THIRD-PARTY-LICENSES.txt'],
    os: [os],
    cpu: [cpu],
    // Bun's Linux runtime is linked against glibc: on musl (Alpine) npm leaves it out, and the
    // launcher runs the bundle instead.
    ...(os === 'linux' ? { libc: ['glibc'] } : {}),
    // Yarn's Plug'n'Play would keep it zipped, where it cannot be executed.
    preferUnplugged: true,
    publishConfig: { access: 'public' },
  };
}

const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

// `npm pack DIR` into OUT: the tarball's file name.
function pack(dir, out) {
  const printed = execFileSync(
    'npm',
    ['pack', dir, '--pack-destination', out, '--ignore-scripts', '--json', '--silent'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(printed)[0].filename;
}

// Packs the main package and each platform's into OUT (dist/npm), from STAGING, where
// `bundle` holds pip-guard.cjs and THIRD-PARTY-LICENSES.txt, and `release(platform)` the
// directory of a platform's tarball (the binary, LICENSE.bun). Returns the tarballs' names.
export function packNpm({ staging, out, version, platforms, bundle, release }) {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  mkdirSync(out, { recursive: true });
  const tarballs = [];
  for (const platform of platforms) {
    const dir = join(staging, `npm-${platform}`);
    mkdirSync(dir);
    writeJson(join(dir, 'package.json'), platformManifest(root, version, platform));
    for (const file of ['pip-guard', 'LICENSE', 'LICENSE.bun', 'THIRD-PARTY-LICENSES.txt'])
      copyFileSync(join(release(platform), file), join(dir, file));
    writeFileSync(
      join(dir, 'README.md'),
      `# ${SCOPE}/${platform}\n\npip-guard's single executable for ${platform}, the binary that \`npm install -g pip-guard\` runs on this platform.\nInstall \`pip-guard\`, not this package: see ${root.homepage}.\n`,
    );
    tarballs.push(pack(dir, out));
  }
  const dir = join(staging, 'npm-main');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist'));
  writeJson(join(dir, 'package.json'), mainManifest(root, version));
  copyFileSync(join(ROOT, 'shims', 'npm-bin.sh'), join(dir, 'bin', 'pip-guard'));
  chmodSync(join(dir, 'bin', 'pip-guard'), 0o755);
  for (const file of ['pip-guard.cjs', 'THIRD-PARTY-LICENSES.txt'])
    copyFileSync(join(bundle, file), join(dir, 'dist', file));
  for (const file of ['README.md', 'LICENSE']) copyFileSync(join(ROOT, file), join(dir, file));
  tarballs.unshift(pack(dir, out));
  return tarballs;
}
