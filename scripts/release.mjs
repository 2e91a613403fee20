// npm run release [-- PLATFORM…] [--out DIR] [--version V]: everything a release host serves,
// written into DIR (default dist/) as the host would serve it, for the four platforms (or those
// named: linux-x64, linux-arm64, darwin-arm64, darwin-x64, each from any machine):
//   pip-guard-VERSION-PLATFORM.tar.gz  one directory with the binary, README.md, LICENSE, the
//                                      licenses of what it is made of (Bun's in LICENSE.bun, the
//                                      bundled packages' in THIRD-PARTY-LICENSES.txt) and the
//                                      bundle it was compiled from;
//   SHA256SUMS                         their checksums, in `sha256sum -c` format;
//   LATEST                             the version, which the installer reads for "the latest";
//   install.sh                         the installer (scripts/get.sh);
//   npm/                               the npm tarballs of pip-guard and @pip-guard/PLATFORM
//                                      (scripts/npm-packages.mjs).
// --version V makes them as version V instead of package.json's (the tests' newer release).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { BUN_VERSION, PLATFORMS, platformPackage } from './bun.mjs';
import { packNpm } from './npm-packages.mjs';
import { CACHE, ROOT } from './npm-program.mjs';

const { values: options, positionals } = parseArgs({
  options: { out: { type: 'string' }, version: { type: 'string' } },
  allowPositionals: true,
});
const out = resolve(options.out ?? join(ROOT, 'dist'));
const platforms = positionals.length > 0 ? positionals : Object.keys(PLATFORMS);
for (const platform of platforms) platformPackage(platform);
const version = options.version ?? JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const log = (message) => console.error(`release: ${message}`);

// Bun's npm packages carry no license file; Bun's LICENSE.md is what this summarises.
const bunLicense = (
  platform,
) => `pip-guard's binary is the bundle pip-guard.cjs compiled by Bun ${BUN_VERSION} (https://bun.com)
into a copy of the Bun runtime, from the npm package ${platformPackage(platform).package}@${BUN_VERSION}.

Bun itself is MIT-licensed. It statically links JavaScriptCore and WebKit, licensed under
the GNU Lesser General Public License version 2 (LGPL-2), and libraries under the MIT, BSD,
Apache 2.0, zlib and other licenses, each listed with its license in Bun's LICENSE.md:
https://github.com/oven-sh/bun/blob/bun-v${BUN_VERSION}/LICENSE.md
The WebKit that Bun links, with Bun's changes, is at https://github.com/oven-sh/WebKit.

To run pip-guard on a Bun of your own (one you changed and built, for instance), compile the
bundle in this directory with it:
  bun build --compile --bytecode --no-compile-autoload-dotenv --no-compile-autoload-bunfig pip-guard.cjs --outfile pip-guard
or run the bundle with Node 20.19 or newer: node pip-guard.cjs
`;

// Awaited, not synchronous: a test that releases keeps its worker answering vitest meanwhile.
const run = (file, args) => promisify(execFile)(file, args, { maxBuffer: 64 * 1024 * 1024 });
const runScript = (script, ...args) => run(process.execPath, [join(ROOT, 'scripts', script), ...args]);

// GNU tar can leave the builder's user and group out of the archive; bsdtar (macOS) cannot take these flags.
async function tarFlags() {
  const { stdout } = await run('tar', ['--version']);
  return stdout.includes('GNU tar') ? ['--owner=0', '--group=0', '--numeric-owner'] : [];
}

// Into place in one step, from beside it: a host serving DIR never serves half a file.
async function writeInPlace(file, fill) {
  const beside = `${file}.${process.pid}.new`;
  await fill(beside);
  renameSync(beside, file);
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function main() {
  mkdirSync(out, { recursive: true });
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, 'release-'));
  try {
    const bundle = join(staging, 'bundle');
    await runScript('build.mjs', '--outdir', bundle, '--version', version);
    const owner = await tarFlags();
    const sums = [];
    const dirs = {};
    for (const platform of platforms) {
      const name = `pip-guard-${version}-${platform}`;
      const dir = join(staging, name);
      dirs[platform] = dir;
      mkdirSync(dir);
      const binary = join(dir, 'pip-guard');
      const bundled = join(bundle, 'pip-guard.cjs');
      await runScript(
        'build-binary.mjs',
        platform,
        '--bundle',
        bundled,
        '--version',
        version,
        '--out',
        binary,
      );
      copyFileSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
      copyFileSync(join(ROOT, 'LICENSE'), join(dir, 'LICENSE'));
      writeFileSync(join(dir, 'LICENSE.bun'), bunLicense(platform));
      copyFileSync(join(bundle, 'THIRD-PARTY-LICENSES.txt'), join(dir, 'THIRD-PARTY-LICENSES.txt'));
      copyFileSync(bundled, join(dir, 'pip-guard.cjs'));
      const tarball = join(out, `${name}.tar.gz`);
      await writeInPlace(tarball, (beside) => run('tar', ['-czf', beside, ...owner, '-C', staging, name]));
      sums.push(`${sha256(tarball)}  ${name}.tar.gz\n`);
      log(`wrote ${tarball}`);
    }
    await writeInPlace(join(out, 'SHA256SUMS'), (beside) => writeFileSync(beside, sums.join('')));
    await writeInPlace(join(out, 'install.sh'), (beside) =>
      copyFileSync(join(ROOT, 'scripts', 'get.sh'), beside),
    );
    const npm = packNpm({
      staging,
      out: join(out, 'npm'),
      version,
      platforms,
      bundle,
      release: (platform) => dirs[platform],
    });
    // Last: a host names a version only once all of its files are there.
    await writeInPlace(join(out, 'LATEST'), (beside) => writeFileSync(beside, `${version}\n`));
    log(`wrote SHA256SUMS, install.sh, LATEST (${version}) and npm/${npm.join(', npm/')} in ${out}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`release: ${error.stderr || error.message}`);
  process.exit(1);
});
