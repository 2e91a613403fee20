// npm run release -- PLATFORM for the four platforms, from this Linux machine: each tarball with
// its checksum; the linux-arm64 binary run under qemu-aarch64-static (Debian's qemu-user-static,
// with the arm64 C library of libc6-arm64-cross); the darwin ones checked for what can be checked
// without a Mac (the Mach-O CPU, a valid ad-hoc signature, the version inside).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readSignature } from '../../scripts/macho.mjs';
import { readJson } from '../../src/base/files.js';
import { PY } from './env.js';
import { notices, ROOT, type Sandbox, sandbox } from './harness.js';

const { version } = readJson<{ version: string }>(join(ROOT, 'package.json')) ?? { version: '?' };
const QEMU = ['/usr/bin/qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'];
const FILES = [
  'LICENSE',
  'LICENSE.bun',
  'README.md',
  'THIRD-PARTY-LICENSES.txt',
  'pip-guard',
  'pip-guard.cjs',
];

// Builds the release for PLATFORM into the sandbox and unpacks it there: the binary's path. The
// build is awaited: a worker blocked that long can miss vitest's RPC deadline.
async function release(box: Sandbox, platform: string): Promise<string> {
  const out = join(box.dir, 'releases');
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'scripts', 'release.mjs'), platform, '--out', out],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const name = `pip-guard-${version}-${platform}`;
  const check = execFileSync('sha256sum', ['-c', `${name}.tar.gz.sha256`], { cwd: out, encoding: 'utf8' });
  expect(check).toBe(`${name}.tar.gz: OK\n`);
  const listed = execFileSync('tar', ['-tzf', `${name}.tar.gz`], { cwd: out, encoding: 'utf8' });
  expect(listed.trim().split('\n').sort()).toEqual([`${name}/`, ...FILES.map((file) => `${name}/${file}`)]);
  const unpacked = join(box.dir, platform);
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', join(out, `${name}.tar.gz`), '-C', unpacked]);
  return join(unpacked, name, 'pip-guard');
}

// The ELF machine of a Linux binary (62 x86-64, 183 AArch64).
const elfMachine = (file: string) => readFileSync(file).readUInt16LE(18);

describe('npm run release -- PLATFORM', () => {
  it('linux-x64: the tarball, its checksum, and a binary that runs here', { timeout: 300_000 }, async () => {
    const box = sandbox();
    const binary = await release(box, 'linux-x64');
    expect(elfMachine(binary)).toBe(62);
    expect(await box.run(binary, ['--version'])).toMatchObject({ exitCode: 0, stdout: `${version}\n` });
  });

  it('linux-arm64 under qemu-aarch64-static: --version, setup --dir, and a guarded no-op through the .venv', {
    timeout: 300_000,
  }, async () => {
    const box = sandbox();
    const binary = await release(box, 'linux-arm64');
    expect(elfMachine(binary)).toBe(183);
    const arm = (args: string[]) => box.run(QEMU[0] as string, [...QEMU.slice(1), binary, ...args]);
    expect(await arm(['--version'])).toMatchObject({ exitCode: 0, stdout: `${version}\n`, stderr: '' });

    const shims = join(box.dir, 'arm-shims');
    const setup = await arm(['setup', '--dir', shims]);
    expect(setup.exitCode).toBe(0);
    expect(setup.stdout).toContain(
      `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${shims}`,
    );
    expect(readFileSync(join(shims, 'pip-guard')).equals(readFileSync(binary))).toBe(true);
    expect(readFileSync(join(shims, 'pip'), 'utf8')).toContain(`exec ${shims}/pip-guard --pip-guard-shim`);

    // The shim would exec the arm64 binary, which only qemu runs here: the same command, through it.
    const venv = join(box.project, '.venv');
    execFileSync('/usr/bin/python3', ['-m', 'venv', venv]);
    execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', ...box.offline, 'demo'], { env: box.env });
    const noOp = await box.run(QEMU[0] as string, [
      ...QEMU.slice(1),
      join(shims, 'pip-guard'),
      '--pip-guard-shim',
      'pip',
      '/usr/bin/pip',
      'install',
      ...box.offline,
      'demo',
    ]);
    expect(noOp.exitCode).toBe(0);
    expect(noOp.stdout).toContain(
      `Requirement already satisfied: demo in ./.venv/lib/python${PY}/site-packages`,
    );
    expect(notices(noOp.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into ${venv} (Python ${PY}); ` +
        `\`python3\` here uses it`,
    ]);
  });

  it.each([
    ['darwin-arm64', 'arm64'],
    ['darwin-x64', 'x86_64'],
  ])(
    '%s: a Mach-O for %s with a valid ad-hoc signature and this version inside (not run here)',
    { timeout: 300_000 },
    async (platform, cpu) => {
      const box = sandbox();
      const binary = await release(box, platform);
      const signature = readSignature(binary);
      expect(signature).toMatchObject({ cpu, signed: true, adhoc: true, badPages: 0, blobs: 1 });
      // The signature is the file's end, and covers all before it.
      expect(signature.codeLimit).toBeLessThan(signature.fileSize);
      expect(readFileSync(binary).includes(`VERSION = "${version}"`)).toBe(true);
    },
  );
});
