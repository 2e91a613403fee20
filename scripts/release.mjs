// npm run release [-- PLATFORM]: build dist/pip-guard for PLATFORM (default linux-x64), then
// pack what a user downloads: dist/pip-guard-VERSION-PLATFORM.tar.gz, holding one directory
// with the binary, README.md, LICENSE, the embedded Node's license (LICENSE.node) and the
// bundled packages' (THIRD-PARTY-LICENSES.txt), and beside it its checksum in `sha256sum -c`
// format.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CACHE, cachedNodePath, DEFAULT_PLATFORM, platformPackage, ROOT } from './embedded-node.mjs';

const platform = process.argv[2] ?? DEFAULT_PLATFORM;
platformPackage(platform);
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const name = `pip-guard-${version}-${platform}`;
const tarball = join(ROOT, 'dist', `${name}.tar.gz`);

const runScript = (script, ...args) =>
  execFileSync(process.execPath, [join(ROOT, 'scripts', script), ...args], { stdio: 'inherit' });
runScript('build.mjs');
runScript('build-binary.mjs', platform);

// GNU tar can leave the builder's user and group out of the archive; bsdtar (macOS) cannot take these flags.
const gnuTar = execFileSync('tar', ['--version'], { encoding: 'utf8' }).includes('GNU tar');
const owner = gnuTar ? ['--owner=0', '--group=0', '--numeric-owner'] : [];

mkdirSync(CACHE, { recursive: true });
const staging = mkdtempSync(join(CACHE, 'release-'));
try {
  const dir = join(staging, name);
  mkdirSync(dir);
  copyFileSync(join(ROOT, 'dist', 'pip-guard'), join(dir, 'pip-guard'));
  copyFileSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
  copyFileSync(join(ROOT, 'LICENSE'), join(dir, 'LICENSE'));
  copyFileSync(join(cachedNodePath(platform), '..', 'LICENSE'), join(dir, 'LICENSE.node'));
  copyFileSync(join(ROOT, 'dist', 'THIRD-PARTY-LICENSES.txt'), join(dir, 'THIRD-PARTY-LICENSES.txt'));
  execFileSync('tar', ['-czf', tarball, ...owner, '-C', staging, name]);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
writeFileSync(`${tarball}.sha256`, `${digest}  ${basename(tarball)}\n`);
console.error(`release: wrote ${tarball} and ${basename(tarball)}.sha256`);
