import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareReleases,
  downloadUrlProblem,
  isVersion,
  listedChecksum,
  RELEASES,
  releasePlatform,
  releaseUrls,
} from '../../../src/install/release.js';

const read = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');

describe('releasePlatform', () => {
  it.each([
    ['linux', 'x64', false, 'linux-x64'],
    ['linux', 'arm64', false, 'linux-arm64'],
    ['darwin', 'arm64', false, 'darwin-arm64'],
    ['darwin', 'x64', false, 'darwin-x64'],
    // Rosetta 2: an x64 process on Apple silicon gets the arm64 build, as the installer does.
    ['darwin', 'x64', true, 'darwin-arm64'],
    ['linux', 'x64', true, 'linux-x64'],
    ['linux', 'riscv64', false, undefined],
    ['freebsd', 'x64', false, undefined],
    ['win32', 'x64', false, undefined],
    ['linux', 'arm', false, undefined],
  ])('%s %s (translated: %s) → %s', (os, cpu, translated, expected) => {
    expect(releasePlatform(os, cpu, translated)).toBe(expected);
  });
});

describe('compareReleases', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.1.0', '0.1.1', -1],
    ['0.2.0', '0.1.9', 1],
    ['0.10.0', '0.9.0', 1],
    ['1.0.0', '0.99.99', 1],
    // A pre-release comes before its release, and after the one before.
    ['0.1.1-test.1', '0.1.1', -1],
    ['0.1.1-test.1', '0.1.0', 1],
    // Pre-releases: identifier by identifier, numbers by value and below words, fewer first.
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-alpha.beta', '1.0.0-beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-beta.11', '1.0.0-rc.1', -1],
    ['1.0.0-rc.1', '1.0.0', -1],
    // Build metadata counts for nothing.
    ['1.0.0+linux', '1.0.0', 0],
    // Not versions.
    ['v1.0.0', '1.0.0', undefined],
    ['1.0', '1.0.0', undefined],
    ['01.0.0', '1.0.0', undefined],
    ['1.0.0', 'latest', undefined],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(compareReleases(a, b)).toBe(expected);
    if (expected !== undefined) expect(compareReleases(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it('says which strings are versions', () => {
    expect(['0.1.0', '0.1.1-test.1', '1.2.3+build.5'].map(isVersion)).toEqual([true, true, true]);
    expect(['', '0.1', 'v0.1.0', '0.1.0\n', '0.1.0/../x', '<html>'].map(isVersion)).toEqual(
      Array(6).fill(false),
    );
  });
});

describe('releaseUrls', () => {
  it("GitHub's releases: the latest's LATEST, and a version's files under its tag", () => {
    const urls = releaseUrls({});
    expect(urls.latest).toBe(`${RELEASES}/latest/download/LATEST`);
    expect(urls.files('0.2.0')).toBe(`${RELEASES}/download/v0.2.0`);
    expect(urls.from).toBe(RELEASES);
  });

  it('PIP_GUARD_DOWNLOAD_URL: one directory, as npm run release writes dist/', () => {
    const urls = releaseUrls({ PIP_GUARD_DOWNLOAD_URL: 'http://127.0.0.1:8000/' });
    expect(urls.latest).toBe('http://127.0.0.1:8000/LATEST');
    expect(urls.files('0.2.0')).toBe('http://127.0.0.1:8000');
    expect(releaseUrls({ PIP_GUARD_DOWNLOAD_URL: '' }).from).toBe(RELEASES);
  });

  it('PIP_GUARD_DOWNLOAD_URL must be an http(s) URL', () => {
    expect(
      downloadUrlProblem({ PIP_GUARD_DOWNLOAD_URL: 'https://mirror.example/pip-guard' }),
    ).toBeUndefined();
    expect(downloadUrlProblem({})).toBeUndefined();
    expect(downloadUrlProblem({ PIP_GUARD_DOWNLOAD_URL: '127.0.0.1:8000' })).toBe(
      `PIP_GUARD_DOWNLOAD_URL is "127.0.0.1:8000", not an https:// (or http://) URL: set it to the address of a directory that holds a release (as \`npm run release\` writes dist/), or unset it for ${RELEASES}.`,
    );
  });

  it("is the repository in package.json, and the installer's default", () => {
    const { repository } = JSON.parse(read('package.json'));
    expect(repository.url).toBe(`git+${RELEASES.replace(/\/releases$/, '')}.git`);
    expect(read('scripts/get.sh')).toContain(`\nRELEASES=${RELEASES}\n`);
  });
});

describe('listedChecksum', () => {
  const sum = 'ab'.repeat(32);
  it.each([
    [`${sum}  pip-guard-0.1.0-linux-x64.tar.gz\n`, sum],
    [`${sum.toUpperCase()} *pip-guard-0.1.0-linux-x64.tar.gz\r\n`, sum],
    [`${'cd'.repeat(32)}  pip-guard-0.1.0-linux-arm64.tar.gz\n${sum}  pip-guard-0.1.0-linux-x64.tar.gz`, sum],
    [`${sum}  pip-guard-0.1.0-linux-x64.tar.gz.sig\n`, undefined],
    [`${sum}  other/pip-guard-0.1.0-linux-x64.tar.gz\n`, undefined],
    [`${sum.slice(2)}  pip-guard-0.1.0-linux-x64.tar.gz\n`, undefined],
    ['', undefined],
  ])('%j → %s', (sums, expected) => {
    expect(listedChecksum(sums, 'pip-guard-0.1.0-linux-x64.tar.gz')).toBe(expected);
  });
});
