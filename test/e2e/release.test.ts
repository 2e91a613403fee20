// npm run release, from this Linux machine: what a release host serves (the four tarballs, one
// SHA256SUMS for them, LATEST, install.sh, the npm tarballs), each tarball's contents, the
// linux-x64 binary run here, the linux-arm64 one installed through the installer and run under
// qemu, and the darwin ones checked for what can be checked without a Mac (the Mach-O CPU, a
// valid ad-hoc signature, the version inside).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignature } from '../../scripts/macho.mjs';
import { PY } from './env.js';
import { notices, runIn, SYSTEM_PATH, sandbox } from './harness.js';
import { fakeUname, type Host, serve, sharedRelease, shimDir, VERSION } from './release-host.js';

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
let host: Host;
beforeAll(async () => {
  release = await sharedRelease();
  host = await serve(release);
}, 600_000);
afterAll(() => host?.close());

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

// The kernel runs an arm64 program through qemu-aarch64-static when binfmt_misc says so. That
// table is per user namespace (Linux 6.7 and later): the test registers qemu in a namespace of its
// own, so that the machine's stays as it is, and the installer and the shims exec the arm64
// binary as they would on an arm64 machine.
const AARCH64_BINFMT =
  ':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:' +
  '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:F';
const WITH_QEMU =
  'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && printf "%s" "$1" > /proc/sys/fs/binfmt_misc/register && shift && exec "$@"';

describe('linux-arm64', () => {
  it('through the installer under qemu (uname says aarch64): setup, and pip install then goes to the .venv', {
    timeout: 300_000,
  }, async () => {
    const box = sandbox();
    const fake = fakeUname(join(box.dir, 'fake'), 'Linux', 'aarch64');
    const env = { PATH: `${fake}:${SYSTEM_PATH}`, QEMU_LD_PREFIX: '/usr/aarch64-linux-gnu' };
    const inArmNamespace = (args: string[]) =>
      runIn(
        { ...box.env, ...env },
        '/usr/bin/unshare',
        [
          '--user',
          '--map-root-user',
          '--mount',
          '--',
          '/bin/sh',
          '-c',
          WITH_QEMU,
          'sh',
          AARCH64_BINFMT,
          ...args,
        ],
        { cwd: box.project },
      );
    const result = await inArmNamespace([
      'sh',
      '-c',
      'curl -fsSL "$1/install.sh" | PIP_GUARD_DOWNLOAD_URL="$1" sh',
      'sh',
      host.url,
    ]);
    expect(result.stderr).toBe(
      `pip-guard installer: pip-guard ${VERSION} for linux-arm64, checked against SHA256SUMS (sha256sum); setting it up\n`,
    );
    expect(result.exitCode).toBe(0);
    const dir = shimDir(box);
    expect(readFileSync(join(dir, 'pip-guard')).readUInt16LE(18)).toBe(183);
    expect(result.stdout).toContain(
      `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${dir}\n`,
    );

    const pip = await inArmNamespace([
      '/usr/bin/env',
      `PATH=${dir}:${SYSTEM_PATH}`,
      'pip',
      'install',
      ...box.offline,
      'demo',
    ]);
    expect(pip.exitCode).toBe(0);
    expect(pip.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(pip.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')} (Python ${PY});`,
    );
  });
});
