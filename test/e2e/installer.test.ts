// The one-line installer (scripts/get.sh, served as install.sh) against a release host on
// 127.0.0.1 serving what `npm run release` wrote: with curl and with wget, in a fresh HOME, then
// pip through the shims it set up; as a user who is not root; upgrading by running it again; and
// each way it refuses, with one line and nothing installed (linux-arm64 under qemu: release.test.ts).
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esc, PY } from './env.js';
import { ROOT, runIn, type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';
import {
  binWithout,
  expectRedirect,
  fakeUname,
  type Host,
  hostDir,
  NEWER,
  newerRelease,
  runInstaller,
  serve,
  sharedRelease,
  shimDir,
  VERSION,
} from './release-host.js';

const INSTALLER = 'pip-guard installer:';
let release: string;
let host: Host;

beforeAll(async () => {
  release = await sharedRelease();
  host = await serve(release);
}, 600_000);
afterAll(() => host?.close());

// `sh -c SCRIPT sh URL` as user nobody (uid 65534), for a user who is not root.
const asNobody = (script: string, env: Record<string, string>, cwd = '/') =>
  runIn(
    { PATH: SYSTEM_PATH, ...env },
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', script, 'sh', host.url],
    { cwd },
  );

describe('curl … | sh and wget … | sh', () => {
  it('curl: installs the release into a fresh HOME, sets it up, and pip install then goes to the .venv', async () => {
    const box = sandbox();
    const result = await runInstaller(box, host.url);
    expect(result.exitCode).toBe(0);
    const dir = shimDir(box);
    expect(result.stderr).toBe(
      `${INSTALLER} pip-guard ${VERSION} for linux-x64, checked against SHA256SUMS (sha256sum); setting it up\n`,
    );
    expect(result.stdout).toContain(
      `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${dir}\n`,
    );
    expect(result.leftInTmp).toEqual([]);
    expect(host.requests).toEqual(
      expect.arrayContaining([
        '/install.sh',
        '/LATEST',
        '/SHA256SUMS',
        `/pip-guard-${VERSION}-linux-x64.tar.gz`,
      ]),
    );
    const answer = await box.run(join(dir, 'pip-guard'), ['--version']);
    expect(answer).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n` });
    await expectRedirect(box, dir);
  });

  it("wget and Perl's shasum (no curl or sha256sum on PATH), PIP_GUARD_INSTALL_DIR, and the arguments after -s -- go to setup", async () => {
    const box = sandbox();
    const dir = join(box.dir, 'pip-guard-bin');
    const result = await runInstaller(box, host.url, {
      fetch: 'wget -qO-',
      args: '-s -- --modify-path',
      env: {
        PATH: binWithout(join(box.dir, 'no-curl'), ['curl', 'sha256sum']),
        PIP_GUARD_INSTALL_DIR: dir,
        SHELL: '/bin/bash',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      `${INSTALLER} pip-guard ${VERSION} for linux-x64, checked against SHA256SUMS (shasum -a 256); setting it up\n`,
    );
    expect(result.stdout).toContain(
      `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${dir}\n`,
    );
    expect(readFileSync(join(box.home, '.bashrc'), 'utf8')).toContain(`export PATH="${dir}:$PATH"`);
    expect(existsSync(shimDir(box))).toBe(false);
    await expectRedirect(box, dir);
  });

  it("as a user who is not root (nobody): into that user's own HOME, needing nothing of root's", async () => {
    // A HOME that nobody owns, where nobody can reach it (the suite's directories are root's alone).
    const home = mkdtempSync(join(tmpdir(), 'pip-guard-nobody-'));
    try {
      mkdirSync(join(home, 'tmp'));
      for (const path of [home, join(home, 'tmp')]) chownSync(path, 65534, 65534);
      const result = await asNobody(
        'curl -fsSL "$1/install.sh" | PIP_GUARD_DOWNLOAD_URL="$1" sh',
        { HOME: home, TMPDIR: join(home, 'tmp'), LANG: 'C.UTF-8' },
        home,
      );
      const dir = join(home, '.local', 'share', 'pip-guard', 'bin');
      expect(result.stderr).toContain(
        `${INSTALLER} pip-guard ${VERSION} for linux-x64, checked against SHA256SUMS`,
      );
      expect(result).toMatchObject({
        exitCode: 0,
        stdout: expect.stringContaining(
          `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${dir}\n`,
        ),
      });
      expect(statSync(join(dir, 'pip-guard')).uid).toBe(65534);
      expect(readdirSync(join(home, 'tmp'))).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('running it again upgrades: the newer release replaces the binary, and setup rewrites the shims', async () => {
    const box = sandbox();
    expect((await runInstaller(box, host.url)).exitCode).toBe(0);
    const newer = await serve(hostDir(join(box.dir, 'newer-host'), await newerRelease()));
    try {
      const again = await runInstaller(box, newer.url);
      expect(again.exitCode).toBe(0);
      expect(again.stderr).toContain(
        `${INSTALLER} pip-guard ${NEWER} for linux-x64, checked against SHA256SUMS`,
      );
      expect(again.stdout).toContain(
        `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${shimDir(box)}\n`,
      );
    } finally {
      await newer.close();
    }
    const answer = await box.run(join(shimDir(box), 'pip-guard'), ['--version']);
    expect(answer.stdout).toBe(`${NEWER}\n`);
    expect(readFileSync(join(shimDir(box), 'pip'), 'utf8')).toContain(`# pip-guard shim ${NEWER}:`);
  });
});

describe('the installer refuses, with one line, and installs nothing', () => {
  const tarball = `pip-guard-${VERSION}-linux-x64.tar.gz`;

  // What a refusal leaves: one line on stderr, exit 1, no pip-guard directory, nothing in TMPDIR.
  async function expectRefusal(
    box: Sandbox,
    url: string,
    line: string | RegExp,
    env: Record<string, string> = {},
  ) {
    const result = await runInstaller(box, url, { env });
    expect(result.exitCode).toBe(1);
    if (typeof line === 'string') expect(result.stderr).toBe(`${INSTALLER} ${line}; nothing was installed\n`);
    else expect(result.stderr).toMatch(new RegExp(`^${INSTALLER} ${line.source}; nothing was installed\n$`));
    expect(result.stdout).toBe('');
    expect(existsSync(join(box.home, '.local'))).toBe(false);
    expect(result.leftInTmp).toEqual([]);
  }

  it('a tarball that does not match SHA256SUMS', async () => {
    const box = sandbox();
    const bytes = readFileSync(join(release, tarball));
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 1, middle);
    const tampered = await serve(hostDir(join(box.dir, 'host'), release, { replace: { [tarball]: bytes } }));
    try {
      const sums = readFileSync(join(release, 'SHA256SUMS'), 'utf8');
      const listed = sums
        .split('\n')
        .find((line) => line.endsWith(`  ${tarball}`))
        ?.split(' ')[0];
      await expectRefusal(
        box,
        tampered.url,
        new RegExp(
          `${esc(tarball)} does not match its checksum in SHA256SUMS \\(its SHA-256 is [0-9a-f]{64}, SHA256SUMS says ${listed}\\): the download is damaged or was tampered with`,
        ),
      );
    } finally {
      await tampered.close();
    }
  });

  it('no SHA256SUMS, and a SHA256SUMS without this tarball', async () => {
    const box = sandbox();
    const missing = await serve(hostDir(join(box.dir, 'host'), release, { leave: ['SHA256SUMS'] }));
    try {
      await expectRefusal(
        box,
        missing.url,
        `could not download the checksums (SHA256SUMS) from ${missing.url}/SHA256SUMS (curl: (22) The requested URL returned error: 404)`,
      );
    } finally {
      await missing.close();
    }
    const other = sandbox();
    const sums = readFileSync(join(release, 'SHA256SUMS'), 'utf8');
    const without = sums
      .split('\n')
      .filter((line) => !line.endsWith(tarball))
      .join('\n');
    const partial = await serve(
      hostDir(join(other.dir, 'host'), release, { replace: { SHA256SUMS: without } }),
    );
    try {
      await expectRefusal(
        other,
        partial.url,
        `${partial.url}/SHA256SUMS lists no checksum for ${tarball}, so it could not be checked`,
      );
    } finally {
      await partial.close();
    }
  });

  it.each([
    ['Linux', 'riscv64'],
    ['FreeBSD', 'amd64'],
  ])('a machine with no build (%s %s, as uname says)', async (kernel, machine) => {
    const box = sandbox();
    const fake = fakeUname(join(box.dir, 'fake'), kernel, machine);
    await expectRefusal(
      box,
      host.url,
      `pip-guard has no build for this machine (${kernel} ${machine}): there is one for Linux and macOS, each on x86_64 and arm64`,
      { PATH: `${fake}:${SYSTEM_PATH}` },
    );
  });

  it('no sha256sum or shasum to check the download with', async () => {
    const box = sandbox();
    await expectRefusal(
      box,
      host.url,
      'neither sha256sum nor shasum is installed, so the download could not be checked: install coreutils (or perl for shasum) and run the installer again',
      { PATH: binWithout(join(box.dir, 'no-sha'), ['sha256sum', 'shasum']) },
    );
  });

  it('--system, for every user, from a user who is not root (nobody)', async () => {
    const result = await asNobody('curl -fsSL "$1/install.sh" | sh -s -- --system', { HOME: '/nonexistent' });
    expect(result).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: `${INSTALLER} --system installs pip-guard for every user into /usr/local/bin, which needs root: run the installer with sudo (| sudo sh -s -- --system); nothing was installed\n`,
    });
  });
});

describe('scripts/get.sh', () => {
  it('is POSIX sh that shellcheck passes, and is what the release serves as install.sh', async () => {
    const box = sandbox();
    const check = await box.run('shellcheck', [
      '--shell=sh',
      join(ROOT, 'scripts', 'get.sh'),
      join(ROOT, 'shims', 'npm-bin.sh'),
    ]);
    expect(check).toMatchObject({ exitCode: 0, stdout: '' });
    expect(readFileSync(join(release, 'install.sh'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'scripts', 'get.sh'), 'utf8'),
    );
  });
});
