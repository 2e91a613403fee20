// What `pip-guard self-update` does to the files, as the installer (scripts/get.sh) does: the
// latest version's name, the release's SHA256SUMS and tarball, the one checked against the other,
// and the binary put in place of this one: written beside it, run (it must answer --version with
// its version), then renamed over it, so that the old one stays until the new one has answered.
// Loaded only by self-update: fetch and tar are nothing the guarded path needs.
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../base/errors.js';
import { capture } from '../base/process.js';
import { isVersion, listedChecksum, type Platform, type ReleaseUrls, tarballName } from './release.js';

const NOTHING = 'so nothing changed';

// The body of URL, or one paragraph that says which file could not be had, and why.
async function download(url: string, what: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new UserError(
      `could not download ${what} from ${url} (${why}), ${NOTHING}: check the connection (or PIP_GUARD_DOWNLOAD_URL) and run self-update again.`,
    );
  }
  if (!response.ok) {
    throw new UserError(
      `could not download ${what} from ${url} (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}), ${NOTHING}: check the version, or PIP_GUARD_DOWNLOAD_URL.`,
    );
  }
  return Buffer.from(await response.arrayBuffer());
}

// The version the release host names as the latest.
export async function latestVersion(urls: ReleaseUrls): Promise<string> {
  const text = (await download(urls.latest, 'the name of the latest version')).toString('utf8');
  const version = text.split('\n')[0]?.trim() ?? '';
  if (!isVersion(version)) {
    throw new UserError(
      `${urls.latest} names "${version.slice(0, 80)}" as the latest version, which is not a version, ${NOTHING}.`,
    );
  }
  return version;
}

// Whether this x64 process runs under Rosetta 2 (macOS on Apple silicon), as the installer asks.
export async function underRosetta(): Promise<boolean> {
  if (process.platform !== 'darwin' || process.arch !== 'x64') return false;
  const answer = await capture('/usr/sbin/sysctl', ['-n', 'sysctl.proc_translated']).catch(() => undefined);
  return answer?.stdout.trim() === '1';
}

// The tarball of VERSION for PLATFORM, checked against the release's SHA256SUMS.
export async function checkedTarball(urls: ReleaseUrls, version: string, platform: Platform) {
  const files = urls.files(version);
  const name = tarballName(version, platform);
  const sums = (await download(`${files}/SHA256SUMS`, 'the checksums (SHA256SUMS)')).toString('utf8');
  const tarball = await download(`${files}/${name}`, name);
  const expected = listedChecksum(sums, name);
  if (!expected) {
    throw new UserError(
      `${files}/SHA256SUMS lists no checksum for ${name}, so it could not be checked, ${NOTHING}.`,
    );
  }
  const actual = createHash('sha256').update(tarball).digest('hex');
  if (actual !== expected) {
    throw new UserError(
      `${name} does not match its checksum in SHA256SUMS (its SHA-256 is ${actual}, SHA256SUMS says ${expected}): the download is damaged or was tampered with, ${NOTHING}.`,
    );
  }
  return { name, tarball, files };
}

// Puts the binary of the checked TARBALL (NAME) in place of TARGET, once it has answered
// --version with VERSION; until then TARGET is untouched. The work directory is beside TARGET,
// so that the rename stays on one file system.
export async function replaceBinary(target: string, name: string, tarball: Buffer, version: string) {
  const work = mkdtempSync(join(dirname(target), '.pip-guard-update-'));
  try {
    const file = join(work, name);
    writeFileSync(file, tarball);
    const top = name.replace(/\.tar\.gz$/, '');
    const unpacked = await capture('tar', ['-xzf', file, '-C', work, `${top}/pip-guard`]);
    if (unpacked.code !== 0) {
      throw new UserError(`could not unpack ${name} (${unpacked.stderr.trim()}), ${NOTHING}.`);
    }
    const binary = join(work, top, 'pip-guard');
    const answer = await capture(binary, ['--version']).catch((error: Error) => ({
      code: undefined,
      stdout: '',
      stderr: error.message,
    }));
    if (answer.code !== 0) {
      const why = answer.stderr.trim().split('\n').at(-1) || `exit ${answer.code}`;
      throw new UserError(`the downloaded pip-guard ${version} does not run here (${why}), ${NOTHING}.`);
    }
    if (answer.stdout.trim() !== version) {
      throw new UserError(
        `the downloaded pip-guard answers --version with "${answer.stdout.trim()}", not ${version}, ${NOTHING}.`,
      );
    }
    chmodSync(binary, statSync(target).mode & 0o7777);
    renameSync(binary, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
