// pip-guard self-update against a release host on 127.0.0.1: the installer's pip-guard moves to a
// newer release (and back to a named one), and setup rewrites the shims; a tarball that does not
// match SHA256SUMS, or whose binary does not answer --version, changes nothing; a checkout's build
// is refused (npm's: npm-package.test.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PY } from './env.js';
import { CLI, ROOT, type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';
import {
  expectRedirect,
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

const tarball = (version: string) => `pip-guard-${version}-linux-x64.tar.gz`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let release: string;
let newer: string;
let host: Host;
beforeAll(async () => {
  [release, newer] = [await sharedRelease(), await newerRelease()];
  host = await serve(release);
}, 600_000);
afterAll(() => host?.close());

// pip-guard VERSION set up by the installer in the sandbox's HOME: the path of its binary.
async function installed(box: Sandbox): Promise<string> {
  const result = await runInstaller(box, host.url);
  expect(result.exitCode).toBe(0);
  return join(shimDir(box), 'pip-guard');
}

// `pip-guard self-update ARGS` from the release host at URL, as the shims' PATH has it.
const selfUpdate = (box: Sandbox, url: string, args: string[] = []) =>
  box.run(join(shimDir(box), 'pip-guard'), ['self-update', ...args], {
    env: { PATH: `${shimDir(box)}:${SYSTEM_PATH}`, PIP_GUARD_DOWNLOAD_URL: url },
  });

// What nothing-changed means: the same bytes, still answering with VERSION, and no work left beside it.
async function expectUnchanged(box: Sandbox, binary: string, before: string) {
  expect(sha256(readFileSync(binary))).toBe(before);
  expect((await box.run(binary, ['--version'])).stdout).toBe(`${VERSION}\n`);
  expect(readdirSync(shimDir(box)).filter((name) => name.startsWith('.pip-guard-update'))).toEqual([]);
}

describe('pip-guard self-update', () => {
  it(`moves the installer's ${VERSION} to a newer release, sets it up again, and back to a named version`, async () => {
    const box = sandbox();
    const binary = await installed(box);
    const dir = shimDir(box);
    const newerHost = await serve(hostDir(join(box.dir, 'newer-host'), newer));
    try {
      const update = await selfUpdate(box, newerHost.url);
      expect(update.stderr).toBe('');
      expect(update.exitCode).toBe(0);
      expect(update.stdout).toBe(
        `pip-guard: wrote pip, pip3, pip${PY}, python3, python${PY} to ${dir}\n` +
          `pip-guard: updated ${binary} from ${VERSION} to ${NEWER} (${tarball(NEWER)}, checked against ${newerHost.url}/SHA256SUMS)\n`,
      );
      expect(newerHost.requests).toEqual(['/LATEST', '/SHA256SUMS', `/${tarball(NEWER)}`]);
      expect((await box.run(binary, ['--version'])).stdout).toBe(`${NEWER}\n`);
      expect(readFileSync(join(dir, 'pip'), 'utf8')).toContain(`# pip-guard shim ${NEWER}:`);
      const manifest = JSON.parse(readFileSync(join(dir, '.pip-guard-shims'), 'utf8'));
      expect(manifest).toMatchObject({
        version: NEWER,
        self: { kind: 'binary', sha256: sha256(readFileSync(binary)) },
      });
      expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual(['.pip-guard-shims']);
      await expectRedirect(box, dir);

      const again = await selfUpdate(box, newerHost.url);
      expect(again).toMatchObject({
        exitCode: 0,
        stdout: `pip-guard: this pip-guard (${NEWER}) is the latest release at ${newerHost.url}: nothing to update\n`,
      });
    } finally {
      await newerHost.close();
    }

    // A host that keeps both versions, one SHA256SUMS for them: a named version, older too.
    const both = hostDir(join(box.dir, 'both-host'), release, {
      replace: {
        SHA256SUMS:
          readFileSync(join(release, 'SHA256SUMS'), 'utf8') + readFileSync(join(newer, 'SHA256SUMS'), 'utf8'),
      },
    });
    const bothHost = await serve(both);
    try {
      const back = await selfUpdate(box, bothHost.url, [`v${VERSION}`]);
      expect(back.exitCode).toBe(0);
      expect(back.stdout).toContain(`pip-guard: updated ${binary} from ${NEWER} to ${VERSION} (`);
      expect(bothHost.requests).toEqual(['/SHA256SUMS', `/${tarball(VERSION)}`]);
    } finally {
      await bothHost.close();
    }
    expect((await box.run(binary, ['--version'])).stdout).toBe(`${VERSION}\n`);
  });

  it('refuses a tarball that does not match SHA256SUMS (and a host it cannot reach), and the old pip-guard stays, working', async () => {
    const box = sandbox();
    const binary = await installed(box);
    const before = sha256(readFileSync(binary));
    const sums = readFileSync(join(newer, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}/, '0'.repeat(64));
    const badHost = await serve(hostDir(join(box.dir, 'host'), newer, { replace: { SHA256SUMS: sums } }));
    try {
      const update = await selfUpdate(box, badHost.url);
      expect(update).toMatchObject({ exitCode: 1, stdout: '' });
      expect(update.stderr).toMatch(
        new RegExp(
          `^pip-guard: ${tarball(NEWER).replaceAll('.', '\\.')} does not match its checksum in SHA256SUMS \\(its SHA-256 is [0-9a-f]{64}, SHA256SUMS says 0{64}\\): the download is damaged or was tampered with, so nothing changed\\.\n$`,
        ),
      );
    } finally {
      await badHost.close();
    }
    // A host it cannot reach: the same.
    const unreachable = await selfUpdate(box, 'http://127.0.0.1:1');
    expect(unreachable).toMatchObject({ exitCode: 1, stdout: '' });
    expect(unreachable.stderr).toMatch(
      /^pip-guard: could not download the name of the latest version from http:\/\/127\.0\.0\.1:1\/LATEST \(ECONNREFUSED[^\n]*\), so nothing changed: check the connection \(or PIP_GUARD_DOWNLOAD_URL\) and run self-update again\.\n$/,
    );
    await expectUnchanged(box, binary, before);
    await expectRedirect(box, shimDir(box));
  });

  it('keeps the old pip-guard when the new one does not answer --version', async () => {
    const box = sandbox();
    const binary = await installed(box);
    const before = sha256(readFileSync(binary));
    // A release whose checksum is right, and whose binary is not a pip-guard that runs.
    const made = join(box.dir, 'made');
    mkdirSync(join(made, `pip-guard-${NEWER}-linux-x64`), { recursive: true });
    writeFileSync(
      join(made, `pip-guard-${NEWER}-linux-x64`, 'pip-guard'),
      '#!/bin/sh\necho broken >&2\nexit 3\n',
      {
        mode: 0o755,
      },
    );
    execFileSync('tar', ['-czf', join(made, tarball(NEWER)), '-C', made, `pip-guard-${NEWER}-linux-x64`]);
    const bytes = readFileSync(join(made, tarball(NEWER)));
    const brokenHost = await serve(
      hostDir(join(box.dir, 'host'), newer, {
        replace: { [tarball(NEWER)]: bytes, SHA256SUMS: `${sha256(bytes)}  ${tarball(NEWER)}\n` },
      }),
    );
    try {
      const update = await selfUpdate(box, brokenHost.url);
      expect(update).toMatchObject({
        exitCode: 1,
        stdout: '',
        stderr: `pip-guard: the downloaded pip-guard ${NEWER} does not run here (broken), so nothing changed.\n`,
      });
    } finally {
      await brokenHost.close();
    }
    await expectUnchanged(box, binary, before);
  });

  it("refuses a checkout's build, and setup's copy of it, naming the checkout", async () => {
    const box = sandbox();
    const refusal =
      `pip-guard: this pip-guard is a build of the checkout ${ROOT.replace(/\/$/, '')}: update it there ` +
      '(`git pull`, `npm run build:binary`, then `dist/pip-guard setup` in it), or install a release with the installer.\n';
    const untouched = await serve(release);
    try {
      for (const pipGuard of [CLI, join(inject('e2e').shims, 'pip-guard')]) {
        const update = await box.run(pipGuard, ['self-update'], {
          env: { PIP_GUARD_DOWNLOAD_URL: untouched.url },
        });
        expect({ pipGuard, ...update }).toMatchObject({ pipGuard, exitCode: 1, stdout: '', stderr: refusal });
      }
      expect(untouched.requests).toEqual([]);
    } finally {
      await untouched.close();
    }
  });
});
