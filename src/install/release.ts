// pip-guard's releases as the installer (scripts/get.sh) and `pip-guard self-update` find them:
// the platform names, the versions and their order, where the files are, and the checksum
// SHA256SUMS lists for one. Pure: the download itself is in self-update.ts.
import type { Env } from '../base/env.js';

// Where the releases are unless PIP_GUARD_DOWNLOAD_URL says otherwise: GitHub's releases of the
// repository in package.json (scripts/get.sh says the same; a unit test holds the three together).
export const RELEASES = 'https://github.com/pip-guard/pip-guard/releases';

export const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'darwin-x64'] as const;
export type Platform = (typeof PLATFORMS)[number];

// The release that runs best here, from Node's (and Bun's) process.platform and process.arch:
// `translated` when an x64 process runs under Rosetta 2 on Apple silicon
// (sysctl.proc_translated), where the arm64 build runs natively. Undefined: no build for it.
export function releasePlatform(os: string, cpu: string, translated = false): Platform | undefined {
  const arch = cpu === 'x64' && os === 'darwin' && translated ? 'arm64' : cpu;
  const name = `${os}-${arch}`;
  return (PLATFORMS as readonly string[]).includes(name) ? (name as Platform) : undefined;
}

// MAJOR.MINOR.PATCH, a pre-release after `-` and build metadata after `+` (https://semver.org).
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

export const isVersion = (text: string) => SEMVER.test(text);

// Semver precedence of two pre-release identifiers: numbers below words, numbers by value.
function compareIdentifiers(a: string, b: string): number {
  const [x, y] = [/^\d+$/.test(a), /^\d+$/.test(b)];
  if (x && y) return Math.sign(Number(a) - Number(b));
  if (x !== y) return x ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// -1, 0 or 1 as release `a` is older than, as old as, or newer than `b` (semver precedence: a
// pre-release comes before its release, build metadata counts for nothing); undefined when
// either is not a version.
export function compareReleases(a: string, b: string): number | undefined {
  const [x, y] = [SEMVER.exec(a), SEMVER.exec(b)];
  if (!x || !y) return undefined;
  for (const at of [1, 2, 3]) {
    const order = Math.sign(Number(x[at]) - Number(y[at]));
    if (order !== 0) return order;
  }
  const [p, q] = [x[4]?.split('.') ?? [], y[4]?.split('.') ?? []];
  if (p.length === 0 || q.length === 0) return p.length === q.length ? 0 : p.length === 0 ? 1 : -1;
  for (let at = 0; at < Math.min(p.length, q.length); at++) {
    const order = compareIdentifiers(p[at] as string, q[at] as string);
    if (order !== 0) return order;
  }
  return Math.sign(p.length - q.length);
}

export const tarballName = (version: string, platform: Platform) => `pip-guard-${version}-${platform}.tar.gz`;

export interface ReleaseUrls {
  // The file that names the latest version.
  latest: string;
  // The directory of a version's files (its tarballs and SHA256SUMS).
  files(version: string): string;
  // Where they came from, for messages.
  from: string;
}

// Where the releases are: PIP_GUARD_DOWNLOAD_URL, one directory as `npm run release` writes dist/
// (LATEST, SHA256SUMS and the tarballs side by side), or GitHub's releases, where `latest/download/`
// leads to the latest release's files and `download/vVERSION/` to a version's.
export function releaseUrls(env: Env): ReleaseUrls {
  const base = env.PIP_GUARD_DOWNLOAD_URL?.replace(/\/+$/, '');
  if (base) return { latest: `${base}/LATEST`, files: () => base, from: base };
  return {
    latest: `${RELEASES}/latest/download/LATEST`,
    files: (version) => `${RELEASES}/download/v${version}`,
    from: RELEASES,
  };
}

// What is wrong with PIP_GUARD_DOWNLOAD_URL, if anything.
export function downloadUrlProblem(env: Env): string | undefined {
  const url = env.PIP_GUARD_DOWNLOAD_URL;
  if (!url || /^https?:\/\/[^/]/.test(url)) return undefined;
  return `PIP_GUARD_DOWNLOAD_URL is "${url}", not an https:// (or http://) URL: set it to the address of a directory that holds a release (as \`npm run release\` writes dist/), or unset it for ${RELEASES}.`;
}

// The SHA-256 that SHA256SUMS (`sha256sum` format: "SUM  NAME", or "SUM *NAME") lists for NAME,
// in lower case; undefined when it lists none.
export function listedChecksum(sums: string, name: string): string | undefined {
  for (const line of sums.split('\n')) {
    const m = /^([0-9A-Fa-f]{64}) [ *](.+?)\r?$/.exec(line);
    if (m && m[2] === name) return (m[1] as string).toLowerCase();
  }
  return undefined;
}
