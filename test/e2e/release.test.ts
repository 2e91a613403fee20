// npm run release, from this Linux machine: what a release host serves (the four tarballs, one
// SHA256SUMS for them, LATEST, install.sh, the npm tarballs), each tarball's contents, the
// linux-x64 binary run here, and the darwin ones checked for what can be checked without a Mac
// (the Mach-O CPU, a valid ad-hoc signature, the version inside). The linux-arm64 binary runs
// under qemu through the installer (installer.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSignature } from '../../scripts/macho.mjs';
import { sandbox } from './harness.js';
import { sharedRelease, VERSION } from './release-host.js';

const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'darwin-x64'];
const FILES = [
  'LICENSE',
  'LICENSE.bun',
  'README.md',
  'THIRD-PARTY-LICENSES.txt',
  'pip-guard',
  'pip-guard.cjs',
];
const tarball = (platform: string) => `pip-guard-${VERSION}-${platform}.tar.gz`;

let release: string;
beforeAll(async () => {
  release = await sharedRelease();
}, 600_000);

// Unpacks PLATFORM's tarball into a sandbox: the binary's path.
function unpack(platform: string): string {
  const box = sandbox();
  const name = `pip-guard-${VERSION}-${platform}`;
  const listed = execFileSync('tar', ['-tzf', join(release, tarball(platform))], { encoding: 'utf8' });
  expect(listed.trim().split('\n').sort()).toEqual([`${name}/`, ...FILES.map((file) => `${name}/${file}`)]);
  const unpacked = join(box.dir, platform);
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', join(release, tarball(platform)), '-C', unpacked]);
  return join(unpacked, name, 'pip-guard');
}

// The ELF machine of a Linux binary (62 x86-64, 183 AArch64).
const elfMachine = (file: string) => readFileSync(file).readUInt16LE(18);

describe('npm run release', () => {
  it('writes what a release host serves: the tarballs, SHA256SUMS for them all, LATEST, install.sh, npm/', () => {
    expect(readdirSync(release).sort()).toEqual(
      ['.built', 'LATEST', 'SHA256SUMS', 'install.sh', 'npm', ...PLATFORMS.map(tarball)].sort(),
    );
    const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: release, encoding: 'utf8' });
    expect(check).toBe(PLATFORMS.map((platform) => `${tarball(platform)}: OK\n`).join(''));
    expect(readFileSync(join(release, 'LATEST'), 'utf8')).toBe(`${VERSION}\n`);
    expect(readdirSync(join(release, 'npm')).sort()).toEqual(
      [
        `pip-guard-${VERSION}.tgz`,
        ...PLATFORMS.map((platform) => `pip-guard-${platform}-${VERSION}.tgz`),
      ].sort(),
    );
  });

  it('linux-x64: the tarball holds a binary that runs here', async () => {
    const binary = unpack('linux-x64');
    expect(elfMachine(binary)).toBe(62);
    expect(await sandbox().run(binary, ['--version'])).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n` });
  });

  it('linux-arm64: the tarball holds an AArch64 binary', () => {
    expect(elfMachine(unpack('linux-arm64'))).toBe(183);
  });

  it.each([
    ['darwin-arm64', 'arm64'],
    ['darwin-x64', 'x86_64'],
  ])(
    '%s: a Mach-O for %s with a valid ad-hoc signature and this version inside (not run here)',
    (platform, cpu) => {
      const binary = unpack(platform);
      const signature = readSignature(binary);
      expect(signature).toMatchObject({ cpu, signed: true, adhoc: true, badPages: 0, blobs: 1 });
      // The signature is the file's end, and covers all before it.
      expect(signature.codeLimit).toBeLessThan(signature.fileSize);
      expect(readFileSync(binary).includes(`VERSION = "${VERSION}"`)).toBe(true);
    },
  );
});
