// npm run release [-- PLATFORM] [--out DIR]: build the binary for PLATFORM (default: this
// machine's; linux-x64, linux-arm64, darwin-arm64 and darwin-x64 from any of them), then pack
// what a user downloads: DIR/pip-guard-VERSION-PLATFORM.tar.gz (DIR: dist), holding one
// directory with the binary, README.md, LICENSE, the licenses of what it is made of (Bun's in
// LICENSE.bun, the bundled packages' in THIRD-PARTY-LICENSES.txt) and the bundle it was
// compiled from, and beside it its checksum in `sha256sum -c` format.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BUN_VERSION, hostPlatform, platformPackage } from './bun.mjs';
import { CACHE, ROOT } from './npm-program.mjs';

const at = process.argv.indexOf('--out');
const out = at === -1 ? join(ROOT, 'dist') : resolve(process.argv[at + 1]);
const platform =
  process.argv.slice(2).find((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--out') ??
  hostPlatform();
platformPackage(platform);
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const name = `pip-guard-${version}-${platform}`;
const tarball = join(out, `${name}.tar.gz`);

// Bun's npm packages carry no license file; Bun's LICENSE.md is what this summarises.
const bunLicense = `pip-guard's binary is the bundle pip-guard.cjs compiled by Bun ${BUN_VERSION} (https://bun.com)
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

const runScript = (script, ...args) =>
  execFileSync(process.execPath, [join(ROOT, 'scripts', script), ...args], { stdio: 'inherit' });
runScript('build.mjs');
mkdirSync(out, { recursive: true });
mkdirSync(CACHE, { recursive: true });
const staging = mkdtempSync(join(CACHE, 'release-'));
try {
  const dir = join(staging, name);
  mkdirSync(dir);
  runScript('build-binary.mjs', platform, '--out', join(dir, 'pip-guard'));
  copyFileSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
  copyFileSync(join(ROOT, 'LICENSE'), join(dir, 'LICENSE'));
  writeFileSync(join(dir, 'LICENSE.bun'), bunLicense);
  copyFileSync(join(ROOT, 'dist', 'THIRD-PARTY-LICENSES.txt'), join(dir, 'THIRD-PARTY-LICENSES.txt'));
  copyFileSync(join(ROOT, 'dist', 'pip-guard.cjs'), join(dir, 'pip-guard.cjs'));
  // GNU tar can leave the builder's user and group out of the archive; bsdtar (macOS) cannot take these flags.
  const gnuTar = execFileSync('tar', ['--version'], { encoding: 'utf8' }).includes('GNU tar');
  const owner = gnuTar ? ['--owner=0', '--group=0', '--numeric-owner'] : [];
  execFileSync('tar', ['-czf', tarball, ...owner, '-C', staging, name]);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
writeFileSync(`${tarball}.sha256`, `${digest}  ${basename(tarball)}\n`);
console.error(`release: wrote ${tarball} and ${basename(tarball)}.sha256`);
